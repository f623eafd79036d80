import datetime

import pytest
from django.urls import reverse

from municipalities.models.organisation import OrganisationKind
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    MunicipalOrganisationFactory,
    OrganisationFactory,
    ProvinceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("municipalities:list")
ORGANISATIONS_URL = reverse("municipalities:organisation-list")


def names(response):
    return [item.name for item in response.context["page_obj"]]


def dissolve(municipality, into, on=datetime.date(2027, 1, 1)):
    municipality.dissolved_on, municipality.successor = on, into
    municipality.save()


# Municipality list


def test_the_list_shows_current_municipalities_by_name_with_their_count(client):
    utrecht = ProvinceFactory()
    MunicipalOrganisationFactory(municipality__name="Zeist", municipality__province=utrecht)
    amersfoort = MunicipalityFactory(name="Amersfoort", province=utrecht)
    dissolve(MunicipalityFactory(name="Maarssen", province=utrecht), into=amersfoort)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert names(response) == ["Amersfoort", "Zeist"]
    assert response.context["page_obj"].paginator.count == 2
    assert "Municipalities found: 2" in response.content.decode()
    assert f'href="{amersfoort.get_absolute_url()}"' in response.content.decode()


def test_the_list_searches_by_name_or_code(client):
    MunicipalityFactory(name="Utrecht", code="GM0344")
    MunicipalityFactory(name="Utrechtse Heuvelrug", code="GM1581")
    MunicipalityFactory(name="Zeist", code="GM0355")

    assert names(client.get(LIST_URL, {"q": "utrecht"})) == ["Utrecht", "Utrechtse Heuvelrug"]
    assert names(client.get(LIST_URL, {"q": " gm0355 "})) == ["Zeist"]


def test_the_list_filters_by_province(client):
    utrecht = ProvinceFactory(code="PV26", name="Utrecht")
    holland = ProvinceFactory(code="PV27", name="Noord-Holland")
    MunicipalityFactory(name="Zeist", province=utrecht)
    MunicipalityFactory(name="Amsterdam", province=holland)

    assert names(client.get(LIST_URL, {"province": "noord-holland"})) == ["Amsterdam"]
    assert names(client.get(LIST_URL, {"province": "noord-holland", "q": "zeist"})) == []


def test_an_unknown_province_is_a_form_error_and_the_filter_is_ignored(client):
    MunicipalityFactory(name="Zeist")

    response = client.get(LIST_URL, {"province": "atlantis", "page": "abc"})

    assert response.status_code == 200
    assert names(response) == ["Zeist"]
    assert "province" in response.context["filterset"].form.errors


def test_a_search_that_is_too_long_is_a_form_error(client):
    response = client.get(LIST_URL, {"q": "x" * 500})

    assert response.status_code == 200
    assert "q" in response.context["filterset"].form.errors


def test_the_list_shows_50_municipalities_a_page_and_keeps_the_filters_in_the_page_links(client):
    province = ProvinceFactory()
    MunicipalityFactory.create_batch(51, province=province)

    first = client.get(LIST_URL, {"province": province.slug})
    second = client.get(LIST_URL, {"province": province.slug, "page": 2})
    past_the_end = client.get(LIST_URL, {"page": 99})

    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == 1
    assert past_the_end.context["page_obj"].number == 2
    assert f'href="?province={province.slug}&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_1_or_50_rows(client, django_assert_max_num_queries, rows):
    province = ProvinceFactory()
    for municipality in MunicipalityFactory.create_batch(rows, province=province):
        MunicipalOrganisationFactory(municipality=municipality)

    # count, page, provinces for the filter, the chosen province
    with django_assert_max_num_queries(4):
        response = client.get(LIST_URL, {"province": province.slug})

    assert len(response.context["page_obj"]) == rows


# Municipality page


