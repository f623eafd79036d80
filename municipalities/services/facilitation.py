"""What facilitators do in the admin to organisations: register e-mail domains, appoint members
and coordinators. The admin's forms validate the fields; these check who acts and write."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Membership, OrganisationDomain
from samenorg.accounts.models import User


def _require_facilitator(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_facilitator):
        raise PermissionDenied(_("Only facilitators manage organisations' domains and members."))


@transaction.atomic
def organisation_domain_save(*, actor: User, domain: OrganisationDomain) -> OrganisationDomain:
    """Register (or correct) an e-mail domain: new accounts verified there join the organisation."""
    _require_facilitator(actor)
    domain.full_clean()
    domain.save()
    return domain


@transaction.atomic
def organisation_domain_delete(*, actor: User, domain: OrganisationDomain) -> None:
    """Stop linking new accounts by this domain; memberships granted before stay."""
    _require_facilitator(actor)
    domain.delete()


@transaction.atomic
def membership_save(*, actor: User, membership: Membership) -> Membership:
    """Add someone to an organisation, or appoint them coordinator or member."""
    _require_facilitator(actor)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_delete(*, actor: User, membership: Membership) -> None:
    _require_facilitator(actor)
    membership.delete()
