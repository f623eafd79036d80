import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked

from .roles import CollaborationRole

if TYPE_CHECKING:
    from municipalities.models import Organisation
    from samenorg.accounts.models import User


class InitiativePhase(models.TextChoices):
    IDEA = "idea", _("idea")
    EXPLORATION = "exploration", _("exploration")
    PILOT = "pilot", _("pilot")
    IMPLEMENTATION = "implementation", _("implementation")
    PROVEN_PRACTICE = "proven_practice", _("proven practice")


class InitiativeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


PUBLIC_STATUSES = [InitiativeStatus.PUBLISHED, InitiativeStatus.ARCHIVED]


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def visible_to(self, user: "User") -> "InitiativeQuerySet":
        """What ``user`` may see: published and archived initiatives, and the drafts they edit.
        Every list, detail, search, count, export and download starts here."""
        public = Q(status__in=PUBLIC_STATUSES)
        if not (user.is_authenticated and user.is_active):
            return self.filter(public)
        return self.filter(public | Q(_editable_by(user)))

    def visible_to_organisation(self, organisation: "Organisation") -> "InitiativeQuerySet":
        """What a partner system acting for ``organisation`` may see (its API key): published and
        archived initiatives, and the drafts the organisation edits."""
        visible, *editing = self.visible_to_organisation_in_parts(organisation)
        for part in editing:
            visible |= part
        return visible

    def visible_to_organisation_in_parts(self, organisation: "Organisation") -> list["InitiativeQuerySet"]:
        """``visible_to_organisation`` in parts: the public initiatives, then the others the organisation
        edits (its own, and those it co-develops). A list reads its page from each part on that part's own
        index and merges them; the ORed whole cannot use the index of the public order (it sorts every row)."""
        not_public = ~Q(status__in=PUBLIC_STATUSES)
        owned, co_developed = _edited_for(organisation)
        return [
            self.filter(status__in=PUBLIC_STATUSES),
            self.filter(not_public & owned),
            self.filter(not_public & co_developed),
        ]

    def visibility_key(self, user: "User") -> str:
        """Which rows ``visible_to(user)`` holds, as a short key for caches of counts over them: "public"
        for everyone who sees no draft, else a digest of the ids of the drafts they see, so that two users
        share an entry only when they see the same rows. Call it on the manager; it follows ``visible_to``
        (the drafts are what it adds to the public rows) and costs one query for a logged-in user."""
        if not (user.is_authenticated and user.is_active):
            return "public"
        drafts = self.editable_by(user).exclude(status__in=PUBLIC_STATUSES).order_by("pk").values_list("pk", flat=True)
        ids = ",".join(str(pk) for pk in drafts)
        return f"drafts-{hashlib.sha256(ids.encode()).hexdigest()[:32]}" if ids else "public"

    def editable_by(self, user: "User") -> "InitiativeQuerySet":
        """Initiatives whose content ``user`` may change: members of the owner and co-developer organisations."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(_editable_by(user))

    def edited_for(self, organisation: "Organisation") -> "InitiativeQuerySet":
        """Initiatives whose content someone acting for ``organisation`` may change: its own, and those
        it takes part in as a co-developer (an active participation in an editing role)."""
        owned, co_developed = _edited_for(organisation)
        return self.filter(owned | co_developed)


def _edited_for(organisation: "Organisation") -> tuple[Q, Q]:
    """``edited_for`` as its two kinds: the organisation's own, and those it co-develops. Uncorrelated
    (IN, not EXISTS): the organisation's few co-developing participations are read once, not probed per
    row. Its initiator participations are left out: the initiator is always the owner (the participation
    made with the initiative, which cannot leave and which nobody can ask to become), so they are the
    owned ones again, and reading them made a large owner's API list 3 to 5 times slower
    (benchmarks/RESULTS.md)."""
    from collaboration.models import Participation

    co_developing = Participation.objects.active().filter(
        organisation=organisation, role=CollaborationRole.CO_DEVELOPER
    )
    return Q(owner=organisation), Q(pk__in=co_developing.values("initiative_id"))


def _editable_by(user: "User") -> Q:
    """Members of the owner organisation, and of organisations taking part in an editing role
    (co-developers): DESIGN, "editors of an initiative are the members of its initiator and
    co-developer organisations"."""
    from collaboration.models import EDITING_ROLES, Participation
    from municipalities.models import Membership

    editing = Participation.objects.active().filter(
        initiative=OuterRef("pk"),
        role__in=EDITING_ROLES,
        organisation__in=Membership.objects.filter(user=user).values("organisation"),
    )
    return Q(Exists(Membership.objects.filter(user=user, organisation=OuterRef("owner")))) | Q(Exists(editing))


@tracked(exclude=["search_vector"])
class Initiative(models.Model):
    """A local solution or practice a municipality (or partner) registered to be found and reused."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=400)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField("initiatives.Theme", related_name="initiatives", verbose_name=_("themes"))
    tags = ArrayField(models.CharField(max_length=50), verbose_name=_("tags"), default=list, blank=True)
    owner = models.ForeignKey(
        "municipalities.Organisation",
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("owner organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    results = models.TextField(_("results and evidence"), blank=True, help_text=_("Markdown."))
    organisations_using = models.PositiveIntegerField(_("organisations using it"), null=True, blank=True)
    inhabitants_reached = models.PositiveIntegerField(_("inhabitants reached"), null=True, blank=True)
    cost_eur = models.DecimalField(_("cost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    savings_eur = models.DecimalField(_("savings (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    roles_sought = ArrayField(
        models.CharField(max_length=32, choices=CollaborationRole.choices),
        verbose_name=_("roles sought"),
        default=list,
        blank=True,
    )
    phase = models.CharField(_("phase"), max_length=32, choices=InitiativePhase.choices, default=InitiativePhase.IDEA)
    status = models.CharField(
        _("status"), max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept up to date by the services (title A, summary B, description and results C, tags D; Dutch).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="initiative_search_vector"),
            GinIndex(fields=["tags"], name="initiative_tags"),
            GinIndex(fields=["roles_sought"], name="initiative_roles_sought"),
            models.Index(fields=["status", "-published_at"], name="initiative_status_published"),
            # The facet counts read only these (the id for the theme filter): an index-only scan, not the wide rows.
            models.Index(fields=["status"], include=["owner", "phase", "roles_sought", "id"], name="initiative_facets"),
            # The default public order (ORDERINGS["newest"]): the first page reads 25 entries, no sort.
            models.Index(
                fields=["-published_at", "-created_at", "-id"],
                condition=Q(status__in=[status.value for status in PUBLIC_STATUSES]),
                name="initiative_public_newest",
            ),
            # An organisation's own drafts in the same order (the API merges them with the public rows): a
            # key's list reads its few entries, not every row the organisation owns.
            models.Index(
                fields=["owner", "-published_at", "-created_at", "-id"],
                condition=~Q(status__in=[status.value for status in PUBLIC_STATUSES]),
                name="initiative_owner_not_public",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="initiative_published_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="archived") | Q(archived_at__isnull=False), name="initiative_archived_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", kwargs={"slug": self.slug})

    def roles_sought_labels(self) -> list[str]:
        labels = dict(CollaborationRole.choices)
        return [str(labels[role]) for role in self.roles_sought if role in labels]


@tracked()
class InitiativeLink(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("web address"), max_length=500)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class InitiativePhaseChange(models.Model):
    """The phase timeline: who moved the initiative from which phase to which, and when."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(_("from"), max_length=32, choices=InitiativePhase.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=32, choices=InitiativePhase.choices)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey("municipalities.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.from_phase or '-'} → {self.to_phase}"
