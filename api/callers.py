"""Who is calling, as the rest of the platform understands it: what they may see (the visibility
QuerySets, by organisation for a key, by person for a session, public for anyone else) and whom
they act for (an ``Actor``, which the services check as they do for the site's pages)."""

from dataclasses import dataclass
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.request import Request

from api.models import ApiKey
from collaboration.models import Participation
from collaboration.selectors import editor_actor
from initiatives.models import Initiative
from municipalities.models import Organisation
from samenorg.accounts.models import User
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from standards.models import Nomination


@dataclass(frozen=True)
class Caller:
    # Anonymous too: the visibility QuerySets ask ``is_authenticated``, as the site's views rely on.
    user: User
    api_key: ApiKey | None = None

    @classmethod
    def of(cls, request: Request) -> "Caller":
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        return cls(user=cast(User, request.user), api_key=api_key)

    @property
    def organisation(self) -> Organisation | None:
        """The organisation a key acts for; a person may act for any of theirs."""
        return self.api_key.organisation if self.api_key else None

    def initiatives(self) -> QuerySet[Initiative]:
        if self.api_key:
            return Initiative.objects.visible_to_organisation(self.api_key.organisation)
        return Initiative.objects.visible_to(self.user)

    def initiative_parts(self) -> list[QuerySet[Initiative]]:
        """``initiatives()`` as disjoint parts, for lists that read each on its own index (``api.merging``)."""
        if self.api_key:
            return list(Initiative.objects.visible_to_organisation_in_parts(self.api_key.organisation))
        return [Initiative.objects.visible_to(self.user)]

    def participations(self) -> QuerySet[Participation]:
        if self.api_key:
            return Participation.objects.visible_to_organisation(self.api_key.organisation)
        return Participation.objects.visible_to(self.user)

    def nominations(self) -> QuerySet[Nomination]:
        if self.api_key:
            return Nomination.objects.visible_to_organisation(self.api_key.organisation)
        return Nomination.objects.visible_to(self.user)

    def events(self) -> QuerySet[Event]:
        if self.api_key:
            return Event.objects.visible_to_organisation(self.api_key.organisation)
        return Event.objects.visible_to(self.user)

    def organisations(self) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(self.user)

    def member_of(self) -> list[int]:
        """The organisations "my organisation" stands for in filters (``takingPart=mine``)."""
        if self.api_key:
            return [self.api_key.organisation_id]
        if not self.user.is_authenticated:
            return []
        return sorted(self.user.memberships.values_list("organisation_id", flat=True))

    def editing(self, initiative: Initiative) -> Actor:
        """The actor of a change to ``initiative``: a key acts for its organisation; a person for the
        organisation they edit it for, as on the site."""
        if self.api_key is not None:
            return self.acting_for()
        return editor_actor(self.user, initiative)

    def acting_for(self, requested: Organisation | None = None, *, default: Organisation | None = None) -> Actor:
        """The actor of a write. A key always acts for its own organisation, and naming another is
        refused; a person acts for the organisation they name, else ``default``, else their only one."""
        if self.api_key is not None:
            if requested is not None and requested.pk != self.api_key.organisation_id:
                raise PermissionDenied(_("An API key acts for its own organisation only."))
            return Actor(organisation=self.api_key.organisation, api_key=self.api_key)
        organisation = requested or default
        if organisation is None:
            own = list(Organisation.objects.filter(memberships__user=self.user).order_by("pk")[:2])
            if len(own) != 1:
                raise ValidationError({"organisation": _("Say which of your organisations you act for.")})
            organisation = own[0]
        return Actor(organisation=organisation, user=self.user)
