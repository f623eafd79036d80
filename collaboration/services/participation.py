"""Taking part in an initiative: an organisation asks to join in a role, the initiator decides, and the
organisation may ask for another role, withdraw its request or leave. Each write checks who acts,
locks what it changes, writes and records its event in one transaction.

Events: ``participation.requested`` (to join, or with ``requested_role`` in its payload for another
role), ``participation.accepted``, ``participation.declined`` (either kind of request),
``participation.role_changed``, ``participation.withdrawn`` and ``participation.left``.
Audiences: a request, its refusal and its withdrawal concern the asking organisation and the
initiative's participants only (a request is not public until accepted); joining, leaving and a new
role are public news of a public initiative. Payloads hold ids and roles, never the motivation or the
reason (people's words).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from collaboration.models import Participation, ParticipationStatus
from initiatives.models import CollaborationRole, Initiative, InitiativeStatus
from municipalities.models import Organisation
from municipalities.models.organisation import OrganisationStatus
from samenorg.core.actors import Actor
from samenorg.core.ratelimits import rate_limit
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record

ONE_LIVE_CONSTRAINT = "one_live_participation_per_organisation"
REQUESTABLE_ROLES = [role for role in CollaborationRole if role != CollaborationRole.INITIATOR]
MAX_MOTIVATION = Participation._meta.get_field("motivation").max_length or 2000
MAX_REASON = Participation._meta.get_field("decision_reason").max_length or 2000


def participation_start_as_initiator(*, actor: Actor, initiative: Initiative) -> Participation:
    """The owner takes part as the initiator from creation on (part of ``initiative_create``, whose
    ``initiative.created`` event says so; no event of its own)."""
    now = timezone.now()
    return Participation.objects.create(
        initiative=initiative,
        organisation=initiative.owner,
        role=CollaborationRole.INITIATOR,
        status=ParticipationStatus.ACTIVE,
        requested_by=actor.user,
        decided_by=actor.user,
        decided_at=now,
        joined_at=now,
    )


def participation_request(*, actor: Actor, initiative: Initiative, role: str, motivation: str) -> Participation:
    """A member asks, on behalf of the organisation they act for, to join a published initiative; each
    person (or API key) makes at most the ``join_request`` rate of requests (``SAMENORG_RATE_LIMITS``)."""
    _require_member(actor)
    motivation = _clean_motivation(motivation)
    _require_requestable_role(role)
    _require_open(initiative)
    if actor.organisation.status != OrganisationStatus.ACTIVE:
        raise ValidationError(_("Your organisation is not approved yet; it can join initiatives once it is."))
    if initiative.owner_id == actor.organisation.pk:
        raise ValidationError(_("Your organisation is the initiator of this initiative already."))
    if takes_part_or_asked(initiative, actor.organisation):  # the usual case; the constraint settles a race
        raise ValidationError(_already_live_message())
    with rate_limit("join_request", actor), transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the constraint decides between two requests at once
                participation = Participation.objects.create(
                    initiative=initiative,
                    organisation=actor.organisation,
                    role=role,
                    status=ParticipationStatus.REQUESTED,
                    motivation=motivation,
                    requested_by=actor.user,
                )
        except IntegrityError as error:
            if ONE_LIVE_CONSTRAINT not in str(error):
                raise
            raise ValidationError(_already_live_message()) from None
        _record(actor, participation, "participation.requested", public=False)
    return participation


def participation_request_role(
    *, actor: Actor, participation: Participation, role: str, motivation: str
) -> Participation:
    """A taking-part organisation asks the initiator for another role; it keeps its role until then."""
    _require_member_of(actor, participation)
    motivation = _clean_motivation(motivation)
    _require_requestable_role(role)
    with transaction.atomic():
        participation = _lock(participation)
        if participation.status != ParticipationStatus.ACTIVE:
            raise ValidationError(_("Only an organisation that takes part can ask for another role."))
        if participation.role == CollaborationRole.INITIATOR:
            raise ValidationError(_("The initiator keeps its role."))
        _require_open(participation.initiative)
        if role == participation.role:
            raise ValidationError({"role": _("Your organisation has this role already.")})
        if participation.requested_role:
            raise ValidationError(_("Your organisation has asked for another role already; wait for the decision."))
        participation.requested_role = role
        participation.requested_role_motivation = motivation
        participation.requested_by = actor.user
        participation.save(update_fields=["requested_role", "requested_role_motivation", "requested_by"])
        _record(actor, participation, "participation.requested", public=False)
    return participation


def participation_decide(
    *, actor: Actor, participation: Participation, accept: bool, reason: str = ""
) -> Participation:
    """A member of the initiator organisation accepts or declines (with a reason) a request to join
    or a request for another role. A request is decided once."""
    _require_member(actor)
    if participation.initiative.owner_id != actor.organisation.pk:
        raise PermissionDenied(_("Only members of the initiator organisation decide on requests."))
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Give a reason when you decline; the organisation reads it.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("Keep the reason under %(max)d characters.") % {"max": MAX_REASON}})
    with transaction.atomic():
        participation = _lock(participation)
        joining = participation.status == ParticipationStatus.REQUESTED
        changing_role = participation.status == ParticipationStatus.ACTIVE and bool(participation.requested_role)
        if participation.status == ParticipationStatus.WITHDRAWN:
            raise ValidationError(_("The organisation has withdrawn this request."))
        if not (joining or changing_role):
            raise ValidationError(_("This request has been decided already."))
        if accept and participation.initiative.status != InitiativeStatus.PUBLISHED:
            raise ValidationError(_("The initiative is archived: decline the request or let it be withdrawn."))
        now = timezone.now()
        participation.decided_by, participation.decided_at, participation.decision_reason = actor.user, now, reason
        fields = ["decided_by", "decided_at", "decision_reason"]
        previous_role, requested_role = participation.role, participation.requested_role
        if joining and accept:
            participation.status, participation.joined_at = ParticipationStatus.ACTIVE, now
            fields += ["status", "joined_at"]
            event_type = "participation.accepted"
        elif joining:
            participation.status, participation.ended_at = ParticipationStatus.DECLINED, now
            fields += ["status", "ended_at"]
            event_type = "participation.declined"
        else:
            if accept:
                participation.role = requested_role
                fields.append("role")
            participation.requested_role = ""
            fields.append("requested_role")
            event_type = "participation.role_changed" if accept else "participation.declined"
        participation.save(update_fields=fields)
        details: dict[str, Any] = {}
        if changing_role:
            details = {"previous_role": previous_role, "requested_role": requested_role}
        _record(actor, participation, event_type, public=event_type != "participation.declined", **details)
    return participation


def participation_withdraw(*, actor: Actor, participation: Participation) -> Participation:
    """The asking organisation takes back its pending request: to join (the row ends as withdrawn) or
    for another role (the row keeps its role). The initiator heard of the request, so they hear of
    this too, in an event for the same private audience (``participation.withdrawn``)."""
    _require_member_of(actor, participation)
    with transaction.atomic():
        participation = _lock(participation)
        withdrawn_role = ""
        if participation.status == ParticipationStatus.REQUESTED:
            participation.status, participation.ended_at = ParticipationStatus.WITHDRAWN, timezone.now()
            participation.save(update_fields=["status", "ended_at"])
        elif participation.status == ParticipationStatus.ACTIVE and participation.requested_role:
            withdrawn_role, participation.requested_role = participation.requested_role, ""
            participation.save(update_fields=["requested_role"])
        else:
            raise ValidationError(_("There is no open request to withdraw."))
        details = {"requested_role": withdrawn_role} if withdrawn_role else {}
        _record(actor, participation, "participation.withdrawn", public=False, **details)
    return participation


def participation_leave(*, actor: Actor, participation: Participation) -> Participation:
    """A taking-part organisation stops; the initiator cannot leave its own initiative."""
    _require_member_of(actor, participation)
    with transaction.atomic():
        participation = _lock(participation)
        if participation.status != ParticipationStatus.ACTIVE:
            raise ValidationError(_("Your organisation does not take part in this initiative."))
        if participation.role == CollaborationRole.INITIATOR:
            raise ValidationError(
                _("The initiator cannot leave its own initiative; archive it when the work has ended.")
            )
        participation.status, participation.ended_at, participation.requested_role = (
            ParticipationStatus.LEFT,
            timezone.now(),
            "",
        )
        participation.save(update_fields=["status", "ended_at", "requested_role"])
        _record(actor, participation, "participation.left", public=True)
    return participation


# -- rules shared by the services ------------------------------------------------------------------


def _require_member(actor: Actor) -> None:
    if not actor.is_member:
        raise PermissionDenied(
            _("Only members of %(organisation)s act on its behalf.") % {"organisation": actor.organisation}
        )


def _require_member_of(actor: Actor, participation: Participation) -> None:
    _require_member(actor)
    if participation.organisation_id != actor.organisation.pk:
        raise PermissionDenied(_("Only members of the taking-part organisation act on its participation."))


def _require_requestable_role(role: str) -> None:
    if role == CollaborationRole.INITIATOR:
        raise ValidationError({"role": _("An initiative has one initiator: its owner. Choose another role.")})
    if role not in CollaborationRole.values:
        raise ValidationError({"role": _("Choose one of the roles.")})


def _require_open(initiative: Initiative) -> None:
    if initiative.status == InitiativeStatus.DRAFT:
        raise ValidationError(_("This initiative is not published yet; organisations join once it is."))
    if initiative.status != InitiativeStatus.PUBLISHED:
        raise ValidationError(_("This initiative is archived; it takes no new participants or roles."))


def _clean_motivation(motivation: str) -> str:
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": _("Tell the initiator why your organisation wants this role.")})
    if len(motivation) > MAX_MOTIVATION:
        raise ValidationError(
            {"motivation": _("Keep the motivation under %(max)d characters.") % {"max": MAX_MOTIVATION}}
        )
    return motivation


def takes_part_or_asked(initiative: Initiative, organisation: Organisation) -> bool:
    return Participation.objects.live().filter(initiative=initiative, organisation=organisation).exists()


def _already_live_message() -> str:
    return _("Your organisation takes part in this initiative or has asked to already.")


def _lock(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("initiative", "organisation")
        .get(pk=participation.pk)
    )


def _record(actor: Actor, participation: Participation, event_type: str, *, public: bool, **details: Any) -> None:
    initiative = participation.initiative
    payload = {
        "participation": participation.pk,
        "initiative": initiative.pk,
        "slug": initiative.slug,
        "organisation": participation.organisation_id,
        "role": participation.role,
        "status": participation.status,
        **details,
    }
    if participation.requested_role:
        payload["requested_role"] = participation.requested_role
    audience = (
        EventAudience.PUBLIC if public and initiative.status != InitiativeStatus.DRAFT else EventAudience.PARTICIPANTS
    )
    event_record(
        event_type=event_type,
        actor=actor,
        audience=audience,
        payload=payload,
        initiative=initiative,
        participation=participation,
    )
