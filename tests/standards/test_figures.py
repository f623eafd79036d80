"""Dashboard figures of the adoption register: shares per status and province, the table rows, the
evolution per month and the register's version, each at a fixed number of queries."""

import datetime
import itertools
from collections import Counter

import pytest
from django.apps import apps
from django.utils import timezone

from municipalities.models import Municipality, Organisation
from standards.models import Adoption
from standards.selectors import (
    NOT_RECORDED,
    STATUS_ORDER,
    adoption_evolution,
    adoption_figures,
    adoption_register_version,
    adoption_rows,
    current_municipality_count,
)
from tests.factories import MunicipalOrganisationFactory, StandardFactory, StandardVersionFactory

pytestmark = pytest.mark.django_db
SINCE = datetime.date(2025, 6, 1)
CYCLE = ["in_use", "implementing", "planned", "phased_out", "explain", None, None]


def adopt(organisation, standard, status, **fields):
    return Adoption.objects.create(
        organisation=organisation,
        standard=standard,
        status=status,
        reason="Wij gebruiken een eigen voorziening." if status == "explain" else "",
        since=SINCE,
        **fields,
    )


def record_all(standard, statuses=CYCLE, version=None):
    """Every municipality gets ``statuses[i % len]`` (None: nothing recorded), in one bulk insert."""
    organisations = Organisation.objects.filter(municipality__isnull=False).order_by("municipality__code")
    adoptions = [
        Adoption(
            organisation=organisation,
            standard=standard,
            status=status,
            reason="Wij gebruiken een eigen voorziening." if status == "explain" else "",
            version=version if status in ("in_use", "implementing") else None,
            since=SINCE,
        )
        for index, organisation in enumerate(organisations)
        if (status := statuses[index % len(statuses)])
    ]
    Adoption.objects.bulk_create(adoptions)
    return adoptions


