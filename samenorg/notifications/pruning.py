"""Notifications are kept for ``SAMENORG_NOTIFICATION_KEEP_DAYS`` (the privacy statement says so), and the
digests' bookkeeping for as long. A digest's period starts where the user's previous one ended, or one
period back when there is none, so pruning old digests changes no future digest."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils import timezone

from .models import Digest, Notification

PRUNE_BATCH_SIZE = 5000


def _delete_in_batches(rows: QuerySet[Model], batch_size: int) -> int:
    """Delete ``rows`` a batch at a time (each its own short transaction), oldest id first."""
    deleted = 0
    while ids := list(rows.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        deleted += rows.model._default_manager.filter(pk__in=ids).delete()[0]
    return deleted


def notifications_prune(*, now: datetime | None = None, batch_size: int = PRUNE_BATCH_SIZE) -> int:
    """Delete notifications and digests older than the keeping period; returns how many notifications."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SAMENORG_NOTIFICATION_KEEP_DAYS)
    deleted = _delete_in_batches(Notification.objects.filter(created_at__lt=cutoff), batch_size)
    _delete_in_batches(Digest.objects.filter(period_end__lt=cutoff), batch_size)
    return deleted
