"""After commit: give each event its feed position and hand it to every consumer, exactly once each.

Consumers (notifications, webhooks) register a handler at start-up (``register``, from their
``AppConfig.ready``). ``event_record`` writes a pending ``EventDelivery`` per registered consumer in the
transaction of the change and publishes ``dispatch_event`` after commit; a periodic ``sweep`` does the
same for whatever is still pending a minute later (the broker was down, a worker was killed). So nothing
is lost, and nothing is handled twice: a handler runs in the transaction that marks its delivery done,
on a delivery row locked with SKIP LOCKED (a second worker passes it by).

Positions: ``assign_positions`` numbers the committed events without one, in id order, under a
transaction-level advisory lock. Only committed rows are visible to it, and a position commits before
the next assigner can take the lock, so positions become visible in increasing order: a feed reader
that resumes after the last position it saw misses nothing.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import Event, EventDelivery

logger = logging.getLogger(__name__)

Handler = Callable[[Event], None]
HANDLERS: dict[str, Handler] = {}

POSITION_LOCK = 7_202_611  # pg_advisory_xact_lock key: one position assigner at a time
POSITION_BATCH = 1000
SWEEP_AFTER = timedelta(minutes=1)  # younger pending deliveries are left to their own dispatch task
SWEEP_BATCH = 500
MAX_ATTEMPTS = 10  # after this many failures a delivery waits for a person (it stays pending, reported)


def register(consumer: str, handler: Handler) -> None:
    """Make ``handler`` a consumer of every event recorded from now on. It runs inside a transaction and
    must only write to the database (publish follow-up work with ``transaction.on_commit``)."""
    HANDLERS[consumer] = handler


def consumers() -> list[str]:
    return sorted(HANDLERS)


def assign_positions() -> int:
    """Number the committed events that have no position yet; returns how many were numbered."""
    table = connection.ops.quote_name(Event._meta.db_table)
    numbered = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [POSITION_LOCK])
            cursor.execute(
                f"""
                WITH last AS (SELECT coalesce(max(position), 0) AS position FROM {table}),
                     todo AS (SELECT id, row_number() OVER (ORDER BY id) AS n
                                FROM {table} WHERE position IS NULL ORDER BY id LIMIT %s)
                UPDATE {table} e SET position = last.position + todo.n
                  FROM last, todo WHERE e.id = todo.id
                """,  # noqa: S608 (the table name is the model's)
                [POSITION_BATCH],
            )
            count = cursor.rowcount
        numbered += count
        if count < POSITION_BATCH:
            return numbered


def deliver(event_id: int, consumer: str) -> bool:
    """Run ``consumer``'s handler for the event if its delivery is pending and nobody else holds it;
    returns whether it ran. A failing handler leaves the delivery pending with the error counted."""
    handler = HANDLERS.get(consumer)
    if handler is None:
        return False
    try:
        with transaction.atomic():
            delivery = (
                EventDelivery.objects.select_for_update(skip_locked=True)
                .select_related("event")
                .filter(event_id=event_id, consumer=consumer, delivered_at__isnull=True)
                .first()
            )
            if delivery is None:
                return False
            handler(delivery.event)
            delivery.delivered_at = timezone.now()
            delivery.save(update_fields=["delivered_at"])
    except Exception as error:
        logger.exception("Consumer %s failed on event %s; the sweep will try again", consumer, event_id)
        EventDelivery.objects.filter(event_id=event_id, consumer=consumer).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    return True


def dispatch(event_id: int) -> None:
    """Everything that follows one event's commit: positions, then each consumer."""
    assign_positions()
    for consumer in consumers():
        deliver(event_id, consumer)


def sweep() -> int:
    """Positions for all, and every delivery still pending after ``SWEEP_AFTER`` handed over again.
    Returns how many deliveries ran."""
    assign_positions()
    due = (
        EventDelivery.objects.filter(
            delivered_at__isnull=True,
            attempts__lt=MAX_ATTEMPTS,
            event__occurred_at__lt=timezone.now() - SWEEP_AFTER,
            consumer__in=consumers(),
        )
        .order_by("event_id")
        .values_list("event_id", "consumer")[:SWEEP_BATCH]
    )
    ran = sum(deliver(event_id, consumer) for event_id, consumer in due)
    stuck = EventDelivery.objects.filter(delivered_at__isnull=True, attempts__gte=MAX_ATTEMPTS).count()
    if stuck:
        logger.error("%d event deliveries failed %d times and wait for a person (see the admin)", stuck, MAX_ATTEMPTS)
    return ran
