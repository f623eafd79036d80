"""Open redirects: no answer of the site sends the browser to another site, whatever ``next``,
``redirect_to`` or ``Referer`` says; a local ``next`` is followed.

The pages that read ``next`` are tested one by one with each payload and with a successful action
(a login, a sign-up confirmed by e-mail, a logout, a language switch, a re-authentication, a follow,
the admin's login and logout). Then every URL of the permission matrix is requested with the payloads
in ``next``, ``redirect_to`` and the ``Referer``, so a page added later that reads one of them is
checked too.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, ThemeFactory, UserFactory
from tests.second_factor import log_in_with_second_factor
from tests.security.support import is_admin, matrix_paths
from tests.test_permission_matrix import POST_MATRIX, ROLES

PAYLOADS = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    " https://evil.example",
    "http://testserver@evil.example/",
    "https://testserver.evil.example/",
]
SAFE_NEXT = "/initiatieven?thema=dienstverlening"
SITE = "testserver"


def leaves_the_site(location: str) -> bool:
    """Whether a browser that follows ``location`` leaves the site (or runs script).

    As browsers do: leading and trailing spaces and control characters are dropped, tabs and newlines
    removed anywhere, and a backslash read as a slash."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f ")
    parts = urlsplit(cleaned.replace("\\", "/"))
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        return True
    return parts.netloc not in ("", SITE)


@pytest.mark.parametrize(
    "location",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "https:evil.example", "javascript:x", "/\t/e.x"],
)
def test_the_check_sees_each_way_out(location):
    assert leaves_the_site(location)


@pytest.mark.parametrize("location", ["/", SAFE_NEXT, "http://testserver/x", "%2F%2Fevil.example", "/a//b"])
def test_the_check_lets_local_locations_be(location):
    assert not leaves_the_site(location)


def assert_stays(response, what: str) -> None:
    assert response.status_code in (301, 302, 303), f"{what}: {response.status_code}, no redirect to check"
    assert not leaves_the_site(response["Location"]), f"{what} sends the browser to {response['Location']!r}"


@pytest.fixture
def person(db):
    return UserFactory(email="lotte@utrecht.nl")


def log_in(client: Client, next_url: str):
    return client.post(reverse("account_login"), {"login": "lotte@utrecht.nl", "password": PASSWORD, "next": next_url})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_next(client, person, payload):
    assert_stays(log_in(client, payload), f"log in with next={payload!r}")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert_stays(client.get(reverse("account_login"), {"next": payload}), "the login page when logged in")
    assert_stays(client.get(reverse("account_signup"), {"next": payload}), "the sign-up page when logged in")


def test_login_follows_a_local_next(client, person):
    assert log_in(client, SAFE_NEXT)["Location"] == SAFE_NEXT


