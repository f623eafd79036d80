"""Browsing and finding initiatives: the faceted list with search, and "my initiatives".

Thin: the FilterSet reads the parameters, ``initiatives.search`` reads the rows and the counts. Every
state of the list is a GET URL; with htmx the results update in place (progressive enhancement).

The public list is cached twice over, always under the data version and the visibility class (see
``initiatives.search``), so that a cached answer is exact: the rendered list per exact query string
(a repeated request costs one query), and the facet counts with their rendering per filter state (the
other pages and sort orders of a state count nothing). Without the cache both are only slower: the
facet counts are what costs (measured in ``benchmarks/RESULTS-initiatives.md``).
"""

import html
import logging
import pickle
import zlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from initiatives import search
from initiatives.filtersets import PAGE_SIZES, InitiativeFilterSet, Sort, member_organisation_ids
from initiatives.models import Initiative, InitiativePhase, InitiativeStatus

logger = logging.getLogger(__name__)

# Entries of an old data version are never read again; they only wait to expire.
CACHE_SECONDS = 10 * 60


def _page(request: HttpRequest, queryset: QuerySet[Initiative], per_page: int, count: int | None = None) -> dict:
    """The requested page (the last one for a number past the end, the first for nonsense)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # known from the facet query: no second COUNT(*)
    page: Page = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    phases, statuses = dict(InitiativePhase.choices), dict(InitiativeStatus.choices)
    rows = [
        {**row, "phase_label": phases.get(row["phase"], row["phase"]), "status_label": statuses.get(row["status"])}
        for row in page.object_list
    ]
    return {"page_obj": page, "rows": rows, "page_range": list(page_range), "ellipsis": paginator.ELLIPSIS}


def _select_options(options: list[search.FacetOption]) -> str:
    """The municipality choices (some 340) built here: a template loop, or ``format_html_join``, over them
    cost more than counting them. ``html.escape`` escapes exactly as Django's ``escape`` does."""
    return mark_safe(  # noqa: S308 (every value is escaped here)
        "".join(
            f'<option value="{html.escape(option.value)}"{" selected" if option.selected else ""}>'
            f"{html.escape(option.label)} ({option.count:d})</option>"
            for option in options
        )
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def _facets(filterset: InitiativeFilterSet, *, version: str, visibility: str) -> tuple[search.Facets, str]:
    """The facet counts and their rendering, cached per filter state: the pages and sort orders of one
    state share them."""
    key = search.listing_cache_key(
        "facets",
        version=version,
        visibility=visibility,
        language=get_language(),
        state=search.facet_state(filterset.search_text, filterset.cleaned, filterset.taking_part),
    )
    cached = _cache_get(key)
    if cached is not None:
        return cached
    facets = search.facet_counts(
        base=filterset.search_base(), conditions=filterset.facet_conditions(), selected=filterset.cleaned
    )
    # The fragment depends only on what the key holds: the counts, the chosen values and the language.
    fragment = render_to_string(
        "initiatives/_list_facets.html",
        {
            "facets": facets,
            "filterset": filterset,
            "municipality_options": _select_options(facets.options["municipality"]),
        },
    )
    _cache_set(key, (facets, fragment))
    return facets, fragment


def _render_list(
    request: HttpRequest, *, version: str, visibility: str, htmx: bool, member_of: list[int] | None
) -> dict[str, Any]:
    filterset = InitiativeFilterSet(
        request.GET or None, queryset=Initiative.objects.visible_to(request.user), request=request, member_of=member_of
    )
    facets, facets_html = _facets(filterset, version=version, visibility=visibility)
    context = {
        "filterset": filterset,
        "facets": facets,
        "facets_html": facets_html,
        "notices": filterset.notices(),
        "sort_choices": Sort.CHOICES,
        "page_sizes": PAGE_SIZES,
        **_page(request, search.page_rows(filterset.qs), filterset.page_size, count=facets.total),
    }
    template = "initiatives/_list_htmx.html" if htmx else "initiatives/_list_content.html"
    return {"html": render_to_string(template, context, request), "page_number": context["page_obj"].number}


def _cache_get(key: str) -> Any:
    try:
        packed = cache.get(key)
    except Exception:  # the cache only saves work: without it the list is counted and rendered again
        logger.warning("Initiative list cache unavailable", exc_info=True)
        return None
    # Only this module writes these keys; Django's cache unpickles its values alike.
    return None if packed is None else pickle.loads(zlib.decompress(packed))  # noqa: S301


def _cache_set(key: str, value: Any) -> None:
    # Compressed: an entry is some 60 kB of HTML (the municipality options), 7 kB compressed; every write
    # leaves the entries of the old version in the cache until they expire.
    packed = zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    try:
        cache.set(key, packed, CACHE_SECONDS)
    except Exception:
        logger.warning("Initiative list cache unavailable", exc_info=True)


@require_GET
@vary_on_headers("HX-Request")
def initiative_list(request: HttpRequest) -> HttpResponse:
    """The rendered list is cached per exact query string, and its facets per filter state, both under
    the data version and the visibility class (see ``initiatives.search``): a repeated request costs
    the version (and for a logged-in user the visibility) query and one cache read, and is exact.

    "My organisation takes part" (``takingPart``) adds the visitor's organisations to the keys, read only
    when it is asked for; the form offers it to logged-in visitors, so being logged in is in the key too."""
    version = search.listing_version()
    visibility = Initiative.objects.visibility_key(request.user)
    htmx = _is_htmx(request)
    member_of = member_organisation_ids(request.user) if request.GET.get("takingPart") else None
    key = search.listing_cache_key(
        "htmx" if htmx else "page",
        version=version,
        visibility=visibility,
        language=get_language(),
        state={"query": request.GET.urlencode(), "loggedIn": request.user.is_authenticated, "takingPart": member_of},
    )
    rendered = _cache_get(key)
    if rendered is None:
        rendered = _render_list(request, version=version, visibility=visibility, htmx=htmx, member_of=member_of)
        _cache_set(key, rendered)
    if htmx:
        return HttpResponse(rendered["html"])
    return render(
        request, "initiatives/list.html", {"content": rendered["html"], "page_number": rendered["page_number"]}
    )


@require_GET
@login_required
def my_initiatives(request: HttpRequest) -> HttpResponse:
    """The initiatives of the user's organisations, drafts included, with the same search and sorting."""
    filterset = InitiativeFilterSet(
        request.GET or None, queryset=Initiative.objects.editable_by(request.user), request=request
    )
    context = {
        "filterset": filterset,
        "notices": filterset.notices(),
        "sort_choices": Sort.CHOICES,
        "page_sizes": PAGE_SIZES,
        "mine": True,
        **_page(request, search.page_rows(filterset.qs), filterset.page_size),
    }
    content = render_to_string("initiatives/_list_content.html", context, request)
    return render(
        request, "initiatives/list.html", {"content": content, "page_number": context["page_obj"].number, "mine": True}
    )
