"""Municipality and organisation pages; thin: selectors read, FilterSets filter, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from collaboration.views import follow, participation
from initiatives.models import Initiative
from municipalities import selectors
from municipalities.filtersets import MunicipalityFilterSet, OrganisationFilterSet
from municipalities.forms import OrganisationRequestForm
from municipalities.models import Organisation
from municipalities.models.organisation import OrganisationStatus
from municipalities.services.organisations import organisation_request as organisation_request_service
from samenorg.core.pagination import paginate
from standards.views import sections as standards_sections

MUNICIPALITIES_PER_PAGE = 50
ORGANISATIONS_PER_PAGE = 50


@require_GET
def municipality_list(request: HttpRequest) -> HttpResponse:
    filterset = MunicipalityFilterSet(request.GET, queryset=selectors.municipality_list())
    context = {"filterset": filterset, **paginate(request, filterset.qs, MUNICIPALITIES_PER_PAGE)}
    return render(request, "municipalities/municipality_list.html", context)


@require_GET
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(selectors.municipality_detail(), slug=slug)
    organisation = getattr(municipality, "organisation", None)
    context = {
        "municipality": municipality,
        "organisation": organisation,
        "membership": selectors.membership_of(user=request.user, organisation=organisation) if organisation else None,
        "initiatives": _initiatives_of(request, organisation),
    }
    for section in (participation, follow):
        context |= section.municipality_section(request, municipality, organisation)
    context |= standards_sections.municipality_section(request, organisation)
    return render(request, "municipalities/municipality_detail.html", context)


MUNICIPALITY_PAGE_INITIATIVES = 20


def _initiatives_of(request: HttpRequest, organisation: Organisation | None) -> list[Initiative]:
    """The organisation's initiatives this visitor may see, newest first (the list page has them all)."""
    if organisation is None:
        return []
    visible = Initiative.objects.visible_to(request.user).filter(owner=organisation)
    return list(visible.order_by("-published_at", "-created_at")[:MUNICIPALITY_PAGE_INITIATIVES])


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilterSet(request.GET, queryset=selectors.partner_organisation_list(user=request.user))
    context = {"filterset": filterset, **paginate(request, filterset.qs, ORGANISATIONS_PER_PAGE)}
    return render(request, "municipalities/organisation_list.html", context)


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisation_detail(user=request.user), slug=slug)
    if organisation.municipality_id:
        return redirect(organisation.get_absolute_url())
    context = {
        "organisation": organisation,
        "membership": selectors.membership_of(user=request.user, organisation=organisation),
        "is_active": organisation.status == OrganisationStatus.ACTIVE,
        "is_requested": organisation.status == OrganisationStatus.REQUESTED,
        "is_declined": organisation.status == OrganisationStatus.DECLINED,
    }
    return render(request, "municipalities/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_request(request: HttpRequest) -> HttpResponse:
    form = OrganisationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_request_service(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. A facilitator will review the request for %(name)s; you will get an e-mail.")
                % {"name": organisation.name},
            )
            return redirect(organisation.get_absolute_url())
    return render(request, "municipalities/organisation_request.html", {"form": form})