def sign_up_and_confirm(client: Client, next_url: str) -> list:
    """Sign up with ``next``, then confirm the address by the e-mail's link: both redirects."""
    signed_up = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@utrecht.nl",
            "name": "Anna de Vries",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": next_url,
        },
    )
    link = re.search(r"http://testserver(/account/bevestig-e-mail/\S+)", mail.outbox[-1].body).group(1)
    return [signed_up, client.post(link)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_signup_next_until_the_address_is_confirmed(client, db, payload):
    for step, response in zip(("sign-up", "confirmation"), sign_up_and_confirm(client, payload), strict=True):
        assert_stays(response, f"{step} with next={payload!r}")


def test_signup_follows_a_local_next_after_the_confirmation(client, db):
    _signed_up, confirmed = sign_up_and_confirm(client, "/initiatieven")
    assert confirmed["Location"] == "/initiatieven"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_logout_next(client, person, payload):
    client.force_login(person)
    assert_stays(client.post(reverse("account_logout"), {"next": payload}), f"log out with next={payload!r}")
    assert "_auth_user_id" not in client.session


def test_logout_follows_a_local_next(client, person):
    client.force_login(person)
    assert client.post(reverse("account_logout"), {"next": SAFE_NEXT})["Location"] == SAFE_NEXT


@pytest.mark.parametrize("payload", PAYLOADS)
def test_language_switch_next_and_referer(client, db, payload):
    url = reverse("set_language")
    assert_stays(client.post(url, {"language": "en", "next": payload}), f"language with next={payload!r}")
    assert_stays(client.post(url, {"language": "nl"}, HTTP_REFERER=payload), f"language with Referer {payload!r}")
    assert_stays(client.get(url, {"next": payload}), f"GET language with next={payload!r}")


def test_language_switch_follows_a_local_next(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": SAFE_NEXT})
    assert response["Location"] == SAFE_NEXT


@pytest.mark.parametrize("payload", PAYLOADS)
def test_reauthenticate_next(client, person, payload):
    client.force_login(person)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": payload})
    assert_stays(response, f"re-authenticate with next={payload!r}")


def test_reauthenticate_follows_a_local_next(client, person):
    client.force_login(person)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": SAFE_NEXT})
    assert response["Location"] == SAFE_NEXT


@pytest.mark.parametrize("payload", PAYLOADS)
def test_follow_next(client, person, payload):
    client.force_login(person)
    url = reverse("collaboration:follow-theme", kwargs={"slug": ThemeFactory().slug})
    assert_stays(client.post(url, {"action": "follow", "next": payload}), f"follow with next={payload!r}")


def test_follow_follows_a_local_next(client, person):
    client.force_login(person)
    url = reverse("collaboration:follow-theme", kwargs={"slug": ThemeFactory().slug})
    assert client.post(url, {"action": "follow", "next": SAFE_NEXT})["Location"] == SAFE_NEXT


@pytest.mark.parametrize("payload", PAYLOADS)
def test_admin_login_and_logout_next(client, db, payload):
    """The admin's login sends a logged-in facilitator to the admin; its logout shows a page or goes home."""
    log_in_with_second_factor(client, UserFactory(facilitator=True))
    assert_stays(client.get(reverse("admin:login"), {"next": payload}), f"admin login with next={payload!r}")
    logged_out = client.post(reverse("admin:logout"), {"next": payload})
    assert logged_out.status_code == 200 or not leaves_the_site(logged_out["Location"]), payload
    assert "_auth_user_id" not in client.session


# One request per URL, each parameter with another payload: a page that reads one of them is found;
# the payloads' variety is the business of the tests above, of the views known to read ``next``.
SWEEP_DATA = {"next": "https://evil.example/", "redirect_to": "//evil.example"}
SWEEP_HEADERS = {"HTTP_REFERER": "/\\evil.example"}


def sweep_client(world, name: str, role: str) -> Client:
    client = Client()
    if is_admin(name) and role != "anonymous":
        log_in_with_second_factor(client, world.users["facilitator"])
    elif world.users[role] is not None:
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_no_page_redirects_away_by_get(world, role):
    escapes = {}
    for name, path in matrix_paths(world).items():
        response = sweep_client(world, name, role).get(path, SWEEP_DATA, **SWEEP_HEADERS)
        if response.status_code in (301, 302, 303) and leaves_the_site(response["Location"]):
            escapes[name] = response["Location"]
    assert not escapes, f"pages that send the browser away: {escapes}"


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_no_form_redirects_away_by_post(world, role):
    """Every URL posted to (a fresh session each time, since one of them logs out)."""
    escapes = {}
    for name, path in matrix_paths(world).items():
        response = sweep_client(world, name, role).post(path, SWEEP_DATA, **SWEEP_HEADERS)
        if response.status_code in (301, 302, 303) and leaves_the_site(response["Location"]):
            escapes[name] = response["Location"]
    assert not escapes, f"forms that send the browser away: {escapes}"


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_no_action_redirects_away_when_it_succeeds(world, name):
    """Each action done by each role (most succeed), with the payloads added to its form and as the Referer."""
    kwargs_for, data_for, _expected = POST_MATRIX[name]
    escapes = {}
    for role in ROLES:
        path = reverse(name, kwargs=kwargs_for(world, role) if kwargs_for else None)
        response = sweep_client(world, name, role).post(path, {**data_for(world, role), **SWEEP_DATA}, **SWEEP_HEADERS)
        if response.status_code in (301, 302, 303) and leaves_the_site(response["Location"]):
            escapes[role] = response["Location"]
    assert not escapes, f"POST {name} sends the browser away: {escapes}"
