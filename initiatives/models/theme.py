from django.db import models
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


@tracked()
class Theme(models.Model):
    """A curated subject area; facilitators keep the list in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("offered for new initiatives"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
