"""Download my data: a page that says what the file holds, and the file, with the person's data and no secrets."""

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collaboration.services.comment import comment_post
from samenorg.accounts.data_export import user_data_export
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from samenorg.notifications.models import Notification
from tests.factories import (
    ApiKeyFactory,
    FollowFactory,
    InitiativeFactory,
    MembershipFactory,
    MembershipRequestFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _comments_without_a_rate_limit(settings):
    settings.SAMENORG_COMMENT_LIMIT_PER_MINUTE = settings.SAMENORG_COMMENT_LIMIT_PER_HOUR = 100


def _person_with(rows: int, email: str = "anna@gemeente-a.nl"):
    """Someone with ``rows`` of every kind: memberships, requests, follows, comments, notifications, keys."""
    person = UserFactory(name="Anna de Vries", job_title="Adviseur", email=email)
    for number in range(rows):
        organisation = MembershipFactory(user=person, coordinator=number == 0).organisation
        MembershipRequestFactory(user=person, declined=True, decision_reason="Nee.")
        initiative = InitiativeFactory(owner=organisation, published=True, title=f"Initiatief {number} van {email}")
        FollowFactory(user=person, initiative=initiative)
        FollowFactory(user=person, theme=ThemeFactory())
        comment = comment_post(
            actor=Actor(organisation=organisation, user=person), initiative=initiative, body=f"Reactie {number}"
        )
        event = Event.objects.get(comment=comment)
        Notification.objects.get_or_create(
            user=person, event=event, defaults={"reason": "follower", "frequency": "daily"}
        )
        ApiKeyFactory(organisation=organisation, created_by=person, name=f"Zaaksysteem {number}")
        UserSession.objects.create(
            user=person, ip="10.0.0.1", session_key=f"sessie{number}{person.pk}", user_agent="Firefox"
        )
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return person


def test_the_page_says_what_the_file_holds(client):
    client.force_login(UserFactory())

    page = client.get(reverse("accounts:my-data")).content.decode()

    assert "Wat er in het bestand staat" in page
    assert 'action="/account/mijn-gegevens"' in page
    assert "Mijn gegevens downloaden (JSON)" in page


def test_the_download_is_a_dated_json_attachment_with_the_persons_data(client):
    person = _person_with(rows=2)
    client.force_login(person)

    response = client.post(reverse("accounts:my-data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    expected_name = f"samenorg-mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    data = json.loads(response.content)
    profile = data["profile"]
    assert (profile["email"], profile["name"], profile["job_title"]) == (
        "anna@gemeente-a.nl",
        "Anna de Vries",
        "Adviseur",
    )
    assert profile["email_addresses"] == [{"email": "anna@gemeente-a.nl", "verified": True, "primary": True}]
    assert profile["second_factor"] == {"on": True, "kinds": ["totp"]}
    assert len(data["memberships"]) == 2
    assert {row["role"] for row in data["memberships"]} == {"member", "coordinator"}
    assert [row["status"] for row in data["membership_requests"]] == ["declined", "declined"]
    assert {row["kind"] for row in data["follows"]} == {"initiative", "theme"}
    assert sorted(row["text"] for row in data["comments"]) == ["Reactie 0", "Reactie 1"]
    assert {row["subject"] for row in data["notifications"]} == {
        "Initiatief 0 van anna@gemeente-a.nl",
        "Initiatief 1 van anna@gemeente-a.nl",
    }
    assert all(row["read_at"] is None for row in data["notifications"])
    assert sorted(row["name"] for row in data["api_keys"]) == ["Zaaksysteem 0", "Zaaksysteem 1"]
    # The two made above, and the one this download runs in.
    assert sorted(row["ip"] for row in data["sessions"]) == ["10.0.0.1", "10.0.0.1"]


def test_the_download_holds_no_secrets(client):
    person = _person_with(rows=1)
    key = person.memberships.get().organisation.api_keys.get()
    session_key = UserSession.objects.get(user=person).session_key
    client.force_login(person)

    body = client.post(reverse("accounts:my-data")).content.decode()

    for secret in (person.password, key.key_hash, "JBSWY3DPEHPK3PXP", session_key):
        assert secret not in body


def test_someone_else_gets_only_their_own_data(client):
    _person_with(rows=1)
    other = UserFactory(email="bob@gemeente-b.nl")
    client.force_login(other)

    data = json.loads(client.post(reverse("accounts:my-data")).content)

    assert data["profile"]["email"] == "bob@gemeente-b.nl"
    assert data["memberships"] == data["comments"] == data["notifications"] == data["api_keys"] == []


def test_the_export_costs_the_same_queries_for_one_row_or_many():
    few, many = _person_with(rows=1), _person_with(rows=8, email="veel@gemeente-a.nl")

    with CaptureQueriesContext(connection) as one_each:
        user_data_export(few)
    with CaptureQueriesContext(connection) as eight_each:
        user_data_export(many)

    assert len(one_each) == len(eight_each) == 10
