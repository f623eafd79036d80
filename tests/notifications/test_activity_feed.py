"""The activity feed on an initiative's and a standard's page: what happened there, newest first, as far as
the reader may see it, a page of ten at a time for a fixed number of queries."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samenorg.core.actors import moderator_actor
from samenorg.events.models import Event
from samenorg.notifications.selectors import activity_page, initiative_activity, standard_activity
from standards.services.adoption import adoption_record
from standards.services.standard import standard_release_version
from tests.factories import MembershipFactory, StandardFactory, UserFactory

pytestmark = pytest.mark.django_db


def feed(html: str) -> list[str]:
    """The feed's items as a person reads them."""
    section = html[html.index('id="activiteit"') :]
    section = section[: section.index("</section>")]
    items = re.findall(r'<li class="samenorg-activity__item">(.*?)</li>', section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def types(events) -> list[str]:
    return [event.type for event in events]


def test_the_initiative_page_shows_what_happened_newest_first(client, story, zwolle):
    client.force_login(zwolle.user)

    items = feed(client.get(story["published"].get_absolute_url()).content.decode())

    assert types(initiative_activity(zwolle.user, story["published"])) == [
        "participation.requested",
        "initiative.published",
    ]
    assert len(items) == 2
    assert "Gemeente Zwolle" in items[0]  # who asks to take part
    assert "Gemeente Utrecht" in items[1]  # who published it


def test_a_join_request_is_shown_to_the_initiator_and_not_to_an_outsider_or_a_visitor(client, story, utrecht):
    outsider = MembershipFactory().user
    initiative = story["published"]

    assert "participation.requested" in types(initiative_activity(utrecht.user, initiative))
    assert types(initiative_activity(outsider, initiative)) == ["initiative.published"]
    assert types(initiative_activity(AnonymousUser(), initiative)) == ["initiative.published"]

    client.force_login(outsider)
    assert not any("Zwolle" in item for item in feed(client.get(initiative.get_absolute_url()).content.decode()))


def test_a_drafts_events_are_shown_to_its_editors_and_not_to_a_visitor(client, story, utrecht):
    draft = story["draft"]

    assert not initiative_activity(AnonymousUser(), draft).exists()
    assert client.get(draft.get_absolute_url()).status_code == 404
    # Once published, a visitor sees the publication, not what happened while it was a draft.
    assert "initiative.created" not in types(initiative_activity(AnonymousUser(), story["published"]))

    client.force_login(utrecht.user)
    assert len(feed(client.get(draft.get_absolute_url()).content.decode())) == 1


@pytest.fixture
def standard(utrecht):
    facilitator = UserFactory(facilitator=True)
    MembershipFactory(user=facilitator)
    standard = StandardFactory(name="Open raadsinformatie")
    version = standard_release_version(
        actor=moderator_actor(facilitator),
        standard=standard,
        number="1.0.0",
        changelog="Eerste.",
        released_on=timezone.localdate(),
    )
    adoption_record(actor=utrecht, standard=standard, status="in_use", since=timezone.localdate(), version=version)
    return standard


def test_the_standard_page_shows_its_versions_and_adoptions_to_everyone(client, standard):
    assert types(standard_activity(AnonymousUser(), standard)) == ["adoption.changed", "standard.version_released"]

    items = feed(client.get(standard.get_absolute_url()).content.decode())

    assert len(items) == 2
    assert "Gemeente Utrecht" in items[0]
    assert "1.0.0" in items[1]


def milestones(initiative, organisation, count):
    Event.objects.bulk_create(
        Event(
            type="milestone.achieved",
            organisation=organisation,
            initiative=initiative,
            audience="public",
            payload={"title": f"Stap {number}"},
        )
        for number in range(count)
    )


def test_the_feed_pages_by_ten_with_its_own_page_parameter(client, story, utrecht):
    initiative = story["published"]
    milestones(initiative, utrecht.organisation, 25)  # 26 a visitor may see, with the publication

    first = client.get(initiative.get_absolute_url()).content.decode()
    last = client.get(initiative.get_absolute_url(), {"activiteit": 3, "reacties": 1}).content.decode()

    assert len(feed(first)) == 10
    assert "?activiteit=2#activiteit" in first
    assert len(feed(last)) == 6
    assert "activiteit=2&amp;reacties=1#activiteit" in last  # the other page parameters stay


@pytest.mark.parametrize("reader", ["anonymous", "outsider", "facilitator"])
def test_a_feed_page_costs_two_queries_however_much_happened(story, utrecht, reader, django_assert_num_queries):
    user = {
        "anonymous": AnonymousUser(),
        "outsider": MembershipFactory().user,
        "facilitator": UserFactory(facilitator=True),
    }[reader]
    initiative = story["published"]
    request = RequestFactory().get("/")
    bool(user.is_authenticated and user.is_facilitator)  # asked once per request, by the page's other parts too
    for count in (0, 40):
        milestones(initiative, utrecht.organisation, count)
        with django_assert_num_queries(2):  # the count and the page's rows, described
            context = activity_page(request, initiative_activity(user, initiative))
            [entry.description.text for entry in context["activity"]]


def test_the_standard_page_costs_the_same_queries_with_two_or_forty_events(client, standard, utrecht):
    client.force_login(utrecht.user)
    client.get(standard.get_absolute_url())  # the adoption map is built and cached on the first visit
    counts = []
    for extra in (0, 40):
        Event.objects.bulk_create(
            Event(type="standard.updated", organisation=utrecht.organisation, standard=standard, audience="public")
            for _ in range(extra)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(standard.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
