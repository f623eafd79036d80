"""Browsing and finding initiatives: the faceted list, Dutch search, "my initiatives"."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from initiatives.filtersets import InitiativeFilterSet
from initiatives.models import Initiative, InitiativePhase
from initiatives.search import facet_counts
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalOrganisationFactory,
    OrganisationFactory,
    ProvinceFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("initiatives:list")
MINE = reverse("initiatives:mine")


def indexed(initiative, themes=()):
    """An initiative with its themes (the factory fills the stored search vector, as the services do)."""
    if themes:
        initiative.themes.set(themes)
    return initiative


def published(**kwargs):
    themes = kwargs.pop("themes", ())
    return indexed(InitiativeFactory(published=True, **kwargs), themes)


def draft(**kwargs):
    themes = kwargs.pop("themes", ())
    return indexed(InitiativeFactory(**kwargs), themes)


def result_titles(response):
    html = response.content.decode()
    return re.findall(r'<h2 class="utrecht-heading-3"><a class="utrecht-link" href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def climate():
    return ThemeFactory(name="Klimaat en energie", slug="klimaat-en-energie")


@pytest.fixture
def a_draft_and_a_published_initiative(climate):
    owner = MunicipalOrganisationFactory()
    visible = published(
        title="Zonnepanelen op scholen", owner=owner, themes=[climate], phase="pilot", roles_sought=["funder"]
    )
    hidden = draft(
        title="Zonnepanelen op het gemeentehuis", owner=owner, themes=[climate], phase="pilot", roles_sought=["funder"]
    )
    return visible, hidden


@pytest.mark.parametrize("who", ["anonymous", "member of another organisation"])
def test_drafts_never_appear_in_the_list_search_counts_or_facets(client, a_draft_and_a_published_initiative, who):
    visible, hidden = a_draft_and_a_published_initiative
    if who != "anonymous":
        client.force_login(MembershipFactory().user)

    for params in ({}, {"q": "zonnepanelen"}, {"theme": "klimaat-en-energie", "phase": "pilot"}):
        response = client.get(LIST, params)

        assert response.status_code == 200
        assert result_titles(response) == [visible.title]
        assert hidden.title not in response.content.decode()
        assert response.context["facets"].total == 1
        options = response.context["facets"].options
        assert {o.value: o.count for o in options["theme"]}["klimaat-en-energie"] == 1
        assert {o.value: o.count for o in options["phase"]}["pilot"] == 1
        assert {o.value: o.count for o in options["rolesSought"]}["funder"] == 1
        assert sum(o.count for o in options["municipality"]) == 1


def test_editors_see_their_drafts_in_the_list_and_in_my_initiatives(client, a_draft_and_a_published_initiative):
    visible, hidden = a_draft_and_a_published_initiative
    someone_elses = draft(title="Andermans concept")
    client.force_login(MembershipFactory(organisation=visible.owner).user)

    mine = client.get(MINE)

    assert mine.status_code == 200
    assert set(result_titles(mine)) == {visible.title, hidden.title}
    assert someone_elses.title not in mine.content.decode()
    assert client.get(LIST).context["facets"].total == 2


def test_my_initiatives_asks_anonymous_visitors_to_log_in(client):
    response = client.get(MINE)

    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_search_finds_a_singular_with_the_plural_dutch_form(client):
    found = published(title="Samenwerking tussen gemeente en inwoners")
    published(title="Fietsparkeren bij het station")

    assert result_titles(client.get(LIST, {"q": "gemeenten"})) == [found.title]
    assert result_titles(client.get(LIST, {"q": "samenwerkingen"})) == [found.title]


def test_a_title_match_ranks_above_a_tag_match(client):
    by_tag = published(title="Slim schoonmaken", tags=["afvalinzameling"])
    by_summary = published(title="Wijkgerichte aanpak", summary="Betere afvalinzameling in de wijk.")
    by_title = published(title="Afvalinzameling met sensoren")
    published(title="Iets heel anders")

    response = client.get(LIST, {"q": "afvalinzameling"})

    assert result_titles(response) == [by_title.title, by_summary.title, by_tag.title]
    assert response.context["filterset"].sort_order == "relevance"


def test_search_uses_the_gin_index_on_the_stored_vector():
    queryset = InitiativeFilterSet({"q": "gemeenten"}, queryset=Initiative.objects.all()).qs
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Few rows here: tell the planner to avoid what it would pick on a tiny table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on initiative_search_vector" in plan
    assert "to_tsvector" not in plan  # the stored vector, no per-request computation


@pytest.fixture
def spread(climate):
    """Initiatives over two provinces, three municipalities, a partner, two themes and the phases."""
    care = ThemeFactory(name="Sociaal domein", slug="sociaal-domein")
    utrecht = ProvinceFactory(code="PV26", name="Utrecht")
    holland = ProvinceFactory(code="PV27", name="Noord-Holland")
    owners = [
        MunicipalOrganisationFactory(municipality=MunicipalityFactory(province=utrecht)),
        MunicipalOrganisationFactory(municipality=MunicipalityFactory(province=utrecht)),
        MunicipalOrganisationFactory(municipality=MunicipalityFactory(province=holland)),
        OrganisationFactory(),
    ]
    phases = [InitiativePhase.IDEA, InitiativePhase.PILOT, InitiativePhase.PROVEN_PRACTICE]
    roles = [[], ["funder"], ["funder", "supplier"]]
    themes = [[climate], [care], [climate, care], []]
    for number in range(24):
        published(
            title=f"Initiatief over energie {number}" if number % 2 else f"Initiatief {number}",
            owner=owners[number % 4],
            phase=phases[number % 3],
            roles_sought=roles[number % 3 if number % 5 else 0],
            themes=themes[(number // 2) % 4],
        )
    draft(title="Concept over energie", owner=owners[0], phase="pilot", themes=[climate], roles_sought=["funder"])
    return {"utrecht": utrecht, "holland": holland, "owners": owners}


def _expected_counts(params, facet):
    """Brute force: for each value of ``facet``, the rows the FilterSet returns when that value is the
    facet's only choice and every other filter stays as it is."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    values = {
        "theme": ["klimaat-en-energie", "sociaal-domein"],
        "phase": InitiativePhase.values,
        "rolesSought": ["funder", "supplier", "initiator"],
        "province": ["utrecht", "noord-holland"],
    }[facet]
    counts = {}
    for value in values:
        data = QueryDict(mutable=True)
        for key, given in {**params, facet: [value]}.items():
            data.setlist(key, given if isinstance(given, list) else [given])
        filterset = InitiativeFilterSet(data, queryset=Initiative.objects.visible_to(AnonymousUser()))
        counts[value] = filterset.qs.count()
    return counts


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"phase": ["pilot"]},
        {"theme": ["klimaat-en-energie"], "rolesSought": ["funder"]},
        {"q": "energie", "province": ["utrecht"], "phase": ["idea", "pilot"]},
        {"theme": ["sociaal-domein"], "rolesSought": ["supplier"], "province": ["noord-holland"]},
    ],
)
def test_facet_counts_equal_the_filtered_rows_and_leave_out_their_own_filter(client, spread, params):
    response = client.get(LIST, params)
    facets = response.context["facets"]
    filtered = response.context["page_obj"].paginator.object_list

    assert facets.total == filtered.count() == len(filtered)
    for facet in ("theme", "phase", "rolesSought", "province"):
        shown = {option.value: option.count for option in facets.options[facet]}
        expected = _expected_counts(params, facet)
        assert {value: shown.get(value, 0) for value in expected} == expected, facet


