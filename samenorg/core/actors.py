"""Who acts: a person (later also a partner system's API key), always on behalf of an organisation."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from municipalities.models import Organisation
from samenorg.accounts.models import User


@dataclass(frozen=True)
class Actor:
    organisation: Organisation
    user: User | None = None

    @property
    def is_member(self) -> bool:
        """The person really belongs to the organisation they act for."""
        return self.user is not None and self.user.memberships.filter(organisation=self.organisation).exists()


def moderator_actor(user: User) -> Actor:
    """Facilitators moderate on behalf of their own organisation (VNG), whatever they act on."""
    membership = user.memberships.select_related("organisation").order_by("pk").first()
    if membership is None:
        raise PermissionDenied(_("Moderation acts on behalf of your organisation; join it first."))
    return Actor(organisation=membership.organisation, user=user)
