"""Who follows what, in one place. Follows are private: these answer for one initiative or standard
(who is to hear of it) or for one user (what they follow), never "who follows what" for anyone to read.

A user follows an initiative when
- they have a follow row for it with a frequency other than ``off``; or
- they are a member of an organisation taking part in it (an active participation, any role) and
  have no row for it: then at their own default ``User.follow_frequency``. Nothing is copied, so
  joining starts it and leaving stops it; their row with ``off`` is the opt-out; or
- they follow one of its themes, or the municipality of its owner.
Several matches: the most frequent wins (immediately > daily > weekly). A row for the initiative
itself saying ``off`` silences it whatever else matches: "unfollow" on its page means "not this one".

A user follows a standard only by a row of their own (not ``off``): nobody follows one through an
organisation, a theme or a municipality.
"""

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from typing import cast
from urllib.parse import urlencode

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Least
from django.urls import reverse

from collaboration.models import Follow, Participation
from collaboration.models.follow import TARGETS
from initiatives.models import Initiative, Theme
from initiatives.models.initiative import PUBLIC_STATUSES
from municipalities.models import Membership, Municipality, Organisation
from samenorg.accounts.models import Frequency, User
from standards.models import Standard

Target = Initiative | Theme | Municipality | Standard

# Lower is more frequent; ``off`` has no rank, so it never wins and never counts as following.
RANKS = {Frequency.IMMEDIATELY: 1, Frequency.DAILY: 2, Frequency.WEEKLY: 3}


def _rank(frequency_field: str) -> Case:
    whens = [When(**{frequency_field: frequency}, then=Value(rank)) for frequency, rank in RANKS.items()]
    return Case(*whens, default=None, output_field=IntegerField())


def _frequency_of_rank(rank_field: str) -> Case:
    return Case(*(When(**{rank_field: rank}, then=Value(frequency.value)) for frequency, rank in RANKS.items()))


def default_frequency(user: User) -> str:
    """The frequency of a follow one starts: the user's setting, or daily when that says "off" (which
    means: follow nothing through my organisations; whoever clicks "follow" wants to hear something)."""
    return user.follow_frequency if user.follow_frequency != Frequency.OFF else Frequency.DAILY


def participating_organisations(initiative: Initiative) -> QuerySet[Organisation]:
    """The organisations whose members follow ``initiative`` without a row: those taking part now."""
    return Organisation.objects.filter(
        pk__in=Participation.objects.active().filter(initiative=initiative).values("organisation")
    )


def initiative_followers(initiative: Initiative) -> QuerySet[User]:
    """The active users who follow ``initiative`` (explicitly, through their organisation, a theme or
    the owner's municipality), each annotated with ``frequency``: how often they are to hear of it.
    One query. A draft's followers are limited to who may see it: the owner's members, as
    ``Initiative.objects.visible_to`` says."""
    own_row = Follow.objects.filter(user=OuterRef("pk"), initiative=initiative)
    member_of_participant = Membership.objects.filter(
        user=OuterRef("pk"), organisation__in=participating_organisations(initiative)
    )
    through_theme = Follow.objects.filter(user=OuterRef("pk"), theme__initiatives=initiative)
    through_municipality = Follow.objects.filter(
        user=OuterRef("pk"), municipality__organisation__initiatives=initiative
    )

    def best(rows: QuerySet[Follow]) -> Subquery:
        return Subquery(rows.annotate(rank=_rank("frequency")).order_by("rank").values("rank")[:1])

    # Who may follow it, one plain subquery per path: one Follow query OR-ing the three joins is estimated
    # at billions of rows and planned that way (benchmarks/RESULTS.md, fan-out).
    candidates = (
        Follow.objects.filter(initiative=initiative).values("user"),
        Follow.objects.filter(theme__initiatives=initiative).values("user"),
        Follow.objects.filter(municipality__organisation__initiatives=initiative).values("user"),
        Membership.objects.filter(organisation__in=participating_organisations(initiative)).values("user"),
    )
    followers = (
        User.objects.filter(is_active=True)
        .filter(reduce(operator.or_, (Q(pk__in=users) for users in candidates)))
        .exclude(Exists(own_row.filter(frequency=Frequency.OFF)))
        .annotate(
            follow_rank=Least(
                best(own_row),
                Case(When(Exists(member_of_participant) & ~Exists(own_row), then=_rank("follow_frequency"))),
                best(through_theme),
                best(through_municipality),
            )
        )
        .filter(follow_rank__isnull=False)
        .annotate(frequency=_frequency_of_rank("follow_rank"))
    )
    if initiative.status not in PUBLIC_STATUSES:
        followers = followers.filter(
            Exists(Membership.objects.filter(user=OuterRef("pk"), organisation_id=initiative.owner_id))
        )
    return followers


