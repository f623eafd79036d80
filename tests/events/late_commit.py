"""A slow concurrent transaction: an event recorded first and committed last, for the tests of the feed's
order (positions are given after commit, so a reader resuming from its last position misses nothing)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from samenorg.events.models import Event, EventAudience
from samenorg.events.services import event_record

WAIT = 10  # seconds; each wait ends on a signal, this is only how long before the test fails


@contextmanager
def event_committed_late(actor, initiative) -> Iterator[dict[str, Event]]:
    """Record an ``initiative.updated`` event in another thread's transaction and keep it open while the
    ``with`` body runs; it commits when the body ends. The yielded dict holds the event as ``"event"``."""
    started, finish = threading.Event(), threading.Event()
    late: dict[str, Event] = {}

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                late["event"] = event_record(
                    event_type="initiative.updated",
                    actor=actor,
                    audience=EventAudience.PUBLIC,
                    payload={},
                    initiative=initiative,
                )
                started.set()
                finish.wait(WAIT)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert started.wait(WAIT), "the slow transaction never recorded its event"
    try:
        yield late
    finally:
        finish.set()
        writer.join(WAIT)
