"""Who may see which event: the rule behind the feeds, the API, webhooks and notifications."""

import pytest
from django.contrib.auth.models import AnonymousUser

from collaboration.services.participation import participation_decide, participation_request
from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.events.models import Event
from tests.factories import UserFactory, member_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def utrecht():
    return member_actor("Utrecht")


@pytest.fixture
def zwolle():
    return member_actor("Zwolle")


@pytest.fixture
def story(utrecht, zwolle):
    """Utrecht drafts an initiative, publishes another, Zwolle asks to join the published one."""
    draft = initiative_create(actor=utrecht, title="Concept", summary="Nog niet af.")
    published = initiative_publish(
        actor=utrecht, initiative=initiative_create(actor=utrecht, title="Wijkdashboard", summary="Cijfers.")
    )
    request = participation_request(actor=zwolle, initiative=published, role="funder", motivation="Wij betalen mee.")
    return {"draft": draft, "published": published, "request": request}


def types(events):
    return sorted(events.values_list("type", flat=True))


def test_an_anonymous_visitor_sees_the_public_events_of_public_subjects(story):
    visible = Event.objects.visible_to(AnonymousUser())

    assert types(visible) == ["initiative.published"]


def test_the_owner_sees_its_draft_and_the_join_request(story, utrecht):
    visible = Event.objects.visible_to(utrecht.user)

    assert visible.filter(initiative=story["draft"]).exists()
    assert visible.filter(participation=story["request"], type="participation.requested").exists()


def test_the_requesting_organisation_sees_its_request_but_not_the_owners_draft(story, zwolle):
    visible = Event.objects.visible_to(zwolle.user)

    assert visible.filter(participation=story["request"]).exists()
    assert not visible.filter(initiative=story["draft"]).exists()


def test_a_third_organisation_sees_the_request_only_once_it_is_accepted(story, utrecht):
    outsider = member_actor("Deventer").user
    assert not Event.objects.visible_to(outsider).filter(participation=story["request"]).exists()

    participation_decide(actor=utrecht, participation=story["request"], accept=True)

    visible = Event.objects.visible_to(outsider).filter(participation=story["request"])
    assert types(visible) == ["participation.accepted"]


def test_a_partner_system_sees_what_a_member_of_its_organisation_sees(story, utrecht, zwolle):
    for actor in (utrecht, zwolle):
        by_key = set(Event.objects.visible_to_organisation(actor.organisation).values_list("pk", flat=True))
        by_member = set(Event.objects.visible_to(actor.user).values_list("pk", flat=True))
        assert by_key == by_member


def test_a_user_without_organisation_sees_only_public_events(story):
    assert types(Event.objects.visible_to(UserFactory())) == ["initiative.published"]


def test_a_facilitator_sees_every_event(story):
    facilitator = UserFactory(facilitator=True)

    assert Event.objects.visible_to(facilitator).count() == Event.objects.count()


def test_the_asking_organisation_sees_that_its_request_was_declined(story, utrecht, zwolle):
    participation_decide(actor=utrecht, participation=story["request"], accept=False, reason="Geen budget meer.")

    visible = Event.objects.visible_to(zwolle.user).filter(participation=story["request"])
    assert types(visible) == ["participation.declined", "participation.requested"]
    assert not Event.objects.visible_to(member_actor("Deventer").user).filter(participation=story["request"]).exists()
