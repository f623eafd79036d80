from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """One of the twelve provinces, by its CBS code (``PV26``)."""

    code = models.CharField(_("CBS code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^PV[0-9]{2}$"), name="province_code_format"),
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def current(self) -> "MunicipalityQuerySet":
        """Municipalities that exist today, not those dissolved in a merger."""
        return self.filter(dissolved_on__isnull=True)


class Municipality(models.Model):
    """A municipality from the CBS list (``GM0344``). A merger dissolves it and names a successor."""

    code = models.CharField(_("CBS code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities")
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^GM[0-9]{4}$"), name="municipality_code_format"),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True, successor__isnull=True)
                | Q(dissolved_on__isnull=False, successor__isnull=False),
                name="municipality_dissolved_has_successor",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:detail", kwargs={"slug": self.slug})
