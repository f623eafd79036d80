"""Delivering events to webhook endpoints, at least once.

``deliveries_for_event`` is the spine's consumer: it writes a pending delivery, due now, for every endpoint
that wants the event and whose organisation may see it. ``deliver_due`` sends what is due: it claims one
delivery at a time with SELECT ... FOR UPDATE SKIP LOCKED (moving its due time past a worker's lifetime,
so one that dies leaves it to be sent again), sends it outside any transaction, logs the attempt, and
either marks it delivered or sets the due time of the next attempt. A failure also pauses the endpoint for
the same delay; after ``WEBHOOKS_DISABLE_AFTER_FAILURES`` failures in a row it is disabled and its
coordinators are told (``notices``)."""

import http.client
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone, translation

from municipalities.models import Organisation
from samenorg.core.queue import publish_on_commit
from samenorg.events.describe import DESCRIBED_RELATIONS
from samenorg.events.models import Event

from .. import transport
from ..messages import message_body, message_headers
from ..models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..targets import TargetRefusedError, target_resolve

logger = logging.getLogger(__name__)

RUN_BUDGET_SECONDS = 120  # one task stops taking new deliveries after this; the next run goes on
VISIBILITY_CHUNK = 50  # organisations checked in one query
EXCERPT_CHARS = 500


def retry_delay(failures: int) -> timedelta:
    """The wait after the ``failures``-th failure in a row: the configured delays, the last one repeating."""
    delays = settings.WEBHOOKS_RETRY_DELAYS
    return timedelta(seconds=delays[min(failures, len(delays)) - 1])


def _organisations_seeing(event: Event, organisation_ids: set[int]) -> set[int]:
    """Which of the organisations may see ``event``, by the events' own visibility rule, in one query per
    ``VISIBILITY_CHUNK`` organisations."""
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids).only("pk"))
    seeing: set[int] = set()
    for start in range(0, len(organisations), VISIBILITY_CHUNK):
        checks = {
            f"sees_{organisation.pk}": Exists(Event.objects.visible_to_organisation(organisation).filter(pk=event.pk))
            for organisation in organisations[start : start + VISIBILITY_CHUNK]
        }
        row = Event.objects.filter(pk=event.pk).values(**checks).get()
        seeing |= {int(name.removeprefix("sees_")) for name, sees in row.items() if sees}
    return seeing


def deliveries_for_event(event: Event) -> None:
    """The consumer: a pending delivery, due now, for each active endpoint that wants this type of event and
    whose organisation may see it. Runs in the transaction that marks the event handled; sending is
    published after commit."""
    from ..tasks import deliver_due_webhooks  # the tasks call this module

    candidates = list(WebhookEndpoint.objects.active().wanting(event.type).values_list("pk", "organisation_id"))
    if not candidates:
        return
    seeing = _organisations_seeing(event, {organisation for _, organisation in candidates})
    now = timezone.now()
    deliveries = [
        WebhookDelivery(endpoint_id=endpoint, event=event, next_attempt_at=now)
        for endpoint, organisation in candidates
        if organisation in seeing
    ]
    if deliveries:
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        publish_on_commit(deliver_due_webhooks)


@dataclass(frozen=True)
class Outcome:
    attempted_at: datetime
    duration_ms: int
    status_code: int | None = None
    response_excerpt: str = ""
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def summary(self) -> str:
        """What went wrong, in a line (technical, in English, like the errors it quotes)."""
        if self.error:
            return self.error
        return f"HTTP {self.status_code}"


