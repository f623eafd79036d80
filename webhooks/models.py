"""Webhooks: a partner system's endpoint, one delivery per (endpoint, event), and every attempt at it.

The database is the queue: a pending delivery carries the time its next attempt is due, and a periodic
task sends whatever is due. Retries are rows with a later due time, never long Celery countdowns, so a
restarted worker or broker loses nothing."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Membership, Organisation
from samenorg.core.history import tracked

if TYPE_CHECKING:
    from samenorg.accounts.models import User


def organisations_managed_by(user: "User") -> models.QuerySet[Organisation]:
    """The organisations whose webhooks ``user`` manages: those they coordinate. The one place this rule lives."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    coordinating = Membership.objects.coordinators().filter(user=user, organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(coordinating))


class WebhookEndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def active(self) -> "WebhookEndpointQuerySet":
        return self.filter(disabled_at__isnull=True)

    def managed_by(self, user: "User") -> "WebhookEndpointQuerySet":
        return self.filter(organisation__in=organisations_managed_by(user))

    def wanting(self, event_type: str) -> "WebhookEndpointQuerySet":
        """Endpoints that asked for ``event_type``; an empty list asks for every type."""
        return self.filter(Q(event_types=[]) | Q(event_types__contains=[event_type]))


# Who changed where messages go, and when: the history leaves out the secret and the delivery counters.
@tracked(exclude=["secret", "consecutive_failures", "paused_until", "disabled_notified_at"])
class WebhookEndpoint(models.Model):
    organisation = models.ForeignKey(
        "municipalities.Organisation",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = ArrayField(models.CharField(max_length=64), verbose_name=_("event types"), default=list, blank=True)
    # Standard Webhooks: "whsec_" and the base64 of 32 random bytes. Kept in clear because every message is
    # signed with it (HMAC needs the key itself); only the organisation's coordinators see it.
    secret = models.CharField(_("signing secret"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    # Failed attempts since the last accepted message. Each failure also pauses the endpoint for the next
    # retry delay, so a dead endpoint costs one attempt per delay, not one per waiting message.
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    paused_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True)
    # Set when the coordinators' notice is taken for sending: it goes out once.
    disabled_notified_at = models.DateTimeField(_("coordinators told at"), null=True, blank=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["organisation", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret__startswith="whsec_"),  # noqa: S106 (the prefix, not a secret)
                name="webhook_secret_prefix",
            ),
            models.CheckConstraint(
                condition=Q(disabled_at__isnull=True, disabled_reason="")
                | Q(disabled_at__isnull=False) & ~Q(disabled_reason=""),
                name="webhook_disabled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:detail", kwargs={"slug": self.organisation.slug, "pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_paused(self) -> bool:
        return self.is_active and self.paused_until is not None and self.paused_until > timezone.now()


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def due(self) -> "WebhookDeliveryQuerySet":
        """Pending deliveries whose attempt is due, to endpoints that are on and not pausing."""
        now = timezone.now()
        return self.filter(
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
            endpoint__disabled_at__isnull=True,
        ).filter(Q(endpoint__paused_until__isnull=True) | Q(endpoint__paused_until__lte=now))


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookDelivery(models.Model):
    """One event for one endpoint, sent until the endpoint accepts it or the attempts run out."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="webhook_deliveries")
    # The Standard Webhooks message id: the same on every attempt, so receivers can drop a repeat.
    webhook_id = models.CharField(_("webhook id"), max_length=40, unique=True, default=new_webhook_id)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When the next attempt is due. A worker taking the delivery moves it past its own lifetime (the
    # claim): if the worker dies, the delivery becomes due again by itself.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once_per_endpoint"),
            models.CheckConstraint(
                condition=Q(state=DeliveryState.PENDING, next_attempt_at__isnull=False)
                | ~Q(state=DeliveryState.PENDING) & Q(next_attempt_at__isnull=True),
                name="webhook_pending_has_due_time",
            ),
            models.CheckConstraint(
                condition=Q(state=DeliveryState.DELIVERED, delivered_at__isnull=False)
                | ~Q(state=DeliveryState.DELIVERED) & Q(delivered_at__isnull=True),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(state=DeliveryState.PENDING), name="webhook_delivery_due"
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent"),
        ]

    def __str__(self) -> str:
        return self.webhook_id


class WebhookAttempt(models.Model):
    """What happened when one attempt was made: shown to the coordinators, kept for ``WEBHOOKS_KEEP_DAYS``."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(_("attempted at"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    succeeded = models.BooleanField(_("accepted"))
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery} @ {self.attempted_at:%Y-%m-%d %H:%M:%S}"
