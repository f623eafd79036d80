"""The coordinators' webhook pages, under their organisation. Thin: selectors read, services write.

Only coordinators of the organisation find these pages; to anyone else logged in they do not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.models import Organisation
from samenorg.core.actors import Actor
from samenorg.core.forms import add_service_error
from samenorg.core.pagination import paginate

from . import selectors
from .forms import EndpointForm
from .models import WebhookEndpoint, organisations_managed_by
from .services.endpoints import webhook_delete, webhook_enable, webhook_register, webhook_rotate_secret, webhook_update

DELIVERIES_PER_PAGE = 20


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(organisations_managed_by(request.user), slug=slug)


def _endpoint(request: HttpRequest, slug: str, pk: int) -> WebhookEndpoint:
    endpoint = selectors.endpoint_managed(user=request.user, slug=slug, pk=pk)
    if endpoint is None:
        raise Http404
    return endpoint


def _actor(request: HttpRequest, organisation: Organisation) -> Actor:
    return Actor(organisation=organisation, user=request.user)


@login_required
@require_GET
def endpoint_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    endpoints = selectors.endpoint_list(organisation_id=organisation.pk)
    return render(request, "webhooks/endpoint_list.html", {"organisation": organisation, "endpoints": endpoints})


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhook_register(actor=_actor(request, organisation), **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The webhook is registered. Use the secret below to check the signatures."))
            return redirect(endpoint)
    return render(request, "webhooks/endpoint_form.html", {"organisation": organisation, "form": form})


@login_required
@require_GET
def endpoint_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    context = {
        "organisation": endpoint.organisation,
        "endpoint": endpoint,
        **paginate(request, selectors.endpoint_deliveries(endpoint=endpoint), DELIVERIES_PER_PAGE),
    }
    return render(request, "webhooks/endpoint_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    initial = {"url": endpoint.url, "description": endpoint.description, "event_types": endpoint.event_types}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            webhook_update(actor=_actor(request, endpoint.organisation), endpoint=endpoint, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The webhook is saved."))
            return redirect(endpoint)
    context = {"organisation": endpoint.organisation, "endpoint": endpoint, "form": form}
    return render(request, "webhooks/endpoint_form.html", context)


@require_POST
@login_required
def endpoint_enable(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    webhook_enable(actor=_actor(request, endpoint.organisation), endpoint=endpoint)
    messages.success(request, _("The webhook is on again; waiting messages are sent now."))
    return redirect(endpoint)


@require_POST
@login_required
def endpoint_rotate_secret(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    webhook_rotate_secret(actor=_actor(request, endpoint.organisation), endpoint=endpoint)
    messages.success(request, _("The webhook has a new secret; messages are signed with it from now on."))
    return redirect(endpoint)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, pk)
    if request.method == "POST":
        webhook_delete(actor=_actor(request, endpoint.organisation), endpoint=endpoint)
        messages.success(request, _("The webhook is deleted."))
        return redirect("webhooks:list", slug=endpoint.organisation.slug)
    return render(
        request, "webhooks/endpoint_delete.html", {"organisation": endpoint.organisation, "endpoint": endpoint}
    )
