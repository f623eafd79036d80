"""Selectors for browsing initiatives: Dutch full-text search, facet counts and the rows of a page.

Every function takes a queryset that already starts from ``Initiative.objects.visible_to(user)``;
none of them widens it.

Facet counts are two SQL queries whatever the filters (see ``facet_counts``); they also yield the
total of the filtered list, so the paginator does not count again. The list view caches them (and the
rendered list) under ``listing_cache_key``: the listing data version (``listing_version``, changed by
database triggers in the transaction of every write to what the list reads), who sees which rows
(``InitiativeQuerySet.visibility_key``) and the state of the list. A cached count is therefore exact:
a write makes a new version, and so new keys, at the moment it commits.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, F, OuterRef, Q, QuerySet, Value, When

from initiatives.models import CollaborationRole, Initiative, InitiativePhase, Theme
from municipalities.models import Municipality, Organisation, Province

SEARCH_CONFIG = "dutch"
FACETS = ("theme", "phase", "province", "municipality", "rolesSought")


def listing_version() -> str:
    """The version of every row the facet counts read (migration 0004 keeps it: a statement-level trigger on
    initiatives, their theme links, themes, organisations, municipalities and provinces). One cheap query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, stamp FROM initiatives_listing_version")
        version, stamp = cursor.fetchone()
    return f"{version}-{stamp.hex}"


def facet_state(search_text: str, selected: dict[str, Any], taking_part: list[int] | None) -> dict[str, Any]:
    """What the facet counts depend on besides the rows: the search text, the chosen facet values in a
    normal form (sorted slugs), so that the order of parameters, the sort order and the page do not count,
    and for "my organisation takes part" the ids of those organisations (``taking_part``, sorted).
    ``selected`` is the FilterSet's cleaned data."""
    facets = {name: sorted(_as_values(selected.get(name))) for name in FACETS}
    return {"q": search_text, **facets, "takingPart": taking_part}


def listing_cache_key(kind: str, *, version: str, visibility: str, language: str, state: Any) -> str:
    """A cache key for something computed from the visible rows: exact as long as the data version
    (``listing_version``), the visibility class (``InitiativeQuerySet.visibility_key``), the language
    of the labels and the ``state`` (JSON-serialisable) it was computed for are the same."""
    digest = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:32]
    return f"initiatives:list:{kind}:{version}:{visibility}:{language}:{digest}"


def owned_in_municipality(municipality_id: int) -> Q:
    # A subquery, not a join: partners have no municipality and must not drop out of other counts.
    return Q(owner_id__in=Organisation.objects.filter(municipality_id=municipality_id).values("pk"))


def owned_in_province(province_id: int) -> Q:
    return Q(owner_id__in=Organisation.objects.filter(municipality__province_id=province_id).values("pk"))


def taken_part_in_by(organisation_ids: Iterable[int]) -> Q:
    """Initiatives one of these organisations takes part in, in any role (the owner is the initiator).
    Participations are in the listing data version too (collaboration migration 0004)."""
    from collaboration.models import Participation

    ids = list(organisation_ids)
    if not ids:  # compiled into the facet SQL, where an empty IN () cannot be written
        return Q(Value(False, output_field=BooleanField()))
    return Q(pk__in=Participation.objects.active().filter(organisation_id__in=ids).values("initiative_id"))


def matching(queryset: QuerySet[Initiative], text: str) -> QuerySet[Initiative]:
    """Initiatives whose stored Dutch search vector matches ``text`` (web search syntax: words,
    "phrases", -exclusions, or), with their relevance as ``rank``. No text: all, ranked 0."""
    if not text:
        return queryset.annotate(rank=Value(0.0))
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def has_any_theme(slugs: Iterable[str]) -> Q:
    # Uncorrelated (IN, not EXISTS): PostgreSQL hashes the linked ids once instead of probing per row.
    through = Initiative.themes.through
    return Q(pk__in=through.objects.filter(theme__slug__in=list(slugs)).values("initiative_id"))


