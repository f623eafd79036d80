from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiatives.models import CollaborationRole
from samenorg.core.history import tracked

if TYPE_CHECKING:
    from municipalities.models import Organisation
    from samenorg.accounts.models import User


class ParticipationStatus(models.TextChoices):
    REQUESTED = "requested", _("asked to join")
    ACTIVE = "active", _("taking part")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LEFT = "left", _("left")


LIVE_STATUSES = [ParticipationStatus.REQUESTED, ParticipationStatus.ACTIVE]
EDITING_ROLES = [CollaborationRole.INITIATOR, CollaborationRole.CO_DEVELOPER]


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def live(self) -> "ParticipationQuerySet":
        return self.filter(status__in=LIVE_STATUSES)

    def active(self) -> "ParticipationQuerySet":
        return self.filter(status=ParticipationStatus.ACTIVE)

    def pending(self) -> "ParticipationQuerySet":
        """Rows waiting for the initiator: a request to join, or an active row asking for another role."""
        return self.filter(
            Q(status=ParticipationStatus.REQUESTED) | (Q(status=ParticipationStatus.ACTIVE) & ~Q(requested_role=""))
        )

    def of_organisations_of(self, user: "User") -> "ParticipationQuerySet":
        """Rows of the organisations ``user`` is a member of: theirs to withdraw, leave or change."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(organisation__in=_organisations_of(user))

    def decidable_by(self, user: "User") -> "ParticipationQuerySet":
        """Rows on initiatives whose initiator (the owner organisation) ``user`` is a member of."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(initiative__owner__in=_organisations_of(user))

    def visible_to(self, user: "User") -> "ParticipationQuerySet":
        """Who takes part is public on an initiative ``user`` may see; a request (and any row that is not
        active) only to the requesting organisation and the initiator, who decides on it. Pages show an
        active row's pending ``requested_role`` to the same two only."""
        from initiatives.models import Initiative

        rows = self.filter(initiative__in=Initiative.objects.visible_to(user))
        if not (user.is_authenticated and user.is_active):
            return rows.filter(status=ParticipationStatus.ACTIVE)
        mine = _organisations_of(user)
        return rows.filter(
            Q(status=ParticipationStatus.ACTIVE) | Q(organisation__in=mine) | Q(initiative__owner__in=mine)
        )

    def visible_to_organisation(self, organisation: "Organisation") -> "ParticipationQuerySet":
        """The same rule for a partner system acting for ``organisation`` (its API key)."""
        from initiatives.models import Initiative

        rows = self.filter(initiative__in=Initiative.objects.visible_to_organisation(organisation))
        return rows.filter(
            Q(status=ParticipationStatus.ACTIVE) | Q(organisation=organisation) | Q(initiative__owner=organisation)
        )


def _organisations_of(user: "User") -> models.QuerySet:
    from municipalities.models import Membership

    return Membership.objects.filter(user=user).values("organisation")


@tracked()
class Participation(models.Model):
    """An organisation takes part in an initiative in one role. A request to join is a row in
    ``requested``; a request for another role is ``requested_role`` on an active row. Rows are never
    deleted: declined, withdrawn and left rows are the record, and a new request starts a new row."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="participations", verbose_name=_("initiative")
    )
    organisation = models.ForeignKey(
        "municipalities.Organisation",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=CollaborationRole.choices)
    status = models.CharField(_("status"), max_length=16, choices=ParticipationStatus.choices)
    motivation = models.TextField(_("motivation"), blank=True, max_length=2000)
    requested_role = models.CharField(_("requested role"), max_length=32, choices=CollaborationRole.choices, blank=True)
    requested_role_motivation = models.TextField(_("motivation for the other role"), blank=True, max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    joined_at = models.DateTimeField(_("taking part since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended on"), null=True, blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["initiative", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_participation_per_organisation",
                violation_error_message=_("This organisation already takes part or has asked to."),
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(role=CollaborationRole.INITIATOR, status=ParticipationStatus.ACTIVE),
                name="one_initiator_per_initiative",
            ),
            models.CheckConstraint(
                condition=Q(requested_role="") | Q(status=ParticipationStatus.ACTIVE),
                name="participation_other_role_only_when_active",
            ),
            models.CheckConstraint(
                condition=~Q(requested_role=CollaborationRole.INITIATOR) & ~Q(requested_role=models.F("role")),
                name="participation_requested_role_differs",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="participation_by_organisation"),
            # What an organisation co-develops (a key's API list reads its drafts): without it every
            # participation of the organisation was read to find the few co-developing ones.
            models.Index(
                fields=["organisation", "initiative"],
                condition=Q(status=ParticipationStatus.ACTIVE, role=CollaborationRole.CO_DEVELOPER),
                name="participation_co_developing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()} · {self.initiative}"
