"""Milestones: editors plan the steps of their initiative and record when one is achieved. An achieved
milestone is celebrated on the page and counts as evidence; it is never deleted or unachieved."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from collaboration.models import Milestone
from initiatives.models import Initiative, InitiativeStatus
from initiatives.services.initiative import lock_for_editor
from samenorg.core.actors import Actor
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record


@transaction.atomic
def milestone_plan(
    *,
    actor: Actor,
    initiative: Initiative,
    title: str,
    description: str = "",
    target_date: datetime.date | None = None,
) -> Milestone:
    """An editor plans a step; an archived initiative plans nothing new."""
    initiative = lock_for_editor(actor, initiative)
    if initiative.status == InitiativeStatus.ARCHIVED:
        raise ValidationError(_("This initiative is archived: it gets no new milestones."))
    milestone = Milestone(
        initiative=initiative,
        title=title.strip(),
        description=description.strip(),
        target_date=target_date,
        planned_by=actor.user,
        planned_for=actor.organisation,
    )
    milestone.full_clean(exclude=["initiative", "planned_for"])
    milestone.save()
    _record(actor, milestone, "milestone.planned")
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: Actor,
    milestone: Milestone,
    title: str,
    description: str = "",
    target_date: datetime.date | None = None,
) -> Milestone:
    """An editor changes a plan. What was achieved is the record and stays as it was.

    No event: a revised plan is not news to followers, and the row's history keeps every change."""
    initiative, milestone = _lock(actor, milestone)
    if initiative.status == InitiativeStatus.ARCHIVED:
        raise ValidationError(_("This initiative is archived: its milestones stay as they are."))
    if milestone.is_achieved:
        raise ValidationError(_("This milestone is achieved already; an achievement is not changed afterwards."))
    milestone.title = title.strip()
    milestone.description = description.strip()
    milestone.target_date = target_date
    milestone.full_clean(exclude=["initiative", "planned_for"])
    milestone.save(update_fields=["title", "description", "target_date", "updated_at"])
    return milestone


@transaction.atomic
def milestone_achieve(
    *,
    actor: Actor,
    milestone: Milestone,
    achieved_on: datetime.date,
    achievement: str,
    evidence_url: str = "",
) -> Milestone:
    """An editor records that a planned milestone is achieved: when, what it delivered, and where to
    see the evidence. Also allowed on an archived initiative: the record of what happened may be
    completed after the work stopped."""
    initiative, milestone = _lock(actor, milestone)
    if milestone.is_achieved:
        raise ValidationError(_("This milestone is achieved already."))
    errors: dict[str, str] = {}
    if achieved_on > timezone.localdate():
        errors["achieved_on"] = _("A milestone cannot be achieved in the future; choose today or an earlier date.")
    achievement = achievement.strip()
    if not achievement:
        errors["achievement"] = _("Say what was achieved.")
    evidence_url = evidence_url.strip()
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = _("Give a web address that starts with https:// or http://.")
    if errors:
        raise ValidationError(errors)
    milestone.achieved_on = achieved_on
    milestone.achievement = achievement
    milestone.evidence_url = evidence_url
    milestone.achieved_by = actor.user
    milestone.full_clean(exclude=["initiative", "planned_for"])
    milestone.save(update_fields=["achieved_on", "achievement", "evidence_url", "achieved_by", "updated_at"])
    _record(actor, milestone, "milestone.achieved", initiative=initiative)
    return milestone


def achieved_milestones(initiative: Initiative) -> QuerySet[Milestone]:
    """The initiative's achieved milestones, oldest first: evidence a nomination can point to."""
    return Milestone.objects.filter(initiative=initiative, achieved_on__isnull=False).order_by("achieved_on", "pk")


def _lock(actor: Actor, milestone: Milestone) -> tuple[Initiative, Milestone]:
    """The editor's check on the milestone's own initiative, then the milestone row itself."""
    initiative = lock_for_editor(actor, milestone.initiative)
    return initiative, Milestone.objects.select_for_update().get(pk=milestone.pk, initiative=initiative)


def _record(actor: Actor, milestone: Milestone, event_type: str, initiative: Initiative | None = None) -> None:
    initiative = initiative or milestone.initiative
    payload: dict[str, Any] = {
        "initiative": initiative.pk,
        "milestone": milestone.pk,
        "title": milestone.title,
        "target_date": milestone.target_date.isoformat() if milestone.target_date else None,
        "achieved_on": milestone.achieved_on.isoformat() if milestone.achieved_on else None,
    }
    event_record(
        event_type=event_type,
        actor=actor,
        audience=EventAudience.PARTICIPANTS if initiative.status == InitiativeStatus.DRAFT else EventAudience.PUBLIC,
        payload=payload,
        initiative=initiative,
        milestone=milestone,
    )
