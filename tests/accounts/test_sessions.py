"""Where a person is logged in (allauth.usersessions): they see each session, and end one or all others.
An ended session is gone: the browser that used it is logged out at its next request."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from samenorg.accounts.middleware import SEEN_AT_SESSION_KEY, SEEN_INTERVAL
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"


def browser(user, user_agent: str, address: str) -> Client:
    """A browser in which ``user`` logged in through the login form."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("accounts:overview")).status_code == 200


def session_of(client: Client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


def test_the_sessions_page_lists_each_browser_and_marks_this_one():
    user = UserFactory()
    laptop = browser(user, LAPTOP, "192.0.2.10")
    browser(user, PHONE, "198.51.100.7")

    response = laptop.get(reverse("usersessions_list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert LAPTOP in page
    assert PHONE in page
    assert "198.51.100.7" in page
    assert page.count(gettext("This session")) == 1
    current = page.split(f'id="session-{session_of(laptop).pk}"')[1].split("</tr>")[0]
    assert gettext("This session") in current


def test_ending_a_session_logs_that_browser_out_and_keeps_this_one():
    user = UserFactory()
    laptop = browser(user, LAPTOP, "192.0.2.10")
    phone = browser(user, PHONE, "198.51.100.7")
    phone_session = session_of(phone)

    response = laptop.post(reverse("accounts:session-end", kwargs={"pk": phone_session.pk}))

    assert response.status_code == 302
    assert response.url == reverse("usersessions_list")
    assert not is_logged_in(phone), "the phone's next request finds no session"
    assert is_logged_in(laptop)
    assert not UserSession.objects.filter(pk=phone_session.pk).exists()


def test_ending_all_other_sessions_logs_them_all_out():
    user = UserFactory()
    laptop = browser(user, LAPTOP, "192.0.2.10")
    phone = browser(user, PHONE, "198.51.100.7")
    tablet = browser(user, PHONE, "203.0.113.5")

    response = laptop.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert not is_logged_in(phone)
    assert not is_logged_in(tablet)
    assert is_logged_in(laptop)
    assert list(UserSession.objects.filter(user=user)) == [session_of(laptop)]


def test_nobody_ends_someone_elses_session():
    owner = UserFactory()
    owners_browser = browser(owner, PHONE, "198.51.100.7")
    intruder = browser(UserFactory(), LAPTOP, "192.0.2.10")

    response = intruder.post(reverse("accounts:session-end", kwargs={"pk": session_of(owners_browser).pk}))

    assert response.status_code == 404
    assert is_logged_in(owners_browser)


def test_this_session_is_ended_by_logging_out_not_by_the_end_button():
    user = UserFactory()
    laptop = browser(user, LAPTOP, "192.0.2.10")

    response = laptop.post(reverse("accounts:session-end", kwargs={"pk": session_of(laptop).pk}))

    assert response.status_code == 404
    assert is_logged_in(laptop)


def test_a_session_is_ended_by_post_only():
    user = UserFactory()
    laptop = browser(user, LAPTOP, "192.0.2.10")
    phone = browser(user, PHONE, "198.51.100.7")

    response = laptop.get(reverse("accounts:session-end", kwargs={"pk": session_of(phone).pk}))

    assert response.status_code == 405
    assert is_logged_in(phone)


def test_where_a_session_was_last_seen_is_written_now_and_then_not_on_every_page():
    user = UserFactory()
    laptop = browser(user, LAPTOP, "192.0.2.10")
    seen_at_login = session_of(laptop).last_seen_at

    laptop.get(reverse("accounts:overview"), REMOTE_ADDR="192.0.2.99")
    assert (session_of(laptop).last_seen_at, session_of(laptop).ip) == (seen_at_login, "192.0.2.10")

    session = laptop.session
    session[SEEN_AT_SESSION_KEY] -= SEEN_INTERVAL
    session.save()
    laptop.get(reverse("accounts:overview"), REMOTE_ADDR="192.0.2.99")

    assert session_of(laptop).last_seen_at > seen_at_login
    assert session_of(laptop).ip == "192.0.2.99"


def test_the_sessions_page_is_for_logged_in_people(client):
    response = client.get(reverse("usersessions_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
