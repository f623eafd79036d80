"""What the attack tests share: a probe that tells which tables a request wrote to, clients that check
CSRF as a browser's requests are checked, and the URLs of the permission matrix's rows.

The probe reads PostgreSQL's counters for the current transaction (``pg_stat_xact_user_tables``), which
count every row inserted, updated or deleted since the test's transaction began, in any table, also by
code the test does not know about. So "nothing written" covers the whole database, not the rows a test
thought of checking."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client

from tests.second_factor import log_in_with_second_factor
from tests.test_permission_matrix import LOGIN, all_rows, url_for

# Every logged-in request notes the session as seen, and logging out ends it: bookkeeping, not a change.
BOOKKEEPING_TABLES = frozenset({"django_session", "usersessions_usersession"})

EVIL = "https://evil.example/"
# A foreign role's answer that refuses: the login page, not allowed, not found, wrong method.
REFUSALS = frozenset({LOGIN, 403, 404, 405})


def table_writes() -> dict[str, tuple[int, int, int]]:
    """Rows inserted, updated and deleted per table in this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables")
        return {name: (inserted, updated, deleted) for name, inserted, updated, deleted in cursor.fetchall()}


class WriteProbe:
    """Which tables were written to since the probe was made (bookkeeping tables left out)."""

    def __init__(self) -> None:
        self.before = table_writes()

    def tables_written(self) -> set[str]:
        after = table_writes()
        return {
            table
            for table, counts in after.items()
            if counts != self.before.get(table, (0, 0, 0)) and table not in BOOKKEEPING_TABLES
        }


@contextmanager
def nothing_written(what: str) -> Iterator[None]:
    probe = WriteProbe()
    yield
    written = probe.tables_written()
    assert not written, f"{what} wrote to {sorted(written)}"


def is_admin(name: str) -> bool:
    return name.startswith("admin:")


def csrf_client(user: Any = None, *, admin: bool = False) -> Client:
    """A client that checks CSRF as for a browser; logged in as ``user`` (with the second factor for the admin)."""
    client = Client(enforce_csrf_checks=True)
    if user is not None and admin:
        log_in_with_second_factor(client, user)
    elif user is not None:
        client.force_login(user)
    return client


def csrf_token(client: Client) -> str:
    """The token a page of the site gives this client, as its forms carry it."""
    client.get("/")
    cookie = client.cookies.get(settings.CSRF_COOKIE_NAME)
    assert cookie is not None, "the home page sets no CSRF cookie"
    return cookie.value


def matrix_paths(world: Any) -> dict[str, str]:
    """The path of every row of the permission matrix (GET rows and admin rows), built in its world."""
    paths, unbuildable = {}, []
    for name, (kwargs_for, _expected) in all_rows().items():
        try:
            paths[name] = url_for(name, kwargs_for(world) if kwargs_for else None)
        except KeyError:
            unbuildable.append(name)
    assert not unbuildable, f"the permission matrix's world has no object for the rows {unbuildable}"
    return paths