def test_figures_count_all_current_municipalities_and_agree_with_the_rows(municipalities):
    standard = StandardFactory()
    record_all(standard)
    figures = adoption_figures(standard)
    rows = adoption_rows(standard)

    assert figures.total == len(rows) == 342
    by_status = Counter(row.status for row in rows)
    assert [item.status for item in figures.statuses] == list(STATUS_ORDER)
    assert {item.status: item.count for item in figures.statuses} == {s: by_status[s] for s in STATUS_ORDER}
    assert figures.count(NOT_RECORDED) == 2 * (342 // 7) + 1  # two of every seven; 342 = 48·7 + 6
    assert figures.recorded == 342 - figures.count(NOT_RECORDED)
    assert sum(item.share for item in figures.statuses) == pytest.approx(100)
    assert figures.statuses[0].share == pytest.approx(100 * by_status["in_use"] / 342)


def test_figures_per_province_agree_with_the_rows(municipalities):
    standard = StandardFactory()
    record_all(standard)
    figures = adoption_figures(standard)
    rows = adoption_rows(standard)

    assert len(figures.provinces) == 12
    assert [p.name for p in figures.provinces] == sorted(p.name for p in figures.provinces)
    assert sum(p.total for p in figures.provinces) == 342
    for province in figures.provinces:
        counts = Counter(row.status for row in rows if row.province == province.name)
        assert province.total == counts.total()
        assert {item.status: item.count for item in province.statuses} == {s: counts[s] for s in STATUS_ORDER}
        assert sum(item.share for item in province.statuses) == pytest.approx(100)
    utrecht = next(p for p in figures.provinces if p.code == "PV26")
    assert utrecht.name == "Utrecht"
    assert utrecht.total == Municipality.objects.filter(province__code="PV26").count()


def test_bar_segments_follow_each_other_and_fill_the_bar(municipalities):
    standard = StandardFactory()
    record_all(standard)
    for province in adoption_figures(standard).provinces:
        segments = province.segments
        assert [s.status for s in segments] == [i.status for i in province.statuses if i.count]
        for before, after in itertools.pairwise(segments):
            assert float(after.x) == pytest.approx(float(before.x) + float(before.width), abs=0.02)
        assert float(segments[-1].x) + float(segments[-1].width) == pytest.approx(100, abs=0.02)


def test_with_nothing_recorded_every_municipality_is_not_recorded(municipalities):
    figures = adoption_figures(StandardFactory())
    assert figures.count(NOT_RECORDED) == figures.total == 342
    assert figures.recorded == 0


def test_a_dissolved_municipality_and_another_standard_do_not_count():
    standard, other = StandardFactory(), StandardFactory()
    current, dissolved = MunicipalOrganisationFactory(), MunicipalOrganisationFactory()
    Municipality.objects.filter(pk=dissolved.municipality_id).update(
        dissolved_on=SINCE, successor=current.municipality_id
    )
    adopt(current, other, "in_use")
    adopt(dissolved, standard, "in_use")

    figures = adoption_figures(standard)
    assert figures.total == 1
    assert figures.count(NOT_RECORDED) == 1
    assert [(row.code, row.status) for row in adoption_rows(standard)] == [(current.municipality.code, NOT_RECORDED)]


def test_rows_show_status_version_and_since_by_municipality_name():
    standard = StandardFactory()
    version = StandardVersionFactory(standard=standard, major=1, minor=10, patch=2)
    using, planning, silent = (
        MunicipalOrganisationFactory(municipality__name=n) for n in ("Bunnik", "Aalsmeer", "Zeist")
    )
    adopt(using, standard, "in_use", version=version)
    adopt(planning, standard, "planned")

    rows = adoption_rows(standard)
    assert [(r.name, r.status, r.label, r.version, r.since) for r in rows] == [
        ("Aalsmeer", "planned", "gepland", None, SINCE),
        ("Bunnik", "in_use", "in gebruik", "1.10.2", SINCE),
        ("Zeist", NOT_RECORDED, "niet geregistreerd", None, None),
    ]
    assert rows[0].province == "Utrecht"
    assert rows[2].url == f"/gemeenten/{silent.municipality.slug}"


def test_rows_of_one_status_carry_the_reason_and_agree_with_the_figures(municipalities):
    standard = StandardFactory()
    record_all(standard)
    figures = adoption_figures(standard)
    for chosen in (standard, None):
        for status in STATUS_ORDER:
            rows = adoption_rows(chosen, status=status)
            assert {row.status for row in rows} <= {status}
            assert len(rows) == adoption_figures(chosen).count(status)
    explained = adoption_rows(standard, status="explain")
    assert len(explained) == figures.count("explain") > 0
    assert {row.reason for row in explained} == {"Wij gebruiken een eigen voorziening."}
    assert current_municipality_count() == figures.total == 342


def test_overall_a_municipality_counts_under_its_most_advanced_status():
    standards = [StandardFactory() for _ in range(3)]
    mixed, explaining, silent = (MunicipalOrganisationFactory() for _ in range(3))
    adopt(mixed, standards[0], "explain")
    adopt(mixed, standards[1], "in_use")
    adopt(mixed, standards[2], "planned")
    adopt(explaining, standards[0], "explain")
    adopt(explaining, standards[1], "phased_out")

    figures = adoption_figures()
    assert {item.status: item.count for item in figures.statuses if item.count} == {
        "in_use": 1,
        "phased_out": 1,
        NOT_RECORDED: 1,
    }
    assert {row.code: row.status for row in adoption_rows()} == {
        mixed.municipality.code: "in_use",
        explaining.municipality.code: "phased_out",
        silent.municipality.code: NOT_RECORDED,
    }


def test_each_figure_costs_one_query_with_all_342_recorded(municipalities, django_assert_num_queries):
    standard = StandardFactory()
    record_all(standard, statuses=["in_use", "implementing", "planned", "phased_out", "explain"])
    record_all(StandardFactory(), statuses=["planned"])
    for chosen in (standard, None):
        with django_assert_num_queries(1):
            figures = adoption_figures(chosen)
        with django_assert_num_queries(1):
            rows = adoption_rows(chosen)
        with django_assert_num_queries(1):
            evolution = adoption_evolution(chosen)
        with django_assert_num_queries(1):
            adoption_register_version(chosen)
        assert figures.count(NOT_RECORDED) == 0
        assert len(rows) == 342
        assert evolution[-1].recorded == 342


# -- evolution from the history ------------------------------------------------------------------------


def months_ago(count: int, day: int = 10) -> datetime.datetime:
    month = timezone.localdate().replace(day=1)
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(month.replace(day=day), datetime.time(12)))


