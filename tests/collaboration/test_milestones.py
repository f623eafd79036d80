"""Editors plan milestones and record them achieved; the page celebrates what was achieved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Milestone
from collaboration.services.milestone import (
    achieved_milestones,
    milestone_achieve,
    milestone_plan,
    milestone_update,
)
from samenorg.core.actors import Actor
from samenorg.events.models import Event, EventAudience
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    MilestoneFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def editor():
    membership = MembershipFactory(organisation__municipality__name="Utrecht")
    return Actor(organisation=membership.organisation, user=membership.user)


@pytest.fixture
def initiative(editor):
    return InitiativeFactory(owner=editor.organisation, published=True)


@pytest.fixture
def planned(editor, initiative):
    return milestone_plan(
        actor=editor,
        initiative=initiative,
        title="Pilot in twee wijken",
        description="Samen met de wijkteams.",
        target_date=datetime.date(2026, 6, 1),
    )


def outsiders(editor):
    """Everyone who is not an editor of the editor's initiative."""
    other = MembershipFactory()
    facilitator = UserFactory(facilitator=True)
    return {
        "member of another organisation": Actor(organisation=other.organisation, user=other.user),
        "stranger claiming the organisation": Actor(organisation=editor.organisation, user=UserFactory()),
        "facilitator": Actor(organisation=MembershipFactory(user=facilitator).organisation, user=facilitator),
        "member acting for another organisation": Actor(organisation=other.organisation, user=editor.user),
    }


def snapshot(milestone):
    milestone.refresh_from_db()
    return (milestone.title, milestone.target_date, milestone.achieved_on, milestone.achievement, Event.objects.count())


# Planning


def test_an_editor_plans_a_milestone_and_the_public_hears_of_it(editor, initiative, planned):
    assert (planned.initiative, planned.planned_for, planned.planned_by) == (
        initiative,
        editor.organisation,
        editor.user,
    )
    event = Event.objects.get(type="milestone.planned")
    assert event.audience == EventAudience.PUBLIC
    assert (event.milestone, event.initiative, event.organisation, event.actor_user) == (
        planned,
        initiative,
        editor.organisation,
        editor.user,
    )
    assert event.payload == {
        "initiative": initiative.pk,
        "milestone": planned.pk,
        "title": "Pilot in twee wijken",
        "target_date": "2026-06-01",
        "achieved_on": None,
    }


def test_a_milestone_of_a_draft_is_for_its_participants_only(editor):
    draft = InitiativeFactory(owner=editor.organisation)

    milestone_plan(actor=editor, initiative=draft, title="Plan van aanpak")

    assert Event.objects.get(type="milestone.planned").audience == EventAudience.PARTICIPANTS


def test_an_archived_initiative_gets_no_new_milestones(editor):
    archived = InitiativeFactory(owner=editor.organisation, archived=True)

    with pytest.raises(ValidationError, match="gearchiveerd"):
        milestone_plan(actor=editor, initiative=archived, title="Nog een stap")

    assert not Milestone.objects.exists()
    assert not Event.objects.exists()


def test_a_milestone_needs_a_title(editor, initiative):
    with pytest.raises(ValidationError) as refused:
        milestone_plan(actor=editor, initiative=initiative, title="   ")

    assert "title" in refused.value.message_dict
    assert not Milestone.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        "member of another organisation",
        "stranger claiming the organisation",
        "facilitator",
        "member acting for another organisation",
    ],
)
def test_only_editors_plan_update_and_achieve(editor, initiative, planned, who):
    actor = outsiders(editor)[who]
    before = snapshot(planned)

    with pytest.raises(PermissionDenied):
        milestone_plan(actor=actor, initiative=initiative, title="Ongevraagd")
    with pytest.raises(PermissionDenied):
        milestone_update(actor=actor, milestone=planned, title="Overgenomen")
    with pytest.raises(PermissionDenied):
        milestone_achieve(actor=actor, milestone=planned, achieved_on=TODAY(), achievement="Niet waar")

    assert snapshot(planned) == before
    assert Milestone.objects.count() == 1


def test_a_co_developer_is_an_editor_of_milestones(initiative, planned):
    co_developer = ParticipationFactory(initiative=initiative, role="co_developer")
    member = MembershipFactory(organisation=co_developer.organisation)

    milestone_achieve(
        actor=Actor(organisation=co_developer.organisation, user=member.user),
        milestone=planned,
        achieved_on=TODAY(),
        achievement="Gedaan door de mede-ontwikkelaar.",
    )

    assert Milestone.objects.get().is_achieved


