from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int, parameter: str = "page") -> dict[str, object]:
    """The requested page (the last one for a number past the end, the first for nonsense), with what
    templates/municipalities/_pagination.html needs."""
    page: Page = Paginator(queryset, per_page).get_page(request.GET.get(parameter))
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {"page_obj": page, "page_range": list(page_range), "ellipsis": page.paginator.ELLIPSIS}
