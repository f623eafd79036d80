"""Reads shared by the collaboration pages and by the initiative pages that act for an editor."""

from django.db.models import Case, IntegerField, Q, Value, When

from collaboration.models import EDITING_ROLES, ParticipationStatus
from initiatives.models import Initiative
from municipalities.models import Organisation
from samenorg.accounts.models import User
from samenorg.core.actors import Actor


def editor_actor(user: User, initiative: Initiative) -> Actor:
    """The organisation ``user`` edits ``initiative`` for: the owner when they are one of its members,
    else the first (by name) of their organisations taking part as a co-developer.

    Someone who edits nothing gets the owner as organisation: the services then refuse them, as they
    refuse anyone who is not a member of the organisation they act for (one query either way)."""
    if not (user.is_authenticated and user.is_active):
        return Actor(organisation=initiative.owner)
    editing = (
        Organisation.objects.filter(memberships__user=user)
        .filter(
            Q(pk=initiative.owner_id)
            | Q(
                participations__initiative=initiative,
                participations__status=ParticipationStatus.ACTIVE,
                participations__role__in=EDITING_ROLES,
            )
        )
        .annotate(owner_first=Case(When(pk=initiative.owner_id, then=Value(0)), default=1, output_field=IntegerField()))
        .order_by("owner_first", "name")
        .first()
    )
    return Actor(organisation=editing or initiative.owner, user=user)