def test_the_municipality_facet_counts_per_owner_municipality(spread):
    from django.contrib.auth.models import AnonymousUser

    filterset = InitiativeFilterSet({"phase": ["pilot"]}, queryset=Initiative.objects.visible_to(AnonymousUser()))
    facets = facet_counts(base=filterset.search_base(), conditions=filterset.facet_conditions(), selected={})

    for option in facets.options["municipality"]:
        assert option.count == filterset.qs.filter(owner__municipality__slug=option.value).count()
    partner_rows = filterset.qs.filter(owner__municipality__isnull=True).count()
    assert sum(option.count for option in facets.options["municipality"]) + partner_rows == facets.total


@pytest.mark.parametrize(
    "params",
    [
        {"phase": ["pilot", "bogus"], "pageSize": "7", "sort": "sideways", "page": "abc"},
        {"province": "atlantis", "municipality": "nergenshuizen", "theme": "geen-thema", "rolesSought": "king"},
        {"q": "x" * 500},
        {"q": "!!! & | <script>", "pageSize": "-1", "page": "99999"},
        {"q": "de het een"},  # stop words only: an empty Dutch query
    ],
)
def test_invalid_parameters_answer_200_and_say_what_was_ignored(client, spread, params):
    response = client.get(LIST, params)

    assert response.status_code == 200
    if params.get("phase"):
        assert {row["phase"] for row in response.context["rows"]} == {"pilot"}
        assert response.context["filterset"].page_size == 25
        assert any("bogus" in notice for notice in response.context["notices"])
    if "province" in params:
        assert response.context["facets"].total == 24
        assert len(response.context["notices"]) == 4
    assert "<script>" not in response.content.decode().split('id="initiative-results"')[1]


