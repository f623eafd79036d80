from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


class AdoptionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IMPLEMENTING = "implementing", _("implementing")
    IN_USE = "in_use", _("in use")
    PHASED_OUT = "phased_out", _("phased out")
    EXPLAIN = "explain", _("not adopting (explained)")


# A municipality that implements or uses a standard counts as adopting it (the share on every page).
ADOPTING_STATUSES = [AdoptionStatus.IMPLEMENTING, AdoptionStatus.IN_USE]


@tracked()
class Adoption(models.Model):
    """Where one municipality stands on one standard, kept by its own members. Public; its history
    (who changed what when) is the register's evolution over time."""

    organisation = models.ForeignKey(
        "municipalities.Organisation",
        on_delete=models.PROTECT,
        related_name="adoptions",
        verbose_name=_("municipality"),
        limit_choices_to={"kind": "municipality"},
    )
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("standard")
    )
    status = models.CharField(_("status"), max_length=16, choices=AdoptionStatus.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=5000)
    version = models.ForeignKey(
        "standards.StandardVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("version in use"),
    )
    since = models.DateField(_("since"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["standard", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "standard"], name="one_adoption_per_municipality"),
            models.CheckConstraint(
                condition=~Q(status=AdoptionStatus.EXPLAIN) | ~Q(reason=""), name="adoption_explain_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.standard} · {self.get_status_display()}"
