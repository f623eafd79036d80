"""The "notifications" consumer: each event becomes one notification per recipient, in bulk, once."""

import factory
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collaboration.services.participation import participation_request
from initiatives.services.initiative import initiative_update
from samenorg.accounts.models import Frequency, User
from samenorg.events import dispatch
from samenorg.events.models import EventDelivery
from samenorg.notifications import fanout
from samenorg.notifications.fanout import fan_out_event
from samenorg.notifications.models import EmailState, Notification
from samenorg.notifications.recipients import recipients
from tests.factories import FollowFactory, UserFactory

from .fanout_world import follower_of, last_event, member_of, published_initiative

pytestmark = pytest.mark.django_db


def test_the_consumer_is_registered_and_every_event_waits_for_it():
    anna = member_of()
    published_initiative(anna)

    assert "notifications" in dispatch.consumers()
    assert EventDelivery.objects.filter(event=last_event("initiative.published"), consumer="notifications").exists()


def test_a_delivery_writes_a_notification_per_recipient_with_its_reason_and_frequency():
    anna = member_of()
    initiative = published_initiative(anna)
    now = follower_of(initiative, Frequency.IMMEDIATELY)
    later = follower_of(initiative, Frequency.WEEKLY)
    initiative_update(actor=anna, initiative=initiative, summary="Nu per wijk.")
    event = last_event("initiative.updated")

    assert dispatch.deliver(event.pk, "notifications")

    rows = {n.user_id: n for n in Notification.objects.filter(event=event)}
    assert set(rows) == {now.pk, later.pk} == {r.user_id for r in recipients(event)}
    assert (rows[now.pk].reason, rows[now.pk].frequency, rows[now.pk].email_state) == (
        "follower",
        Frequency.IMMEDIATELY,
        EmailState.PENDING,
    )
    assert (rows[later.pk].frequency, rows[later.pk].email_state) == (Frequency.WEEKLY, EmailState.NONE)


def test_a_second_fan_out_of_the_same_event_adds_nobody_twice():
    anna = member_of()
    initiative = published_initiative(anna)
    follower_of(initiative, Frequency.IMMEDIATELY)
    initiative_update(actor=anna, initiative=initiative, summary="Nu per wijk.")
    event = last_event("initiative.updated")

    fan_out_event(event)
    fan_out_event(event)  # a redelivered task, a sweep that raced the first run: the constraint holds

    assert Notification.objects.filter(event=event).count() == 1


def test_role_recipients_who_follow_nothing_get_the_notification_in_the_inbox_only():
    anna = member_of(follow_frequency=Frequency.OFF)
    initiative = published_initiative(anna)
    decider = member_of(anna.organisation, follow_frequency=Frequency.OFF).user
    participation_request(actor=member_of(), initiative=initiative, role="funder", motivation="Wij betalen mee.")
    event = last_event("participation.requested")

    fan_out_event(event)

    notification = Notification.objects.get(event=event, user=decider)
    assert (notification.reason, notification.frequency, notification.email_state) == (
        "initiator",
        Frequency.OFF,
        EmailState.NONE,
    )


def test_an_undeliverable_address_gets_the_notification_but_no_email():
    anna = member_of()
    initiative = published_initiative(anna)
    bounced = follower_of(initiative, Frequency.IMMEDIATELY)
    User.objects.filter(pk=bounced.pk).update(email_undeliverable_at=timezone.now())
    initiative_update(actor=anna, initiative=initiative, summary="Nu per wijk.")

    fan_out_event(last_event("initiative.updated"))

    assert Notification.objects.get(user=bounced).email_state == EmailState.NONE


def followers_fan_out_queries(count: int) -> tuple[int, int]:
    anna = member_of()
    initiative = published_initiative(anna)
    people = UserFactory.create_batch(count, verified=False)
    FollowFactory.create_batch(
        count,
        user=factory.Iterator(people),
        initiative=initiative,
        frequency=Frequency.DAILY,
    )
    initiative_update(actor=anna, initiative=initiative, summary=f"Nu voor {count} volgers.")
    event = last_event("initiative.updated")
    with CaptureQueriesContext(connection) as queries:
        fan_out_event(event)
    return len(queries), Notification.objects.filter(event=event).count()


def test_an_event_with_300_followers_fans_out_in_as_many_queries_as_one_with_3():
    few_queries, few = followers_fan_out_queries(3)
    many_queries, many = followers_fan_out_queries(300)

    assert (few, many) == (3, 300)
    assert many_queries == few_queries <= 3


def test_immediate_emails_go_out_after_commit(django_capture_on_commit_callbacks):
    anna = member_of()
    initiative = published_initiative(anna)
    follower = follower_of(initiative, Frequency.IMMEDIATELY)
    digest_reader = follower_of(initiative, Frequency.DAILY)

    with django_capture_on_commit_callbacks(execute=True):
        initiative_update(actor=anna, initiative=initiative, summary="Nu per wijk.")

    assert [message.to for message in mail.outbox] == [[follower.email]]
    assert Notification.objects.get(user=follower).email_state == EmailState.SENT
    assert Notification.objects.get(user=digest_reader).email_state == EmailState.NONE


def test_the_email_tasks_take_batches_of_notification_ids(monkeypatch):
    published = []
    monkeypatch.setattr(fanout, "publish_on_commit", lambda task, *args: published.append((task.name, args)))
    anna = member_of()
    initiative = published_initiative(anna)
    for _ in range(fanout.EMAIL_TASK_BATCH + 5):
        follower_of(initiative, Frequency.IMMEDIATELY)
    initiative_update(actor=anna, initiative=initiative, summary="Nu per wijk.")
    event = last_event("initiative.updated")

    fanout.fan_out_event(event)

    pending = list(Notification.objects.filter(event=event).order_by("pk").values_list("pk", flat=True))
    task = "samenorg.notifications.tasks.send_notification_emails"
    assert published == [
        (task, (pending[: fanout.EMAIL_TASK_BATCH],)),
        (task, (pending[fanout.EMAIL_TASK_BATCH :],)),
    ]
