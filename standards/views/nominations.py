"""Nominating a proven practice, and the public page of a nomination: its evidence, the steps of
its review with their reasons, and its consultation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collaboration.selectors import editor_actor
from collaboration.services.milestone import achieved_milestones
from initiatives.models import Initiative
from samenorg.core.forms import add_service_error
from standards.forms import NominationForm
from standards.models import Nomination
from standards.services.nomination import nomination_submit, nomination_withdraw


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_object_or_404(Initiative.objects.editable_by(request.user).select_related("owner"), slug=slug)
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = nomination_submit(
                actor=editor_actor(request.user, initiative), initiative=initiative, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The nomination is submitted. The facilitators will take it from here."))
            return redirect("standards:nomination", pk=nomination.pk)
    context = {"initiative": initiative, "form": form, "milestones": achieved_milestones(initiative)}
    return render(request, "standards/nominate.html", context)


@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related("initiative", "organisation"), pk=pk
    )
    context = {
        "nomination": nomination,
        "transitions": nomination.transitions.select_related("organisation"),
        "milestones": achieved_milestones(nomination.initiative),
        "standard": getattr(nomination, "standard", None),
        "can_withdraw": nomination.stage in ("submitted", "intake", "consultation")
        and Initiative.objects.editable_by(request.user).filter(pk=nomination.initiative_id).exists(),
    }
    return render(request, "standards/nomination.html", context)


@require_POST
@login_required
def nomination_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(Nomination.objects.visible_to(request.user).select_related("initiative"), pk=pk)
    try:
        nomination_withdraw(actor=editor_actor(request.user, nomination.initiative), nomination=nomination)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The nomination is withdrawn."))
    return redirect("standards:nomination", pk=nomination.pk)
