"""Celery task of the digests. Beat starts a run at 07:00 (daily) and Monday 07:00 (weekly), Europe/Amsterdam;
a run that outgrows its time slice publishes its own continuation, so no task nears the time limit and none
waits on a countdown (the broker's visibility timeout stays out of play). The lead imports this module from
``samenorg/notifications/tasks.py`` so the worker registers it."""

import time
from dataclasses import asdict
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from samenorg.core.queue import publish

from .digests import BATCH_SIZE, digests_send, parse_moment, period_end_for

# A fan-out stamps a notification's created_at before it commits: one stamped 06:59:59 may commit just after
# 07:00. The run for 07:00 waits this long past the period's end, so it sees every row of its period.
SETTLE = timedelta(minutes=1)
SLICE = 0.5  # of the soft time limit: a run stops at the first batch boundary past it, and continues


@shared_task(name="samenorg.notifications.digest_tasks.send_digests")
def send_digests(
    frequency: str, at: str | None = None, after_user_id: int = 0, batch_size: int = BATCH_SIZE
) -> dict[str, int | None]:
    """The ``frequency`` ("daily" or "weekly") digests of the latest period ending at or before ``at`` (an
    ISO 8601 date-time; default: now), for the people after user id ``after_user_id``."""
    started = time.monotonic()
    period_end = period_end_for(frequency, parse_moment(at) if at else timezone.now())
    settle = (period_end + SETTLE - timezone.now()).total_seconds()
    if settle > 0:
        time.sleep(settle)
    run = digests_send(
        frequency=frequency,
        period_end=period_end,
        after_user_id=after_user_id,
        batch_size=batch_size,
        deadline=started + settings.CELERY_TASK_SOFT_TIME_LIMIT * SLICE,
    )
    if run.resume_after is not None:
        publish(send_digests, frequency, period_end.isoformat(), run.resume_after, batch_size)
    return asdict(run)
