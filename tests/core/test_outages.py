"""Outages of what the platform depends on, in the test process: Redis (the cache) does not answer, or the
database does not. The cache then behaves as an empty one (``samenorg.core.cache``) and the rate limits on it
fail open; without the database every request gets a 503 with Retry-After (``samenorg.core.unavailable``).
tests/integration/test_faults.py does the same to real servers, stopped and started under load."""

import logging
from contextlib import contextmanager

import psycopg
import pytest
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.test import Client
from django.urls import reverse

from samenorg.core import cache as degrading
from samenorg.core.ratelimits import rate_limit
from samenorg.core.unavailable import RETRY_AFTER, is_database_unavailable
from tests.factories import InitiativeFactory, UserFactory
from tests.integration.support import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The default cache on a loopback port where nothing listens: every call is refused, as when Redis stopped."""
    settings.CACHES = {
        "default": {
            "BACKEND": "samenorg.core.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    degrading._last_warning[0] = float("-inf")


# -- Redis does not answer -----------------------------------------------------------------------


def test_a_cache_that_does_not_answer_behaves_as_an_empty_one(redis_down):
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("key", "computed") == "computed"
    assert cache.add("key", "value") is True  # an empty cache takes it
    assert cache.get_many(["key", "other"]) == {}
    assert cache.has_key("key") is False
    assert cache.delete("key") is False
    assert cache.set_many({"key": 1}) == []
    cache.delete_many(["key"])
    cache.clear()
    with pytest.raises(ValueError, match="not found"):
        cache.incr("count")  # as on an empty cache: no such key


def test_an_outage_is_logged_once_a_minute_per_process_not_once_a_call(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="samenorg.core.cache"):
        for _call in range(5):
            cache.get("key")
    assert [record.getMessage()[:22] for record in caplog.records] == ["Redis does not answer "]


def test_errors_other_than_an_unreachable_server_still_raise(redis_down, monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("a bug, not an outage")

    monkeypatch.setattr(degrading.RedisCache, "get", broken)
    with pytest.raises(TypeError):
        cache.get("key")


def test_the_write_limits_fail_open_while_the_cache_does_not_answer(redis_down, settings):
    settings.SAMENORG_RATE_LIMITS = {**settings.SAMENORG_RATE_LIMITS, "join_request": "1/h"}
    person = UserFactory()
    for _write in range(3):
        with rate_limit("join_request", person):
            pass  # each allowed: nothing is counted while the cache is down


def test_pages_that_read_the_cache_and_the_login_limits_keep_working(redis_down, client):
    InitiativeFactory(published=True, title="Wijkdashboard")
    assert "Wijkdashboard" in client.get(reverse("initiatives:list")).content.decode()
    assert client.get(reverse("standards:dashboard")).status_code == 200
    user = UserFactory()
    for _attempt in range(3):  # allauth's limits take a lock on the cache first: it is granted
        response = client.post(reverse("account_login"), {"login": user.email, "password": "fout-wachtwoord"})
        assert response.status_code == 200  # the form again, with its error; not 429


# -- the database does not answer ------------------------------------------------------------------


def refused() -> OperationalError:
    """What Django raises when psycopg cannot connect: an OperationalError caused by psycopg's own."""
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    error.__cause__ = psycopg.OperationalError("Connection refused")
    return error


@contextmanager
def database_down(error: Exception):
    def fail(execute, sql, params, many, context):
        raise error

    with connection.execute_wrapper(fail):
        yield


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (refused(), True),
        (InterfaceError("connection already closed"), True),
        (OperationalError("terminating connection"), True),  # no cause, as psycopg's own client errors
        (ProgrammingError("syntax error"), False),
        (ValueError("no database error at all"), False),
        (None, False),
    ],
)
def test_which_errors_say_the_database_is_unreachable(error, unavailable):
    assert is_database_unavailable(error) is unavailable


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [("57P01", True), ("57P03", True), ("08006", True), ("53300", True), ("40P01", False), ("57014", False)],
)
def test_a_server_that_shuts_down_starts_up_or_is_full_is_unreachable_a_deadlock_or_timeout_is_not(
    sqlstate, unavailable
):
    error = OperationalError("from the server")
    error.__cause__ = psycopg.errors.lookup(sqlstate)("from the server")
    assert is_database_unavailable(error) is unavailable


def test_a_page_gets_the_dutch_503_page_with_retry_after():
    client = Client(raise_request_exception=False)
    with database_down(refused()):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert "Even niet bereikbaar" in response.content.decode()
    assert "Content-Security-Policy" in response  # the headers' middleware still applies


def test_a_logged_in_person_gets_the_503_also_when_the_middleware_fails_before_the_view():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    with database_down(refused()):
        response = client.get(reverse("home"))  # the session and the user are read before the view
    assert response.status_code == 503


def test_the_api_gets_a_problem_with_retry_after():
    client = Client(raise_request_exception=False)
    with database_down(refused()):
        response = client.get("/api/v1/initiatives", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response.json()["status"] == 503


def test_readiness_says_the_database_is_not_ready():
    with database_down(refused()):
        response = Client(raise_request_exception=False).get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "OperationalError"


def test_a_query_that_goes_wrong_is_still_a_server_error():
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.lookup("40P01")("deadlock detected")
    with database_down(error):
        response = Client(raise_request_exception=False).get(reverse("home"))
    assert response.status_code == 500
