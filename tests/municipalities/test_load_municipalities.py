import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from municipalities.models import Municipality, Organisation, Province
from municipalities.models.organisation import OrganisationKind, OrganisationStatus
from municipalities.services import reference_data
from municipalities.services.reference_data import municipalities_load
from municipalities.services.reference_files import DEFAULT_MUNICIPALITIES_FILE
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,province_code,province_name,population\n"
MERGERS_HEADER = "old_code,new_code,date\n"
UTRECHT = "GM0344,Utrecht,PV26,Utrecht,374238\n"
ZEIST = "GM0355,Zeist,PV26,Utrecht,\n"
AMSTERDAM = "GM0363,Amsterdam,PV27,Noord-Holland,\n"


def load(tmp_path, rows, mergers=""):
    municipalities_file = tmp_path / "gemeenten.csv"
    municipalities_file.write_text(HEADER + rows, encoding="utf-8")
    mergers_file = tmp_path / "mergers.csv"
    mergers_file.write_text(MERGERS_HEADER + mergers, encoding="utf-8")
    out = StringIO()
    call_command("load_municipalities", "--file", municipalities_file, "--mergers", mergers_file, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        list(Province.objects.order_by("code").values_list("code", "name", "slug")),
        list(
            Municipality.objects.order_by("code").values_list(
                "pk", "code", "name", "slug", "province__code", "population", "dissolved_on", "successor__code"
            )
        ),
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "slug", "kind", "status", "municipality")),
    )


def test_the_real_file_loads_342_municipalities_in_12_provinces_each_with_its_organisation():
    out = StringIO()
    call_command("load_municipalities", stdout=out)

    assert Municipality.objects.current().count() == 342
    assert Province.objects.count() == 12
    organisations = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, status=OrganisationStatus.ACTIVE)
    assert organisations.count() == 342
    utrecht = Municipality.objects.select_related("organisation", "province").get(code="GM0344")
    assert (utrecht.name, utrecht.slug, utrecht.province.code) == ("Utrecht", "utrecht", "PV26")
    assert (utrecht.organisation.name, utrecht.organisation.slug) == ("Gemeente Utrecht", "utrecht")
    assert Municipality.objects.get(code="GM0518").slug == "s-gravenhage"
    assert Province.objects.get(code="PV21").slug == "fryslan"
    assert out.getvalue().strip() == (
        "Municipalities: 342 created, 0 updated, 0 unchanged, 0 dissolved; provinces: 12 created, 0 updated."
    )


def test_a_second_run_changes_nothing_and_says_so():
    call_command("load_municipalities", stdout=StringIO())
    before = snapshot()
    out = StringIO()

    call_command("load_municipalities", stdout=out)

    assert snapshot() == before
    assert out.getvalue().strip() == "Nothing to change: 342 municipalities and 12 provinces are up to date."


def test_a_renamed_municipality_and_a_changed_province_are_updated(tmp_path):
    load(tmp_path, UTRECHT + ZEIST + AMSTERDAM)
    zeist = Municipality.objects.get(code="GM0355")

    out = load(tmp_path, UTRECHT + "GM0355,Zeist-Driebergen,PV27,Noord-Holland,\n" + AMSTERDAM.replace("374238", ""))

    zeist.refresh_from_db()
    assert (zeist.name, zeist.slug, zeist.province.code) == ("Zeist-Driebergen", "zeist-driebergen", "PV27")
    assert (zeist.organisation.name, zeist.organisation.slug) == ("Gemeente Zeist-Driebergen", "zeist-driebergen")
    assert Municipality.objects.get(code="GM0344").population == 374238
    assert "0 created, 1 updated, 2 unchanged, 0 dissolved" in out


def test_a_renamed_province_is_updated(tmp_path):
    load(tmp_path, "GM0080,Leeuwarden,PV21,Friesland,\n")

    out = load(tmp_path, "GM0080,Leeuwarden,PV21,Fryslân,\n")

    assert Province.objects.get(code="PV21").name == "Fryslân"
    assert Province.objects.get(code="PV21").slug == "fryslan"
    assert "provinces: 0 created, 1 updated" in out


