"""Telling an organisation's coordinators that its endpoint was disabled, once.

The notice is claimed in the database before it is sent (``disabled_notified_at``), so two workers never
both send it, and a notice whose task was never published (the broker was down) is found by the next
periodic run. A coordinator's mail that fails is logged and not tried again: the page of the endpoint
shows the same notice, and a retry must not mail the others twice."""

import logging
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from municipalities.models import Membership
from samenorg.core.mail import send_templated_mail

from ..models import WebhookEndpoint

logger = logging.getLogger(__name__)

UNSENT_AFTER = timedelta(minutes=1)  # younger notices are left to their own task


def _claim(endpoint_id: int) -> bool:
    return bool(
        WebhookEndpoint.objects.filter(
            pk=endpoint_id, disabled_at__isnull=False, disabled_notified_at__isnull=True
        ).update(disabled_notified_at=timezone.now())
    )


def endpoint_disabled_notify(*, endpoint_id: int) -> int:
    """E-mail the coordinators of the endpoint's organisation that it was disabled; returns how many mails
    this call sent (none when the notice was sent already)."""
    if not _claim(endpoint_id):
        return 0
    endpoint = WebhookEndpoint.objects.select_related("organisation").get(pk=endpoint_id)
    coordinators = Membership.objects.coordinators().filter(organisation=endpoint.organisation).select_related("user")
    sent = 0
    for membership in coordinators:
        try:
            send_templated_mail(
                recipient=membership.user,
                template="webhook_disabled",
                context={"endpoint": endpoint, "organisation": endpoint.organisation},
            )
        except Exception:
            logger.exception(
                "Could not tell user %s that webhook endpoint %s was disabled", membership.user_id, endpoint_id
            )
        else:
            sent += 1
    return sent


def unsent_notices() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(
        disabled_at__lt=timezone.now() - UNSENT_AFTER, disabled_notified_at__isnull=True
    )


def notices_send_unsent() -> int:
    """Send the notices left unsent; returns how many mails went out."""
    return sum(endpoint_disabled_notify(endpoint_id=pk) for pk in unsent_notices().values_list("pk", flat=True))
