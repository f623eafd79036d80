"""Login security pages of our own, next to allauth's: ending one session, and the admin's second factor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samenorg.accounts.second_factor import has_authenticator_app
from samenorg.accounts.sessions import other_sessions, session_end


@login_required
@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    session_end(get_object_or_404(other_sessions(request), pk=pk))
    messages.success(request, _("That session has ended: whoever used it is logged out there."))
    return redirect("usersessions_list")


@login_required
@require_safe
def second_factor_required(request: HttpRequest) -> HttpResponse:
    """Where the admin sends someone who may work there but has no authenticator app yet."""
    return render(request, "mfa/admin_required.html", {"has_authenticator_app": has_authenticator_app(request.user)})
