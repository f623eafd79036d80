from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


class StandardQuerySet(models.QuerySet["Standard"]):
    def with_adopters(self) -> "StandardQuerySet":
        """``adopters``: how many municipalities implement or use each standard."""
        from standards.models.adoption import ADOPTING_STATUSES

        return self.annotate(
            adopters=models.Count("adoptions", filter=models.Q(adoptions__status__in=ADOPTING_STATUSES))
        )


class StandardStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    UNDER_REVISION = "under_revision", _("under revision")
    WITHDRAWN = "withdrawn", _("withdrawn")


@tracked()
class Standard(models.Model):
    """A proven practice every municipality may adopt; made when a nomination is adopted."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), max_length=20000)
    source_initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standards",
        verbose_name=_("source initiative"),
    )
    nomination = models.OneToOneField(
        "standards.Nomination", on_delete=models.PROTECT, null=True, blank=True, related_name="standard"
    )
    themes = models.ManyToManyField("initiatives.Theme", related_name="standards", blank=True, verbose_name=_("themes"))
    status = models.CharField(_("status"), max_length=16, choices=StandardStatus.choices, default=StandardStatus.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("standards:detail", kwargs={"slug": self.slug})


@tracked()
class StandardVersion(models.Model):
    """A release of a standard. The number is semantic (1.10.0 > 1.9.2), compared on its parts."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="versions")
    major = models.PositiveIntegerField()
    minor = models.PositiveIntegerField()
    patch = models.PositiveIntegerField()
    changelog = models.TextField(_("what changed"), max_length=20000)
    released_on = models.DateField(_("released on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["standard", "-major", "-minor", "-patch"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "major", "minor", "patch"], name="standard_version_once")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


class StandardDocument(models.Model):
    """A document of a version: a link to where it is published (the standard's own site, a repository)."""

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("web address"), max_length=500)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
