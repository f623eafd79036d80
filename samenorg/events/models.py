"""The spine: every change someone may want to hear about is one Event row, written in the same
transaction as the change (a transactional outbox). Fan-out to notifications, e-mail, webhooks and
the feed reads from here later; the record is complete from the start."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from municipalities.models import Organisation
    from samenorg.accounts.models import User


class EventAudience(models.TextChoices):
    """Who may see an event, fixed when it is written."""

    PUBLIC = "public", _("everyone")
    PARTICIPANTS = "participants", _("the organisation and the initiative's participants")
    FACILITATORS = "facilitators", _("facilitators only")


INNER_SUBJECTS = ("participation", "milestone", "comment", "nomination", "adoption")


def _at_most_one_set(fields: tuple[str, ...]) -> Q:
    condition = Q()
    for index, first in enumerate(fields):
        for second in fields[index + 1 :]:
            condition &= Q(**{f"{first}__isnull": True}) | Q(**{f"{second}__isnull": True})
    return condition


class EventQuerySet(models.QuerySet["Event"]):
    """Who may see an event: the one rule behind the activity feeds, the API's events feed, webhooks and
    notifications. The audience was fixed when the event was written; the subject must still be visible:

    - ``public``: whoever may see its initiative (a draft's: its editors) or standard (public);
    - ``participants``: members of the acting organisation, of the organisations taking part in the
      initiative (the initiator included) and of the organisation whose participation it is about, for
      a join request or anything about a draft;
    - ``facilitators``: facilitators only. Facilitators see every event."""

    def visible_to(self, user: "User") -> "EventQuerySet":
        from initiatives.models import Initiative
        from municipalities.models import Membership

        if user.is_authenticated and user.is_facilitator:
            return self.all()
        public = Q(audience=EventAudience.PUBLIC) & (
            Q(initiative__isnull=True) | Q(initiative__in=Initiative.objects.visible_to(user))
        )
        if not (user.is_authenticated and user.is_active):
            return self.filter(public)
        organisations = Membership.objects.filter(user=user).values("organisation_id")
        return self.filter(public | _participants_among(organisations))

    def visible_to_organisation(self, organisation: "Organisation") -> "EventQuerySet":
        """What a partner system acting for ``organisation`` may see (an API key, a webhook)."""
        from initiatives.models import Initiative

        initiatives = Initiative.objects.visible_to_organisation(organisation)
        public = Q(audience=EventAudience.PUBLIC) & (
            Q(initiative__isnull=True) | Q(initiative__in=initiatives.values("pk"))
        )
        return self.filter(public | _participants_among([organisation.pk]))


def _participants_among(organisations: "QuerySet | list[int]") -> Q:
    from collaboration.models import Participation

    taking_part = Participation.objects.active().filter(organisation__in=organisations).values("initiative_id")
    # The organisation a participation is of sees what happens to it, also once it no longer takes part
    # (its request declined, its departure).
    return Q(audience=EventAudience.PARTICIPANTS) & (
        Q(organisation__in=organisations)
        | Q(initiative__in=taking_part)
        | Q(participation__organisation__in=organisations)
    )


class Event(models.Model):
    type = models.CharField(_("type"), max_length=64)  # "<subject>.<verb>", e.g. initiative.published
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting user"),
    )
    actor_api_key = models.ForeignKey(
        "api.ApiKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting API key"),
    )
    organisation = models.ForeignKey(
        "municipalities.Organisation",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("acting organisation"),
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("initiative"),
    )
    # The specific subject, where the event is about something inside the initiative or standard.
    participation = models.ForeignKey(
        "collaboration.Participation", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    milestone = models.ForeignKey(
        "collaboration.Milestone", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    comment = models.ForeignKey(
        "collaboration.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    nomination = models.ForeignKey(
        "standards.Nomination", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    adoption = models.ForeignKey(
        "standards.Adoption", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    audience = models.CharField(_("audience"), max_length=16, choices=EventAudience.choices)
    payload = models.JSONField(_("payload"), default=dict)  # ids and public fields only, never personal data
    # The feed's order: assigned after commit by the dispatcher, so a reader resuming from its last
    # position misses nothing that committed late. Empty until then.
    position = models.BigIntegerField(_("position"), null=True, blank=True, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(type__regex=r"^[a-z_]+\.[a-z_]+$"), name="event_type_subject_verb"),
            # Each event is about an initiative or a standard (the context whose participants or adopters
            # form its audience), and at most one thing inside it.
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) | Q(standard__isnull=False), name="event_has_one_subject"
            ),
            models.CheckConstraint(condition=_at_most_one_set(INNER_SUBJECTS), name="event_at_most_one_inner_subject"),
        ]
        indexes = [models.Index(fields=["id"], condition=Q(position__isnull=True), name="event_without_position")]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class EventDelivery(models.Model):
    """Whether one consumer of the spine (notifications, webhooks) has handled one event. Written with the
    event, for every consumer registered (``samenorg.events.dispatch``); marked delivered in the same
    transaction as the consumer's own writes, so an event is handled by each consumer exactly once and a
    pending row is what the sweep picks up after a broker outage or a killed worker."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    consumer = models.CharField(_("consumer"), max_length=32)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        constraints = [models.UniqueConstraint(fields=["event", "consumer"], name="event_delivery_once")]
        indexes = [
            models.Index(
                fields=["event", "consumer"], condition=Q(delivered_at__isnull=True), name="event_delivery_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.consumer}"
