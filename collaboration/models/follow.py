from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenorg.accounts.models import Frequency

TARGETS = ("initiative", "theme", "municipality", "standard")


def _exactly_one_target() -> Q:
    either = Q()
    for target in TARGETS:
        either |= Q(**{f"{other}__isnull": other != target for other in TARGETS})
    return either


class Follow(models.Model):
    """One person follows one thing, at their own frequency. Private: only its owner sees it.

    Members of an initiative's participating organisations follow it without a row here; a row with
    frequency ``off`` on such an initiative is their opt-out (see ``collaboration.services.follow``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    theme = models.ForeignKey(
        "initiatives.Theme", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    frequency = models.CharField(_("how often"), max_length=16, choices=Frequency.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_target(), name="follow_exactly_one_target"),
            *(
                models.UniqueConstraint(
                    fields=["user", target], condition=Q(**{f"{target}__isnull": False}), name=f"follow_once_{target}"
                )
                for target in TARGETS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.target}"

    @property
    def target(self) -> models.Model:
        return next(getattr(self, name) for name in TARGETS if getattr(self, f"{name}_id") is not None)
