"""The events feed: ordered by position, resumable after the last position seen, and complete even when
an event commits later than a newer one (a slow concurrent transaction)."""

import pytest
from django.db import transaction

from samenorg.core.actors import Actor
from samenorg.events.dispatch import assign_positions
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record
from tests.api.conftest import Api, make_key
from tests.events.late_commit import event_committed_late
from tests.factories import InitiativeFactory, MembershipFactory, MunicipalOrganisationFactory


def _record(actor: Actor, initiative, kind: str = "initiative.updated"):
    with transaction.atomic():
        return event_record(
            event_type=kind, actor=actor, audience=EventAudience.PUBLIC, payload={"my_field": 1}, initiative=initiative
        )


def _types_after(api: Api, after: int, **params) -> tuple[list[dict], str | None]:
    body = api.get("/api/v1/events", after=after, **params).json()
    return body["results"], body["next"]


@pytest.mark.django_db
def test_the_feed_resumes_after_the_last_position_and_filters_by_type_and_subject(world):
    actor = Actor(organisation=world.utrecht, user=world.member)
    published = world.initiatives["published"]
    archived = world.initiatives["archived"]
    for initiative in (published, archived, published):
        _record(actor, initiative)
    _record(actor, published, "initiative.archived")
    assign_positions()
    api = world.api()
    first, following = _types_after(api, 0, pageSize=2)
    assert len(first) == 2
    assert f"after={first[-1]['position']}" in following
    rest = api.client.get(following).json()["results"]
    assert [event["position"] for event in first + rest] == sorted(event["position"] for event in first + rest)
    assert len(first + rest) == 4
    assert first[0]["payload"] == {"myField": 1}  # payload keys in lowerCamelCase too
    only_archived, _ = _types_after(api, 0, type="initiative.archived")
    assert [event["type"] for event in only_archived] == ["initiative.archived"]
    about, _ = _types_after(api, 0, initiative=archived.slug)
    assert [event["initiative"] for event in about] == [archived.slug]
    caught_up = api.get("/api/v1/events", after=rest[-1]["position"]).json()
    assert caught_up == {"results": [], "next": None}


@pytest.mark.django_db
def test_events_without_a_position_are_not_in_the_feed_yet(world):
    _record(Actor(organisation=world.utrecht, user=world.member), world.initiatives["published"])
    assert world.api().get("/api/v1/events").json()["results"] == []
    assign_positions()
    assert len(world.api().get("/api/v1/events").json()["results"]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_reader_resuming_after_its_last_position_gets_an_event_that_committed_late():
    organisation = MunicipalOrganisationFactory()
    actor = Actor(organisation=organisation, user=MembershipFactory(organisation=organisation).user)
    initiative = InitiativeFactory(owner=organisation, published=True)
    api = Api(make_key(organisation))
    with event_committed_late(actor, initiative) as late:
        early = _record(actor, initiative, "initiative.archived")  # a higher id, committed first
        assign_positions()
        seen, _ = _types_after(api, 0)
        assert [event["type"] for event in seen] == ["initiative.archived"]
    assign_positions()

    resumed, _ = _types_after(api, seen[-1]["position"])
    assert late["event"].pk < early.pk
    assert [event["type"] for event in resumed] == ["initiative.updated"]
