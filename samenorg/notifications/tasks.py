"""Celery tasks of the notifications. They take ids; the database says what is left to do, so running
one twice sends nothing twice (``emails``)."""

from celery import shared_task

from . import digest_tasks, emails
from .pruning import notifications_prune

__all__ = [
    "digest_tasks",
    "prune_old_notifications",
    "send_notification_emails",
    "sweep_notification_emails",
]  # the digests' tasks load with these


@shared_task(name="samenorg.notifications.tasks.send_notification_emails")
def send_notification_emails(notification_ids: list[int]) -> int:
    """The immediate e-mails of one fan-out (published after its commit)."""
    return emails.send_pending(notification_ids)


@shared_task(name="samenorg.notifications.tasks.sweep_notification_emails")
def sweep_notification_emails() -> int:
    """Every minute (beat): stale claims recovered or reported, and whatever is still pending sent."""
    return emails.sweep()


@shared_task(name="samenorg.notifications.tasks.prune_old_notifications")
def prune_old_notifications() -> int:
    """Daily (beat): notifications and digests older than ``SAMENORG_NOTIFICATION_KEEP_DAYS`` go."""
    return notifications_prune()
