"""Publishing Celery tasks after the surrounding transaction commits.

A broker outage must never fail or slow down the request that caused the work: publishing uses a
short connection timeout and no retry, and a failure is logged instead of raised. Work that was
not published is picked up again by the periodic sweeps that own it.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def publish(task: Task, *args: Any) -> bool:
    """Send ``task`` to the broker now; return whether the broker took it."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # the broker is down or unreachable: the request must go on regardless
        logger.warning("Could not publish %s%r; it will be picked up later.", task.name, args, exc_info=True)
        return False
    return True


def publish_on_commit(task: Task, *args: Any) -> None:
    """Publish ``task`` with ``args`` (ids, never objects) once the current transaction commits."""
    transaction.on_commit(lambda: publish(task, *args))
