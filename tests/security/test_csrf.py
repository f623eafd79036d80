"""Cross-site request forgery: no form of the site acts on a POST without the page's CSRF token.

Every URL pattern of the permission matrix is POSTed to, so a new page is checked as soon as the
matrix has its row. A refused POST is a 403 from Django's CSRF check (logged on
``django.security.csrf``) and writes nothing to any table. The same POST with the token the site
handed out gets past the check, so the tests prove that the token decides, not something else.

The REST API does its own check: a request that rides on the browser's session needs the token (403
problem+json without it). A request with an API key needs none: the key travels in the ``X-Api-Key``
header, which a browser never adds by itself and another site cannot add without knowing the key
(CORS allows no credentials), so a forged request from another site has no key to act with.
"""

import logging
import secrets

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import resolve, reverse

from tests.api.conftest import PROBLEM, make_key
from tests.api.test_api_permission_matrix import supported_writes
from tests.factories import InitiativeFactory
from tests.security.support import (
    EVIL,
    WriteProbe,
    csrf_client,
    csrf_token,
    is_admin,
    matrix_paths,
    nothing_written,
)
from tests.test_permission_matrix import (
    FACILITATOR_ADMIN,
    MATRIX,
    POST_MATRIX,
    outcome,
)

CSRF_LOGGER = "django.security.csrf"

# Views that take a POST without the token, and why. Any other exempt view fails the test below.
EXEMPT_FOR_A_REASON = {
    # RFC 8058 one-click unsubscribe: a mail client POSTs the List-Unsubscribe link without a session;
    # the signed token in the URL is the authority, and it can only switch e-mail off.
    "notifications:unsubscribe",
}


def is_api(name: str) -> bool:
    return name.startswith("api:")


def site_paths(world) -> dict[str, str]:
    """Every row of the matrix whose view the site's CSRF check guards (the API checks it in its session login)."""
    return {
        name: path
        for name, path in sorted(matrix_paths(world).items())
        if not is_api(name) and name.split("[")[0] not in EXEMPT_FOR_A_REASON
    }


def csrf_refusals(caplog, path: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == CSRF_LOGGER and path in record.getMessage()]


def client_for(world, name: str, role: str):
    """A CSRF-checking client of ``role``; the admin's pages are posted to by the facilitator."""
    if is_admin(name) and role != "anonymous":
        return csrf_client(world.users["facilitator"], admin=True)
    return csrf_client(world.users[role])


def test_the_write_probe_sees_a_write_and_nothing_else(db):
    probe = WriteProbe()
    assert probe.tables_written() == set()
    InitiativeFactory()
    assert "initiatives_initiative" in probe.tables_written()


def test_only_the_listed_views_are_exempt_from_csrf(world):
    """A new ``@csrf_exempt`` view fails here until it is listed above with its reason."""
    exempt = set()
    for name, path in matrix_paths(world).items():
        if getattr(resolve(path).func, "csrf_exempt", False):
            exempt.add(name.split("[")[0])
    api_views = {name for name in exempt if is_api(name)}
    assert exempt - api_views == EXEMPT_FOR_A_REASON
    # The API's views are exempt from the site's check because they run their own (tested below).
    assert {name for name in MATRIX if is_api(name) and name != "api:reference"} <= api_views


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_every_post_without_a_token_is_refused_and_writes_nothing(world, caplog, role):
    """Anonymous (a forged login, sign-up or language switch) and logged in (the facilitator in the admin)."""
    failures = {}
    site, admin_site = csrf_client(world.users[role]), client_for(world, "admin:index", role)
    for name, path in site_paths(world).items():
        client = admin_site if is_admin(name) else site
        caplog.clear()
        probe = WriteProbe()
        response = client.post(path, {"name": "Vervalst", "next": "/"})
        written = probe.tables_written()
        if response.status_code != 403 or not csrf_refusals(caplog, path) or written:
            failures[name] = (response.status_code, sorted(written))
    assert not failures, f"POSTs without a CSRF token that were not refused, or wrote: {failures}"


def test_a_valid_token_gets_past_the_check_on_every_url(world, caplog):
    """The same POSTs with the token the site hands out: none is refused by the CSRF check, none fails."""
    failures = {}
    for name, path in site_paths(world).items():
        client = client_for(world, name, "coordinator")
        token = csrf_token(client)
        caplog.clear()
        response = client.post(path, {"csrfmiddlewaretoken": token})
        if csrf_refusals(caplog, path) or response.status_code >= 500:
            failures[name] = response.status_code
    assert not failures, f"POSTs with a valid token refused by the CSRF check, or failing: {failures}"


def may_post(expected: dict) -> str:
    """The role that the matrix lets do the action (a redirect after success, else the form again)."""
    preference = ("coordinator", "member", "other_member", "facilitator", "anonymous")
    for wanted in ("away", 200):
        for role in preference:
            if expected[role] == wanted:
                return role
    raise AssertionError(f"nobody may post: {expected}")