def with_theme_names(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Theme names as an array column: a page of rows costs one query, not one plus a prefetch."""
    names = Theme.objects.filter(initiatives=OuterRef("pk")).order_by("name").values("name")
    return queryset.annotate(theme_names=ArraySubquery(names))


def page_rows(queryset: QuerySet[Initiative]) -> QuerySet[Initiative, dict[str, Any]]:
    """What a result in the list shows, as plain values in one query (making model instances of a page
    cost more than reading it)."""
    return with_theme_names(queryset).values(
        "title", "slug", "summary", "phase", "status", "theme_names", owner_name=F("owner__name")
    )


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facets:
    total: int = 0
    options: dict[str, list[FacetOption]] = field(default_factory=dict)


def facet_counts(*, base: QuerySet[Initiative], conditions: dict[str, Q], selected: dict[str, Any]) -> Facets:
    """Counts per facet value over ``base`` (visible and searched), each facet applying every condition
    but its own, and the total with all of them. Two queries whatever the filters: ONE pass over the
    matching initiatives grouped by owner with a conditional count (``COUNT(*) FILTER (WHERE ...)``)
    per phase and role, for the municipality and province facets and for the total (municipality and
    province counts are summed from the owners here); and one grouping of the theme links of the rows
    that match every filter but the theme. (Counting the themes in the first pass with a hashed
    subquery per theme measured slower.)"""

    # Each condition is evaluated once per row, as a flag; the counts then only combine flags.
    flags = {
        f"flag_{name}": Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
        for name, condition in conditions.items()
    }
    flagged = base.annotate(**flags).order_by().values("owner_id", "phase", "roles_sought", *flags)
    flagged_sql, flagged_params = flagged.query.get_compiler(using=flagged.db).as_sql()

    def others(excluding: str | None = None) -> str:
        return " AND ".join(f'b."flag_{name}"' for name in conditions if name != excluding) or "TRUE"

    counts = [f"count(*) FILTER (WHERE {others()}) AS n_total"]
    counts += [f"count(*) FILTER (WHERE {others(name)}) AS n_{name}" for name in ("municipality", "province")]
    count_params: list[Any] = []
    for index, value in enumerate(InitiativePhase.values):
        counts.append(f"count(*) FILTER (WHERE {others('phase')} AND b.phase = %s) AS n_phase_{index}")
        count_params.append(value)
    for index, value in enumerate(CollaborationRole.values):
        counts.append(f"count(*) FILTER (WHERE {others('rolesSought')} AND %s = ANY(b.roles_sought)) AS n_role_{index}")
        count_params.append(value)
    # OFFSET 0 keeps the flags a subquery of their own: pulled up, each flag's subquery would be planned
    # again inside every count that uses it (measured: minutes at 10,000 rows with three filters).
    owner_sql = f"SELECT b.owner_id, {', '.join(counts)} FROM ({flagged_sql} OFFSET 0) b GROUP BY b.owner_id"  # noqa: S608
    owner_params = (*count_params, *flagged_params)

    themed = base
    for name, condition in conditions.items():
        if name != "theme":
            themed = themed.filter(condition)
    themed = themed.order_by().values("pk")
    themed_sql, themed_params = themed.query.get_compiler(using=themed.db).as_sql()

    q = connection.ops.quote_name
    organisation, municipality = Organisation._meta.db_table, Municipality._meta.db_table
    province, theme = Province._meta.db_table, Theme._meta.db_table
    through = Initiative.themes.through._meta.db_table
    # The names are joined to the few aggregated rows, not to every initiative.
    owners = f"""
        SELECT m.slug AS municipality_slug, m.name AS municipality_name,
               p.slug AS province_slug, p.name AS province_name, a.*
          FROM ({owner_sql}) a
          JOIN {q(organisation)} o ON o.id = a.owner_id
          LEFT JOIN {q(municipality)} m ON m.id = o.municipality_id
          LEFT JOIN {q(province)} p ON p.id = m.province_id
    """  # noqa: S608 (identifiers are the models' table names; values are parameters)
    # Grouped by the theme id before the names are joined: grouping the links by name took twice as long.
    themes = f"""
        SELECT t.slug, t.name, coalesce(c.n, 0)
          FROM {q(theme)} t
          LEFT JOIN (SELECT tt.theme_id, count(*) AS n
                       FROM {q(through)} tt
                      WHERE tt.initiative_id IN ({themed_sql})
                      GROUP BY tt.theme_id) c ON c.theme_id = t.id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(owners, owner_params)
        names = [column.name for column in cursor.description]
        owner_rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(themes, themed_params)
        theme_rows = cursor.fetchall()
    return _shape(owner_rows, theme_rows, selected)


def _shape(
    owner_rows: list[dict[str, Any]], theme_rows: list[tuple[str, str, int]], selected: dict[str, Any]
) -> Facets:
    chosen = {name: _as_values(selected.get(name)) for name in FACETS}
    facets = Facets(total=sum(row["n_total"] for row in owner_rows))

    def options(facet: str, choices: Iterable[tuple[str, str]], key: str) -> list[FacetOption]:
        return [
            FacetOption(value, str(label), sum(row[f"{key}_{index}"] for row in owner_rows), value in chosen[facet])
            for index, (value, label) in enumerate(choices)
        ]

    facets.options["phase"] = options("phase", InitiativePhase.choices, "n_phase")
    facets.options["rolesSought"] = options("rolesSought", CollaborationRole.choices, "n_role")

    for facet in ("municipality", "province"):
        totals: dict[str, list[Any]] = {}
        for row in owner_rows:
            slug = row[f"{facet}_slug"]
            if slug is not None:
                totals.setdefault(slug, [row[f"{facet}_name"], 0])[1] += row[f"n_{facet}"]
        chosen_object = selected.get(facet)
        if chosen_object is not None and chosen_object.slug not in totals:
            totals[chosen_object.slug] = [chosen_object.name, 0]
        facets.options[facet] = sorted(
            (FacetOption(slug, label, count, slug in chosen[facet]) for slug, (label, count) in totals.items()),
            key=lambda option: option.label.lower(),
        )
    facets.options["theme"] = sorted(
        (FacetOption(slug, label, count, slug in chosen["theme"]) for slug, label, count in theme_rows),
        key=lambda option: option.label.lower(),
    )
    return facets


def _as_values(value: Any) -> set[str]:
    if not value:
        return set()
    if isinstance(value, (list, tuple, set)):
        return {str(item) for item in value}
    return {getattr(value, "slug", str(value))}
