"""The adoption map: boundary paths derived from the shared file, the SVG builder, its cache, its partials."""

import csv
import datetime
import importlib.util
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from municipalities.models import Organisation
from samenorg.core.actors import Actor
from standards import maps
from standards.maps import adoption_map, adoption_map_svg, cached_adoption_map_svg, map_legend, municipality_paths
from standards.models import Adoption
from standards.services.adoption import adoption_record
from tests.factories import MembershipFactory, StandardFactory, StandardVersionFactory

REPO = Path(settings.BASE_DIR)
SCRIPT = REPO / "scripts" / "derive_map_paths.py"
PATHS_FILE = REPO / "standards" / "data" / "municipality_paths.json"
SVG = "{http://www.w3.org/2000/svg}"
TODAY = datetime.date(2026, 1, 5)


def reference_codes() -> set[str]:
    with (REPO / "municipalities" / "data" / "gemeenten.csv").open(encoding="utf-8", newline="") as file:
        return {row["code"] for row in csv.DictReader(file)}


def parse(svg: str) -> ET.Element:
    """Parsing fails unless the markup is well-formed XML; it is our own builder's output."""
    return ET.fromstring(svg)  # noqa: S314


def area_elements(svg: str) -> list[ET.Element]:
    return [el for el in parse(svg).iter(f"{SVG}path") if "samenorg-map__area" in el.get("class", "")]


def bounding_box(path: str) -> tuple[int, int, int, int]:
    """min x, min y, max x, max y of a path written as the derive script writes it (M x y l dx dy … z)."""
    xs, ys = [], []
    for ring in re.findall(r"M([^z]*)z", path):
        start, _, deltas = ring.partition("l")
        x, y = map(int, start.split())
        numbers = [int(n) for n in re.findall(r"-?\d+", deltas)]
        xs.append(x)
        ys.append(y)
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


# -- the derived boundary file ---------------------------------------------------------------------


def test_every_municipality_of_the_reference_list_has_a_path_and_the_file_stays_small():
    paths = municipality_paths().paths
    assert reference_codes() <= paths.keys()
    assert len(paths) == 342
    assert PATHS_FILE.stat().st_size < 250_000


def test_every_path_is_closed_rings_of_integer_relative_coordinates_inside_the_view_box():
    data = municipality_paths()
    _, _, width, height = map(int, data.view_box.split())
    for code, path in data.paths.items():
        assert re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", path), code
        min_x, min_y, max_x, max_y = bounding_box(path)
        assert 0 <= min_x < max_x <= width, code
        assert 0 <= min_y < max_y <= height, code


def test_the_map_has_north_up_and_east_right():
    paths = municipality_paths().paths
    groningen, maastricht = bounding_box(paths["GM0014"]), bounding_box(paths["GM0935"])
    den_helder, enschede = bounding_box(paths["GM0400"]), bounding_box(paths["GM0153"])
    assert groningen[3] < maastricht[1]  # Groningen lies wholly above Maastricht
    assert den_helder[2] < enschede[0]  # Den Helder wholly left of Enschede


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """The inverse approximation of the same paper, with its own coefficients: a typo in either set of
    coefficients breaks the round trip."""
    dx, dy = (x - 155_000) * 1e-5, (y - 463_000) * 1e-5
    k = {
        (0, 1): 3235.65389,
        (2, 0): -32.58297,
        (0, 2): -0.24750,
        (2, 1): -0.84978,
        (0, 3): -0.06550,
        (2, 2): -0.01709,
        (1, 0): -0.00738,
        (4, 0): 0.00530,
        (2, 3): -0.00039,
        (4, 1): 0.00033,
        (1, 1): -0.00012,
    }
    lam = {
        (1, 0): 5260.52916,
        (1, 1): 105.94684,
        (1, 2): 2.45656,
        (3, 0): -0.81885,
        (1, 3): 0.05594,
        (3, 1): -0.05607,
        (0, 1): 0.01199,
        (3, 2): -0.00256,
        (1, 4): 0.00128,
        (0, 2): 0.00022,
        (2, 0): -0.00022,
        (5, 0): 0.00026,
    }
    lat = 52.15517440 + sum(c * dx**p * dy**q for (p, q), c in k.items()) / 3600
    lon = 5.38720621 + sum(c * dx**p * dy**q for (p, q), c in lam.items()) / 3600
    return lon, lat


@pytest.mark.parametrize(
    ("lon", "lat"), [(5.38720621, 52.15517440), (6.5665, 53.2194), (5.6910, 50.8514), (3.5724, 51.4426), (7.1, 52.2)]
)
def test_the_projection_is_the_dutch_national_grid(lon, lat):
    spec = importlib.util.spec_from_file_location("derive_map_paths", SCRIPT)
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    x, y = derive.wgs84_to_rd(lon, lat)
    assert rd_to_wgs84(x, y) == pytest.approx((lon, lat), abs=2e-5)  # about a metre
    assert 0 < x < 300_000
    assert 300_000 < y < 625_000


def test_the_script_regenerates_the_committed_file_from_the_copied_boundaries(tmp_path):
    output = tmp_path / "paths.json"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "342 municipalities" in result.stdout
    assert json.loads(output.read_text()) == json.loads(PATHS_FILE.read_text())


