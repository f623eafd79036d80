"""The standards pages: the list, a standard with its versions and adoption, and the register's
overall dashboard and open-data export. Everything here is public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from collaboration.views import follow
from municipalities.models import Organisation
from samenorg.core.actors import Actor
from samenorg.core.forms import add_service_error
from samenorg.core.pagination import paginate
from samenorg.notifications import sections as notifications
from standards import selectors
from standards.filtersets import StandardFilterSet
from standards.forms import AdoptionForm
from standards.maps import adoption_map
from standards.models import Adoption, AdoptionStatus, Standard, StandardVersion
from standards.services.adoption import adoption_record

STANDARDS_PER_PAGE = 20


@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    filterset = StandardFilterSet(
        request.GET or None, queryset=Standard.objects.with_adopters().prefetch_related("themes").order_by("name")
    )
    context = {
        "filterset": filterset,
        "municipality_count": selectors.current_municipality_count(),
        **paginate(request, filterset.qs, STANDARDS_PER_PAGE),
    }
    return render(request, "standards/list.html", context)


@require_GET
def standard_detail(request: HttpRequest, slug: str) -> HttpResponse:
    versions = StandardVersion.objects.prefetch_related("documents")
    standard = get_object_or_404(
        Standard.objects.select_related("source_initiative", "nomination").prefetch_related(
            "themes", Prefetch("versions", queryset=versions)
        ),
        slug=slug,
    )
    own = _own_municipality(request)
    own_adoption = Adoption.objects.filter(standard=standard, organisation=own).select_related("version").first()
    latest = standard.versions.all()[0] if standard.versions.all() else None
    register = adoption_map(standard=standard, highlight=own.municipality.code if own else None)
    context = {
        "standard": standard,
        "latest": latest,
        "own_municipality": own,
        "own_adoption": own_adoption,
        "update_available": bool(
            own_adoption and own_adoption.version and latest and own_adoption.version.key < latest.key
        ),
        "adoption_map": register,
        "figures": register.figures,
        "explanations": [row for row in register.rows if row.status == AdoptionStatus.EXPLAIN],
        "evolution": selectors.adoption_evolution(standard),
        **follow.standard_section(request, standard),
        **notifications.standard_section(request, standard),
    }
    return render(request, "standards/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def adoption_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Members of a municipality record where it stands on this standard."""
    standard = get_object_or_404(Standard, slug=slug)
    own = _own_municipality(request)
    if own is None:
        messages.info(request, _("Only members of a municipality record its adoption. Join your municipality first."))
        return redirect(standard)
    current = Adoption.objects.filter(standard=standard, organisation=own).first()
    initial = (
        {"status": current.status, "version": current.version, "since": current.since, "reason": current.reason}
        if current
        else {}
    )
    form = AdoptionForm(request.POST or None, initial=initial, versions=standard.versions.all())
    if request.method == "POST" and form.is_valid():
        try:
            adoption_record(actor=Actor(organisation=own, user=request.user), standard=standard, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The adoption of %(name)s is recorded.") % {"name": own.name})
            return redirect(standard)
    return render(request, "standards/adoption_form.html", {"standard": standard, "form": form, "municipality": own})


@require_GET
def adoption_dashboard(request: HttpRequest) -> HttpResponse:
    """The register over all standards."""
    own = _own_municipality(request)
    register = adoption_map(standard=None, highlight=own.municipality.code if own else None)
    context = {
        "adoption_map": register,
        "figures": register.figures,
        "evolution": selectors.adoption_evolution(None),
        "standards": Standard.objects.with_adopters().order_by("-adopters", "name"),
        "municipality_count": selectors.current_municipality_count(),
    }
    return render(request, "standards/dashboard.html", context)


def _own_municipality(request: HttpRequest) -> Organisation | None:
    """The municipality the visitor works for (the first by name if several), or None."""
    if not request.user.is_authenticated:
        return None
    return (
        Organisation.objects.filter(memberships__user=request.user, municipality__isnull=False)
        .select_related("municipality")
        .order_by("name")
        .first()
    )
