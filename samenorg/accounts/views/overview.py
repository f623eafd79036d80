from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from collaboration.views import follow, participation
from samenorg.accounts.selectors import (
    membership_requests_to_decide,
    user_memberships,
    user_open_membership_requests,
)
from samenorg.notifications import sections as notifications


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """ "My overview": my organisations, my open requests, and the requests I am to decide."""
    context = {
        "memberships": user_memberships(request.user),
        "open_requests": user_open_membership_requests(request.user),
        "requests_to_decide": membership_requests_to_decide(request.user),
    }
    for section in (participation, follow, notifications):
        context |= section.overview_section(request)
    return render(request, "accounts/overview.html", context)
