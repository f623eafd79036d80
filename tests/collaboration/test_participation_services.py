"""Asking to join, deciding, asking for another role, withdrawing and leaving: what each service
writes, which event it records for whom, and that every refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from collaboration.models import Participation
from collaboration.services.participation import (
    participation_decide,
    participation_leave,
    participation_request,
    participation_request_role,
    participation_withdraw,
)
from initiatives.models import Initiative
from initiatives.services.initiative import initiative_archive, initiative_create, initiative_publish
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from tests.factories import ApiKeyFactory, InitiativeFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MOTIVATION = "Wij willen het zaaksysteem ook gebruiken en denken mee over de koppelingen."


@pytest.fixture
def initiator():
    membership = MembershipFactory(organisation__municipality__name="Utrecht")
    return Actor(organisation=membership.organisation, user=membership.user)


@pytest.fixture
def joiner():
    membership = MembershipFactory(organisation__municipality__name="Zwolle")
    return Actor(organisation=membership.organisation, user=membership.user)


@pytest.fixture
def initiative(initiator):
    draft = initiative_create(actor=initiator, title="Gedeeld zaaksysteem", summary="Eén zaaksysteem voor de regio.")
    return initiative_publish(actor=initiator, initiative=draft)


def state():
    """Everything a refused action must leave as it was."""
    rows = Participation.objects.order_by("pk").values_list(
        "pk", "organisation", "role", "status", "requested_role", "decided_at", "ended_at", "decision_reason"
    )
    return list(rows), list(Event.objects.order_by("pk").values_list("pk", flat=True))


def events(participation):
    return list(Event.objects.filter(participation=participation).order_by("pk"))


def test_registering_an_initiative_makes_its_owner_the_active_initiator(initiator):
    draft = initiative_create(actor=initiator, title="Wijkdashboard", summary="Cijfers per wijk.")

    initiator_row = Participation.objects.get(initiative=draft)
    assert (initiator_row.organisation, initiator_row.role, initiator_row.status) == (
        initiator.organisation,
        "initiator",
        "active",
    )
    assert initiator_row.joined_at is not None
    assert initiator_row.requested_by == initiator.user


def test_the_whole_cycle_records_each_step_for_the_right_audience(initiative, initiator, joiner):
    asked = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    assert (asked.status, asked.role, asked.motivation) == ("requested", "participant", MOTIVATION)

    accepted = participation_decide(actor=initiator, participation=asked, accept=True)
    assert accepted.status == "active"
    assert accepted.joined_at is not None
    assert accepted.decided_by == initiator.user

    participation_request_role(actor=joiner, participation=accepted, role="co_developer", motivation="Wij bouwen mee.")
    changed = participation_decide(actor=initiator, participation=accepted, accept=True)
    assert (changed.role, changed.requested_role) == ("co_developer", "")

    left = participation_leave(actor=joiner, participation=changed)
    assert left.status == "left"
    assert left.ended_at is not None

    recorded = [(event.type, event.audience, event.organisation) for event in events(asked)]
    assert recorded == [
        ("participation.requested", "participants", joiner.organisation),
        ("participation.accepted", "public", initiator.organisation),
        ("participation.requested", "participants", joiner.organisation),
        ("participation.role_changed", "public", initiator.organisation),
        ("participation.left", "public", joiner.organisation),
    ]
    first, *_, role_change, _left = events(asked)
    assert first.payload == {
        "participation": asked.pk,
        "initiative": initiative.pk,
        "slug": initiative.slug,
        "organisation": joiner.organisation.pk,
        "role": "participant",
        "status": "requested",
    }
    assert (role_change.payload["previous_role"], role_change.payload["requested_role"]) == (
        "participant",
        "co_developer",
    )
    assert role_change.payload["role"] == "co_developer"
    assert all(event.initiative == initiative for event in events(asked))
    assert all(event.actor_user in {joiner.user, initiator.user} for event in events(asked))


def test_after_leaving_an_organisation_may_ask_again_in_a_new_row(initiative, initiator, joiner):
    first = participation_request(actor=joiner, initiative=initiative, role="funder", motivation=MOTIVATION)
    participation_decide(actor=initiator, participation=first, accept=True)
    participation_leave(actor=joiner, participation=first)

    again = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)

    assert again.pk != first.pk
    assert Participation.objects.live().filter(organisation=joiner.organisation).get() == again


def test_a_declined_request_records_a_private_event_without_the_reason(initiative, initiator, joiner):
    asked = participation_request(actor=joiner, initiative=initiative, role="supplier", motivation=MOTIVATION)

    declined = participation_decide(
        actor=initiator, participation=asked, accept=False, reason="Wij kiezen nu nog geen leverancier."
    )

    assert (declined.status, declined.decision_reason) == ("declined", "Wij kiezen nu nog geen leverancier.")
    event = events(asked)[-1]
    assert (event.type, event.audience) == ("participation.declined", "participants")
    assert "leverancier" not in str(event.payload)
    assert MOTIVATION not in str([e.payload for e in Event.objects.all()]), "motivations stay out of payloads"


def test_a_declined_role_change_keeps_the_role(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    participation_decide(actor=initiator, participation=row, accept=True)
    participation_request_role(actor=joiner, participation=row, role="funder", motivation="Wij hebben budget.")

    row = participation_decide(actor=initiator, participation=row, accept=False, reason="Financiering is rond.")

    assert (row.status, row.role, row.requested_role) == ("active", "participant", "")
    event = events(row)[-1]
    assert (event.type, event.audience, event.payload["requested_role"]) == (
        "participation.declined",
        "participants",
        "funder",
    )


def test_withdrawing_a_request_to_join_ends_it_privately(initiative, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)

    row = participation_withdraw(actor=joiner, participation=row)

    assert row.status == "withdrawn"
    assert not Participation.objects.live().filter(organisation=joiner.organisation).exists()
    event = events(row)[-1]
    assert (event.type, event.audience) == ("participation.withdrawn", "participants")


def test_withdrawing_a_request_for_another_role_keeps_taking_part(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    participation_decide(actor=initiator, participation=row, accept=True)
    participation_request_role(actor=joiner, participation=row, role="knowledge_partner", motivation="Kennis.")

    row = participation_withdraw(actor=joiner, participation=row)

    assert (row.status, row.role, row.requested_role) == ("active", "participant", "")
    assert events(row)[-1].payload["requested_role"] == "knowledge_partner"


def test_a_partner_system_asks_with_its_write_key(initiative, initiator):
    key = ApiKeyFactory(write=True, organisation=OrganisationFactory())
    actor = Actor(organisation=key.organisation, api_key=key)

    row = participation_request(actor=actor, initiative=initiative, role="supplier", motivation=MOTIVATION)

    event = events(row)[0]
    assert (event.actor_api_key, event.actor_user, event.organisation) == (key, None, key.organisation)


def test_events_of_an_archived_initiative_stay_public(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    participation_decide(actor=initiator, participation=row, accept=True)
    initiative_archive(actor=initiator, initiative=initiative)

    participation_leave(actor=joiner, participation=row)

    assert events(row)[-1].audience == "public"


# -- refusals: each one is clear and changes nothing ----------------------------------------------


def refused(error, call):
    before = state()
    with pytest.raises(error) as raised:
        call()
    assert state() == before
    return raised.value


def test_asking_twice_is_refused(initiative, joiner):
    participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)

    error = refused(
        ValidationError,
        lambda: participation_request(actor=joiner, initiative=initiative, role="funder", motivation=MOTIVATION),
    )
    assert "heeft al gevraagd" in " ".join(error.messages) or "neemt al deel" in " ".join(error.messages)


def test_the_database_keeps_one_live_row_per_organisation(initiative, joiner):
    participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)

    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            initiative=initiative, organisation=joiner.organisation, role="funder", status="active"
        )


@pytest.mark.parametrize(
    ("role", "field"),
    [("initiator", "role"), ("chief", "role")],
)
def test_asking_for_the_initiator_role_or_an_unknown_one_is_refused(initiative, joiner, role, field):
    error = refused(
        ValidationError,
        lambda: participation_request(actor=joiner, initiative=initiative, role=role, motivation=MOTIVATION),
    )
    assert field in error.message_dict


def test_asking_without_a_motivation_is_refused(initiative, joiner):
    error = refused(
        ValidationError,
        lambda: participation_request(actor=joiner, initiative=initiative, role="participant", motivation="  "),
    )
    assert "motivation" in error.message_dict


def test_asking_to_join_a_draft_or_an_archived_initiative_is_refused(initiator, joiner):
    draft = InitiativeFactory(owner=initiator.organisation)
    archived = InitiativeFactory(owner=initiator.organisation, archived=True)
    for initiative in (draft, archived):
        refused(
            ValidationError,
            lambda initiative=initiative: participation_request(
                actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION
            ),
        )


def test_the_owner_cannot_ask_to_join_its_own_initiative(initiative, initiator):
    error = refused(
        ValidationError,
        lambda: participation_request(actor=initiator, initiative=initiative, role="funder", motivation=MOTIVATION),
    )
    assert "initiatiefnemer" in " ".join(error.messages)


def test_an_organisation_waiting_for_approval_cannot_ask(initiative):
    membership = MembershipFactory(organisation=OrganisationFactory(requested=True))
    actor = Actor(organisation=membership.organisation, user=membership.user)

    refused(
        ValidationError,
        lambda: participation_request(actor=actor, initiative=initiative, role="participant", motivation=MOTIVATION),
    )


def test_only_members_ask_on_behalf_of_an_organisation(initiative, joiner):
    stranger = Actor(organisation=joiner.organisation, user=UserFactory())

    refused(
        PermissionDenied,
        lambda: participation_request(actor=stranger, initiative=initiative, role="participant", motivation=MOTIVATION),
    )


def test_deciding_a_request_one_may_not_decide_is_refused(initiative, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    facilitator = MembershipFactory(user=UserFactory(facilitator=True))
    others = [
        joiner,  # the asking organisation itself
        Actor(organisation=MembershipFactory().organisation, user=UserFactory()),  # not even a member
        Actor(organisation=facilitator.organisation, user=facilitator.user),
        Actor(organisation=initiative.owner, user=UserFactory()),  # claims the initiator, is no member
    ]
    for actor in others:
        refused(PermissionDenied, lambda actor=actor: participation_decide(actor=actor, participation=row, accept=True))
    assert Participation.objects.get(pk=row.pk).status == "requested"


def test_deciding_twice_is_refused(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    participation_decide(actor=initiator, participation=row, accept=True)

    error = refused(
        ValidationError,
        lambda: participation_decide(actor=initiator, participation=row, accept=False, reason="Toch niet"),
    )
    assert "al besloten" in " ".join(error.messages)


def test_deciding_a_withdrawn_request_is_refused(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    participation_withdraw(actor=joiner, participation=row)

    refused(ValidationError, lambda: participation_decide(actor=initiator, participation=row, accept=True))


def test_declining_without_a_reason_is_refused(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)

    error = refused(
        ValidationError, lambda: participation_decide(actor=initiator, participation=row, accept=False, reason=" ")
    )
    assert "reason" in error.message_dict


def test_accepting_on_an_archived_initiative_is_refused_declining_is_not(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    initiative_archive(actor=initiator, initiative=initiative)

    refused(ValidationError, lambda: participation_decide(actor=initiator, participation=row, accept=True))
    assert participation_decide(actor=initiator, participation=row, accept=False, reason="Gestopt.").status == (
        "declined"
    )


def test_the_initiator_cannot_leave(initiative, initiator):
    row = Participation.objects.get(initiative=initiative, role="initiator")

    error = refused(ValidationError, lambda: participation_leave(actor=initiator, participation=row))
    assert "initiatiefnemer" in " ".join(error.messages)


def test_leaving_what_one_has_only_asked_for_is_refused(initiative, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)

    refused(ValidationError, lambda: participation_leave(actor=joiner, participation=row))


def test_only_members_of_the_taking_part_organisation_leave_withdraw_or_ask_another_role(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    participation_decide(actor=initiator, participation=row, accept=True)
    participation_request_role(actor=joiner, participation=row, role="funder", motivation="Budget.")
    for actor in (initiator, Actor(organisation=joiner.organisation, user=UserFactory())):
        refused(PermissionDenied, lambda actor=actor: participation_leave(actor=actor, participation=row))
        refused(PermissionDenied, lambda actor=actor: participation_withdraw(actor=actor, participation=row))
        refused(
            PermissionDenied,
            lambda actor=actor: participation_request_role(
                actor=actor, participation=row, role="supplier", motivation="Wij leveren."
            ),
        )


def test_asking_for_another_role_is_refused_for_the_same_role_the_initiator_or_a_second_time(
    initiative, initiator, joiner
):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    refused(
        ValidationError,
        lambda: participation_request_role(
            actor=joiner, participation=row, role="funder", motivation="Nog niet actief"
        ),
    )
    participation_decide(actor=initiator, participation=row, accept=True)
    for role in ("participant", "initiator"):
        refused(
            ValidationError,
            lambda role=role: participation_request_role(
                actor=joiner, participation=row, role=role, motivation="Iets anders"
            ),
        )
    participation_request_role(actor=joiner, participation=row, role="funder", motivation="Budget.")
    refused(
        ValidationError,
        lambda: participation_request_role(actor=joiner, participation=row, role="supplier", motivation="Nog één"),
    )
    initiator_row = Participation.objects.get(initiative=initiative, role="initiator")
    refused(
        ValidationError,
        lambda: participation_request_role(
            actor=initiator, participation=initiator_row, role="funder", motivation="Wisselen"
        ),
    )


def test_withdrawing_when_nothing_is_pending_is_refused(initiative, initiator, joiner):
    row = participation_request(actor=joiner, initiative=initiative, role="participant", motivation=MOTIVATION)
    participation_decide(actor=initiator, participation=row, accept=True)

    refused(ValidationError, lambda: participation_withdraw(actor=joiner, participation=row))


def test_a_refused_request_leaves_the_initiative_as_it_was(initiative, joiner):
    before = Initiative.objects.filter(pk=initiative.pk).values().get()

    with pytest.raises(ValidationError):
        participation_request(actor=joiner, initiative=initiative, role="initiator", motivation=MOTIVATION)

    assert Initiative.objects.filter(pk=initiative.pk).values().get() == before
