"""A write key acts as a member of its organisation would: the same services, the same events (with
the key as actor), the same refusals."""

import pytest
from django.utils import timezone

from collaboration.models import Milestone, Participation, ParticipationStatus
from initiatives.models import Initiative, InitiativeStatus
from samenorg.events.models import Event
from standards.models import Adoption
from tests.factories import (
    MembershipFactory,
    MilestoneFactory,
    ParticipationFactory,
    StandardFactory,
    StandardVersionFactory,
)

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Afvalkalender in de app",
    "summary": "Inwoners zien wanneer welk afval wordt opgehaald.",
    "themes": ["dienstverlening"],
    "rolesSought": ["co_developer"],
    "links": [{"title": "Broncode", "url": "https://example.org/afvalkalender"}],
    "costEur": 12500.5,
}


def test_a_write_key_registers_edits_publishes_and_moves_an_initiative(world):
    api = world.api("utrecht_write")
    created = api.post("/api/v1/initiatives", NEW)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["owner"] == world.utrecht.slug
    assert body["costEur"] == 12500.5
    assert created["Location"].endswith(f"/api/v1/initiatives/{body['slug']}")
    slug = body["slug"]
    assert api.patch(f"/api/v1/initiatives/{slug}", {"summary": "Korter."}).json()["summary"] == "Korter."
    assert api.post(f"/api/v1/initiatives/{slug}/publish").json()["status"] == "published"
    assert api.post(f"/api/v1/initiatives/{slug}/phase", {"phase": "pilot"}).json()["phase"] == "pilot"
    events = Event.objects.filter(initiative__slug=slug).order_by("pk")
    assert [event.type for event in events] == [
        "initiative.created",
        "initiative.updated",
        "initiative.published",
        "initiative.phase_changed",
    ]
    key = world.utrecht.api_keys.get(prefix=world.keys["utrecht_write"][:12])
    assert all(event.actor_api_key == key and event.actor_user is None for event in events)
    assert all(event.organisation == world.utrecht for event in events)


def test_a_key_records_the_same_events_as_a_member(world):
    """The same request through a member's session and through a key: the same service, the same events."""
    from django.test import Client

    from tests.api.conftest import Api

    browser = Client(enforce_csrf_checks=False)
    browser.force_login(world.member)
    by_member = Api(client=browser).post("/api/v1/initiatives", NEW | {"title": "Via de site"})
    by_key = world.api("utrecht_write").post("/api/v1/initiatives", NEW | {"title": "Via de sleutel"})
    assert by_member.status_code == by_key.status_code == 201
    for response, user, has_key in ((by_member, world.member, False), (by_key, None, True)):
        event = Event.objects.get(initiative__slug=response.json()["slug"])
        assert event.type == "initiative.created"
        assert event.actor_user == user
        assert (event.actor_api_key is not None) is has_key
        assert event.audience == "participants"


def test_a_session_write_needs_the_csrf_token(world):
    from django.test import Client

    from tests.api.conftest import Api, assert_problem

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.member)
    assert_problem(Api(client=browser).post("/api/v1/initiatives", NEW), 403)
    assert not Initiative.objects.filter(title=NEW["title"]).exists()


def test_a_key_may_not_edit_another_organisations_initiative(world):
    from tests.api.conftest import assert_problem

    published = world.initiatives["published"]
    body = assert_problem(world.api("zwolle_write").patch(f"/api/v1/initiatives/{published.slug}", {"title": "X"}), 403)
    assert body["instance"] == f"/api/v1/initiatives/{published.slug}"
    assert_problem(
        world.api("zwolle_write").post(f"/api/v1/initiatives/{published.slug}/phase", {"phase": "pilot"}), 403
    )
    published.refresh_from_db()
    assert published.title == "Digitale afvalkalender"
    assert published.phase == "idea"


def test_a_key_never_acts_for_another_organisation(world):
    from tests.api.conftest import assert_problem

    response = world.api("utrecht_write").post("/api/v1/initiatives", NEW | {"organisation": world.zwolle.slug})
    assert_problem(response, 403)
    assert not Initiative.objects.filter(title=NEW["title"]).exists()


