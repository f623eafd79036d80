"""Reads of the adoption register for the dashboard: the figures per status and per province, the rows
of the text table, the evolution per month and the register's version (what the map cache is keyed on).

Each costs a fixed number of queries however many municipalities have recorded. Shares are out of the
municipalities that exist today (not dissolved): one without an adoption is "not recorded".

``standard=None`` is the register over all standards. A municipality then counts under its most
advanced status across the standards (``OVERALL_RANK``): "in use" when it uses at least one standard,
else "implementing" when it implements one, and so on; "not adopting (explained)" only when that is
all it recorded."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from standards.models import Adoption, AdoptionStatus, Standard

NOT_RECORDED = "none"

# The order of legends, table columns and bar segments: from using to not recorded.
STATUS_ORDER: tuple[str, ...] = (
    AdoptionStatus.IN_USE.value,
    AdoptionStatus.IMPLEMENTING.value,
    AdoptionStatus.PLANNED.value,
    AdoptionStatus.PHASED_OUT.value,
    AdoptionStatus.EXPLAIN.value,
    NOT_RECORDED,
)

# Over all standards a municipality shows its most advanced status: the earlier in STATUS_ORDER, the
# further along (explained non-adoption ranks lowest of the recorded ones).
OVERALL_RANK: dict[str, int] = {status: len(STATUS_ORDER) - 1 - index for index, status in enumerate(STATUS_ORDER[:-1])}


def status_label(status: str) -> str:
    """The status in the active language ("in gebruik"); "not recorded" for a municipality without one."""
    if status == NOT_RECORDED:
        return _("not recorded")
    return str(AdoptionStatus(status).label)


def _percentage(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int
    share: float  # percent of the municipalities it is counted out of

    @property
    def label(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class BarSegment:
    """A piece of a stacked bar, in percent of its length, as SVG attribute values (never localised)."""

    status: str
    x: str
    width: str


def _status_counts(counts: Counter[str], total: int) -> list[StatusCount]:
    return [StatusCount(status, counts[status], _percentage(counts[status], total)) for status in STATUS_ORDER]


@dataclass(frozen=True)
class ProvinceFigures:
    code: str
    name: str
    total: int
    statuses: list[StatusCount]

    @property
    def segments(self) -> list[BarSegment]:
        segments, start = [], 0.0
        for item in self.statuses:
            if item.count:
                segments.append(BarSegment(item.status, f"{start:.2f}", f"{item.share:.2f}"))
                start += item.share
        return segments


@dataclass(frozen=True)
class AdoptionFigures:
    total: int
    statuses: list[StatusCount]
    provinces: list[ProvinceFigures]

    def count(self, status: str) -> int:
        return next(item.count for item in self.statuses if item.status == status)

    @property
    def recorded(self) -> int:
        return self.total - self.count(NOT_RECORDED)

    @property
    def segments(self) -> list[BarSegment]:
        return ProvinceFigures("", "", self.total, self.statuses).segments


def adoption_status(standard: Standard | None = None) -> Subquery:
    """For ``Municipality.objects.annotate(adoption_status=...)``: the municipality's status on
    ``standard``, or over all standards its most advanced one; None when not recorded."""
    adoptions = Adoption.objects.filter(organisation__municipality=OuterRef("pk")).order_by()
    if standard is not None:
        adoptions = adoptions.filter(standard=standard)
    else:
        rank = Case(
            *(When(status=status, then=Value(value)) for status, value in OVERALL_RANK.items()),
            default=Value(0),
            output_field=IntegerField(),
        )
        adoptions = adoptions.annotate(rank=rank).order_by("-rank")
    return Subquery(adoptions.values("status")[:1])


def adoption_figures(standard: Standard | None = None) -> AdoptionFigures:
    """Counts and shares per status, nationally and per province (by name). One query."""
    grouped = (
        Municipality.objects.current()
        .annotate(adoption_status=adoption_status(standard))
        .order_by()
        .values("province__code", "province__name", "adoption_status")
        .annotate(count=Count("pk"))
    )
    national: Counter[str] = Counter()
    provinces: dict[tuple[str, str], Counter[str]] = {}
    for row in grouped:
        status = row["adoption_status"] or NOT_RECORDED
        national[status] += row["count"]
        provinces.setdefault((row["province__name"], row["province__code"]), Counter())[status] += row["count"]
    total = national.total()
    return AdoptionFigures(
        total=total,
        statuses=_status_counts(national, total),
        provinces=[
            ProvinceFigures(code, name, counts.total(), _status_counts(counts, counts.total()))
            for (name, code), counts in sorted(provinces.items())
        ],
    )


@dataclass(frozen=True)
class AdoptionRow:
    """One line of the table next to the map."""

    code: str
    name: str
    slug: str
    province: str
    status: str
    version: str | None = None
    since: datetime.date | None = None
    reason: str = ""

    @property
    def label(self) -> str:
        return status_label(self.status)

    @property
    def url(self) -> str:
        return reverse("municipalities:detail", kwargs={"slug": self.slug})


def current_municipality_count() -> int:
    """How many municipalities exist today: what every share is out of."""
    return Municipality.objects.current().count()


def adoption_rows(standard: Standard | None = None, *, status: str | None = None) -> list[AdoptionRow]:
    """Every current municipality by name (only those with ``status`` when given, ``NOT_RECORDED``
    included), with its status, and for one standard the version it implements or uses, since when
    and its reason. One query."""
    if standard is None:
        overall = Municipality.objects.current().annotate(adoption_status=adoption_status())
        if status == NOT_RECORDED:
            overall = overall.filter(adoption_status__isnull=True)
        elif status is not None:
            overall = overall.filter(adoption_status=status)
        return [
            AdoptionRow(code, name, slug, province, found or NOT_RECORDED)
            for code, name, slug, province, found in overall.order_by("name", "code").values_list(
                "code", "name", "slug", "province__name", "adoption_status"
            )
        ]
    rows = Municipality.objects.current().annotate(
        adoption=FilteredRelation("organisation__adoptions", condition=Q(organisation__adoptions__standard=standard))
    )
    if status == NOT_RECORDED:
        rows = rows.filter(adoption__status__isnull=True)
    elif status is not None:
        rows = rows.filter(adoption__status=status)
    values = rows.order_by("name", "code").values_list(
        "code",
        "name",
        "slug",
        "province__name",
        "adoption__status",
        "adoption__version__major",
        "adoption__version__minor",
        "adoption__version__patch",
        "adoption__since",
        "adoption__reason",
    )
    return [
        AdoptionRow(
            code,
            name,
            slug,
            province,
            found or NOT_RECORDED,
            version=f"{major}.{minor}.{patch}" if major is not None else None,
            since=since,
            reason=reason or "",
        )
        for code, name, slug, province, found, major, minor, patch, since, reason in values
    ]


@dataclass(frozen=True)
class EvolutionMonth:
    """Where the register stood at the end of a month: adoptions per status (not-recorded is left out:
    how many municipalities existed in a past month is not in the register)."""

    month: datetime.date  # the first day
    statuses: list[StatusCount] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return sum(item.count for item in self.statuses)


def _adoption_history() -> QuerySet[Any]:
    """Every row of the adoption history (pghistory makes the model from ``@tracked()``; it has no class
    statement to import)."""
    return apps.get_model("standards", "AdoptionHistory")._default_manager.all()


def adoption_evolution(standard: Standard | None = None) -> list[EvolutionMonth]:
    """Per month, from the first change in the register to this month, the adoptions per status at the
    month's end, replayed from the change history (inserts, updates and deletes). Over all standards a
    municipality counts once, under its most advanced status. One query."""
    history = _adoption_history().order_by("pgh_created_at", "pgh_id")
    if standard is not None:
        history = history.filter(standard_id=standard.pk)
    changes = history.values_list("pgh_obj_id", "organisation_id", "status", "pgh_label", "pgh_created_at")

    current: dict[int, tuple[int, str]] = {}  # adoption id → (organisation id, status)
    months: list[EvolutionMonth] = []
    month: datetime.date | None = None  # the month being replayed
    for adoption_id, organisation_id, status, label, created_at in changes:
        changed_in = timezone.localdate(created_at).replace(day=1)
        if month is not None and changed_in > month:
            months.extend(_months_at(current, month, changed_in, overall=standard is None))
        month = changed_in if month is None else max(month, changed_in)
        if label == "delete":
            current.pop(adoption_id, None)
        else:
            current[adoption_id] = (organisation_id, status)
    if month is not None:
        until = _next_month(max(month, timezone.localdate().replace(day=1)))
        months.extend(_months_at(current, month, until, overall=standard is None))
    return months


def _months_at(
    current: dict[int, tuple[int, str]], first: datetime.date, until: datetime.date, *, overall: bool
) -> list[EvolutionMonth]:
    """The state ``current`` for ``first`` and each following month before ``until`` (no changes in those)."""
    counts = _state_counts(current, overall=overall)
    statuses = [StatusCount(s, counts[s], _percentage(counts[s], counts.total())) for s in STATUS_ORDER[:-1]]
    months = []
    while first < until:
        months.append(EvolutionMonth(first, statuses))
        first = _next_month(first)
    return months


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _state_counts(current: dict[int, tuple[int, str]], *, overall: bool) -> Counter[str]:
    if not overall:
        return Counter(status for _, status in current.values())
    best: dict[int, str] = {}
    for organisation_id, status in current.values():
        if OVERALL_RANK[status] > OVERALL_RANK.get(best.get(organisation_id, ""), 0):
            best[organisation_id] = status
    return Counter(best.values())


def adoption_register_version(standard: Standard | None = None) -> tuple[int, int]:
    """A fingerprint of the register (of one standard, or of all) that changes with every insert,
    update and delete, whatever made it (a service, the admin, ``QuerySet.update()``, a cascade): the
    number and the sum of the ids of its history rows. History only grows, so a change committed late
    (its id lower than one already seen) still changes both; ``Max(updated_at)`` would miss that, and
    ``update()`` leaves ``updated_at`` alone. One query."""
    history = _adoption_history()
    if standard is not None:
        history = history.filter(standard_id=standard.pk)
    result = history.aggregate(count=Count("pgh_id"), ids=Sum("pgh_id"))
    return result["count"], result["ids"] or 0
