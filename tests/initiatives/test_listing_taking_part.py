"""The list filter "only where my organisation takes part" (``takingPart=mine``): every role counts,
the owner's included; requests, refusals and departures do not; its cached answers belong to the
visitor's organisations and follow every join and departure."""

import re

import pytest
from django.urls import reverse

from collaboration.services.participation import participation_decide, participation_leave, participation_request
from initiatives.services.initiative import initiative_create, initiative_publish
from tests.factories import MembershipFactory, UserFactory, member_actor

pytestmark = pytest.mark.django_db
LIST = reverse("initiatives:list")
MINE = {"takingPart": "mine"}


def titles(response):
    html = response.content.decode()
    return sorted(re.findall(r'<h2 class="utrecht-heading-3"><a class="utrecht-link" href="[^"]+">([^<]+)</a>', html))


def shown_total(response):
    return int(re.search(r'id="initiative-count" role="status"[^>]*>\s*(\d+)', response.content.decode()).group(1))


def registered(actor, title, **content):
    draft = initiative_create(actor=actor, title=title, summary=f"{title}, voor hergebruik.", **content)
    return initiative_publish(actor=actor, initiative=draft)


@pytest.fixture
def utrecht():
    return member_actor("Utrecht")


@pytest.fixture
def zwolle():
    return member_actor("Zwolle")


@pytest.fixture
def initiatives(utrecht, zwolle):
    """Utrecht owns two; of Zwolle's two, Utrecht funds one and has only asked to join the other."""
    own = registered(utrecht, "Wijkdashboard", phase="pilot")
    registered(utrecht, "Zaaksysteem regio", phase="idea")
    funded = registered(zwolle, "Warmtenet Zwolle", phase="pilot", roles_sought=["funder"])
    asked = registered(zwolle, "Fietsdata")
    request = participation_request(actor=utrecht, initiative=funded, role="funder", motivation="Wij betalen mee.")
    participation_decide(actor=zwolle, participation=request, accept=True)
    participation_request(actor=utrecht, initiative=asked, role="participant", motivation="Wij willen meedoen.")
    return {"own": own, "funded": funded, "asked": asked}


def test_the_filter_lists_what_my_organisation_takes_part_in_whatever_the_role(client, initiatives, utrecht):
    client.force_login(utrecht.user)

    response = client.get(LIST, MINE)

    assert titles(response) == ["Warmtenet Zwolle", "Wijkdashboard", "Zaaksysteem regio"]
    assert shown_total(response) == 3
    assert 'name="takingPart" value="mine" id="id_takingPart" checked' in response.content.decode()


def test_the_facet_counts_are_counted_within_the_filter(client, initiatives, utrecht):
    client.force_login(utrecht.user)

    facets = client.get(LIST, {**MINE, "phase": "pilot"}).context["facets"]

    assert facets.total == 2
    assert {option.value: option.count for option in facets.options["phase"]}["idea"] == 1
    assert {option.value: option.count for option in facets.options["rolesSought"]}["funder"] == 1


def test_a_member_of_another_organisation_gets_their_own_answer_not_a_cached_one(client, initiatives, utrecht, zwolle):
    client.force_login(utrecht.user)
    assert shown_total(client.get(LIST, MINE)) == 3

    client.force_login(zwolle.user)
    assert titles(client.get(LIST, MINE)) == ["Fietsdata", "Warmtenet Zwolle"]


def test_leaving_and_joining_show_in_the_next_list(client, initiatives, utrecht, zwolle):
    client.force_login(utrecht.user)
    assert "Warmtenet Zwolle" in titles(client.get(LIST, MINE))

    funding = initiatives["funded"].participations.get(organisation=utrecht.organisation)
    participation_leave(actor=utrecht, participation=funding)
    assert "Warmtenet Zwolle" not in titles(client.get(LIST, MINE))

    asked = initiatives["asked"].participations.get(organisation=utrecht.organisation)
    participation_decide(actor=zwolle, participation=asked, accept=True)
    assert "Fietsdata" in titles(client.get(LIST, MINE))


def test_a_new_membership_changes_the_answer(client, initiatives, zwolle):
    user = UserFactory()
    client.force_login(user)
    assert shown_total(client.get(LIST, MINE)) == 0

    MembershipFactory(user=user, organisation=zwolle.organisation)
    assert shown_total(client.get(LIST, MINE)) == 2


def test_an_anonymous_visitor_is_asked_to_log_in_and_sees_no_checkbox(client, initiatives):
    response = client.get(LIST, MINE)

    assert response.status_code == 200
    assert shown_total(response) == 0
    assert "Log in om te zien" in response.content.decode()
    assert 'name="takingPart"' not in client.get(LIST).content.decode()


def test_a_user_without_an_organisation_is_told_why_nothing_matches(client, initiatives):
    client.force_login(UserFactory())

    response = client.get(LIST, MINE)

    assert shown_total(response) == 0
    assert "nog geen lid van een organisatie" in response.content.decode()


def test_an_unknown_value_is_ignored_with_a_notice(client, initiatives, utrecht):
    client.force_login(utrecht.user)

    response = client.get(LIST, {"takingPart": "all"})

    assert response.status_code == 200
    assert shown_total(response) == 4
    assert "genegeerd" in response.content.decode()


def test_the_export_applies_the_filter_too(client, initiatives, utrecht):
    client.force_login(utrecht.user)

    response = client.get(reverse("initiatives:export-csv"), MINE)

    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "Warmtenet Zwolle" in body
    assert "Fietsdata" not in body


def test_a_warm_filtered_request_costs_one_query_more_than_an_unfiltered_one(
    client, initiatives, utrecht, django_assert_num_queries
):
    client.force_login(utrecht.user)
    client.get(LIST, MINE)

    # session, user, the drafts they see, the data version, their organisations, the header's unread notifications
    with django_assert_num_queries(6):
        assert shown_total(client.get(LIST, MINE)) == 3