def forged_requests(token: str) -> dict[str, tuple[dict, dict]]:
    """Ways a forged POST arrives: (form data, request headers); the CSRF cookie is set for all but the first."""
    other = secrets.token_urlsafe(48)[:64]
    return {
        "no cookie, no token": ({}, {}),
        "cookie, no token": ({}, {}),
        "cookie, wrong token": ({"csrfmiddlewaretoken": other}, {}),
        "cookie, token in the header of another site's request": ({}, {"HTTP_X_CSRFTOKEN": other}),
        "valid token, posted from another site": ({"csrfmiddlewaretoken": token}, {"HTTP_ORIGIN": EVIL.rstrip("/")}),
    }


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_each_action_is_decided_by_its_token(world, caplog, name):
    kwargs_for, data_for, expected = POST_MATRIX[name]
    role = may_post(expected)
    path = reverse(name, kwargs=kwargs_for(world, role) if kwargs_for else None)
    data = data_for(world, role)
    client = csrf_client(world.users[role])
    token = csrf_token(client)
    for forgery, (extra_data, headers) in forged_requests(token).items():
        if forgery == "no cookie, no token":
            client.cookies.pop(settings.CSRF_COOKIE_NAME)
        else:
            client.cookies[settings.CSRF_COOKIE_NAME] = token
        caplog.clear()
        with nothing_written(f"POST {name} as {role}, {forgery}"):
            response = client.post(path, {**data, **extra_data}, **headers)
        assert response.status_code == 403, f"{forgery}: {response.status_code}"
        assert csrf_refusals(caplog, path), forgery
    response = client.post(path, {**data, "csrfmiddlewaretoken": token})
    assert outcome(response) == expected[role], f"POST {name} as {role} with its token"


def admin_pages() -> list[tuple[str, str]]:
    """(model, page) for each add, change and delete page a facilitator may use."""
    pages = []
    for model, rights in sorted(FACILITATOR_ADMIN.items()):
        pages.extend((model, page) for page in ("add", "change", "delete") if rights.get(page) == 200)
    return pages


@pytest.mark.parametrize(("model", "page"), admin_pages())
def test_admin_forms_need_the_token(world, caplog, model, page):
    """Without the token nothing happens; with it, a delete is done and a form reaches its validation."""
    app_label, model_name = model.split(".")
    obj = world.objects[model]
    path = reverse(f"admin:{app_label}_{model_name}_{page}", args=[] if page == "add" else [obj.pk])
    client = csrf_client(world.users["facilitator"], admin=True)
    token = csrf_token(client)
    data = {"post": "yes"} if page == "delete" else {}
    with nothing_written(f"POST {path} without a token"):
        response = client.post(path, data)
    assert response.status_code == 403
    assert csrf_refusals(caplog, path)
    caplog.clear()
    response = client.post(path, {**data, "csrfmiddlewaretoken": token})
    assert not csrf_refusals(caplog, path)
    if page == "delete":
        assert response.status_code == 302
        assert not type(obj).objects.filter(pk=obj.pk).exists()
    elif page == "change" and not may_change(world.users["facilitator"], obj):
        assert response.status_code == 403  # a page to read only: refused by the admin, not by the CSRF check
    else:
        assert response.status_code in (200, 302)  # the form again with what is missing, or saved


def may_change(user, obj) -> bool:
    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[type(obj)].has_change_permission(request, obj)


def api_writes(world) -> list[tuple[str, str, str]]:
    """(URL name, method, path) for every write the API implements, on the matrix world's objects."""
    writes = []
    for name, method in sorted(supported_writes()):
        kwargs_for, _expected = MATRIX[name]
        writes.append((name, method, reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)))
    return writes


def test_api_writes_with_the_session_need_the_token(world):
    """The member of Utrecht, logged in: without the token a 403 problem+json and nothing written;
    with it (in the ``X-CSRFToken`` header, as the API reference page sends it) the request is handled."""
    client = csrf_client(world.users["member"])
    token = csrf_token(client)
    for name, method, path in api_writes(world):
        with nothing_written(f"{method.upper()} {path} without a token"):
            response = getattr(client, method)(path, "{}", content_type="application/json")
        assert response.status_code == 403, (name, method, response.content)
        assert response["Content-Type"].startswith(PROBLEM)
        assert "CSRF" in response.json()["detail"], response.json()
        response = getattr(client, method)(path, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
        assert response.status_code != 403, (name, method, response.content)


def test_api_writes_with_a_key_need_no_token(world):
    """A write key in the header is enough, even from a client that checks CSRF and carries a session."""
    client = csrf_client(world.users["member"])
    key = make_key(world.utrecht)
    response = client.post(
        reverse("api:initiative-publish", kwargs={"slug": world.objects["draft"].slug}),
        "",
        content_type="application/json",
        headers={"X-Api-Key": key},
    )
    assert response.status_code == 200, response.content
    world.objects["draft"].refresh_from_db()
    assert world.objects["draft"].status == "published"
