"""Nominating a proven practice, and the public page of a nomination: its evidence, the steps of
its review with their reasons, and its consultation."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collaboration.forms import NewCommentForm
from collaboration.selectors import editor_actor
from collaboration.services.comment import comment_post
from collaboration.services.milestone import achieved_milestones
from collaboration.views.comment import annotate_for, organisations_of
from initiatives.models import Initiative
from samenorg.core.actors import Actor
from samenorg.core.forms import add_service_error
from standards.forms import NominationForm
from standards.models import Nomination, NominationStage
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
    return _nomination_page(request, nomination)


@require_POST
@login_required
def nomination_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment in the consultation; refused once it has closed, with the typed text kept."""
    nomination = get_object_or_404(Nomination.objects.visible_to(request.user).select_related("initiative"), pk=pk)
    form = NewCommentForm(request.POST, organisations=organisations_of(request.user))
    if form.is_valid() and form.cleaned_data["organisation"] is not None:
        try:
            comment = comment_post(
                actor=Actor(organisation=form.cleaned_data["organisation"], user=request.user),
                initiative=nomination.initiative,
                body=form.cleaned_data["body"],
                nomination=nomination,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(f"{reverse('standards:nomination', kwargs={'pk': nomination.pk})}#reactie-{comment.pk}")
    elif form.is_valid():
        form.add_error(None, _("Join your organisation first; then you can join the conversation."))
    return _nomination_page(request, nomination, comment_form=form)


def _nomination_page(request: HttpRequest, nomination: Nomination, comment_form: Any = None) -> HttpResponse:
    consultation_open = nomination.stage == NominationStage.CONSULTATION and (
        nomination.consultation_closes_on is not None and nomination.consultation_closes_on >= timezone.localdate()
    )
    comments: list[Any] = []
    if request.user.is_authenticated:
        comments = list(nomination.comments.select_related("author", "organisation").order_by("created_at", "pk"))
        annotate_for(request.user, comments)
        if consultation_open and comment_form is None:
            organisations = organisations_of(request.user)
            comment_form = NewCommentForm(organisations=organisations) if organisations else None
    context = {
        "nomination": nomination,
        "transitions": nomination.transitions.select_related("organisation"),
        "milestones": achieved_milestones(nomination.initiative),
        "standard": getattr(nomination, "standard", None),
        "can_withdraw": nomination.stage in ("submitted", "intake", "consultation")
        and Initiative.objects.editable_by(request.user).filter(pk=nomination.initiative_id).exists(),
        "consultation_open": consultation_open,
        "comments": comments,
        "comment_form": comment_form if consultation_open else None,
        "initiative": nomination.initiative,
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