def test_the_population_follows_the_file(tmp_path):
    load(tmp_path, UTRECHT)
    load(tmp_path, UTRECHT.replace("374238", "380000"))

    assert Municipality.objects.get(code="GM0344").population == 380000


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ("GM344,Zeist,PV26,Utrecht,\n", '"GM344" is not a municipality code like GM0344'),
        ("gm0355,Zeist,PV26,Utrecht,\n", '"gm0355" is not a municipality code like GM0344'),
        (
            "GM0355,Zeist,PV26,Utrecht\n",
            "expected 5 columns (code,name,province_code,province_name,population), found 4",
        ),
        ("GM0344,Utrecht,PV26,Utrecht,\n", "code GM0344 already appears on line 2"),
        ("GM0355,,PV26,Utrecht,\n", "the municipality name is empty"),
        ("GM0355,Zeist,P26,Utrecht,\n", '"P26" is not a province code like PV26'),
        ("GM0355,Zeist,PV26,Utreg,\n", 'province PV26 is called "Utreg" here but "Utrecht" on line 2'),
        ("GM0355,Zeist,PV20,Utrecht,\n", 'province "Utrecht" has code PV20 here but PV26 on line 2'),
        ("GM0355,Zeist,PV20,Utrecht!,\n", 'province "Utrecht!" gets the same web address as province PV26 on line 2'),
        ("GM0355,Zeist,PV26,Utrecht,veel\n", 'population "veel" is not a whole number'),
        ("GM0355,Zeist,PV20," + "P" * 101 + ",\n", "the province name is longer than 100 characters"),
        ("GM0355,Zeist,PV26,Utrecht,2147483648\n", 'population "2147483648" is larger than 2147483647'),
        (
            "GM0355,Zeist,PV26,Utrecht,0" + "9" * 5000 + "\n",
            'population "0' + "9" * 5000 + '" is larger than 2147483647',
        ),
        ("GM0355,Ze\x00ist,PV26,Utrecht,\n", "the line contains a NUL character"),
    ],
)
def test_a_malformed_line_is_rejected_with_its_number_and_nothing_is_written(tmp_path, bad_line, problem):
    with pytest.raises(CommandError) as error:
        load(tmp_path, UTRECHT + AMSTERDAM + bad_line)

    assert str(error.value) == f"gemeenten.csv, line 4: {problem}"
    assert snapshot() == ([], [], [])


def test_the_largest_population_and_the_longest_province_name_that_fit_are_loaded(tmp_path):
    load(tmp_path, "GM0355,Zeist,PV26," + "P" * 100 + ",2147483647\nGM0363,Amsterdam,PV27," + "\ufb03" * 100 + ",\n")

    assert Municipality.objects.get(code="GM0355").population == 2147483647
    assert Province.objects.get(code="PV26").name == "P" * 100
    assert Province.objects.get(code="PV27").slug == ("ffi" * 34)[:100]


def test_a_bad_last_line_rejects_the_whole_file_before_anything_is_written(tmp_path):
    load(tmp_path, UTRECHT)
    before = snapshot()

    with pytest.raises(CommandError, match="line 5"):
        load(
            tmp_path,
            UTRECHT.replace("Utrecht,PV26", "Utrecht-Stad,PV26") + ZEIST + AMSTERDAM + "GM03xx,Fout,PV26,Utrecht,\n",
        )

    assert snapshot() == before


def test_a_write_that_fails_midway_rolls_back_the_whole_load(tmp_path, monkeypatch):
    load(tmp_path, UTRECHT + ZEIST)
    before = snapshot()
    apply_mergers = reference_data._apply_mergers

    def written_then_failing(*args, **kwargs):
        apply_mergers(*args, **kwargs)
        # Everything but the commit has happened: new rows, a rename, a dissolution.
        assert Municipality.objects.filter(name="Utrecht-Stad").exists()
        assert Municipality.objects.filter(code="GM0363").exists()
        assert Municipality.objects.get(code="GM0355").dissolved_on is not None
        raise RuntimeError("the database connection dropped")

    monkeypatch.setattr(reference_data, "_apply_mergers", written_then_failing)

    with pytest.raises(RuntimeError, match="connection dropped"):
        load(tmp_path, UTRECHT.replace("Utrecht,PV26", "Utrecht-Stad,PV26") + AMSTERDAM, "GM0355,GM0344,2027-01-01\n")

    assert snapshot() == before
    assert (Province.objects.count(), Municipality.objects.count(), Organisation.objects.count()) == (1, 2, 2)
    assert Municipality.objects.get(code="GM0344").name == "Utrecht"


def test_every_problem_in_the_file_is_reported_at_once(tmp_path):
    with pytest.raises(CommandError) as error:
        load(tmp_path, "GM1,Een,PV26,Utrecht,\n" + UTRECHT + "GM2,Twee,PV26,Utrecht,\n")

    assert str(error.value).splitlines() == [
        'gemeenten.csv, line 2: "GM1" is not a municipality code like GM0344',
        'gemeenten.csv, line 4: "GM2" is not a municipality code like GM0344',
    ]