def test_an_editor_changes_a_planned_milestone_without_an_event(editor, planned):
    milestone_update(actor=editor, milestone=planned, title="Pilot in drie wijken", target_date=None)

    planned.refresh_from_db()
    assert (planned.title, planned.target_date) == ("Pilot in drie wijken", None)
    assert list(Event.objects.values_list("type", flat=True)) == ["milestone.planned"]


# Achieving


def test_an_editor_achieves_a_milestone_and_it_counts_as_evidence(editor, initiative, planned):
    achieved_on = TODAY() - datetime.timedelta(days=3)

    milestone_achieve(
        actor=editor,
        milestone=planned,
        achieved_on=achieved_on,
        achievement="  300 huishoudens bereikt.  ",
        evidence_url="https://utrecht.example/evaluatie.pdf",
    )

    planned.refresh_from_db()
    assert (planned.achieved_on, planned.achievement, planned.achieved_by) == (
        achieved_on,
        "300 huishoudens bereikt.",
        editor.user,
    )
    event = Event.objects.get(type="milestone.achieved")
    assert event.audience == EventAudience.PUBLIC
    assert event.payload["achieved_on"] == achieved_on.isoformat()
    assert set(event.payload) == {"initiative", "milestone", "title", "target_date", "achieved_on"}
    assert list(achieved_milestones(initiative)) == [planned]


def test_achieved_milestones_leaves_out_planned_ones_and_other_initiatives(initiative):
    achieved = MilestoneFactory(initiative=initiative, achieved=True)
    MilestoneFactory(initiative=initiative)
    MilestoneFactory(achieved=True)

    assert list(achieved_milestones(initiative)) == [achieved]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"achieved_on": datetime.date.today() + datetime.timedelta(days=2)}, "achieved_on"),
        ({"achievement": "   "}, "achievement"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"evidence_url": "ftp://example.org/bewijs.pdf"}, "evidence_url"),
        ({"evidence_url": "data:text/html,hallo"}, "evidence_url"),
    ],
)
def test_bad_achievements_are_refused_and_change_nothing(editor, planned, changes, field):
    before = snapshot(planned)
    data = {"achieved_on": TODAY(), "achievement": "Gedaan.", "evidence_url": "", **changes}

    with pytest.raises(ValidationError) as refused:
        milestone_achieve(actor=editor, milestone=planned, **data)

    assert field in refused.value.message_dict
    assert snapshot(planned) == before


def test_a_milestone_is_achieved_once_and_then_stays_as_it_was(editor, planned):
    milestone_achieve(actor=editor, milestone=planned, achieved_on=TODAY(), achievement="Gedaan.")
    before = snapshot(planned)

    with pytest.raises(ValidationError, match="al bereikt"):
        milestone_achieve(actor=editor, milestone=planned, achieved_on=TODAY(), achievement="Nog eens.")
    with pytest.raises(ValidationError, match="al bereikt"):
        milestone_update(actor=editor, milestone=planned, title="Herschreven")

    assert snapshot(planned) == before


def test_an_archived_initiative_may_still_record_what_was_achieved(editor, initiative, planned):
    initiative.status, initiative.archived_at = "archived", timezone.now()
    initiative.save()

    milestone_achieve(actor=editor, milestone=planned, achieved_on=TODAY(), achievement="Afgerond voor de stop.")

    assert Milestone.objects.get().is_achieved
    with pytest.raises(ValidationError):
        milestone_update(actor=editor, milestone=planned, title="Te laat")


# Pages


def login_editor(client, editor):
    client.force_login(editor.user)


