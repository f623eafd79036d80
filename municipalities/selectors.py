"""Reads for the municipality and organisation pages, shaped so that a page costs a constant number of queries."""

from django.db.models import Prefetch, QuerySet

from municipalities.models import Membership, Municipality, Organisation, Province
from municipalities.models.geography import MunicipalityQuerySet
from municipalities.models.organisation import OrganisationQuerySet
from samenorg.accounts.models import User


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("name")


def municipality_list() -> MunicipalityQuerySet:
    """Municipalities that exist today, with their province, by name."""
    return Municipality.objects.current().select_related("province").order_by("name", "code")


def municipality_detail() -> MunicipalityQuerySet:
    """Current and dissolved municipalities (a dissolved one keeps its page), with what their page shows."""
    return Municipality.objects.select_related("province", "successor", "organisation").prefetch_related(
        Prefetch("predecessors", queryset=Municipality.objects.order_by("dissolved_on", "name"))
    )


def partner_organisation_list(*, user: User) -> OrganisationQuerySet:
    """Active partner organisations (not municipalities), by name."""
    return Organisation.objects.visible_to(user).active().partners().order_by("name", "pk")


def organisation_detail(*, user: User) -> OrganisationQuerySet:
    """Organisations ``user`` may see: active ones, plus their own requests (all of them for facilitators)."""
    return Organisation.objects.visible_to(user).select_related("municipality")


def membership_of(*, user: User, organisation: Organisation) -> Membership | None:
    """``user``'s membership of ``organisation``, to show "you are a member" instead of "become a member"."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()
