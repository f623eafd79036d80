from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked

if TYPE_CHECKING:
    from samenorg.accounts.models import User


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    COMPANY = "company", _("company")
    KNOWLEDGE_INSTITUTE = "knowledge_institute", _("knowledge institute")
    NATIONAL_GOVERNMENT = "national_government", _("national government")
    PROVINCE = "province", _("province")
    WATER_BOARD = "water_board", _("water board")
    UMBRELLA_ASSOCIATION = "umbrella_association", _("umbrella association")
    CITIZEN_INITIATIVE = "citizen_initiative", _("citizen initiative")
    OTHER = "other", _("other")


PARTNER_KINDS = [kind for kind in OrganisationKind if kind != OrganisationKind.MUNICIPALITY]


# Slugs that are paths of their own under /organisaties.
RESERVED_ORGANISATION_SLUGS = frozenset({"aanmelden"})


def validate_not_reserved_slug(slug: str) -> None:
    if slug in RESERVED_ORGANISATION_SLUGS:
        raise ValidationError(
            _("%(slug)s is a page of its own under /organisaties; choose another."),
            code="reserved_slug",
            params={"slug": slug},
        )


class OrganisationStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACTIVE = "active", _("active")
    DECLINED = "declined", _("declined")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> "OrganisationQuerySet":
        return self.filter(status=OrganisationStatus.ACTIVE)

    def partners(self) -> "OrganisationQuerySet":
        return self.exclude(kind=OrganisationKind.MUNICIPALITY)

    def accepting_members(self) -> "OrganisationQuerySet":
        """Organisations one can join: active, and not a municipality dissolved in a merger."""
        return self.active().filter(Q(municipality__isnull=True) | Q(municipality__dissolved_on__isnull=True))

    def visible_to(self, user: "User") -> "OrganisationQuerySet":
        """Active organisations for everyone; facilitators and requesters also see pending requests."""
        if user.is_authenticated and user.is_facilitator:
            return self.all()
        if user.is_authenticated:
            return self.filter(Q(status=OrganisationStatus.ACTIVE) | Q(requested_by=user))
        return self.active()


@tracked()
class Organisation(models.Model):
    """The one actor table: a municipality or a partner organisation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, validators=[validate_not_reserved_slug])
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    municipality = models.OneToOneField(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_organisations",
        verbose_name=_("requested by"),
    )
    request_motivation = models.TextField(_("motivation of the request"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # Two requests at the same moment must not list one partner twice. Municipalities are
            # left out: their names follow the CBS list, where two may swap names in one load.
            models.UniqueConstraint(
                Lower("name"),
                condition=~Q(status="declined") & ~Q(kind="municipality"),
                name="organisation_unique_live_partner_name",
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.MUNICIPALITY, municipality__isnull=False)
                | (~Q(kind=OrganisationKind.MUNICIPALITY) & Q(municipality__isnull=True)),
                name="organisation_municipality_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.municipality_id:
            return reverse("municipalities:detail", kwargs={"slug": self.slug})
        return reverse("municipalities:organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPALITY

    @property
    def accepts_members(self) -> bool:
        """The same rule as ``Organisation.objects.accepting_members()``, for a row already loaded."""
        dissolved = self.municipality is not None and self.municipality.dissolved_on is not None
        return self.status == OrganisationStatus.ACTIVE and not dissolved


# Domains of mail providers anyone can sign up with: registering one for an organisation would make
# every verified user of that provider a member of it.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com", "casema.nl", "chello.nl", "gmail.com", "gmx.com", "gmx.net", "googlemail.com", "hetnet.nl",
        "home.nl", "hotmail.com", "hotmail.nl", "icloud.com", "kpnmail.nl", "kpnplanet.nl", "live.com", "live.nl",
        "mail.com", "me.com", "msn.com", "online.nl", "outlook.com", "outlook.nl", "planet.nl", "proton.me",
        "protonmail.com", "quicknet.nl", "tele2.nl", "telfort.nl", "upcmail.nl", "xs4all.nl", "yahoo.com",
        "yahoo.nl", "ziggo.nl", "zonnet.nl",
    }
)  # fmt: skip


def validate_not_public_mail_domain(domain: str) -> None:
    if domain.strip().lower().removeprefix("@") in PUBLIC_MAIL_DOMAINS:
        raise ValidationError(
            _("%(domain)s is a public mail provider; anyone can have an address there."),
            code="public_mail_domain",
            params={"domain": domain},
        )


@tracked()
class OrganisationDomain(models.Model):
    """An e-mail domain a facilitator registered for an organisation, e.g. ``utrecht.nl``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        _("e-mail domain"), max_length=253, unique=True, validators=[validate_not_public_mail_domain]
    )

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain__regex=r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"),
                name="organisation_domain_lowercase_hostname",
            ),
        ]

    def __str__(self) -> str:
        return self.domain
