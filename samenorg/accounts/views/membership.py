from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from municipalities.models import MembershipRequest, Organisation
from municipalities.services.membership import membership_request, membership_request_decide
from samenorg.accounts.forms import MembershipDecisionForm, MembershipRequestForm


@login_required
def request_membership(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_request(
                actor=request.user, organisation=organisation, motivation=form.cleaned_data["motivation"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request has been sent. You will get an e-mail when it is decided."))
            return redirect("accounts:overview")
    return render(request, "accounts/membership_request.html", {"organisation": organisation, "form": form})


@login_required
def decide_membership(request: HttpRequest, pk: int) -> HttpResponse:
    """Only those who may decide find the request at all; anyone else gets a 404."""
    pending = get_object_or_404(
        MembershipRequest.objects.decidable_by(request.user).select_related("user", "organisation"), pk=pk
    )
    form = MembershipDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = membership_request_decide(
                membership_request=pending,
                actor=request.user,
                approve=form.approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s has been told of your decision.") % {"name": decided.user},
            )
            return redirect("accounts:overview")
    return render(request, "accounts/membership_decide.html", {"membership_request": pending, "form": form})