def test_a_wrong_header_is_rejected(tmp_path):
    path = tmp_path / "gemeenten.csv"
    path.write_text("Gemeentecode,Gemeentenaam\n0344,Utrecht\n", encoding="utf-8")

    with pytest.raises(CommandError, match="line 1: the header must be code,name,province_code"):
        call_command("load_municipalities", "--file", path, stdout=StringIO())


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_municipalities", "--file", tmp_path / "nope.csv", stdout=StringIO())


def test_a_file_that_drops_a_loaded_code_without_a_merger_is_refused(tmp_path):
    load(tmp_path, UTRECHT + ZEIST)
    before = snapshot()

    with pytest.raises(CommandError) as error:
        load(tmp_path, UTRECHT + AMSTERDAM)

    assert "no longer lists GM0355 (Zeist), but no merger in mergers.csv dissolves them" in str(error.value)
    assert snapshot() == before


def test_a_merger_dissolves_the_old_municipality_which_keeps_its_history(tmp_path):
    load(tmp_path, UTRECHT + ZEIST + AMSTERDAM)
    zeist = Municipality.objects.select_related("organisation").get(code="GM0355")

    out = load(tmp_path, UTRECHT + AMSTERDAM, mergers="GM0355,GM0344,2027-01-01\n")

    zeist.refresh_from_db()
    assert zeist.dissolved_on == datetime.date(2027, 1, 1)
    assert zeist.successor.code == "GM0344"
    assert (zeist.name, zeist.slug) == ("Zeist", "zeist")
    assert Organisation.objects.get(municipality=zeist) == zeist.organisation
    assert list(Municipality.objects.get(code="GM0344").predecessors.all()) == [zeist]
    assert list(Municipality.objects.current().values_list("code", flat=True)) == ["GM0363", "GM0344"]
    assert "0 updated, 2 unchanged, 1 dissolved" in out
    assert "Nothing to change" in load(tmp_path, UTRECHT + AMSTERDAM, mergers="GM0355,GM0344,2027-01-01\n")


def test_a_merger_into_a_municipality_that_is_not_in_the_file_is_rejected(tmp_path):
    load(tmp_path, UTRECHT + ZEIST)

    with pytest.raises(CommandError) as error:
        load(tmp_path, UTRECHT, mergers="GM0355,GM0363,2027-01-01\n")

    assert str(error.value) == "mergers.csv, line 2: the successor GM0363 is not in gemeenten.csv"
    assert Municipality.objects.current().count() == 2


def test_mergers_may_chain_in_any_line_order_and_a_second_run_changes_nothing(tmp_path):
    load(tmp_path, UTRECHT + ZEIST + AMSTERDAM + "GM0001,Een,PV26,Utrecht,\n")
    mergers = "GM0344,GM0363,2027-01-01\nGM0001,GM0355,2019-01-01\nGM0355,GM0344,2023-01-01\n"

    out = load(tmp_path, AMSTERDAM, mergers=mergers)

    chain = Municipality.objects.order_by("code").values_list("code", "dissolved_on", "successor__code")
    assert list(chain) == [
        ("GM0001", datetime.date(2019, 1, 1), "GM0355"),
        ("GM0344", datetime.date(2027, 1, 1), "GM0363"),
        ("GM0355", datetime.date(2023, 1, 1), "GM0344"),
        ("GM0363", None, None),
    ]
    assert "3 dissolved" in out
    before = snapshot()
    assert "Nothing to change" in load(tmp_path, AMSTERDAM, mergers=mergers)
    assert snapshot() == before


def test_a_chained_merger_through_a_municipality_never_loaded_names_the_next_loaded_one(tmp_path):
    load(tmp_path, ZEIST + AMSTERDAM)

    out = load(tmp_path, AMSTERDAM, mergers="GM0355,GM0344,2023-01-01\nGM0344,GM0363,2027-01-01\n")

    zeist = Municipality.objects.get(code="GM0355")
    assert (zeist.dissolved_on, zeist.successor.code) == (datetime.date(2023, 1, 1), "GM0363")
    assert not Municipality.objects.filter(code="GM0344").exists()
    assert "1 dissolved" in out
    assert "1 merger(s) skipped" in out