def test_sorting_by_title_and_page_size_are_kept_in_the_pagination_links(client, spread):
    response = client.get(LIST, {"sort": "title", "pageSize": "10", "phase": ["pilot"]})

    titles = result_titles(response)
    assert titles == sorted(titles, key=str.lower)
    assert len(titles) == 8
    html = response.content.decode()
    assert "?sort=title&amp;pageSize=10&amp;phase=pilot" in html or "phase=pilot" in html
    second = client.get(LIST, {"sort": "title", "pageSize": "10"})
    assert 'href="?sort=title&amp;pageSize=10&amp;page=2"' in second.content.decode()


def test_results_link_to_the_detail_page_and_show_owner_phase_and_themes(client, climate):
    initiative = published(title="Deelauto's voor ambtenaren", themes=[climate], phase="pilot")

    html = client.get(LIST).content.decode()

    assert f'href="{reverse("initiatives:detail", kwargs={"slug": initiative.slug})}"' in html
    assert initiative.owner.name in html
    assert "Klimaat en energie" in html
    assert 'role="status"' in html
    assert html.count("<fieldset") == 5
    assert html.count("<legend") == 5


def test_an_htmx_request_gets_the_results_with_the_count_and_facets_out_of_band(client, spread):
    response = client.get(LIST, {"phase": "pilot"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="initiative-count" role="status" hx-swap-oob' in html
    assert 'id="initiative-facets" hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("page_size", ["10", "100"])
@pytest.mark.parametrize(
    ("params", "cold", "warm"),
    [
        # cold: the data version, the facets (two), the page of rows; warm (repeated): the data version
        ({}, 4, 1),
        ({"q": "energie", "theme": "klimaat-en-energie", "province": "utrecht"}, 6, 1),  # + theme and province lookups
    ],
)
def test_the_list_costs_the_same_few_queries_whatever_the_page_size(
    client, spread, page_size, params, cold, warm, django_assert_num_queries
):
    with django_assert_num_queries(cold):
        response = client.get(LIST, {**params, "pageSize": page_size})
    assert response.status_code == 200
    with django_assert_num_queries(warm):
        assert client.get(LIST, {**params, "pageSize": page_size}).status_code == 200


def test_a_logged_in_editor_costs_the_session_user_and_drafts_queries_more(client, spread, django_assert_num_queries):
    client.force_login(MembershipFactory(organisation=spread["owners"][0]).user)

    # session, user and the drafts they see, then as for anyone, and the header's unread notifications
    with django_assert_num_queries(8):
        response = client.get(LIST, {"pageSize": "100"})
    assert response.context["facets"].total == 25
    with django_assert_num_queries(5):
        client.get(LIST, {"pageSize": "100"})
