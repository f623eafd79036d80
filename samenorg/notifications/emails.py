"""Immediate e-mails: claimed and committed before sending, marked sent after, so none goes out twice.

The cycle of one notification's e-mail (``Notification.email_state``):
``pending`` -> ``claimed`` (a worker took it with SELECT ... FOR UPDATE SKIP LOCKED and committed)
-> ``sent``; or ``failed`` when the address is undeliverable, or when sending failed twice.
A claim still open after ``NOTIFICATION_EMAIL_CLAIM_TIMEOUT`` was left by a dead worker (the timeout is
longer than any task may run): it goes back to ``pending`` once, and on the next time it is marked
``failed`` and reported. ``email_attempts`` counts the claims. The sweep (every minute, by beat) recovers
stale claims and sends what is pending, whether its task was lost with the broker or never published.
"""

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from samenorg.core.mail import UndeliverableAddress, send_templated_mail
from samenorg.events.describe import DESCRIBED_RELATIONS, describe

from .models import EmailState, Notification
from .unsubscribe import SETTINGS_PATH, immediate_stream, list_unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # the first claim and one retry
CLAIM_BATCH = 25
SWEEP_BATCHES = 8  # a sweep sends at most this many batches; the next minute's sweep takes the rest


def claim(*, ids: Sequence[int] | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Take up to ``limit`` pending e-mails (of ``ids``, when given) that no other worker holds, and commit
    the claim before anything is sent."""
    with transaction.atomic():
        pending = Notification.objects.select_for_update(skip_locked=True).filter(email_state=EmailState.PENDING)
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        claimed = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
        Notification.objects.filter(pk__in=claimed).update(
            email_state=EmailState.CLAIMED, email_claimed_at=timezone.now(), email_attempts=F("email_attempts") + 1
        )
    return claimed


def send_claimed(ids: Sequence[int]) -> int:
    """Send the claimed e-mails among ``ids``; returns how many were sent."""
    relations = ["user", "event", *(f"event__{relation}" for relation in DESCRIBED_RELATIONS)]
    notifications = Notification.objects.filter(pk__in=ids, email_state=EmailState.CLAIMED).select_related(*relations)
    return sum(_send(notification) for notification in notifications.order_by("pk"))


def send_pending(ids: Sequence[int] | None = None) -> int:
    """Claim and send the pending e-mails among ``ids`` (the task of a fan-out)."""
    return send_claimed(claim(ids=ids, limit=len(ids) if ids is not None else CLAIM_BATCH))


def sweep() -> int:
    """Recover stale claims, then send what is pending, a bounded number of batches per run."""
    recover_stale_claims()
    sent = 0
    for _batch in range(SWEEP_BATCHES):
        claimed = claim()
        if not claimed:
            break
        sent += send_claimed(claimed)
    return sent


def recover_stale_claims() -> tuple[int, int]:
    """Claims older than the timeout: back to pending when they had one attempt, else failed and reported.
    Returns (retried, failed)."""
    cutoff = timezone.now() - timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT)
    with transaction.atomic():
        stale = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(email_state=EmailState.CLAIMED, email_claimed_at__lt=cutoff)
            .values_list("pk", "email_attempts")
        )
        retry = [pk for pk, attempts in stale if attempts < MAX_ATTEMPTS]
        give_up = [pk for pk, attempts in stale if attempts >= MAX_ATTEMPTS]
        Notification.objects.filter(pk__in=retry).update(email_state=EmailState.PENDING)
        Notification.objects.filter(pk__in=give_up).update(email_state=EmailState.FAILED)
    if retry:
        logger.warning("Notification e-mails %s were left claimed by a dead worker; trying once more.", retry)
    if give_up:
        logger.error(
            "Notification e-mails %s were claimed twice and never confirmed as sent; marked failed. The recipients "
            "may or may not have them.",
            give_up,
        )
    return len(retry), len(give_up)


def _send(notification: Notification) -> bool:
    user = notification.user
    if not user.is_active or user.email_undeliverable_at is not None:
        _finish(notification, EmailState.FAILED)
        return False
    stream = immediate_stream(user, notification.event)
    with translation.override(user.language):
        description = describe(notification.event)
    context = {
        "notification": notification,
        "description": description,
        "subject_url": settings.SITE_URL + description.url,
        "settings_url": settings.SITE_URL + SETTINGS_PATH,
        "stream": stream,
    }
    context["unsubscribe_url"] = unsubscribe_url(user, target=stream.target, frequency=stream.frequency)
    headers = list_unsubscribe_headers(user, target=stream.target, frequency=stream.frequency)
    try:
        send_templated_mail(recipient=user, template="notification", context=context, headers=headers)
    except UndeliverableAddress:
        _finish(notification, EmailState.FAILED)
        return False
    except Exception:
        _give_back(notification)
        return False
    _finish(notification, EmailState.SENT)
    return True


def _finish(notification: Notification, state: str) -> None:
    sent_at = timezone.now() if state == EmailState.SENT else None
    Notification.objects.filter(pk=notification.pk, email_state=EmailState.CLAIMED).update(
        email_state=state, email_sent_at=sent_at
    )


def _give_back(notification: Notification) -> None:
    """Sending failed (the mail server is down, say): pending again for the next sweep, or failed and
    reported after the last attempt."""
    if notification.email_attempts < MAX_ATTEMPTS:
        logger.warning("Notification e-mail %s failed; the sweep tries once more.", notification.pk, exc_info=True)
        state = EmailState.PENDING
    else:
        logger.error("Notification e-mail %s failed twice; marked failed.", notification.pk, exc_info=True)
        state = EmailState.FAILED
    Notification.objects.filter(pk=notification.pk, email_state=EmailState.CLAIMED).update(email_state=state)
