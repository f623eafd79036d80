"""Browsing and finding initiatives: the faceted list with search, and "my initiatives".

Thin: the FilterSet reads the parameters, ``initiatives.search`` reads the rows and the counts. Every
state of the list is a GET URL; with htmx the results update in place (progressive enhancement).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from initiatives import search
from initiatives.filtersets import PAGE_SIZES, InitiativeFilterSet, Sort
from initiatives.models import Initiative


def _page(request: HttpRequest, queryset: QuerySet[Initiative], per_page: int, count: int | None = None) -> dict:
    """The requested page (the last one for a number past the end, the first for nonsense)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # known from the facet query: no second COUNT(*)
    page: Page = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {"page_obj": page, "page_range": list(page_range), "ellipsis": paginator.ELLIPSIS}


def _select_options(options: list[search.FacetOption]) -> str:
    """The municipality choices (some 340) built here: a template loop over them cost more than the query."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        ((option.value, " selected" if option.selected else "", option.label, option.count) for option in options),
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


@require_GET
@vary_on_headers("HX-Request")
def initiative_list(request: HttpRequest) -> HttpResponse:
    filterset = InitiativeFilterSet(request.GET or None, queryset=Initiative.objects.visible_to(request.user))
    facets = search.facet_counts(
        base=filterset.search_base(), conditions=filterset.facet_conditions(), selected=filterset.cleaned
    )
    context = {
        "filterset": filterset,
        "facets": facets,
        "municipality_options": _select_options(facets.options["municipality"]),
        "notices": filterset.notices(),
        "sort_choices": Sort.CHOICES,
        "page_sizes": PAGE_SIZES,
        **_page(request, search.page_rows(filterset.qs), filterset.page_size, count=facets.total),
    }
    template = "initiatives/_list_htmx.html" if _is_htmx(request) else "initiatives/list.html"
    return render(request, template, context)


@require_GET
@login_required
def my_initiatives(request: HttpRequest) -> HttpResponse:
    """The initiatives of the user's organisations, drafts included, with the same search and sorting."""
    filterset = InitiativeFilterSet(request.GET or None, queryset=Initiative.objects.editable_by(request.user))
    context = {
        "filterset": filterset,
        "notices": filterset.notices(),
        "sort_choices": Sort.CHOICES,
        "page_sizes": PAGE_SIZES,
        "mine": True,
        **_page(request, search.page_rows(filterset.qs), filterset.page_size),
    }
    return render(request, "initiatives/list.html", context)
