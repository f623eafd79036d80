"""E-mail addresses are shown only to those who need them: the person themself, the coordinators deciding on
their request to join, and the facilitators in the admin. Public and member pages, feeds and the API never
show a user's address (every user here has a unique marker address, searched for in every response)."""

import secrets

import pytest
from django.urls import reverse

from collaboration.services.comment import comment_post
from collaboration.services.participation import participation_request
from samenorg.core.actors import Actor
from tests.factories import (
    ApiKeyFactory,
    InitiativeFactory,
    MembershipFactory,
    MembershipRequestFactory,
    MunicipalOrganisationFactory,
    UserFactory,
)
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db

MARKER = "mailmarker"


def _person(role: str, **membership) -> object:
    user = UserFactory(email=f"{role}.{MARKER}@example.org", name=f"Persoon {role}")
    if membership:
        MembershipFactory(user=user, **membership)
    return user


@pytest.fixture
def world():
    """A municipality whose coordinator and member are active: an initiative, a comment, a request to take
    part, a request to join; the initiative's contact address is not a user's (it is published on purpose)."""
    town = MunicipalOrganisationFactory(name="Gemeente Markerdam")
    coordinator = _person("coordinator", organisation=town, coordinator=True)
    author = _person("author", organisation=town)
    outsider_town = MunicipalOrganisationFactory()
    asker = _person("asker", organisation=outsider_town)
    initiative = InitiativeFactory(owner=town, published=True, contact_name="Loket", contact_email="loket@markerdam.nl")
    comment_post(actor=Actor(organisation=town, user=author), initiative=initiative, body="Wij doen dit al.")
    participation_request(
        actor=Actor(organisation=outsider_town, user=asker),
        initiative=initiative,
        role="participant",
        motivation="Graag.",
    )
    applicant = _person("applicant")
    join_request = MembershipRequestFactory(user=applicant, organisation=town)
    return {
        "town": town,
        "coordinator": coordinator,
        "author": author,
        "asker": asker,
        "applicant": applicant,
        "join_request": join_request,
        "initiative": initiative,
        "reader": _person("reader", organisation=MunicipalOrganisationFactory()),
    }


def _public_and_member_pages(world) -> list[str]:
    initiative, town = world["initiative"], world["town"]
    return [
        reverse("home"),
        initiative.get_absolute_url(),
        reverse("initiatives:list"),
        town.get_absolute_url(),
        reverse("municipalities:organisation-list"),
        reverse("municipalities:list"),
    ]


def _api_paths(world) -> list[str]:
    initiative, town = world["initiative"], world["town"]
    return [
        "/api/v1/initiatives",
        f"/api/v1/initiatives/{initiative.slug}",
        f"/api/v1/initiatives/{initiative.slug}/comments",
        f"/api/v1/initiatives/{initiative.slug}/participations",
        f"/api/v1/organisations/{town.slug}",
        "/api/v1/organisations",
        "/api/v1/events",
    ]


def test_visitors_and_members_see_no_users_address_on_pages(client, world):
    viewers = [None, world["reader"], world["asker"], world["author"], world["coordinator"]]
    for viewer in viewers:
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        for path in _public_and_member_pages(world):
            response = client.get(path)
            assert response.status_code == 200, path
            body = response.content.decode()
            own = viewer.email if viewer is not None else None
            shown = [part for part in body.split() if MARKER in part and (own is None or own not in part)]
            assert shown == [], (viewer, path)


def test_the_coordinators_overview_names_the_applicant_without_their_address(client, world):
    client.force_login(world["coordinator"])

    overview = client.get(reverse("accounts:overview")).content.decode()

    assert "Persoon applicant" in overview
    assert world["applicant"].email not in overview


def test_the_comment_names_its_author_but_not_their_address(client, world):
    client.force_login(world["reader"])

    page = client.get(world["initiative"].get_absolute_url()).content.decode()

    assert "Persoon author" in page
    assert MARKER not in page


def test_the_initiatives_contact_address_is_for_logged_in_visitors_only(client, world):
    initiative = world["initiative"]

    anonymous = client.get(initiative.get_absolute_url()).content.decode()
    client.force_login(world["reader"])
    logged_in = client.get(initiative.get_absolute_url()).content.decode()

    assert "loket@markerdam.nl" not in anonymous
    assert "loket@markerdam.nl" in logged_in


def test_the_api_shows_no_users_address_with_or_without_a_key(client, world):
    secret = f"sok_{secrets.token_urlsafe(32)}"
    ApiKeyFactory(key=secret, organisation=world["town"], created_by=world["coordinator"])
    for headers in ({}, {"X-Api-Key": secret}):
        for path in _api_paths(world):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.content[:300])
            assert MARKER not in response.content.decode(), (path, headers)


def test_the_person_sees_their_own_address(client, world):
    client.force_login(world["author"])

    profile = client.get(reverse("accounts:profile")).content.decode()

    assert world["author"].email in profile


def test_the_coordinator_deciding_a_request_to_join_sees_the_applicants_address(client, world):
    request = world["join_request"]
    client.force_login(world["coordinator"])

    page = client.get(reverse("accounts:membership-decide", kwargs={"pk": request.pk})).content.decode()
    client.force_login(world["author"])
    as_member = client.get(reverse("accounts:membership-decide", kwargs={"pk": request.pk}))

    assert world["applicant"].email in page
    assert as_member.status_code == 404


def test_facilitators_see_addresses_in_the_admin(client, world):
    facilitator = UserFactory(facilitator=True)
    log_in_with_second_factor(client, facilitator)

    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()

    assert world["author"].email in users