def standard_followers(standard: Standard) -> QuerySet[User]:
    """The active users who follow ``standard``, each annotated with ``frequency``: how often they are
    to hear of it (a new version, say). Only their own rows count; one saying ``off`` is no follow.
    One query; a user has at most one row for a standard, so nobody comes twice."""
    return (
        User.objects.filter(is_active=True, follows__standard=standard, follows__frequency__in=list(RANKS))
        .annotate(frequency=F("follows__frequency"))
        .order_by("pk")
    )


@dataclass
class FollowEntry:
    """One line of "my follows": a row of the user's own, or an initiative followed through
    organisations (``via``) without a row."""

    kind: str  # one of ``TARGETS``: "initiative", "theme", "municipality" or "standard"
    target: Target
    frequency: str
    via: list[Organisation] = field(default_factory=list)
    follow: Follow | None = None

    @property
    def is_derived(self) -> bool:
        return bool(self.via)

    @property
    def is_following(self) -> bool:
        return self.frequency != Frequency.OFF

    @property
    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label)


# How "my follows" is ordered: the things one works with before the groups they belong to.
KIND_ORDER = {"initiative": 0, "standard": 1, "theme": 2, "municipality": 3}


def user_follows(user: User) -> list[FollowEntry]:
    """What ``user`` follows, with its frequency: their rows (an opt-out shows as ``off``) and the
    initiatives they follow through their organisations. Two queries, however many."""
    visible = Initiative.objects.visible_to(user)
    rows = (
        Follow.objects.filter(user=user)
        .filter(Q(initiative__isnull=True) | Q(initiative__in=visible))
        .select_related(*TARGETS)
    )
    participations = (
        Participation.objects.active()
        .filter(organisation__memberships__user=user, initiative__in=visible)
        .select_related("initiative", "organisation")
        .order_by("organisation__name")
    )
    via: dict[int, list[Organisation]] = defaultdict(list)
    initiatives: dict[int, Initiative] = {}
    for participation in participations:
        via[participation.initiative_id].append(participation.organisation)
        initiatives[participation.initiative_id] = participation.initiative
    entries = []
    for row in rows:
        kind = next(name for name in TARGETS if getattr(row, f"{name}_id") is not None)
        through = via.pop(row.initiative_id, []) if row.initiative_id is not None else []
        entries.append(FollowEntry(kind, cast(Target, row.target), row.frequency, through, row))
    entries += [
        FollowEntry("initiative", initiatives[pk], user.follow_frequency, organisations)
        for pk, organisations in via.items()
    ]
    entries.sort(key=lambda entry: (KIND_ORDER[entry.kind], str(entry.target).lower()))
    return entries


def follow_state(user: User, target: Target) -> FollowEntry | None:
    """How ``user`` follows ``target`` (``None``: not at all, not even an opt-out). Two queries at most."""
    if not (user.is_authenticated and user.is_active):
        return None
    kind = kind_of(target)
    row = Follow.objects.filter(user=user, **{kind: target}).first()
    via: list[Organisation] = []
    if isinstance(target, Initiative):
        via = list(participating_organisations(target).filter(memberships__user=user).order_by("name"))
    if row is not None:
        return FollowEntry(kind, target, row.frequency, via, row)
    if via:
        return FollowEntry(kind, target, user.follow_frequency, via)
    return None


def kind_of(target: Target) -> str:
    if isinstance(target, Initiative):
        return "initiative"
    if isinstance(target, Theme):
        return "theme"
    if isinstance(target, Municipality):
        return "municipality"
    if isinstance(target, Standard):
        return "standard"
    raise TypeError(f"Nothing to follow in {type(target).__name__}")


def target_url(target: Target) -> str:
    """Where a followed thing is read: its page, or for a theme the initiatives in it."""
    if isinstance(target, Theme):
        return f"{reverse('initiatives:list')}?{urlencode({'theme': target.slug})}"
    return target.get_absolute_url()
