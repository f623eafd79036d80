"""Who belongs to which organisation: by verified e-mail domain, or by a request a coordinator decides."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Membership, MembershipRequest, Organisation, OrganisationDomain
from municipalities.models.membership import MembershipRequestStatus, MembershipRole
from municipalities.tasks import send_membership_decision_email, send_membership_request_email
from samenorg.accounts.models import User
from samenorg.core.queue import publish_on_commit
from samenorg.core.ratelimits import rate_limit

MOTIVATION_MAX_LENGTH = 2000
MAX_OPEN_REQUESTS_PER_USER = 5
ASK_AGAIN_AFTER_DECLINE = timedelta(days=7)


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


@transaction.atomic
def membership_grant_for_verified_email(*, user: User, email: str) -> list[Membership]:
    """Make ``user`` a member of every active organisation that registered the domain of ``email``,
    which the user has just verified. Returns the memberships that are new."""
    domains = OrganisationDomain.objects.filter(
        domain=email_domain(email), organisation__in=Organisation.objects.accepting_members()
    ).select_related("organisation")
    granted = []
    for registered in domains:
        membership, created = Membership.objects.get_or_create(user=user, organisation=registered.organisation)
        if created:
            granted.append(membership)
    return granted


def membership_request(*, actor: User, organisation: Organisation, motivation: str) -> MembershipRequest:
    """``actor`` asks to join ``organisation``; its coordinators (or the facilitators) decide. Each request
    mails them, so one person makes at most the ``membership_request`` rate of them (``SAMENORG_RATE_LIMITS``)."""
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": _("Tell the coordinators why you want to join.")})
    if len(motivation) > MOTIVATION_MAX_LENGTH:
        raise ValidationError(
            {"motivation": _("Keep it to %(max)d characters, please.") % {"max": MOTIVATION_MAX_LENGTH}}
        )
    if not Organisation.objects.accepting_members().filter(pk=organisation.pk).exists():
        raise ValidationError(_("%(organisation)s does not take new members.") % {"organisation": organisation})
    if Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise ValidationError(_("You are already a member of %(organisation)s.") % {"organisation": organisation})
    if MembershipRequest.objects.pending().filter(user=actor).count() >= MAX_OPEN_REQUESTS_PER_USER:
        raise ValidationError(
            _("You have %(count)d requests waiting for a decision; wait for one before you ask again.")
            % {"count": MAX_OPEN_REQUESTS_PER_USER}
        )
    recently_declined = MembershipRequest.objects.filter(
        user=actor,
        organisation=organisation,
        status=MembershipRequestStatus.DECLINED,
        decided_at__gt=timezone.now() - ASK_AGAIN_AFTER_DECLINE,
    )
    if recently_declined.exists():
        raise ValidationError(
            _("%(organisation)s declined your request less than a week ago; you can ask again after that.")
            % {"organisation": organisation}
        )
    try:
        with rate_limit("membership_request", actor), transaction.atomic():
            request = MembershipRequest.objects.create(user=actor, organisation=organisation, motivation=motivation)
            publish_on_commit(send_membership_request_email, request.pk)
    except IntegrityError:
        raise ValidationError(
            _("You have already asked to join %(organisation)s; the coordinators will decide soon.")
            % {"organisation": organisation}
        ) from None
    return request


@transaction.atomic
def membership_request_decide(
    *, membership_request: MembershipRequest, actor: User, approve: bool, reason: str = ""
) -> MembershipRequest:
    """Approve or decline a pending request; a decline needs a reason, which the requester reads."""
    locked = (
        MembershipRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=membership_request.pk)
    )
    if locked.status != MembershipRequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not MembershipRequest.objects.decidable_by(actor).filter(pk=locked.pk).exists():
        raise PermissionDenied(_("Only a coordinator of the organisation may decide on this request."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give a reason, so the requester knows why.")})
    locked.status = MembershipRequestStatus.APPROVED if approve else MembershipRequestStatus.DECLINED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if approve:
        Membership.objects.get_or_create(
            user=locked.user, organisation=locked.organisation, defaults={"role": MembershipRole.MEMBER}
        )
    publish_on_commit(send_membership_decision_email, locked.pk)
    return locked
