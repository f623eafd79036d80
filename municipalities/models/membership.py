from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked

if TYPE_CHECKING:
    from samenorg.accounts.models import User


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    COORDINATOR = "coordinator", _("coordinator")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def coordinators(self) -> "MembershipQuerySet":
        """Coordinators who can act: a deactivated account decides nothing."""
        return self.filter(role=MembershipRole.COORDINATOR, user__is_active=True)


@tracked()
class Membership(models.Model):
    """A user belongs to an organisation, as a member or a coordinator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "municipalities.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def is_coordinator(self) -> bool:
        return self.role == MembershipRole.COORDINATOR


class MembershipRequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")


class MembershipRequestQuerySet(models.QuerySet["MembershipRequest"]):
    def pending(self) -> "MembershipRequestQuerySet":
        return self.filter(status=MembershipRequestStatus.PENDING)

    def decidable_by(self, user: "User") -> "MembershipRequestQuerySet":
        """Pending requests ``user`` may decide: as a coordinator of the organisation, or as a
        facilitator when the organisation has no coordinator. The one place this rule lives."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        coordinators = Membership.objects.coordinators().filter(organisation=OuterRef("organisation"))
        as_coordinator = Exists(coordinators.filter(user=user))
        if user.is_facilitator:
            return self.pending().filter(as_coordinator | ~Exists(coordinators))
        return self.pending().filter(as_coordinator)


@tracked()
class MembershipRequest(models.Model):
    """A user asks to join an organisation whose e-mail domain they do not share."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_requests")
    organisation = models.ForeignKey(
        "municipalities.Organisation", on_delete=models.CASCADE, related_name="membership_requests"
    )
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"), max_length=16, choices=MembershipRequestStatus.choices, default=MembershipRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="membership_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="membership_request_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