def _claim_next() -> int | None:
    """Take the delivery due longest, moving its due time past a worker's lifetime; None when none is due."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.due()
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "pk")
            .only("pk")
            .first()
        )
        if delivery is None:
            return None
        claim_expires = timezone.now() + timedelta(seconds=settings.WEBHOOKS_CLAIM_SECONDS)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=claim_expires)
        return delivery.pk


def _send(delivery: WebhookDelivery) -> Outcome:
    """One attempt: check where it goes, sign, POST. Never raises: whatever happens is the outcome."""
    attempted_at = timezone.now()
    started = time.monotonic()
    status_code, excerpt, error = None, "", ""
    try:
        with translation.override("en"):  # the attempt log is technical, in English like the errors it quotes
            target = target_resolve(delivery.endpoint.url)
        body = message_body(delivery.event)
        headers = message_headers(
            secret=delivery.endpoint.secret,
            webhook_id=delivery.webhook_id,
            timestamp=int(attempted_at.timestamp()),
            body=body,
        )
        answer = transport.post(target, headers=headers, body=body)
        status_code, excerpt = answer.status, answer.body.decode("utf-8", "replace")[:EXCERPT_CHARS]
        if 300 <= answer.status < 400:
            error = f"HTTP {answer.status}: redirects are not followed"
    except TargetRefusedError as refused:
        error = f"Refused: {refused}"
    except (OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"
    except SoftTimeLimitExceeded:
        raise  # the task is out of time: the claim runs out and the delivery is sent again
    except Exception as failure:  # a bug of ours must not stop the queue; it is logged and retried
        logger.exception("Webhook delivery %s failed unexpectedly", delivery.pk)
        error = f"Internal error: {type(failure).__name__}"
    duration_ms = int((time.monotonic() - started) * 1000)
    return Outcome(attempted_at, duration_ms, status_code, excerpt, error[:EXCERPT_CHARS])


def _record(delivery_id: int, endpoint_id: int, outcome: Outcome) -> None:
    """Log the attempt and settle what follows, under the endpoint's lock (its failure count)."""
    from ..tasks import notify_endpoint_disabled

    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
        delivery = (
            WebhookDelivery.objects.select_for_update().filter(pk=delivery_id, state=DeliveryState.PENDING).first()
        )
        if endpoint is None or delivery is None:
            return  # deleted, or settled by a worker that had it before us
        failures_before, paused_before = endpoint.consecutive_failures, endpoint.paused_until
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=outcome.attempted_at,
            status_code=outcome.status_code,
            succeeded=outcome.succeeded,
            response_excerpt=outcome.response_excerpt,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        delivery.last_error = "" if outcome.succeeded else outcome.summary
        if outcome.succeeded:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = DeliveryState.DELIVERED, now, None
            endpoint.consecutive_failures, endpoint.paused_until = 0, None
        else:
            if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
                delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
            else:
                delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            endpoint.consecutive_failures += 1
            endpoint.paused_until = now + retry_delay(endpoint.consecutive_failures)
            if endpoint.is_active and endpoint.consecutive_failures >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES:
                endpoint.disabled_at, endpoint.disabled_reason = now, outcome.summary
                publish_on_commit(notify_endpoint_disabled, endpoint.pk)
        delivery.save()
        if (endpoint.consecutive_failures, endpoint.paused_until) != (failures_before, paused_before):
            endpoint.save(update_fields=["consecutive_failures", "paused_until", "disabled_at", "disabled_reason"])


def delivery_attempt(*, delivery_id: int) -> None:
    """Make one attempt at a delivery this worker claimed, and record it."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint", "event", *(f"event__{name}" for name in DESCRIBED_RELATIONS))
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return
    _record(delivery.pk, delivery.endpoint_id, _send(delivery))


def deliver_due(*, budget_seconds: float = RUN_BUDGET_SECONDS) -> int:
    """Send due deliveries, one claim at a time, until none is due or the budget is spent; returns how many
    were attempted. Safe to run in many workers at once."""
    deadline = time.monotonic() + budget_seconds
    attempted = 0
    while time.monotonic() < deadline and (delivery_id := _claim_next()) is not None:
        delivery_attempt(delivery_id=delivery_id)
        attempted += 1
    return attempted


def deliveries_prune() -> int:
    """Forget settled deliveries (and their attempts) older than ``WEBHOOKS_KEEP_DAYS``."""
    before = timezone.now() - timedelta(days=settings.WEBHOOKS_KEEP_DAYS)
    deleted, _ = WebhookDelivery.objects.exclude(state=DeliveryState.PENDING).filter(created_at__lt=before).delete()
    return deleted
