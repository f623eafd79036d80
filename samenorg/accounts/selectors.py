from django.db.models import QuerySet

from municipalities.models import Membership, MembershipRequest

from .models import User


def user_memberships(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def user_open_membership_requests(user: User) -> QuerySet[MembershipRequest]:
    return MembershipRequest.objects.pending().filter(user=user).select_related("organisation")


def membership_requests_to_decide(user: User) -> QuerySet[MembershipRequest]:
    return MembershipRequest.objects.decidable_by(user).select_related("user", "organisation").order_by("created_at")
