"""The milestone timeline on the initiative page, and the editors' pages to plan and achieve steps."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from collaboration.forms import MilestoneAchieveForm, MilestoneForm
from collaboration.models import Milestone
from collaboration.selectors import editor_actor
from collaboration.services import milestone as services
from initiatives.models import Initiative, InitiativeStatus
from samenorg.core.actors import Actor


def initiative_section(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What templates/collaboration/_milestone.html needs on the initiative page: two queries, whatever
    the number of milestones (who edits, and the milestones)."""
    milestones = list(initiative.milestones.all())  # achieved first by date, then planned by target date
    can_edit = Initiative.objects.editable_by(request.user).filter(pk=initiative.pk).exists()
    return {
        "milestones_achieved": [milestone for milestone in milestones if milestone.is_achieved],
        "milestones_planned": [milestone for milestone in milestones if not milestone.is_achieved],
        "can_plan_milestones": can_edit and initiative.status != InitiativeStatus.ARCHIVED,
        "can_achieve_milestones": can_edit,
    }


def _editable(request: HttpRequest, slug: str) -> Initiative:
    """Only editors find these pages; to anyone else the initiative has none."""
    return get_object_or_404(Initiative.objects.editable_by(request.user).select_related("owner"), slug=slug)


def _actor(request: HttpRequest, initiative: Initiative) -> Actor:
    return editor_actor(request.user, initiative)


def _timeline(initiative: Initiative) -> str:
    return f"{initiative.get_absolute_url()}#mijlpalen"


@login_required
def milestone_plan(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _editable(request, slug)
    if initiative.status == InitiativeStatus.ARCHIVED:
        messages.error(request, _("This initiative is archived: it gets no new milestones."))
        return redirect(_timeline(initiative))
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_plan(actor=_actor(request, initiative), initiative=initiative, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The milestone is planned."))
            return redirect(_timeline(initiative))
    return render(request, "collaboration/milestone_form.html", {"initiative": initiative, "form": form})


def _milestone_of(request: HttpRequest, initiative: Initiative, pk: int) -> Milestone | None:
    """The milestone, looked up within this initiative only: another initiative's milestone is refused."""
    milestone = Milestone.objects.filter(initiative=initiative, pk=pk).first()
    if milestone is None:
        messages.error(request, _("This milestone does not belong to this initiative; nothing was changed."))
    return milestone


@login_required
def milestone_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _editable(request, slug)
    milestone = _milestone_of(request, initiative, pk)
    if milestone is None:
        return redirect(_timeline(initiative))
    if milestone.is_achieved or initiative.status == InitiativeStatus.ARCHIVED:
        messages.error(request, _("Only a planned milestone of a current initiative can be changed."))
        return redirect(_timeline(initiative))
    initial = {"title": milestone.title, "description": milestone.description, "target_date": milestone.target_date}
    form = MilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(actor=_actor(request, initiative), milestone=milestone, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The milestone is changed."))
            return redirect(_timeline(initiative))
    context = {"initiative": initiative, "milestone": milestone, "form": form}
    return render(request, "collaboration/milestone_form.html", context)


@login_required
def milestone_achieve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _editable(request, slug)
    milestone = _milestone_of(request, initiative, pk)
    if milestone is None:
        return redirect(_timeline(initiative))
    if milestone.is_achieved:
        messages.info(request, _("This milestone is achieved already."))
        return redirect(_timeline(initiative))
    form = MilestoneAchieveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_achieve(actor=_actor(request, initiative), milestone=milestone, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Congratulations: the milestone is achieved!"))
            return redirect(_timeline(initiative))
    context = {"initiative": initiative, "milestone": milestone, "form": form}
    return render(request, "collaboration/milestone_achieve.html", context)


urlpatterns: list[URLPattern] = [
    path("initiatieven/<slug:slug>/mijlpalen/nieuw", milestone_plan, name="milestone-plan"),
    path("initiatieven/<slug:slug>/mijlpalen/<int:pk>/bewerken", milestone_edit, name="milestone-edit"),
    path("initiatieven/<slug:slug>/mijlpalen/<int:pk>/bereikt", milestone_achieve, name="milestone-achieve"),
]
