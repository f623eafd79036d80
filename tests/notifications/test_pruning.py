"""Notifications and the digests' bookkeeping are kept for SAMENORG_NOTIFICATION_KEEP_DAYS, then pruned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samenorg.notifications.models import Digest, Notification
from samenorg.notifications.pruning import notifications_prune
from samenorg.notifications.tasks import prune_old_notifications
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _event():
    from samenorg.events.models import Event, EventAudience

    initiative = InitiativeFactory(published=True)
    return Event.objects.create(
        type="initiative.published", organisation=initiative.owner, initiative=initiative, audience=EventAudience.PUBLIC
    )


def _notification(user, days_ago: int) -> Notification:
    notification = Notification.objects.create(user=user, event=_event(), reason="follower", frequency="daily")
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return notification


def _digest(user, days_ago: int) -> Digest:
    end = timezone.now() - timedelta(days=days_ago)
    return Digest.objects.create(
        user=user, frequency="daily", period_start=end - timedelta(days=1), period_end=end, state="sent"
    )


def test_notifications_and_digests_older_than_the_period_go(settings):
    settings.SAMENORG_NOTIFICATION_KEEP_DAYS = 365
    user = UserFactory()
    old, recent = _notification(user, 366), _notification(user, 364)
    old_digest, recent_digest = _digest(user, 366), _digest(user, 364)

    pruned = notifications_prune()

    assert pruned == 1
    assert list(Notification.objects.all()) == [recent]
    assert list(Digest.objects.all()) == [recent_digest]
    assert not Notification.objects.filter(pk=old.pk).exists()
    assert not Digest.objects.filter(pk=old_digest.pk).exists()


def test_moving_time_on_prunes_what_has_become_old():
    user = UserFactory()
    _notification(user, 300)

    assert notifications_prune() == 0
    assert notifications_prune(now=timezone.now() + timedelta(days=70)) == 1
    assert not Notification.objects.exists()


def test_the_task_is_safe_to_run_twice_and_works_in_batches(settings):
    settings.SAMENORG_NOTIFICATION_KEEP_DAYS = 30
    user = UserFactory()
    for _ in range(5):
        _notification(user, 40)
    keep = _notification(user, 1)

    assert notifications_prune(batch_size=2) == 5
    assert prune_old_notifications() == 0
    assert list(Notification.objects.all()) == [keep]