# -- the builder -----------------------------------------------------------------------------------


def test_one_area_per_municipality_with_its_status_class_and_a_dutch_title():
    svg = adoption_map_svg(
        statuses={"GM0344": "in_use", "GM0363": "planned"},
        title="Adoptie",
        names={"GM0344": "Utrecht", "GM0363": "Amsterdam", "GM0014": "Groningen"},
    )
    areas = {el.findtext(f"{SVG}title"): el.get("class") for el in area_elements(svg)}
    assert len(areas) == 342
    assert areas["Gemeente Utrecht: in gebruik"] == "samenorg-map__area samenorg-map__area--in_use"
    assert areas["Gemeente Amsterdam: gepland"] == "samenorg-map__area samenorg-map__area--planned"
    assert areas["Gemeente Groningen: niet geregistreerd"] == "samenorg-map__area samenorg-map__area--none"


def test_the_labels_follow_the_language_of_the_request():
    with translation.override("en"):
        svg = adoption_map_svg(statuses={"GM0344": "in_use"}, title="Adoption", names={"GM0344": "Utrecht"})
    assert "<title>Municipality Utrecht: in use</title>" in svg
    assert "in gebruik" not in svg


def test_the_svg_is_an_image_named_by_its_title_and_described():
    svg = adoption_map_svg(statuses={"GM0344": "in_use"}, title="Adoptie van Zaakgericht werken", dom_id="kaart")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").get("id") == root.get("aria-labelledby") == "kaart-title"
    description = root.find(f"{SVG}desc")
    assert description.get("id") == root.get("aria-describedby") == "kaart-desc"
    assert root.findtext(f"{SVG}title") == "Adoptie van Zaakgericht werken"
    assert "in gebruik: 1" in description.text
    assert "niet geregistreerd: 341" in description.text


def test_names_and_titles_are_escaped():
    svg = adoption_map_svg(
        statuses={"GM0344": 'in_use" onmouseover="alert(1)'},
        title='<script>alert("t")</script> & co',
        names={"GM0344": "<b>Utrecht</b> & 'Zeist'"},
    )
    parse(svg)  # still well-formed
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "onmouseover" not in svg
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; co" in svg
    assert "Gemeente &lt;b&gt;Utrecht&lt;/b&gt; &amp; &#x27;Zeist&#x27;: niet geregistreerd" in svg
    assert "niet geregistreerd: 342" in svg  # an unknown status counts as not recorded


def test_no_inline_styles_for_the_content_security_policy():
    svg = adoption_map_svg(statuses={"GM0344": "in_use"}, title="Adoptie", highlight="GM0344")
    root = parse(svg)
    assert root.find(f".//{SVG}style") is None
    assert all("style" not in el.attrib and "fill" not in el.attrib for el in root.iter())


def test_the_visitors_own_municipality_is_drawn_last_and_outlined():
    svg = adoption_map_svg(
        statuses={"GM0344": "in_use"}, title="Adoptie", names={"GM0344": "Utrecht"}, highlight="GM0344"
    )
    areas = area_elements(svg)
    assert areas[-1].get("class") == ("samenorg-map__area samenorg-map__area--in_use samenorg-map__area--highlight")
    assert areas[-1].findtext(f"{SVG}title") == "Gemeente Utrecht (jouw gemeente): in gebruik"
    assert sum("highlight" in el.get("class") for el in areas) == 1
    assert "Jouw gemeente, Utrecht, is omlijnd." in svg


def test_an_unknown_highlight_outlines_nothing():
    svg = adoption_map_svg(statuses={}, title="Adoptie", highlight="GM9999")
    assert "highlight" not in svg
    assert len(area_elements(svg)) == 342


def test_the_legend_is_in_status_order_with_labels_in_the_active_language():
    assert [item.status for item in map_legend()] == [
        "in_use",
        "implementing",
        "planned",
        "phased_out",
        "explain",
        "none",
    ]
    assert map_legend()[0].label == "in gebruik"
    with translation.override("en"):
        assert map_legend()[-1].label == "not recorded"


# -- the cache -------------------------------------------------------------------------------------


@pytest.fixture
def utrecht(municipalities):
    membership = MembershipFactory(organisation=Organisation.objects.get(municipality__code="GM0344"))
    return Actor(organisation=membership.organisation, user=membership.user)


@pytest.fixture
def builds():
    with mock.patch.object(maps, "adoption_map_svg", wraps=maps.adoption_map_svg) as builder:
        yield builder


def test_the_map_is_built_once_until_the_register_changes(utrecht, builds, django_assert_num_queries):
    standard = StandardFactory()
    first = cached_adoption_map_svg(standard)
    with django_assert_num_queries(1):  # only the register's version
        assert cached_adoption_map_svg(standard) == first
    assert builds.call_count == 1

    adoption_record(actor=utrecht, standard=standard, status="planned", since=TODAY)
    planned = cached_adoption_map_svg(standard)
    assert builds.call_count == 2
    assert "Gemeente Utrecht: gepland" in planned
    cached_adoption_map_svg(standard)
    assert builds.call_count == 2

    adoption_record(actor=utrecht, standard=standard, status="in_use", since=TODAY)
    assert "Gemeente Utrecht: in gebruik" in cached_adoption_map_svg(standard)
    assert builds.call_count == 3


