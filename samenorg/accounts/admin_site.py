"""The admin (/beheer/) lets people in only with a second factor, and has no login form of its own.

Every admin page passes ``has_permission`` (Django's ``admin_view``); a refusal goes to the admin's
login URL, which sends the person on to the step they miss: the site's login, setting up the
authenticator app, or giving a code of it (allauth's reauthentication).
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .second_factor import has_authenticator_app, session_has_second_factor


class SecondFactorAdminSite(admin.AdminSite):
    site_header = "Samen Organiseren"
    site_title = "Samen Organiseren"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and session_has_second_factor(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Not a login form (that would be a way round the second factor): a signpost, for GET and POST."""
        next_url = self._next_url(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, reverse("account_login"))
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        if not super().has_permission(request):
            raise PermissionDenied
        if not has_authenticator_app(user):
            return redirect_to_login(next_url, reverse("accounts:second-factor-required"))
        return redirect_to_login(next_url, reverse("mfa_reauthenticate"))

    def _next_url(self, request: HttpRequest) -> str:
        """Where the person was going in the admin; the admin's start page for anything else."""
        wanted = request.GET.get(REDIRECT_FIELD_NAME, "")
        admin_root = reverse("admin:index", current_app=self.name)
        return wanted if wanted.startswith(admin_root) else admin_root
