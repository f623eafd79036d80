"""Partner organisations: a user requests one in the UI, a facilitator approves or declines it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipalities.models import Membership, Organisation
from municipalities.models.membership import MembershipRole
from municipalities.models.organisation import PARTNER_KINDS, RESERVED_ORGANISATION_SLUGS, OrganisationStatus
from municipalities.tasks import send_organisation_decision_email, send_organisation_request_email
from samenorg.accounts.models import User
from samenorg.core.queue import publish_on_commit

NAME_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 200
MAX_PENDING_REQUESTS_PER_USER = 5


def organisation_request(
    *,
    actor: User,
    name: str,
    kind: str,
    website: str = "",
    description: str = "",
    motivation: str,
) -> Organisation:
    """Request a partner organisation; it is listed once a facilitator approves it.

    Raises ValidationError with field errors (``name``, ``kind``, ``website``, ``motivation``).
    """
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied(_("Log in to request an organisation."))
    name = " ".join(name.split())
    website = website.strip()
    description = description.strip()
    motivation = motivation.strip()

    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the name of the organisation.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("The name can be at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}
    elif not slugify(name):
        errors["name"] = _("The name needs at least one letter or digit.")
    elif Organisation.objects.filter(name__iexact=name).exclude(status=OrganisationStatus.DECLINED).exists():
        errors["name"] = _("An organisation with this name is already listed or requested.")
    if kind not in PARTNER_KINDS:
        errors["kind"] = _("Choose what kind of organisation it is.")
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors["website"] = _("Enter a full web address, such as https://www.example.nl.")
        if len(website) > 200:
            errors["website"] = _("The web address can be at most 200 characters.")
    if not motivation:
        errors["motivation"] = _("Tell the facilitators why this organisation should join.")
    if errors:
        raise ValidationError(errors)
    pending = Organisation.objects.filter(requested_by=actor, status=OrganisationStatus.REQUESTED).count()
    if pending >= MAX_PENDING_REQUESTS_PER_USER:
        raise ValidationError(
            _("You already have %(count)d requests waiting for review; wait for a decision first.") % {"count": pending}
        )

    try:
        with transaction.atomic():
            organisation = _create_with_unique_slug(
                Organisation(
                    name=name,
                    kind=kind,
                    status=OrganisationStatus.REQUESTED,
                    website=website,
                    description=description,
                    requested_by=actor,
                    request_motivation=motivation,
                )
            )
            publish_on_commit(send_organisation_request_email, organisation.pk)
    except IntegrityError:  # the same name was requested a moment ago (organisation_unique_live_partner_name)
        raise ValidationError({"name": _("An organisation with this name is already listed or requested.")}) from None
    return organisation


def organisation_decide(*, organisation: Organisation, actor: User, approve: bool, reason: str = "") -> Organisation:
    """Approve a requested organisation (its requester becomes coordinator) or decline it with a reason."""
    if not (actor.is_authenticated and actor.is_facilitator):
        raise PermissionDenied(_("Only facilitators decide on organisation requests."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason for declining; the requester will read it.")})

    with transaction.atomic():
        organisation = (
            Organisation.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=organisation.pk)
        )
        if organisation.status != OrganisationStatus.REQUESTED:
            raise ValidationError(
                _("%(organisation)s is not waiting for a decision (status: %(status)s).")
                % {"organisation": organisation, "status": organisation.get_status_display()}
            )
        organisation.status = OrganisationStatus.ACTIVE if approve else OrganisationStatus.DECLINED
        organisation.decision_reason = reason
        organisation.decided_by = actor
        organisation.decided_at = timezone.now()
        organisation.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        requester = organisation.requested_by
        if requester is not None:
            if approve:
                Membership.objects.update_or_create(
                    user=requester, organisation=organisation, defaults={"role": MembershipRole.COORDINATOR}
                )
            publish_on_commit(send_organisation_decision_email, organisation.pk)
    return organisation


def _create_with_unique_slug(organisation: Organisation) -> Organisation:
    """Save with the name's slug, or the first free ``slug-2``, ``slug-3``…; a concurrent twin only moves us on."""
    base = slugify(organisation.name)[: SLUG_MAX_LENGTH - 4]
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_ORGANISATION_SLUGS
    number = 1
    while True:
        slug = base if number == 1 else f"{base}-{number}"
        number += 1
        if slug in taken:
            continue
        organisation.slug = slug
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError:
            if Organisation.objects.filter(slug=slug).exists() and number < 100:
                taken.add(slug)
                continue
            raise
        return organisation
