"""Who acts: a person or a partner system's API key, always on behalf of an organisation."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from municipalities.models import Organisation
from samenorg.accounts.models import User

if TYPE_CHECKING:
    from api.models import ApiKey


@dataclass(frozen=True)
class Actor:
    organisation: Organisation
    user: User | None = None
    api_key: "ApiKey | None" = None

    @property
    def is_member(self) -> bool:
        """The person really belongs to the organisation they act for; or the key is that
        organisation's own, live and allowed to write: then it may do what a member may."""
        if self.api_key is not None:
            return self.api_key.organisation_id == self.organisation.pk and self.api_key.may_write
        return self.user is not None and self.user.memberships.filter(organisation=self.organisation).exists()


def moderator_actor(user: User) -> Actor:
    """Facilitators moderate on behalf of their own organisation (VNG), whatever they act on."""
    membership = user.memberships.select_related("organisation").order_by("pk").first()
    if membership is None:
        raise PermissionDenied(_("Moderation acts on behalf of your organisation; join it first."))
    return Actor(organisation=membership.organisation, user=user)