def test_the_municipality_page_shows_its_facts_and_its_organisation(client):
    organisation = MunicipalOrganisationFactory(
        municipality__name="Utrecht",
        municipality__code="GM0344",
        municipality__population=374238,
        website="https://www.utrecht.nl",
        description="De gemeente Utrecht.",
    )

    response = client.get(organisation.municipality.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in content
    assert "Utrecht" in content
    assert "GM0344" in content
    assert "374,238" in content
    assert "https://www.utrecht.nl" in content
    assert "De gemeente Utrecht." in content


def test_an_unknown_population_is_left_out(client):
    municipality = MunicipalityFactory(population=None)

    response = client.get(municipality.get_absolute_url())

    assert "Population" not in response.content.decode()


def test_a_dissolved_municipality_points_to_its_successor_and_the_successor_to_it(client):
    amersfoort = MunicipalityFactory(name="Amersfoort")
    maarssen = MunicipalityFactory(name="Maarssen")
    dissolve(maarssen, into=amersfoort)

    old_page = client.get(maarssen.get_absolute_url()).content.decode()
    new_page = client.get(amersfoort.get_absolute_url()).content.decode()

    assert "This municipality no longer exists: on 1 January 2027 it merged into" in old_page
    assert f'href="{amersfoort.get_absolute_url()}"' in old_page
    assert f'href="{maarssen.get_absolute_url()}"' in new_page


def test_an_unknown_municipality_is_a_404(client):
    assert client.get(reverse("municipalities:detail", kwargs={"slug": "atlantis"})).status_code == 404


def test_a_logged_in_user_may_ask_to_join_the_municipality(client):
    organisation = MunicipalOrganisationFactory()
    join_url = reverse("accounts:membership-request", kwargs={"slug": organisation.slug})

    anonymous = client.get(organisation.municipality.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    logged_in = client.get(organisation.municipality.get_absolute_url()).content.decode()

    assert join_url not in anonymous
    assert "Log in to become a member" in anonymous
    assert f'href="{join_url}"' in logged_in


def test_a_member_is_told_so_instead_of_asked_to_join(client):
    membership = MembershipFactory(coordinator=True)
    client.force_login(membership.user)

    response = client.get(membership.organisation.municipality.get_absolute_url())

    assert "You are a coordinator of this organisation." in response.content.decode()
    assert reverse("accounts:membership-request", kwargs={"slug": membership.organisation.slug}) not in (
        response.content.decode()
    )


def test_the_municipality_page_costs_constant_queries(client, django_assert_max_num_queries):
    successor = MunicipalityFactory()
    for municipality in MunicipalityFactory.create_batch(3):
        dissolve(municipality, into=successor)
    MunicipalOrganisationFactory(municipality=successor)

    # municipality with province, successor and organisation; predecessors; its initiatives; where its
    # organisation takes part; its adoptions of standards
    with django_assert_max_num_queries(5):
        assert client.get(successor.get_absolute_url()).status_code == 200


# Organisation list and page


def test_the_organisation_list_shows_active_partners_only(client):
    OrganisationFactory(name="Kadaster", kind=OrganisationKind.NATIONAL_GOVERNMENT)
    OrganisationFactory(name="Aangevraagd B.V.", requested=True)
    MunicipalOrganisationFactory(municipality__name="Zeist")

    response = client.get(ORGANISATIONS_URL)

    assert names(response) == ["Kadaster"]


def test_a_requester_does_not_see_their_request_in_the_public_list(client):
    requester = UserFactory()
    OrganisationFactory(requested=True, requested_by=requester)
    client.force_login(requester)

    assert names(client.get(ORGANISATIONS_URL)) == []


def test_the_organisation_list_filters_by_kind_and_searches_by_name(client):
    OrganisationFactory(name="Kadaster", kind=OrganisationKind.NATIONAL_GOVERNMENT)
    OrganisationFactory(name="Hogeschool Utrecht", kind=OrganisationKind.KNOWLEDGE_INSTITUTE)
    OrganisationFactory(name="Universiteit Utrecht", kind=OrganisationKind.KNOWLEDGE_INSTITUTE)

    assert names(client.get(ORGANISATIONS_URL, {"kind": "knowledge_institute"})) == [
        "Hogeschool Utrecht",
        "Universiteit Utrecht",
    ]
    assert names(client.get(ORGANISATIONS_URL, {"kind": "knowledge_institute", "q": "hoge"})) == ["Hogeschool Utrecht"]
    municipality_kind = client.get(ORGANISATIONS_URL, {"kind": "municipality"})
    assert "kind" in municipality_kind.context["filterset"].form.errors


def test_the_organisation_list_is_paginated(client):
    OrganisationFactory.create_batch(51)

    assert len(client.get(ORGANISATIONS_URL).context["page_obj"]) == 50
    assert len(client.get(ORGANISATIONS_URL, {"page": 2}).context["page_obj"]) == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_the_organisation_list_costs_the_same_queries_for_1_or_50_rows(client, django_assert_max_num_queries, rows):
    OrganisationFactory.create_batch(rows)
    client.force_login(UserFactory())

    # session, user, facilitator group (visibility), count, page, the header's unread notifications
    with django_assert_max_num_queries(6):
        response = client.get(ORGANISATIONS_URL, {"kind": "company"})

    assert len(response.context["page_obj"]) == rows


def test_the_organisation_page_shows_its_public_info_and_the_join_link(client):
    organisation = OrganisationFactory(name="Kadaster", website="https://www.kadaster.nl", description="Registers.")
    client.force_login(UserFactory())

    response = client.get(organisation.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Kadaster" in content
    assert "https://www.kadaster.nl" in content
    assert "Registers." in content
    assert reverse("accounts:membership-request", kwargs={"slug": organisation.slug}) in content


def test_a_requested_organisation_is_a_404_to_strangers_but_visible_to_its_requester_and_facilitators(client):
    requester = UserFactory()
    organisation = OrganisationFactory(requested=True, requested_by=requester)
    url = reverse("municipalities:organisation-detail", kwargs={"slug": organisation.slug})

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(requester)
    as_requester = client.get(url)
    client.force_login(UserFactory(facilitator=True))
    as_facilitator = client.get(url)

    assert as_requester.status_code == 200
    assert "waiting for a facilitator's review" in as_requester.content.decode()
    assert reverse("accounts:membership-request", kwargs={"slug": organisation.slug}) not in (
        as_requester.content.decode()
    )
    assert as_facilitator.status_code == 200


def test_a_municipal_organisation_address_leads_to_the_municipality_page(client):
    organisation = MunicipalOrganisationFactory()

    response = client.get(reverse("municipalities:organisation-detail", kwargs={"slug": organisation.slug}))

    assert response.status_code == 302
    assert response["Location"] == organisation.municipality.get_absolute_url()


def test_a_dissolved_municipality_takes_no_new_members(client):
    organisation = MunicipalOrganisationFactory()
    dissolve(organisation.municipality, into=MunicipalityFactory())
    client.force_login(UserFactory())

    response = client.get(organisation.municipality.get_absolute_url())

    assert reverse("accounts:membership-request", kwargs={"slug": organisation.slug}) not in response.content.decode()
