"""The road from proven practice to standard. Editors nominate and may withdraw; facilitators move a
nomination through intake and consultation and decide. Every move is one call here that checks who
may make it, records the transition with its reason and the event, in one transaction."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from initiatives.models import Initiative, InitiativePhase, InitiativeStatus
from initiatives.services.initiative import lock_for_editor
from samenorg.core.actors import Actor
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record
from standards.models import OPEN_STAGES, Nomination, NominationStage, NominationTransition, Standard

EVIDENCE_FIELDS = ("organisations_using", "results", "costs_and_savings", "reusability", "documentation")

# The review's legal moves for facilitators (deciding and withdrawing have their own services).
FACILITATOR_MOVES: dict[str, set[str]] = {
    NominationStage.SUBMITTED: {NominationStage.INTAKE},
    NominationStage.INTAKE: {NominationStage.CONSULTATION},
}


def nomination_submit(*, actor: Actor, initiative: Initiative, **evidence: Any) -> Nomination:
    """Editors of a published proven practice nominate it, answering the evidence checklist."""
    if set(evidence) != set(EVIDENCE_FIELDS):
        raise TypeError(f"the evidence checklist is {EVIDENCE_FIELDS}")
    with transaction.atomic():
        initiative = lock_for_editor(actor, initiative)
        if initiative.status != InitiativeStatus.PUBLISHED or initiative.phase != InitiativePhase.PROVEN_PRACTICE:
            raise ValidationError(_("Only a published initiative in the phase 'proven practice' can be nominated."))
        nomination = Nomination(
            initiative=initiative,
            organisation=actor.organisation,
            submitted_by=actor.user,
            stage=NominationStage.SUBMITTED,
            **{field: value.strip() if isinstance(value, str) else value for field, value in evidence.items()},
        )
        nomination.full_clean(exclude=["initiative", "organisation", "submitted_by"], validate_constraints=False)
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError:
            raise ValidationError(_("This initiative is nominated already.")) from None
        _move(actor, nomination, NominationStage.SUBMITTED, reason="", event_type="nomination.submitted")
    return nomination


@transaction.atomic
def nomination_transition(
    *, actor: Actor, nomination: Nomination, to_stage: str, reason: str = "", closes_on: datetime.date | None = None
) -> Nomination:
    """A facilitator takes the next step: intake, then consultation until ``closes_on``."""
    _require_facilitator(actor)
    nomination = _lock(nomination)
    if to_stage not in FACILITATOR_MOVES.get(nomination.stage, set()):
        raise ValidationError(
            _("A nomination in the stage '%(from)s' cannot move to '%(to)s'.")
            % {"from": nomination.get_stage_display(), "to": _stage_label(to_stage)}
        )
    if to_stage == NominationStage.CONSULTATION:
        if closes_on is None or closes_on <= timezone.localdate():
            raise ValidationError({"closes_on": _("Give the consultation a closing date after today.")})
        nomination.consultation_closes_on = closes_on
    return _move(actor, nomination, to_stage, reason=reason, event_type="nomination.transitioned")


@transaction.atomic
def nomination_decide(*, actor: Actor, nomination: Nomination, adopt: bool, reason: str) -> Nomination:
    """A facilitator decides after the consultation; the decision and its reasons are public. Adopting
    makes the standard, with the initiative's name, summary and themes as its start."""
    _require_facilitator(actor)
    nomination = _lock(nomination)
    if nomination.stage != NominationStage.CONSULTATION:
        raise ValidationError(
            _("A nomination is decided after its consultation, not in the stage '%(stage)s'.")
            % {"stage": nomination.get_stage_display()}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reasons for the decision; they are published.")})
    nomination.decision_reason = reason
    to_stage = NominationStage.ADOPTED if adopt else NominationStage.REJECTED
    standard = _standard_from(nomination) if adopt else None
    return _move(
        actor,
        nomination,
        to_stage,
        reason=reason,
        event_type="nomination.decided",
        standard=standard.pk if standard else None,
    )


@transaction.atomic
def nomination_withdraw(*, actor: Actor, nomination: Nomination, reason: str = "") -> Nomination:
    """The nominators (editors of the initiative) withdraw an open nomination."""
    lock_for_editor(actor, nomination.initiative)
    nomination = _lock(nomination)
    if nomination.stage not in OPEN_STAGES:
        raise ValidationError(_("Only an open nomination can be withdrawn."))
    return _move(actor, nomination, NominationStage.WITHDRAWN, reason=reason, event_type="nomination.transitioned")


def _move(
    actor: Actor, nomination: Nomination, to_stage: str, *, reason: str, event_type: str, **details: Any
) -> Nomination:
    previous = "" if to_stage == NominationStage.SUBMITTED else nomination.stage
    nomination.stage = to_stage
    nomination.stage_changed_at = timezone.now()
    nomination.save()
    NominationTransition.objects.create(
        nomination=nomination,
        from_stage=previous,
        to_stage=to_stage,
        reason=reason.strip(),
        by=actor.user,
        organisation=actor.organisation,
    )
    event_record(
        event_type=event_type,
        actor=actor,
        audience=EventAudience.PUBLIC,
        payload={
            "nomination": nomination.pk,
            "initiative": nomination.initiative_id,
            "from_stage": previous,
            "to_stage": to_stage,
            **(
                {"closes_on": nomination.consultation_closes_on.isoformat()}
                if nomination.consultation_closes_on and to_stage == NominationStage.CONSULTATION
                else {}
            ),
            **details,
        },
        initiative=nomination.initiative,
        nomination=nomination,
    )
    return nomination


def _standard_from(nomination: Nomination) -> Standard:
    initiative = nomination.initiative
    base = slugify(initiative.title)[:200] or "standaard"
    slug, number = base, 1
    while Standard.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    standard = Standard.objects.create(
        name=initiative.title,
        slug=slug,
        description=initiative.summary,
        source_initiative=initiative,
        nomination=nomination,
    )
    standard.themes.set(initiative.themes.all())
    return standard


def _require_facilitator(actor: Actor) -> None:
    if actor.user is None or not actor.user.is_facilitator:
        raise PermissionDenied(_("Only facilitators review nominations."))


def _lock(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=nomination.pk)


def _stage_label(stage: str) -> str:
    return str(dict(NominationStage.choices).get(stage, stage))