def test_an_editor_plans_and_achieves_through_the_pages(client, editor, initiative):
    login_editor(client, editor)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("collaboration:milestone-plan", kwargs={"slug": initiative.slug}) in page

    response = client.post(
        reverse("collaboration:milestone-plan", kwargs={"slug": initiative.slug}),
        {"title": "Koppeling met het zaaksysteem", "target_date": "2026-09-01"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.target_date == datetime.date(2026, 9, 1)

    achieve = reverse("collaboration:milestone-achieve", kwargs={"slug": initiative.slug, "pk": milestone.pk})
    response = client.post(
        achieve,
        {
            "achieved_on": TODAY().isoformat(),
            "achievement": "De koppeling draait in productie.",
            "evidence_url": "https://utrecht.example/nieuws",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Gefeliciteerd: de mijlpaal is bereikt!" in page
    assert "samenorg-timeline__item--achieved" in page
    assert f"Bereikt op {TODAY().day} " in page
    assert "De koppeling draait in productie." in page
    assert 'href="https://utrecht.example/nieuws" rel="noopener noreferrer nofollow"' in page


def test_the_timeline_shows_planned_and_achieved_milestones_to_everyone(client, initiative):
    MilestoneFactory(initiative=initiative, title="Aanbesteding gegund", target_date=datetime.date(2026, 11, 2))
    MilestoneFactory(initiative=initiative, title="Eerste wijk live", achieved=True)

    page = client.get(initiative.get_absolute_url()).content.decode()

    assert "Aanbesteding gegund" in page
    assert "Gepland voor 2 november 2026" in page
    assert "Eerste wijk live" in page
    assert "Bereikt op" in page
    assert page.index("Eerste wijk live") < page.index("Aanbesteding gegund")
    assert "Mijlpaal plannen" not in page
    assert "Markeren als bereikt" not in page


def test_a_future_date_is_refused_on_the_page_in_dutch_and_changes_nothing(client, editor, planned):
    login_editor(client, editor)
    url = reverse("collaboration:milestone-achieve", kwargs={"slug": planned.initiative.slug, "pk": planned.pk})

    response = client.post(
        url, {"achieved_on": (TODAY() + datetime.timedelta(days=1)).isoformat(), "achievement": "Straks."}
    )

    assert response.status_code == 200
    assert "kan niet in de toekomst bereikt zijn" in response.content.decode()
    assert not Milestone.objects.get().is_achieved
    assert not Event.objects.filter(type="milestone.achieved").exists()


def test_a_milestone_of_another_initiative_is_refused_and_nothing_changes(client, editor, initiative):
    """The editor edits both initiatives: the milestone is still looked up within the one in the URL."""
    other = InitiativeFactory(owner=editor.organisation, published=True)
    foreign = MilestoneFactory(initiative=other)
    login_editor(client, editor)

    for name in ("milestone-achieve", "milestone-edit"):
        response = client.post(
            reverse(f"collaboration:{name}", kwargs={"slug": initiative.slug, "pk": foreign.pk}),
            {"title": "Gekaapt", "achieved_on": TODAY().isoformat(), "achievement": "Gekaapt."},
            follow=True,
        )
        assert "Deze mijlpaal hoort niet bij dit initiatief; er is niets gewijzigd." in response.content.decode()

    foreign.refresh_from_db()
    assert (foreign.title, foreign.is_achieved) != ("Gekaapt", True)
    assert not foreign.is_achieved
    assert not Event.objects.exists()


def test_another_organisations_milestone_pages_do_not_exist_for_them(client, planned):
    client.force_login(MembershipFactory().user)

    response = client.post(
        reverse("collaboration:milestone-achieve", kwargs={"slug": planned.initiative.slug, "pk": planned.pk}),
        {"achieved_on": TODAY().isoformat(), "achievement": "Niet van ons."},
    )

    assert response.status_code == 404
    assert not Milestone.objects.get().is_achieved


def test_planning_on_an_archived_initiative_is_refused_on_the_page(client, editor):
    archived = InitiativeFactory(owner=editor.organisation, archived=True)
    login_editor(client, editor)

    response = client.post(
        reverse("collaboration:milestone-plan", kwargs={"slug": archived.slug}), {"title": "Nog iets"}, follow=True
    )

    assert "gearchiveerd: er komen geen nieuwe mijlpalen bij" in response.content.decode()
    assert not Milestone.objects.exists()


def test_the_milestone_admin_is_read_only_for_facilitators(client, planned):
    facilitator = UserFactory(facilitator=True)
    log_in_with_second_factor(client, facilitator)

    listing = client.get(reverse("admin:collaboration_milestone_changelist"), {"bereikt": "nee"})

    assert listing.status_code == 200
    assert "Pilot in twee wijken" in listing.content.decode()
    change = client.post(
        reverse("admin:collaboration_milestone_change", args=[planned.pk]), {"title": "Aangepast in beheer"}
    )
    assert change.status_code == 403
    planned.refresh_from_db()
    assert planned.title == "Pilot in twee wijken"
