"""What the standards add to other pages: the initiative page's nomination, a municipality's adoptions."""

from typing import Any

from django.http import HttpRequest

from initiatives.models import Initiative, InitiativePhase, InitiativeStatus
from municipalities.models import Organisation
from standards.models import Adoption, Nomination


def initiative_section(request: HttpRequest, initiative: Initiative, *, can_edit: bool) -> dict[str, Any]:
    nomination = Nomination.objects.filter(initiative=initiative).select_related("standard").order_by("-pk").first()
    nominable = initiative.status == InitiativeStatus.PUBLISHED and initiative.phase == InitiativePhase.PROVEN_PRACTICE
    open_stages = ("submitted", "intake", "consultation", "adopted")
    return {
        "nomination": nomination,
        "can_nominate": can_edit and nominable and (nomination is None or nomination.stage not in open_stages),
    }


def municipality_section(request: HttpRequest, organisation: Organisation | None) -> dict[str, Any]:
    if organisation is None:
        return {"adoptions": []}
    adoptions = Adoption.objects.filter(organisation=organisation).select_related("standard", "version")
    return {"adoptions": list(adoptions.order_by("standard__name"))}
