"""Coordinators list, make and revoke their organisation's API keys. A new key is shown once, in the
answer to the form that made it; only its hash is stored."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import ApiKeyForm
from api.models import ApiKey
from api.services import api_key_create, may_manage_keys
from api.services import api_key_revoke as api_key_revoke_service
from municipalities.models import Organisation


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.active(), slug=slug)
    if not may_manage_keys(request.user, organisation):
        raise PermissionDenied(
            _("Only coordinators of %(organisation)s manage its API keys.") % {"organisation": organisation}
        )
    return organisation


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_key_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    form = ApiKeyForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = api_key_create(
                user=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiKeyForm()
    keys = ApiKey.objects.filter(organisation=organisation).select_related("created_by").order_by("-created_at", "-pk")
    context = {"organisation": organisation, "form": form, "keys": keys, "created": created, "secret": secret}
    return render(request, "api/key_list.html", context)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, slug)
    api_key = get_object_or_404(ApiKey, organisation=organisation, pk=pk)
    try:
        api_key_revoke_service(user=request.user, api_key=api_key)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The key %(key)s no longer works.") % {"key": api_key})
    return redirect("api_keys:list", slug=organisation.slug)
