"""A partner system's API key: it acts for one organisation, within its scope.

The key itself is shown once when it is made; only its SHA-256 is kept (a key is 256 random bits,
so a slow password hash adds nothing). The prefix is stored in clear so people recognise a key."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


class ApiKeyScope(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("read and write")


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def live(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


@tracked(exclude=["last_used_at"])
class ApiKey(models.Model):
    organisation = models.ForeignKey(
        "municipalities.Organisation",
        on_delete=models.PROTECT,
        related_name="api_keys",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, for example 'Zaaksysteem'."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=8, choices=ApiKeyScope.choices, default=ApiKeyScope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["organisation", "name"]
        constraints = [models.CheckConstraint(condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_key_hash_hex")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    @property
    def may_write(self) -> bool:
        return self.is_live and self.scope == ApiKeyScope.WRITE
