"""Who hears of an event, why, and how often: one set-based query per event, however many people.

Who is a candidate:
- the followers of its subject with their own frequency (``collaboration.selectors_follow``): of the
  initiative (a row of their own, their organisation taking part, a theme, the owner's municipality) or
  of the standard. Members of an organisation taking part come with the reason ``participant``;
- for a request to join or for another role (``participation.requested``, ``.withdrawn``,
  ``.declined``) only the people it concerns: the initiator's members, who decide, and the asking
  organisation's members. Such a request is not news for the followers;
- for a nomination, the facilitators, who review it;
- for a new version of a standard, the members of the municipalities that adopt an older version of it
  (implementing or using one: only those name a version).

The roles above (initiator, asking organisation, facilitator, adopter) are duties or news of one's own,
so they reach a person who follows nothing: at their default ``User.follow_frequency``. That default may
be ``off``: then the notification is in the inbox only (frequency ``off``, no e-mail and no digest), and
the same holds for a person who silenced the subject itself (their follow row on it says ``off``).
Following through one's organisation is a follow, not a duty: an opt-out or a default of ``off`` ends it.

Then, whoever the candidates are: never a user who may not see the event (``users_who_may_see``), never
the actor, never an inactive account, and one row per user: the strongest reason (in the order of
``NotificationReason``) and the most frequent frequency among their matches.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from collaboration.models import EDITING_ROLES, Follow, Participation
from collaboration.selectors_follow import RANKS, initiative_followers, participating_organisations, standard_followers
from initiatives.models import Initiative
from initiatives.models.initiative import PUBLIC_STATUSES
from municipalities.models import Membership
from samenorg.accounts.models import Frequency, User
from samenorg.events.models import Event, EventAudience
from standards.models import Adoption, Standard
from standards.models.adoption import ADOPTING_STATUSES

from .models import NotificationReason

REASON_RANKS = {reason: rank for rank, reason in enumerate(NotificationReason.values, start=1)}
FREQUENCY_RANKS = {**{frequency.value: rank for frequency, rank in RANKS.items()}, Frequency.OFF.value: len(RANKS) + 1}

PRIVATE_REQUEST_TYPES = frozenset({"participation.requested", "participation.withdrawn", "participation.declined"})
NOMINATION_TYPES = frozenset({"nomination.submitted", "nomination.transitioned", "nomination.decided"})


@dataclass(frozen=True)
class Recipient:
    user_id: int
    reason: str
    frequency: str


def recipients(event: Event) -> list[Recipient]:
    """The recipients of ``event``, ordered by user id. One query (plus loading the subject)."""
    sql, params = recipients_sql(event)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY user_id", params)
        return [Recipient(*row) for row in cursor.fetchall()]


def recipients_sql(event: Event) -> tuple[str, list[Any]]:
    """A SELECT of ``(user_id, reason, frequency)``, one row per recipient of ``event``: the source of the
    fan-out's INSERT ... SELECT, so that 10,000 recipients cost what 3 do."""
    parts = [source.order_by().query.sql_with_params() for source in _candidates(event)]
    audience = users_who_may_see(event).order_by().values("pk")
    if event.actor_user_id is not None:
        audience = audience.exclude(pk=event.actor_user_id)
    audience_sql, audience_params = audience.query.sql_with_params()
    union = " UNION ALL ".join(f"({sql})" for sql, _params in parts)
    sql = f"""
        SELECT candidate.user_id,
               (%s::text[])[min(candidate.reason_rank)] AS reason,
               (%s::text[])[min(candidate.frequency_rank)] AS frequency
          FROM ({union}) AS candidate (user_id, reason_rank, frequency_rank)
         WHERE candidate.user_id IN ({audience_sql})
         GROUP BY candidate.user_id
    """  # noqa: S608 (composed of compiled querysets; values are parameters)
    params: list[Any] = [_by_rank(REASON_RANKS), _by_rank(FREQUENCY_RANKS)]
    for _sql, part_params in parts:
        params.extend(part_params)
    params.extend(audience_params)
    return sql, params


def users_who_may_see(event: Event) -> QuerySet[User]:
    """The active users for whom ``Event.objects.visible_to(user)`` holds ``event``, as one query: the
    same rule, turned around from "what may this user see" to "who may see this event"."""
    users = User.objects.filter(is_active=True)
    facilitators = Q(pk__in=User.objects.facilitators().values("pk"))
    if event.audience == EventAudience.FACILITATORS:
        return users.filter(facilitators)
    if event.audience == EventAudience.PARTICIPANTS:
        organisations = Q(organisation_id=event.organisation_id)
        if event.initiative_id is not None:
            taking_part = Participation.objects.active().filter(initiative_id=event.initiative_id)
            organisations |= Q(organisation__in=taking_part.values("organisation"))
        if event.participation_id is not None:
            concerned = Participation.objects.filter(pk=event.participation_id).values("organisation")
            organisations |= Q(organisation__in=concerned)
        return users.filter(facilitators | Q(pk__in=Membership.objects.filter(organisations).values("user")))
    if event.initiative_id is None:
        return users
    return users.filter(facilitators | Q(pk__in=_who_may_see_initiative(event.initiative_id)))


