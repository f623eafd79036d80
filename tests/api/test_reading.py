"""Every resource reads as the site shows it: public for everyone, drafts only for their organisation."""

import pytest

from samenorg.events.dispatch import assign_positions
from standards.models import Adoption, AdoptionStatus
from tests.factories import (
    CommentFactory,
    MilestoneFactory,
    NominationFactory,
    ParticipationFactory,
    StandardFactory,
    StandardVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def test_anonymous_reads_published_and_archived_initiatives_only(world):
    found = slugs(world.api().get("/api/v1/initiatives"))
    assert found == {world.initiatives["published"].slug, world.initiatives["archived"].slug}


def test_a_key_also_reads_its_own_organisations_drafts_and_never_anothers(world):
    own = slugs(world.api("utrecht_read").get("/api/v1/initiatives"))
    assert world.initiatives["draft"].slug in own
    assert world.initiatives["zwolle_draft"].slug not in own
    other = world.api("zwolle_write").get(f"/api/v1/initiatives/{world.initiatives['draft'].slug}")
    assert other.status_code == 404


def test_initiative_detail_has_camel_case_fields_and_contact_only_for_identified_callers(world):
    initiative = world.initiatives["published"]
    initiative.contact_name = "Anna de Vries"
    initiative.save()
    anonymous = world.api().get(f"/api/v1/initiatives/{initiative.slug}").json()
    assert anonymous["contact"] is None
    assert {"rolesSought", "organisationsUsing", "costEur", "publishedAt", "owner"} <= set(anonymous)
    assert anonymous["owner"] == world.utrecht.slug
    assert anonymous["themes"] == [world.theme.slug]
    with_key = world.api("zwolle_write").get(f"/api/v1/initiatives/{initiative.slug}").json()
    assert with_key["contact"]["name"] == "Anna de Vries"


def test_the_initiative_filters_are_the_lists_filters(world):
    response = world.api().get("/api/v1/initiatives", phase="idea", municipality=world.zwolle.municipality.slug)
    assert slugs(response) == {world.initiatives["archived"].slug}
    mine = world.api("utrecht_read").get("/api/v1/initiatives", takingPart="mine")
    assert world.initiatives["archived"].slug not in slugs(mine)


def test_a_list_costs_the_same_queries_for_one_row_or_many(world, django_assert_max_num_queries):
    from tests.factories import InitiativeFactory

    api = world.api("utrecht_read")
    api.get("/api/v1/initiatives")  # warm: the key is noted as used once a minute at most
    with django_assert_max_num_queries(2):  # the key, the page
        api.get("/api/v1/initiatives")
    InitiativeFactory.create_batch(30, owner=world.zwolle, published=True)
    with django_assert_max_num_queries(2):
        response = api.get("/api/v1/initiatives", pageSize=100)
    assert len(response.json()["results"]) == 33  # two public, its draft, thirty new


def test_pages_have_no_count_and_link_onwards(world):
    first = world.api().get("/api/v1/initiatives", pageSize=1).json()
    assert set(first) == {"results", "next", "previous"}
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = world.api().get("/api/v1/initiatives", pageSize=1, page=2).json()
    assert second["next"] is None
    assert second["previous"] is not None


def test_reference_data_reads(world):
    municipalities = world.api().get("/api/v1/municipalities", q="Utrecht").json()["results"]
    assert [row["code"] for row in municipalities] == ["GM0344"]
    assert municipalities[0]["organisation"] == world.utrecht.slug
    assert world.api().get(f"/api/v1/municipalities/{world.utrecht.municipality.slug}").json()["name"] == "Utrecht"
    organisations = world.api().get("/api/v1/organisations", kind="company").json()["results"]
    assert [row["slug"] for row in organisations] == [world.partner.slug]
    assert world.api().get(f"/api/v1/organisations/{world.partner.slug}").json()["kind"] == "company"
    themes = {row["slug"]: row for row in world.api().get("/api/v1/themes").json()["results"]}
    assert themes[world.theme.slug] | {"description": ""} == {
        "slug": world.theme.slug,
        "name": "Dienstverlening",
        "description": "",
        "isActive": True,
    }
    assert world.api().get(f"/api/v1/themes/{world.theme.slug}").status_code == 200


def test_participations_show_requests_to_the_two_organisations_only(world):
    initiative = world.initiatives["published"]
    active = ParticipationFactory(initiative=initiative, organisation=world.partner)
    request = ParticipationFactory(initiative=initiative, organisation=world.zwolle, requested=True)
    path = f"/api/v1/initiatives/{initiative.slug}/participations"
    anonymous = {row["id"] for row in world.api().get(path).json()["results"]}
    assert active.pk in anonymous
    assert request.pk not in anonymous
    initiator = world.api("utrecht_read").get(path).json()["results"]
    asked = next(row for row in initiator if row["id"] == request.pk)
    assert asked["motivation"] == "Wij doen graag mee."
    assert asked["status"] == "requested"
    assert world.api("zwolle_write").get(f"/api/v1/participations/{request.pk}").status_code == 200
    assert world.api("partner_write").get(f"/api/v1/participations/{request.pk}").status_code == 404


def test_milestones_and_comments_of_a_visible_initiative(world):
    initiative = world.initiatives["published"]
    milestone = MilestoneFactory(initiative=initiative, achieved=True)
    hidden = CommentFactory(initiative=initiative, author=UserFactory(name="Piet"), organisation=world.zwolle)
    hidden.hidden_at, hidden.hidden_reason = hidden.created_at, "Reclame"
    hidden.save()
    rows = world.api().get(f"/api/v1/initiatives/{initiative.slug}/milestones").json()["results"]
    assert rows[0]["id"] == milestone.pk
    assert rows[0]["achievedOn"]
    assert world.api().get(f"/api/v1/milestones/{milestone.pk}").json()["title"] == milestone.title
    comments = world.api().get(f"/api/v1/initiatives/{initiative.slug}/comments").json()["results"]
    assert comments[0] | {"createdAt": None} == {
        "id": hidden.pk,
        "initiative": initiative.slug,
        "nomination": None,
        "organisation": world.zwolle.slug,
        "authorName": "Piet",
        "body": None,
        "hidden": True,
        "createdAt": None,
        "editedAt": None,
    }
    draft_milestone = MilestoneFactory(initiative=world.initiatives["draft"])
    assert world.api().get(f"/api/v1/milestones/{draft_milestone.pk}").status_code == 404
    assert world.api().get(f"/api/v1/initiatives/{world.initiatives['draft'].slug}/comments").status_code == 404


def test_standards_versions_nominations_adoptions_and_figures(world):
    standard = StandardFactory(name="Afvalkalender-standaard")
    version = StandardVersionFactory(standard=standard, major=1, minor=2)
    Adoption.objects.create(
        organisation=world.utrecht, standard=standard, status=AdoptionStatus.IN_USE, version=version, since="2026-01-01"
    )
    nomination = NominationFactory(initiative=world.initiatives["published"])
    detail = world.api().get(f"/api/v1/standards/{standard.slug}").json()
    assert detail["adopters"] == 1
    assert detail["status"] == "active"
    assert [row["slug"] for row in world.api().get("/api/v1/standards").json()["results"]] == [standard.slug]
    versions = world.api().get(f"/api/v1/standards/{standard.slug}/versions").json()["results"]
    assert versions[0]["number"] == "1.2.0"
    assert versions[0]["releasedOn"]
    adoptions = world.api().get(f"/api/v1/standards/{standard.slug}/adoptions").json()["results"]
    assert adoptions[0] | {"updatedAt": None} == {
        "standard": standard.slug,
        "organisation": world.utrecht.slug,
        "municipality": "GM0344",
        "status": "in_use",
        "reason": "",
        "version": "1.2.0",
        "since": "2026-01-01",
        "updatedAt": None,
    }
    figures = world.api().get(f"/api/v1/standards/{standard.slug}/adoption-figures").json()
    assert figures["total"] == 2
    assert figures["recorded"] == 1
    assert {"status": "in_use", "count": 1, "share": 50.0} in figures["statuses"]
    assert world.api().get("/api/v1/adoption-figures").json()["standard"] is None
    nominations = world.api().get("/api/v1/nominations").json()["results"]
    assert nominations[0]["id"] == nomination.pk
    assert nominations[0]["costsAndSavings"]
    assert world.api().get(f"/api/v1/nominations/{nomination.pk}").json()["stage"] == "submitted"


def test_events_feed_for_anonymous_is_public_events_in_position_order(world):
    from initiatives.services.initiative import initiative_publish, initiative_update
    from samenorg.core.actors import Actor

    actor = Actor(organisation=world.utrecht, user=world.member)
    initiative_update(actor=actor, initiative=world.initiatives["draft"], summary="Nog geheim.")
    initiative_publish(actor=actor, initiative=world.initiatives["draft"])
    assign_positions()
    events = world.api().get("/api/v1/events").json()["results"]
    assert [event["type"] for event in events] == ["initiative.published"]
    own = world.api("utrecht_read").get("/api/v1/events").json()["results"]
    assert [event["type"] for event in own] == ["initiative.updated", "initiative.published"]
    assert own[0]["position"] < own[1]["position"]
    assert own[0]["payload"]["fields"] == ["summary"]
    assert "slug" in own[0]["payload"]


@pytest.mark.parametrize("sort", ["newest", "updated", "title"])
def test_a_keys_pages_hold_its_drafts_and_the_public_rows_in_order_without_gaps(world, sort):
    """For a key the list is read in parts (public rows, its own drafts, what it co-develops) and merged:
    walking the pages gives exactly the visible rows, in the same order as the whole list sorted at once."""
    from initiatives.filtersets import InitiativeFilterSet
    from initiatives.models import Initiative
    from tests.factories import InitiativeFactory

    InitiativeFactory.create_batch(4, owner=world.utrecht)  # drafts
    InitiativeFactory.create_batch(5, owner=world.zwolle, published=True)
    co_developed = InitiativeFactory(owner=world.zwolle, title="Samen ontwikkeld concept")
    ParticipationFactory(initiative=co_developed, organisation=world.utrecht, role="co_developer")
    expected = [
        row.slug
        for row in InitiativeFilterSet(
            {"sort": sort}, queryset=Initiative.objects.visible_to_organisation(world.utrecht)
        ).qs
    ]
    api, walked, page = world.api("utrecht_read"), [], 1
    while True:
        body = api.get("/api/v1/initiatives", sort=sort, pageSize=3, page=page).json()
        walked += [row["slug"] for row in body["results"]]
        if body["next"] is None:
            break
        page += 1
    assert walked == expected
    assert co_developed.slug in walked
    assert world.initiatives["zwolle_draft"].slug not in walked
