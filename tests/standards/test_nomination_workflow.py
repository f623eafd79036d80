"""Nominating a proven practice and the facilitators' review: every legal move, every illegal one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenorg.core.actors import Actor, moderator_actor
from samenorg.events.models import Event
from standards.models import Nomination, Standard
from standards.services.nomination import (
    nomination_decide,
    nomination_submit,
    nomination_transition,
    nomination_withdraw,
)
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    NominationFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "organisations_using": 14,
    "results": "Doorlooptijd van 8 naar 3 weken.",
    "costs_and_savings": "Invoering € 15.000, besparing € 40.000 per jaar.",
    "reusability": "Open source; draait bij drie leveranciers.",
    "documentation": "Handleiding en broncode op de projectpagina.",
}
LATER = timezone.localdate() + datetime.timedelta(days=21)


@pytest.fixture
def editor():
    membership = MembershipFactory()
    return Actor(organisation=membership.organisation, user=membership.user)


@pytest.fixture
def practice(editor):
    initiative = InitiativeFactory(owner=editor.organisation, published=True, phase="proven_practice")
    initiative.themes.set([ThemeFactory(name="Dienstverlening")])
    return initiative


@pytest.fixture
def facilitator():
    user = UserFactory(facilitator=True)
    MembershipFactory(user=user)
    return moderator_actor(user)


def stages(nomination):
    return list(nomination.transitions.values_list("from_stage", "to_stage"))


def test_the_whole_road_to_a_standard_records_every_move_and_its_event(editor, practice, facilitator):
    nomination = nomination_submit(actor=editor, initiative=practice, **EVIDENCE)
    nomination_transition(actor=facilitator, nomination=nomination, to_stage="intake", reason="Compleet dossier.")
    nomination_transition(actor=facilitator, nomination=nomination, to_stage="consultation", closes_on=LATER)
    nomination = nomination_decide(
        actor=facilitator, nomination=nomination, adopt=True, reason="Breed gedragen en bewezen in 14 gemeenten."
    )

    assert nomination.stage == "adopted"
    assert stages(nomination) == [
        ("", "submitted"),
        ("submitted", "intake"),
        ("intake", "consultation"),
        ("consultation", "adopted"),
    ]
    transition = nomination.transitions.get(to_stage="intake")
    assert (transition.by, transition.reason) == (facilitator.user, "Compleet dossier.")
    standard = Standard.objects.get()
    assert (standard.name, standard.source_initiative, standard.nomination) == (practice.title, practice, nomination)
    assert list(standard.themes.values_list("name", flat=True)) == ["Dienstverlening"]
    events = Event.objects.filter(nomination=nomination).order_by("pk")
    assert [(e.type, e.audience, e.payload["to_stage"]) for e in events] == [
        ("nomination.submitted", "public", "submitted"),
        ("nomination.transitioned", "public", "intake"),
        ("nomination.transitioned", "public", "consultation"),
        ("nomination.decided", "public", "adopted"),
    ]
    assert events.last().payload["standard"] == standard.pk
    assert events[2].payload["closes_on"] == LATER.isoformat()


def test_a_rejection_publishes_its_reasons_and_makes_no_standard(facilitator):
    nomination = NominationFactory(stage="consultation")
    nomination_decide(
        actor=facilitator, nomination=nomination, adopt=False, reason="Te weinig gemeenten gebruiken het."
    )
    nomination.refresh_from_db()
    assert (nomination.stage, nomination.decision_reason) == ("rejected", "Te weinig gemeenten gebruiken het.")
    assert not Standard.objects.exists()


@pytest.mark.parametrize("stage", ["submitted", "intake", "consultation"])
def test_the_nominators_withdraw_an_open_nomination(stage):
    nomination = NominationFactory(stage=stage)
    member = MembershipFactory(organisation=nomination.initiative.owner)
    nomination_withdraw(actor=Actor(organisation=member.organisation, user=member.user), nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.stage == "withdrawn"
    assert Event.objects.get().type == "nomination.transitioned"


ILLEGAL_MOVES = [
    ("submitted", "consultation"),
    ("submitted", "adopted"),
    ("submitted", "submitted"),
    ("intake", "submitted"),
    ("intake", "intake"),
    ("consultation", "intake"),
    ("consultation", "withdrawn"),
    ("adopted", "intake"),
    ("rejected", "consultation"),
    ("withdrawn", "intake"),
]


@pytest.mark.parametrize(("stage", "to_stage"), ILLEGAL_MOVES)
def test_moves_out_of_order_are_refused_and_change_nothing(facilitator, stage, to_stage):
    nomination = NominationFactory(stage=stage, decision_reason="Besloten." if stage in ("adopted", "rejected") else "")
    with pytest.raises(ValidationError) as refused:
        nomination_transition(actor=facilitator, nomination=nomination, to_stage=to_stage, closes_on=LATER)
    assert "kan niet naar" in str(refused.value)
    nomination.refresh_from_db()
    assert nomination.stage == stage
    assert not nomination.transitions.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("stage", ["submitted", "intake", "adopted", "rejected", "withdrawn"])
def test_only_a_nomination_in_consultation_is_decided(facilitator, stage):
    nomination = NominationFactory(stage=stage, decision_reason="Besloten." if stage in ("adopted", "rejected") else "")
    with pytest.raises(ValidationError):
        nomination_decide(actor=facilitator, nomination=nomination, adopt=True, reason="Goed.")
    nomination.refresh_from_db()
    assert nomination.stage == stage
    assert not Standard.objects.exists()


@pytest.mark.parametrize("stage", ["adopted", "rejected", "withdrawn"])
def test_a_closed_nomination_cannot_be_withdrawn(stage):
    nomination = NominationFactory(stage=stage, decision_reason="Besloten." if stage != "withdrawn" else "")
    member = MembershipFactory(organisation=nomination.initiative.owner)
    with pytest.raises(ValidationError):
        nomination_withdraw(actor=Actor(organisation=member.organisation, user=member.user), nomination=nomination)


def test_a_decision_needs_its_reasons(facilitator):
    nomination = NominationFactory(stage="consultation")
    with pytest.raises(ValidationError) as refused:
        nomination_decide(actor=facilitator, nomination=nomination, adopt=True, reason="  ")
    assert "reason" in refused.value.message_dict
    assert Nomination.objects.get().stage == "consultation"


@pytest.mark.parametrize("closes_on", [None, "today", "yesterday"])
def test_a_consultation_needs_a_closing_date_after_today(facilitator, closes_on):
    nomination = NominationFactory(stage="intake")
    date = {None: None, "today": timezone.localdate(), "yesterday": timezone.localdate() - datetime.timedelta(days=1)}
    with pytest.raises(ValidationError):
        nomination_transition(
            actor=facilitator, nomination=nomination, to_stage="consultation", closes_on=date[closes_on]
        )
    assert Nomination.objects.get().stage == "intake"


def test_only_facilitators_review(editor):
    nomination = NominationFactory(stage="submitted", initiative__owner=editor.organisation)
    with pytest.raises(PermissionDenied):
        nomination_transition(actor=editor, nomination=nomination, to_stage="intake")
    nomination.stage = "consultation"
    nomination.consultation_closes_on = LATER
    nomination.save()
    with pytest.raises(PermissionDenied):
        nomination_decide(actor=editor, nomination=nomination, adopt=True, reason="Wij vinden het goed.")
    assert Nomination.objects.get().stage == "consultation"
    assert not Event.objects.exists()


def test_strangers_neither_nominate_nor_withdraw(practice, facilitator):
    other = MembershipFactory()
    stranger = Actor(organisation=other.organisation, user=other.user)
    with pytest.raises(PermissionDenied):
        nomination_submit(actor=stranger, initiative=practice, **EVIDENCE)
    nomination = NominationFactory(initiative=practice)
    for actor in (stranger, facilitator):
        with pytest.raises(PermissionDenied):
            nomination_withdraw(actor=actor, nomination=nomination)
    assert Nomination.objects.get().stage == "submitted"


@pytest.mark.parametrize(
    "initiative",
    [
        pytest.param({"published": True, "phase": "implementation"}, id="not yet a proven practice"),
        pytest.param({"phase": "proven_practice"}, id="a draft"),
        pytest.param({"archived": True, "phase": "proven_practice"}, id="archived"),
    ],
)
def test_only_a_published_proven_practice_is_nominated(editor, initiative):
    initiative = InitiativeFactory(owner=editor.organisation, **initiative)
    with pytest.raises(ValidationError) as refused:
        nomination_submit(actor=editor, initiative=initiative, **EVIDENCE)
    assert "bewezen praktijk" in str(refused.value)
    assert not Nomination.objects.exists()


def test_one_open_nomination_per_initiative(editor, practice):
    nomination_submit(actor=editor, initiative=practice, **EVIDENCE)
    with pytest.raises(ValidationError) as refused:
        nomination_submit(actor=editor, initiative=practice, **EVIDENCE)
    assert "al voorgedragen" in str(refused.value)
    assert Nomination.objects.count() == 1


def test_after_a_rejection_the_initiative_may_be_nominated_again(editor, practice):
    NominationFactory(initiative=practice, stage="rejected", decision_reason="Nog niet genoeg bewijs.")
    assert nomination_submit(actor=editor, initiative=practice, **EVIDENCE).stage == "submitted"


def test_the_evidence_checklist_is_complete(editor, practice):
    with pytest.raises(ValidationError) as refused:
        nomination_submit(actor=editor, initiative=practice, **{**EVIDENCE, "reusability": " "})
    assert "reusability" in refused.value.message_dict
    assert not Nomination.objects.exists()
