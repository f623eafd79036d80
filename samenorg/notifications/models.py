"""What each person hears of the events: a notification per (user, event), and the digests.

Delivery state is kept per channel: the in-app inbox (``read_at``), the immediate e-mail (``email_state``
on the notification) and the daily and weekly digests (``Digest``, one per user, frequency and period).
E-mails and digests are claimed and committed before they are sent and marked sent after, so the platform
never sends one twice; a claim that a dead worker left is retried once after a timeout, then reported."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenorg.accounts.models import Frequency


class NotificationReason(models.TextChoices):
    """Why someone hears of an event (the first that applies, in this order)."""

    INITIATOR = "initiator", _("your organisation decides on this request")
    FACILITATOR = "facilitator", _("you are a facilitator")
    ADOPTER = "adopter", _("your municipality uses an older version")
    PARTICIPANT = "participant", _("your organisation takes part")
    FOLLOWER = "follower", _("you follow this")


class EmailState(models.TextChoices):
    NONE = "none", _("no e-mail (in the inbox or a digest only)")
    PENDING = "pending", _("to be sent")
    CLAIMED = "claimed", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("not sent")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(_("reason"), max_length=16, choices=NotificationReason.choices)
    # How this person chose to hear of it, fixed at fan-out: immediately (an e-mail now), or in a digest.
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(_("e-mail"), max_length=16, choices=EmailState.choices, default=EmailState.NONE)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_user_event")]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(
                fields=["id"],
                condition=Q(email_state__in=[EmailState.PENDING, EmailState.CLAIMED]),
                name="notification_email_pending",
            ),
            models.Index(fields=["frequency", "created_at"], name="notification_digest_window"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.user_id}"


class DigestState(models.TextChoices):
    CLAIMED = "claimed", _("being sent")
    SENT = "sent", _("sent")
    EMPTY = "empty", _("nothing to send")
    FAILED = "failed", _("not sent")


class Digest(models.Model):
    """One digest per user, frequency and period: the period ends at the scheduled moment (07:00, or
    Monday 07:00, Europe/Amsterdam) and begins where the user's previous digest of that frequency ended."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    frequency = models.CharField(
        _("frequency"),
        max_length=16,
        choices=[(Frequency.DAILY, Frequency.DAILY.label), (Frequency.WEEKLY, Frequency.WEEKLY.label)],
    )
    period_start = models.DateTimeField(_("items since"))
    period_end = models.DateTimeField(_("items until"))
    state = models.CharField(_("state"), max_length=16, choices=DigestState.choices, default=DigestState.CLAIMED)
    items = models.PositiveIntegerField(_("items"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "frequency", "period_end"], name="digest_once_per_user_period"),
            models.CheckConstraint(condition=Q(period_start__lt=models.F("period_end")), name="digest_period_forward"),
        ]
        indexes = [
            models.Index(fields=["user", "frequency", "-period_end"], name="digest_previous"),
            models.Index(fields=["claimed_at"], condition=Q(state=DigestState.CLAIMED), name="digest_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest for {self.user_id} until {self.period_end:%Y-%m-%d %H:%M}"