@pytest.mark.parametrize(
    ("mergers", "problems"),
    [
        (
            "GM0355,GM0344,2027-01-01\nGM0344,GM0355,2028-01-01\n",
            ["mergers.csv, line 3: GM0344 merges back into itself: GM0344 → GM0355 → GM0344"],
        ),
        (
            "GM0001,GM0002,2027-01-01\nGM0002,GM0003,2027-01-01\nGM0003,GM0001,2027-01-01\n",
            [
                f"mergers.csv, line {line}: {code} merges back into itself: {chain}"
                for line, code, chain in [
                    (2, "GM0001", "GM0001 → GM0002 → GM0003 → GM0001"),
                    (3, "GM0002", "GM0002 → GM0003 → GM0001 → GM0002"),
                    (4, "GM0003", "GM0003 → GM0001 → GM0002 → GM0003"),
                ]
            ],
        ),
        (
            "GM0355,GM0344,2027-01-01\nGM0344,GM0363,2027-01-01\n",
            [
                "mergers.csv, line 2: the successor GM0344 is dissolved on 2027-01-01 (line 3), "
                "so it cannot take over on 2027-01-01"
            ],
        ),
        (
            "GM0344,GM0363,2020-01-01\nGM0355,GM0344,2027-01-01\n",
            [
                "mergers.csv, line 3: the successor GM0344 is dissolved on 2020-01-01 (line 2), "
                "so it cannot take over on 2027-01-01"
            ],
        ),
        (
            "GM0355,GM0344,2027-01-01\nGM0344,GM0999,2028-01-01\n",
            ["mergers.csv, line 3: the successor GM0999 is not in gemeenten.csv"],
        ),
    ],
)
def test_a_merger_chain_must_run_forward_in_time_to_a_listed_municipality(tmp_path, mergers, problems):
    with pytest.raises(CommandError) as error:
        load(tmp_path, AMSTERDAM, mergers=mergers)

    assert str(error.value).splitlines() == problems
    assert snapshot() == ([], [], [])


@pytest.mark.parametrize(
    ("merger", "problem"),
    [
        ("GM0355,GM0344,1-1-2027\n", '"1-1-2027" is not a date like 2027-01-01'),
        ("GM0355,GM0344,2027-02-30\n", '"2027-02-30" is not a date like 2027-01-01'),
        ("GM0344,GM0344,2027-01-01\n", "GM0344 cannot merge into itself"),
        ("GM0363,GM0344,2027-01-01\n", "GM0363 is dissolved here but still listed in gemeenten.csv"),
        ("GM0355,GM0344\n", "expected 3 columns (old_code,new_code,date), found 2"),
    ],
)
def test_a_malformed_merger_is_rejected_with_its_line(tmp_path, merger, problem):
    with pytest.raises(CommandError) as error:
        load(tmp_path, UTRECHT + AMSTERDAM, mergers=merger)

    assert str(error.value) == f"mergers.csv, line 2: {problem}"
    assert snapshot() == ([], [], [])


def test_a_merger_of_a_municipality_never_loaded_is_skipped(tmp_path):
    out = load(tmp_path, UTRECHT, mergers="GM0355,GM0344,2027-01-01\n")

    assert "1 merger(s) skipped" in out
    assert not Municipality.objects.filter(code="GM0355").exists()


def test_a_partner_organisation_keeps_its_slug_and_the_municipality_gets_its_code_appended(tmp_path):
    OrganisationFactory(name="Utrecht", slug="utrecht")

    load(tmp_path, UTRECHT)

    utrecht = Municipality.objects.select_related("organisation").get(code="GM0344")
    assert utrecht.slug == utrecht.organisation.slug == "utrecht-gm0344"


def test_two_municipalities_may_pass_a_slug_on_in_one_load(tmp_path):
    load(tmp_path, "GM0001,Oud,PV26,Utrecht,\nGM0002,Nieuw,PV26,Utrecht,\n")

    load(tmp_path, "GM0001,Nieuw,PV26,Utrecht,\nGM0002,Oud,PV26,Utrecht,\n")

    assert dict(Municipality.objects.values_list("code", "slug")) == {"GM0001": "nieuw", "GM0002": "oud"}
    assert dict(Organisation.objects.values_list("municipality__code", "slug")) == {"GM0001": "nieuw", "GM0002": "oud"}


def test_only_an_administrator_may_load_as_a_user():
    with pytest.raises(PermissionDenied):
        municipalities_load(
            municipalities_file=DEFAULT_MUNICIPALITIES_FILE, mergers_file=None, actor=UserFactory(facilitator=True)
        )
    assert not Municipality.objects.exists()


def test_two_provinces_may_swap_names_in_one_load(tmp_path):
    load(tmp_path, "GM0001,Een,PV26,Utrecht,\nGM0002,Twee,PV27,Noord-Holland,\n")

    load(tmp_path, "GM0001,Een,PV26,Noord-Holland,\nGM0002,Twee,PV27,Utrecht,\n")

    assert dict(Province.objects.values_list("code", "slug")) == {"PV26": "noord-holland", "PV27": "utrecht"}
