from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


@tracked()
class Milestone(models.Model):
    """A planned step of an initiative; once achieved it is celebrated and counts as evidence."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="milestones", verbose_name=_("initiative")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    achievement = models.TextField(_("what was achieved"), blank=True, max_length=5000)
    evidence_url = models.URLField(_("evidence (link)"), blank=True, max_length=500)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    planned_for = models.ForeignKey(
        "municipalities.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    achieved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = [F("achieved_on").asc(nulls_last=True), F("target_date").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(achieved_on__isnull=True, achievement="", evidence_url="")
                | (Q(achieved_on__isnull=False) & ~Q(achievement="")),
                name="milestone_achieved_says_what",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_achieved(self) -> bool:
        return self.achieved_on is not None
