"""Exports of the current list: same filters, same visibility, no contact details, safe CSV cells."""

import csv
import io
import json

import pytest
from django.urls import reverse

from initiatives.views import export
from samenorg.core.exports import neutralise
from tests.factories import InitiativeFactory, MembershipFactory, ThemeFactory

pytestmark = pytest.mark.django_db
CSV = reverse("initiatives:export-csv")
JSON = reverse("initiatives:export-json")


def published(themes=(), **kwargs):
    initiative = InitiativeFactory(published=True, **kwargs)
    initiative.themes.set(themes)
    return initiative


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def json_rows(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def initiatives():
    climate = ThemeFactory(name="Klimaat en energie", slug="klimaat-en-energie")
    shown = published(
        title="Warmtenet in de wijk",
        themes=[climate],
        phase="pilot",
        tags=["warmte"],
        contact_name="Jan Jansen",
        contact_email="jan@gemeente.example",
        contact_phone="0612345678",
    )
    other = published(title="Digitale balie", phase="idea")
    hidden = InitiativeFactory(title="Geheim warmteplan", owner=shown.owner, phase="pilot")
    return {"shown": shown, "other": other, "hidden": hidden}


@pytest.mark.parametrize("who", ["anonymous", "member of another organisation"])
@pytest.mark.parametrize("url", [CSV, JSON])
def test_exports_never_contain_drafts(client, initiatives, who, url):
    if who != "anonymous":
        client.force_login(MembershipFactory().user)

    for params in ({}, {"q": "warmte"}, {"phase": "pilot"}):
        response = client.get(url, params)
        rows = csv_rows(response) if url == CSV else json_rows(response)

        assert initiatives["hidden"].title not in {row["title"] for row in rows}


def test_an_editor_exports_their_own_draft_as_the_list_shows_it(client, initiatives):
    client.force_login(MembershipFactory(organisation=initiatives["hidden"].owner).user)

    titles = {row["title"] for row in json_rows(client.get(JSON, {"phase": "pilot"}))}

    assert titles == {initiatives["shown"].title, initiatives["hidden"].title}


def test_the_csv_has_a_header_and_applies_the_filters_of_the_list(client, initiatives):
    response = client.get(CSV, {"q": "warmtenetten", "theme": "klimaat-en-energie", "page": "3", "pageSize": "10"})

    rows = csv_rows(response)
    assert list(rows[0]) == list(export.COLUMNS)
    assert [row["title"] for row in rows] == ["Warmtenet in de wijk"]
    assert rows[0]["themes"] == "Klimaat en energie"
    assert rows[0]["phase"] == "pilot"
    assert rows[0]["url"].endswith(reverse("initiatives:detail", kwargs={"slug": initiatives["shown"].slug}))
    assert "attachment" in response["Content-Disposition"]


def test_the_json_export_lists_the_filtered_initiatives_without_pagination(client, initiatives):
    for number in range(30):
        published(title=f"Balie {number}", phase="idea")

    rows = json_rows(client.get(JSON, {"phase": "idea", "pageSize": "10"}))

    assert len(rows) == 31
    assert rows[0]["themes"] == []
    assert set(rows[0]) == set(export.COLUMNS)


@pytest.mark.parametrize("url", [CSV, JSON])
def test_contact_details_are_not_exported(client, initiatives, url):
    body = b"".join(client.get(url).streaming_content).decode()

    assert "Jan Jansen" not in body
    assert "jan@gemeente.example" not in body
    assert "0612345678" not in body


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://evil")', "+31 20", "-2+3", "@SUM(A1)", "\t=1"])
def test_csv_cells_that_look_like_formulas_are_neutralised(client, formula):
    published(title=formula, summary=f"{formula} in de samenvatting", tags=[formula.strip()])

    row = csv_rows(client.get(CSV))[0]

    assert row["title"] == f"'{formula}"
    assert row["summary"] == f"'{formula} in de samenvatting"
    assert row["tags"].startswith("'")


def test_an_ordinary_cell_is_left_alone():
    assert neutralise("Gemeente = samen") == "Gemeente = samen"
    assert neutralise(None) == ""
    assert neutralise(["a", "b"]) == "a; b"


def test_the_export_stops_at_its_cap(client, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 3)
    for number in range(5):
        published(title=f"Initiatief {number}")

    assert len(json_rows(client.get(JSON))) == 3


def test_invalid_parameters_do_not_break_the_export(client, initiatives):
    response = client.get(CSV, {"province": "atlantis", "phase": ["bogus", "pilot"], "sort": "sideways"})

    assert response.status_code == 200
    assert [row["title"] for row in csv_rows(response)] == ["Warmtenet in de wijk"]


@pytest.mark.parametrize("count", [2, 40])
def test_the_export_costs_one_query_whatever_the_number_of_rows(client, count, django_assert_max_num_queries):
    theme = ThemeFactory()
    for number in range(count):
        published(title=f"Initiatief {number}", themes=[theme])

    with django_assert_max_num_queries(2):  # the rows, plus the theme choices when a theme is given
        rows = json_rows(client.get(JSON, {"theme": theme.slug}))
    assert len(rows) == count