def _who_may_see_initiative(initiative_id: int) -> QuerySet:
    """User ids for whom ``Initiative.objects.visible_to`` holds the initiative: everyone's when it is
    public, else its editors' (members of the owner and of co-developers taking part)."""
    public = Initiative.objects.filter(pk=initiative_id, status__in=PUBLIC_STATUSES)
    owner = Initiative.objects.filter(pk=initiative_id).values("owner")
    co_developers = Participation.objects.active().filter(initiative_id=initiative_id, role__in=EDITING_ROLES)
    editors = Membership.objects.filter(
        Q(organisation__in=owner) | Q(organisation__in=co_developers.values("organisation"))
    )
    return User.objects.filter(Q(Exists(public)) | Q(pk__in=editors.values("user"))).values("pk")


def _candidates(event: Event) -> list[QuerySet]:
    """Each rule as a query of ``(user id, reason rank, frequency rank)``; a user may come from several."""
    if event.initiative_id is not None:
        initiative = Initiative.objects.get(pk=event.initiative_id)
        silenced = Follow.objects.filter(user=OuterRef("pk"), initiative=initiative, frequency=Frequency.OFF)
        if event.type in PRIVATE_REQUEST_TYPES:
            asking = Participation.objects.filter(events=event).values("organisation")
            return [
                _by_role(Q(memberships__organisation_id=initiative.owner_id), NotificationReason.INITIATOR, silenced),
                _by_role(Q(memberships__organisation__in=asking), NotificationReason.PARTICIPANT, silenced),
            ]
        sources = [_initiative_followers(initiative)]
        if event.type in NOMINATION_TYPES:
            sources.append(
                _by_role(Q(pk__in=User.objects.facilitators().values("pk")), NotificationReason.FACILITATOR, silenced)
            )
        return sources
    standard = Standard.objects.get(events=event)
    silenced = Follow.objects.filter(user=OuterRef("pk"), standard=standard, frequency=Frequency.OFF)
    sources = [_standard_followers(standard)]
    if event.type == "standard.version_released":
        adopting = _adopting_an_older_version(standard, str(event.payload.get("version", "")))
        sources.append(_by_role(Q(memberships__organisation__in=adopting), NotificationReason.ADOPTER, silenced))
    return sources


def _initiative_followers(initiative: Initiative) -> QuerySet:
    member_of_participant = Membership.objects.filter(
        user=OuterRef("pk"), organisation__in=participating_organisations(initiative)
    )
    return (
        initiative_followers(initiative)
        .annotate(
            reason_rank=Case(
                When(Exists(member_of_participant), then=Value(REASON_RANKS[NotificationReason.PARTICIPANT])),
                default=Value(REASON_RANKS[NotificationReason.FOLLOWER]),
                output_field=IntegerField(),
            )
        )
        .values_list("pk", "reason_rank", "follow_rank")
    )


def _standard_followers(standard: Standard) -> QuerySet:
    return (
        standard_followers(standard)
        .annotate(reason_rank=Value(REASON_RANKS[NotificationReason.FOLLOWER]), frequency_rank=_ranked("frequency"))
        .values_list("pk", "reason_rank", "frequency_rank")
    )


def _by_role(who: Q, reason: str, silenced: QuerySet[Follow]) -> QuerySet:
    """Users matching ``who``, for ``reason``, at their default frequency, or ``off`` where they silenced
    the subject."""
    return (
        User.objects.filter(who)
        .annotate(
            reason_rank=Value(REASON_RANKS[reason]),
            frequency_rank=Case(
                When(Exists(silenced), then=Value(FREQUENCY_RANKS[Frequency.OFF])),
                default=_ranked("follow_frequency"),
                output_field=IntegerField(),
            ),
        )
        .values_list("pk", "reason_rank", "frequency_rank")
    )


def _adopting_an_older_version(standard: Standard, number: str) -> QuerySet:
    """The organisations whose adoption of ``standard`` names a version before ``number``."""
    try:
        major, minor, patch = (int(part) for part in number.split("."))
    except ValueError:
        return Adoption.objects.none().values("organisation")
    older = (
        Q(version__major__lt=major)
        | Q(version__major=major, version__minor__lt=minor)
        | Q(version__major=major, version__minor=minor, version__patch__lt=patch)
    )
    return Adoption.objects.filter(older, standard=standard, status__in=ADOPTING_STATUSES).values("organisation")


def _ranked(frequency_field: str) -> Case:
    whens = [When(**{frequency_field: frequency}, then=Value(rank)) for frequency, rank in FREQUENCY_RANKS.items()]
    return Case(*whens, default=Value(FREQUENCY_RANKS[Frequency.OFF]), output_field=IntegerField())


def _by_rank(ranks: dict[str, int]) -> list[str]:
    return [value for value, _rank in sorted(ranks.items(), key=lambda item: item[1])]
