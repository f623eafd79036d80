"""The spine after commit: feed positions in commit order, and each event handed to each consumer
exactly once, whatever fails in between."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from samenorg.core.actors import Actor
from samenorg.events import dispatch
from samenorg.events.models import Event, EventAudience, EventDelivery
from samenorg.events.services import event_record
from tests.events.late_commit import event_committed_late
from tests.factories import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(monkeypatch):
    """A consumer that remembers what it saw (and fails while ``handled.failing`` is set)."""

    class Recorder(list):
        failing = False

        def __call__(self, event):
            if self.failing:
                raise RuntimeError("the consumer's service is down")
            self.append(event.pk)

    recorder = Recorder()
    monkeypatch.setattr(dispatch, "HANDLERS", {"test": recorder})
    return recorder


@pytest.fixture
def actor():
    membership = MembershipFactory()
    return Actor(organisation=membership.organisation, user=membership.user)


def record(actor, initiative=None):
    with transaction.atomic():
        return event_record(
            event_type="initiative.updated",
            actor=actor,
            audience=EventAudience.PUBLIC,
            payload={},
            initiative=initiative or InitiativeFactory(owner=actor.organisation),
        )


def test_recording_writes_a_pending_delivery_per_consumer_and_dispatches_after_commit(
    handled, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = record(actor)
    assert list(EventDelivery.objects.filter(event=event).values_list("consumer", "delivered_at")) == [("test", None)]
    assert handled == []

    for callback in callbacks:
        callback()  # the publish; Celery runs eagerly in tests

    assert handled == [event.pk]
    assert EventDelivery.objects.get(event=event).delivered_at is not None
    assert Event.objects.get(pk=event.pk).position is not None


def test_a_second_dispatch_of_the_same_event_handles_nothing(handled, actor):
    event = record(actor)
    dispatch.dispatch(event.pk)
    dispatch.dispatch(event.pk)

    assert handled == [event.pk]


def test_a_failing_consumer_leaves_the_delivery_pending_and_the_sweep_delivers_it_later(handled, actor):
    event = record(actor)
    handled.failing = True
    dispatch.dispatch(event.pk)
    delivery = EventDelivery.objects.get(event=event)
    assert (delivery.delivered_at, delivery.attempts) == (None, 1)
    assert "the consumer's service is down" in delivery.last_error

    handled.failing = False
    assert dispatch.sweep() == 0  # too young: its own task may still be on its way
    Event.objects.filter(pk=event.pk).update(occurred_at=timezone.now() - timedelta(minutes=2))
    assert dispatch.sweep() == 1

    assert handled == [event.pk]
    assert EventDelivery.objects.get(event=event).delivered_at is not None


def test_a_delivery_that_failed_too_often_waits_for_a_person(handled, actor, caplog):
    event = record(actor)
    Event.objects.filter(pk=event.pk).update(occurred_at=timezone.now() - timedelta(minutes=2))
    EventDelivery.objects.filter(event=event).update(attempts=dispatch.MAX_ATTEMPTS)

    assert dispatch.sweep() == 0
    assert handled == []
    assert "wait for a person" in caplog.text


def test_positions_follow_the_ids_and_are_given_once(handled, actor):
    initiative = InitiativeFactory(owner=actor.organisation)
    events = [record(actor, initiative) for _ in range(3)]

    assert dispatch.assign_positions() == 3
    assert dispatch.assign_positions() == 0
    rows = Event.objects.filter(pk__in=[event.pk for event in events]).order_by("pk")
    positions = list(rows.values_list("position", flat=True))
    assert positions == sorted(positions)
    assert len(set(positions)) == 3


@pytest.mark.django_db(transaction=True)
def test_an_event_committed_late_gets_a_position_after_those_already_numbered(handled, actor):
    """A reader resuming after the last position it saw must not miss an event that committed later
    than a newer one: the late one is numbered when it commits, after the others."""
    initiative = InitiativeFactory(owner=actor.organisation)
    with event_committed_late(actor, initiative) as late:
        early = record(actor, initiative)  # a higher id, committed first
        dispatch.assign_positions()
        seen = Event.objects.get(pk=early.pk).position
    dispatch.assign_positions()

    assert late["event"].pk < early.pk
    assert Event.objects.get(pk=late["event"].pk).position > seen
