from .geography import Municipality, Province
from .membership import Membership, MembershipRequest
from .organisation import Organisation, OrganisationDomain

__all__ = [
    "Membership",
    "MembershipRequest",
    "Municipality",
    "Organisation",
    "OrganisationDomain",
    "Province",
]
