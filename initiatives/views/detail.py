from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from collaboration.views import comment, follow, milestone, participation
from initiatives.forms import AttachmentForm, PhaseForm
from initiatives.models import Initiative, InitiativeStatus
from samenorg.notifications import sections as notifications
from standards.views import sections as standards_sections


def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_object_or_404(
        Initiative.objects.visible_to(request.user).select_related("owner__municipality__province"), slug=slug
    )
    can_edit = Initiative.objects.editable_by(request.user).filter(pk=initiative.pk).exists()
    context = {
        "initiative": initiative,
        "themes": initiative.themes.all(),
        "links": initiative.links.all(),
        "attachments": initiative.attachments.all(),
        "phase_changes": initiative.phase_changes.all(),
        "can_edit": can_edit,
        "can_archive": initiative.status == InitiativeStatus.PUBLISHED
        and (can_edit or (request.user.is_authenticated and request.user.is_facilitator)),
        "phase_form": PhaseForm(initial={"phase": initiative.phase}) if can_edit else None,
        "attachment_form": AttachmentForm() if can_edit else None,
    }
    for section in (participation, milestone, follow, comment, notifications):
        context |= section.initiative_section(request, initiative)
    context |= standards_sections.initiative_section(request, initiative, can_edit=can_edit)
    return render(request, "initiatives/detail.html", context)