def dated(adoption: Adoption, when: datetime.datetime) -> None:
    """Move the adoption's latest history row to ``when``, as if the change had been made then."""
    history = apps.get_model("standards", "AdoptionHistory").objects
    latest = history.filter(pgh_obj_id=adoption.pk).order_by("-pgh_id").first()
    history.filter(pgh_id=latest.pgh_id).update(pgh_created_at=when)


def test_evolution_replays_inserts_updates_and_deletes_per_month():
    standard = StandardFactory()
    first, second, third = (MunicipalOrganisationFactory() for _ in range(3))
    a = adopt(first, standard, "planned")
    dated(a, months_ago(4))
    b = adopt(second, standard, "planned")
    dated(b, months_ago(2, day=3))
    a.status = "in_use"
    a.save()
    dated(a, months_ago(2, day=20))
    c = adopt(third, standard, "implementing")
    dated(c, months_ago(1))
    b_pk = b.pk
    b.delete()
    history = apps.get_model("standards", "AdoptionHistory").objects
    history.filter(pgh_obj_id=b_pk, pgh_label="delete").update(pgh_created_at=months_ago(1, day=25))
    adopt(MunicipalOrganisationFactory(), StandardFactory(), "in_use")  # another standard: not counted

    evolution = adoption_evolution(standard)
    table = [(m.month, {i.status: i.count for i in m.statuses if i.count}) for m in evolution]
    assert table == [
        (months_ago(4).date().replace(day=1), {"planned": 1}),
        (months_ago(3).date().replace(day=1), {"planned": 1}),  # no change: carried over
        (months_ago(2).date().replace(day=1), {"in_use": 1, "planned": 1}),
        (months_ago(1).date().replace(day=1), {"in_use": 1, "implementing": 1}),
        (timezone.localdate().replace(day=1), {"in_use": 1, "implementing": 1}),
    ]
    assert [m.recorded for m in evolution] == [1, 1, 2, 2, 2]
    assert NOT_RECORDED not in {i.status for m in evolution for i in m.statuses}


def test_overall_evolution_counts_each_municipality_once_under_its_most_advanced_status():
    organisation = MunicipalOrganisationFactory()
    one, two = StandardFactory(), StandardFactory()
    dated(adopt(organisation, one, "explain"), months_ago(1))
    dated(adopt(organisation, two, "implementing"), months_ago(0, day=1))

    evolution = adoption_evolution()
    assert [{i.status: i.count for i in m.statuses if i.count} for m in evolution] == [
        {"explain": 1},
        {"implementing": 1},
    ]


def test_evolution_of_an_empty_register_is_empty():
    assert adoption_evolution(StandardFactory()) == []


# -- the register's version (what the map cache is keyed on) ------------------------------------------


def test_the_register_version_changes_with_every_kind_of_change_and_only_for_its_standard():
    standard, other = StandardFactory(), StandardFactory()
    organisation = MunicipalOrganisationFactory()
    versions = [adoption_register_version(standard)]
    adoption = adopt(organisation, standard, "planned")
    versions.append(adoption_register_version(standard))
    adoption.status = "implementing"
    adoption.save()
    versions.append(adoption_register_version(standard))
    Adoption.objects.filter(pk=adoption.pk).update(status="in_use")
    versions.append(adoption_register_version(standard))
    overall = adoption_register_version()
    adopt(MunicipalOrganisationFactory(), other, "planned")
    assert adoption_register_version(standard) == versions[-1]
    assert adoption_register_version() != overall
    adoption.delete()
    versions.append(adoption_register_version(standard))
    assert len(set(versions)) == len(versions) == 5
