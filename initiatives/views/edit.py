"""Registering and editing initiatives; every write goes through its service."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collaboration.selectors import editor_actor
from initiatives.forms import AttachmentForm, InitiativeForm, NewInitiativeForm, PhaseForm
from initiatives.models import Initiative
from initiatives.services import initiative as services
from initiatives.services.attachment import initiative_attachment_add
from municipalities.models import Organisation
from samenorg.core.actors import Actor, moderator_actor


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.active().filter(memberships__user=request.user).order_by("name")
    if not organisations:
        messages.info(request, _("Join your municipality or organisation first; then you can register initiatives."))
        return redirect("accounts:overview")
    form = NewInitiativeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(
                actor=Actor(organisation=form.cleaned_data["organisation"], user=request.user),
                themes=form.cleaned_data["themes"],
                phase=form.cleaned_data["phase"],
                **form.content(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your initiative is saved as a draft. Publish it when it is ready."))
            return redirect("initiatives:detail", slug=initiative.slug)
    return render(request, "initiatives/form.html", {"form": form, "initiative": None})


def _editable(request: HttpRequest, slug: str) -> Initiative:
    return get_object_or_404(Initiative.objects.editable_by(request.user).select_related("owner"), slug=slug)


@login_required
def initiative_edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _editable(request, slug)
    form = InitiativeForm(request.POST or None, instance=initiative, initial={"themes": initiative.themes.all()})
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                actor=editor_actor(request.user, initiative),
                initiative=initiative,
                themes=form.cleaned_data["themes"],
                **form.content(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("initiatives:detail", slug=initiative.slug)
    return render(request, "initiatives/form.html", {"form": form, "initiative": initiative})


def _act(request: HttpRequest, slug: str, write: Callable[[Actor, Initiative], object], done: str) -> HttpResponse:
    """Run a one-click write for an editor (acting for their editing organisation: the owner, or their
    co-developer organisation); a refusal comes back as a message on the page."""
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user).select_related("owner"), slug=slug)
    try:
        write(editor_actor(request.user, initiative), initiative)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("initiatives:detail", slug=initiative.slug)


@require_POST
@login_required
def initiative_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda actor, initiative: services.initiative_publish(actor=actor, initiative=initiative),
        _("The initiative is published: everyone can find it now."),
    )


@require_POST
@login_required
def initiative_change_phase(request: HttpRequest, slug: str) -> HttpResponse:
    form = PhaseForm(request.POST)
    phase = form.cleaned_data["phase"] if form.is_valid() else ""
    return _act(
        request,
        slug,
        lambda actor, initiative: services.initiative_change_phase(actor=actor, initiative=initiative, phase=phase),
        _("The phase is changed."),
    )


@require_POST
@login_required
def initiative_archive(request: HttpRequest, slug: str) -> HttpResponse:
    def archive(actor: Actor, initiative: Initiative) -> object:
        if request.user.is_facilitator and not actor.is_member:
            actor = moderator_actor(request.user)
        return services.initiative_archive(actor=actor, initiative=initiative)

    return _act(request, slug, archive, _("The initiative is archived. It stays readable."))


@require_POST
@login_required
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _editable(request, slug)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            initiative_attachment_add(
                actor=editor_actor(request.user, initiative),
                initiative=initiative,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("The attachment is added."))
    return redirect("initiatives:detail", slug=initiative.slug)
