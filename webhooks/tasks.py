"""Celery tasks of the webhooks: thin, they take ids, and the database says what is left to do."""

from celery import shared_task

from .services import delivery, notices


@shared_task(name="webhooks.tasks.deliver_due_webhooks")
def deliver_due_webhooks() -> int:
    """Published after an event's deliveries commit, and run by beat for retries and anything missed."""
    notices.notices_send_unsent()
    return delivery.deliver_due()


@shared_task(name="webhooks.tasks.notify_endpoint_disabled")
def notify_endpoint_disabled(endpoint_id: int) -> int:
    return notices.endpoint_disabled_notify(endpoint_id=endpoint_id)


@shared_task(name="webhooks.tasks.prune_webhook_deliveries")
def prune_webhook_deliveries() -> int:
    return delivery.deliveries_prune()