def test_changes_that_bypass_the_service_also_rebuild_the_map(utrecht, builds):
    standard = StandardFactory()
    adoption = adoption_record(actor=utrecht, standard=standard, status="planned", since=TODAY)
    cached_adoption_map_svg(standard)

    Adoption.objects.filter(pk=adoption.pk).update(status="implementing")  # leaves updated_at alone
    assert "Gemeente Utrecht: in invoering" in cached_adoption_map_svg(standard)
    adoption.delete()
    assert "Gemeente Utrecht: niet geregistreerd" in cached_adoption_map_svg(standard)
    assert builds.call_count == 3


def test_each_standard_highlight_and_language_has_its_own_map(utrecht, builds):
    standard, other = StandardFactory(), StandardFactory()
    adoption_record(actor=utrecht, standard=standard, status="in_use", since=TODAY)
    for _ in range(2):
        cached_adoption_map_svg(standard)
        cached_adoption_map_svg(other)
        cached_adoption_map_svg(None)
        cached_adoption_map_svg(standard, highlight="GM0344")
        with translation.override("en"):
            english = cached_adoption_map_svg(standard)
    assert builds.call_count == 5
    assert "Municipality Utrecht: in use" in english
    # A change to another standard leaves this standard's map alone, but not the overall one.
    adoption_record(actor=utrecht, standard=other, status="planned", since=TODAY)
    cached_adoption_map_svg(standard)
    assert "Gemeente Utrecht: in gebruik" in cached_adoption_map_svg(None)
    assert builds.call_count == 6


def test_renaming_the_standard_gives_a_new_title(utrecht, builds):
    standard = StandardFactory(name="Zaakgericht werken")
    assert "Overname van Zaakgericht werken per gemeente" in cached_adoption_map_svg(standard)
    standard.name = "Zaakgericht werken 2"
    assert "Overname van Zaakgericht werken 2 per gemeente" in cached_adoption_map_svg(standard)


# -- the partials ----------------------------------------------------------------------------------


@pytest.fixture
def recorded(municipalities):
    """A standard with each municipality's status recorded (round-robin over the statuses)."""
    standard = StandardFactory(name="Zaakgericht werken")
    version = StandardVersionFactory(standard=standard, major=2, minor=1, patch=0)
    statuses = ["in_use", "implementing", "planned", "phased_out", "explain", None]
    adoptions = []
    for index, organisation in enumerate(Organisation.objects.filter(municipality__isnull=False).order_by("pk")):
        status = statuses[index % len(statuses)]
        if status:
            adoptions.append(
                Adoption(
                    organisation=organisation,
                    standard=standard,
                    status=status,
                    reason="Past niet bij ons." if status == "explain" else "",
                    version=version if status in ("in_use", "implementing") else None,
                    since=TODAY,
                )
            )
    Adoption.objects.bulk_create(adoptions)
    return standard


def test_the_whole_map_costs_a_fixed_number_of_queries_with_all_municipalities_recorded(
    recorded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        result = adoption_map(standard=recorded, highlight="GM0344")
    assert len(result.rows) == 342
    with django_assert_max_num_queries(3):  # the map now comes from the cache
        adoption_map(standard=recorded, highlight="GM0344")


def test_the_map_partial_shows_the_map_legend_and_the_table_of_every_municipality(recorded):
    html = render_to_string("standards/_adoption_map.html", {"adoption_map": adoption_map(standard=recorded)})
    assert html.count('class="samenorg-map__area ') == 342
    assert html.count('<tr class="utrecht-table__row">') == 1 + 342
    assert re.search(r"In gebruik: <span class=\"samenorg-map__count\">\d+ gemeenten \(\d+%\)</span>", html)
    assert "Niet geregistreerd" in html
    assert "2.1.0" in html
    assert 'href="/gemeenten/utrecht"' in html
    assert "style=" not in html
    assert "<style" not in html


def test_the_map_partial_names_the_visitors_own_municipality(recorded):
    html = render_to_string(
        "standards/_adoption_map.html", {"adoption_map": adoption_map(standard=recorded, highlight="GM0344")}
    )
    assert "Omlijnd: jouw gemeente, Utrecht" in html
    assert "samenorg-map__area--highlight" in html


def test_the_bars_partial_has_a_row_and_a_bar_per_province(recorded):
    figures = adoption_map(standard=recorded).figures
    html = render_to_string("standards/_adoption_bars.html", {"figures": figures})
    assert html.count('<th class="utrecht-table__header-cell" scope="row">') == 12 + 1  # provinces and the total
    assert html.count('<svg class="samenorg-bars__bar"') == 13
    widths = [float(w) for w in re.findall(r'width="([\d.]+)"', html)]
    assert all(0 < w <= 100 for w in widths)
    assert "style=" not in html
    assert "," not in "".join(re.findall(r'(?:x|width)="([^"]*)"', html))
