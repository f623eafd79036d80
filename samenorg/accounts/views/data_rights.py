"""The person's data rights: download what the platform keeps about them, and delete their account."""

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samenorg.accounts.data_export import user_data_export
from samenorg.accounts.forms_deletion import AccountDeletionForm
from samenorg.accounts.models import User
from samenorg.accounts.services_deletion import account_delete, organisations_losing_their_coordinator


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """The page says what the file holds; its button posts here and gets the file."""
    if request.method == "GET":
        return render(request, "accounts/my_data.html")
    user = cast(User, request.user)  # login_required lets only a logged-in person through
    body = json.dumps(user_data_export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"samenorg-mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = AccountDeletionForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(
                request, _("Your account has been deleted. We sent a confirmation to your e-mail address.")
            )
            return redirect("home")
    context = {"form": form, "losing_coordinator": list(organisations_losing_their_coordinator(user))}
    return render(request, "accounts/delete.html", context)
