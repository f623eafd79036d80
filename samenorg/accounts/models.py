from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked

from .facilitators import FACILITATORS_GROUP


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def facilitators(self) -> models.QuerySet["User"]:
        """The people ``User.is_facilitator`` says are facilitators, as a query."""
        return (
            self.filter(is_active=True)
            .filter(models.Q(is_superuser=True) | models.Q(groups__name=FACILITATORS_GROUP))
            .distinct()
        )

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class Frequency(models.TextChoices):
    """How often someone hears about what they follow."""

    IMMEDIATELY = "immediately", _("immediately")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")
    OFF = "off", _("not at all")


# Passwords and login times are not history anyone should read back.
@tracked(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person with an account; they log in with their e-mail address."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the platform sends you."),
    )
    follow_frequency = models.CharField(
        _("how often you hear about what you follow"),
        max_length=16,
        choices=Frequency.choices,
        default=Frequency.DAILY,
        help_text=_("For what you start following from now on; each follow can differ."),
    )
    # Set when the mail server refused the address: e-mails skip it until the user changes or confirms it.
    email_undeliverable_at = models.DateTimeField(_("e-mail address failed at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @cached_property
    def is_facilitator(self) -> bool:
        """VNG staff in the Facilitators group; superusers may do whatever a facilitator may."""
        return self.is_active and (self.is_superuser or self.groups.filter(name=FACILITATORS_GROUP).exists())
