from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


class NominationStage(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    INTAKE = "intake", _("intake")
    CONSULTATION = "consultation", _("consultation")
    ADOPTED = "adopted", _("adopted as a standard")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STAGES = [NominationStage.SUBMITTED, NominationStage.INTAKE, NominationStage.CONSULTATION]
DECIDED_STAGES = [NominationStage.ADOPTED, NominationStage.REJECTED]


class NominationQuerySet(models.QuerySet["Nomination"]):
    def open(self) -> "NominationQuerySet":
        return self.filter(stage__in=OPEN_STAGES)

    def visible_to(self, user: "models.Model") -> "NominationQuerySet":
        """Nominations are public, like the initiatives they come from; a nomination of an initiative
        the visitor may not see (a draft cannot be nominated, but archived ones stay) follows it."""
        from initiatives.models import Initiative

        return self.filter(initiative__in=Initiative.objects.visible_to(user))  # type: ignore[arg-type]

    def visible_to_organisation(self, organisation: "models.Model") -> "NominationQuerySet":
        """The same for a partner system acting for ``organisation`` (its API key)."""
        from initiatives.models import Initiative

        return self.filter(initiative__in=Initiative.objects.visible_to_organisation(organisation))  # type: ignore[arg-type]


@tracked()
class Nomination(models.Model):
    """Editors of a proven practice propose it as a shared standard, with the evidence for it.
    Facilitators move it through the stages; each move is a NominationTransition."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("initiative")
    )
    organisation = models.ForeignKey(
        "municipalities.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("nominated by")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=NominationStage.choices)
    # The evidence checklist; achieved milestones are shown beside it, not copied.
    organisations_using = models.PositiveIntegerField(_("organisations using it"))
    results = models.TextField(_("measurable results"), max_length=5000)
    costs_and_savings = models.TextField(_("costs and savings"), max_length=5000)
    reusability = models.TextField(_("how others can reuse it"), max_length=5000)
    documentation = models.TextField(_("documentation"), max_length=5000)
    consultation_closes_on = models.DateField(_("consultation closes on"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    stage_changed_at = models.DateTimeField(_("in this stage since"), auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(stage__in=OPEN_STAGES),
                name="one_open_nomination_per_initiative",
                violation_error_message=_("This initiative is nominated already."),
            ),
            models.CheckConstraint(
                condition=~Q(stage=NominationStage.CONSULTATION) | Q(consultation_closes_on__isnull=False),
                name="nomination_consultation_has_closing_date",
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=DECIDED_STAGES) | ~Q(decision_reason=""),
                name="nomination_decision_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return str(self.initiative)


class NominationTransition(models.Model):
    """One move through the review: who, when, from which stage to which, and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from"), max_length=16, choices=NominationStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=NominationStage.choices)
    reason = models.TextField(_("why"), blank=True, max_length=5000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey("municipalities.Organisation", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"