def test_asking_to_take_part_and_the_initiators_decision(world):
    initiative = world.initiatives["published"]
    asked = world.api("zwolle_write").post(
        f"/api/v1/initiatives/{initiative.slug}/participations",
        {"role": "co_developer", "motivation": "Wij bouwen hetzelfde."},
    )
    assert asked.status_code == 201, asked.content
    participation = asked.json()
    assert participation["status"] == "requested"
    assert participation["organisation"] == world.zwolle.slug
    path = f"/api/v1/participations/{participation['id']}/decision"
    from tests.api.conftest import assert_problem

    assert_problem(world.api("zwolle_write").post(path, {"accept": True}), 403)  # not the initiator
    declined_without_reason = assert_problem(world.api("utrecht_write").post(path, {"accept": False}), 400)
    assert declined_without_reason["invalidParams"][0]["name"] == "reason"
    decided = world.api("utrecht_write").post(path, {"accept": True})
    assert decided.json()["status"] == "active"
    assert list(
        Event.objects.filter(participation_id=participation["id"]).order_by("pk").values_list("type", flat=True)
    ) == ["participation.requested", "participation.accepted"]


def test_planning_and_achieving_a_milestone(world):
    initiative = world.initiatives["published"]
    planned = world.api("utrecht_write").post(
        f"/api/v1/initiatives/{initiative.slug}/milestones", {"title": "Livegang", "targetDate": "2026-09-01"}
    )
    assert planned.status_code == 201, planned.content
    milestone = planned.json()
    assert milestone["targetDate"] == "2026-09-01"
    assert milestone["achievedOn"] is None
    today = timezone.localdate().isoformat()
    achieved = world.api("utrecht_write").post(
        f"/api/v1/milestones/{milestone['id']}/achievement", {"achievedOn": today, "achievement": "Live."}
    )
    assert achieved.json()["achievedOn"] == today
    assert set(Event.objects.filter(milestone_id=milestone["id"]).values_list("type", flat=True)) == {
        "milestone.planned",
        "milestone.achieved",
    }


def test_achieving_in_the_future_names_the_field(world):
    from tests.api.conftest import assert_problem

    milestone = MilestoneFactory(initiative=world.initiatives["published"])
    response = world.api("utrecht_write").post(
        f"/api/v1/milestones/{milestone.pk}/achievement", {"achievedOn": "2999-01-01", "achievement": "Later."}
    )
    body = assert_problem(response, 400)
    assert [param["name"] for param in body["invalidParams"]] == ["achievedOn"]
    assert Milestone.objects.get(pk=milestone.pk).achieved_on is None


def test_a_municipality_records_its_own_adoption_and_a_partner_cannot(world):
    from tests.api.conftest import assert_problem

    standard = StandardFactory()
    StandardVersionFactory(standard=standard, major=2)
    path = f"/api/v1/standards/{standard.slug}/adoptions"
    recorded = world.api("utrecht_write").post(path, {"status": "in_use", "since": "2026-02-01", "version": "2.0.0"})
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["version"] == "2.0.0"
    assert recorded.json()["municipality"] == "GM0344"
    assert Event.objects.filter(type="adoption.changed", standard=standard).count() == 1
    assert_problem(world.api("partner_write").post(path, {"status": "planned", "since": "2026-02-01"}), 403)
    unknown_version = world.api("zwolle_write").post(
        path, {"status": "in_use", "since": "2026-02-01", "version": "9.9.9"}
    )
    assert assert_problem(unknown_version, 400)["invalidParams"][0]["name"] == "version"
    assert list(Adoption.objects.values_list("organisation", flat=True)) == [world.utrecht.pk]


def test_a_co_developers_key_edits_the_initiative(world):
    initiative = world.initiatives["published"]
    ParticipationFactory(initiative=initiative, organisation=world.zwolle, role="co_developer")
    response = world.api("zwolle_write").patch(f"/api/v1/initiatives/{initiative.slug}", {"tags": ["Afval"]})
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["afval"]
    assert Event.objects.get(type="initiative.updated").organisation == world.zwolle


def test_a_member_of_several_organisations_names_the_one_they_act_for(world):
    from django.test import Client

    from tests.api.conftest import Api, assert_problem

    MembershipFactory(user=world.member, organisation=world.partner)
    browser = Client()
    browser.force_login(world.member)
    api = Api(client=browser)
    body = assert_problem(api.post("/api/v1/initiatives", NEW), 400)
    assert body["invalidParams"][0]["name"] == "organisation"
    created = api.post("/api/v1/initiatives", NEW | {"organisation": world.partner.slug})
    assert created.json()["owner"] == world.partner.slug
    assert Initiative.objects.get(slug=created.json()["slug"]).status == InitiativeStatus.DRAFT
    assert Participation.objects.get(initiative__slug=created.json()["slug"]).status == ParticipationStatus.ACTIVE
