"""Pages without counting: a list reads one row more than it shows to know whether there is a next
page, so a page costs the same at 100 rows as at 100,000. ``pageSize`` is at most 100.

Two kinds: numbered pages (``page``) for the lists, and for the events feed positions (``after``):
the feed resumes after the last position a reader saw, which is stable however far it reads."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # a page further than this is a crawl: the events feed is the way to read everything
EXAMPLE_URL = "https://samenorganiseren.example/api/v1/..."


def query_int(request: Request, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """An integer query parameter, or a 400 that names it."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= maximum:
        raise exceptions.ValidationError(
            {
                name: [
                    _("Give a whole number from %(minimum)d to %(maximum)d.") % {"minimum": minimum, "maximum": maximum}
                ]
            }
        )
    return value


def _page_size(request: Request) -> int:
    return query_int(request, "pageSize", default=DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE)


PAGE_SIZE_PARAMETER = {
    "name": "pageSize",
    "in": "query",
    "required": False,
    "description": "How many results per page (at most 100).",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
}


def _link_schema(description: str, example: str | None) -> dict[str, Any]:
    return {"type": "string", "format": "uri", "nullable": True, "description": description, "example": example}


class PagePagination(BasePagination):
    """``page`` (from 1) and ``pageSize``; ``next`` and ``previous`` are links or null."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list:
        self.request = request
        self.page = query_int(request, "page", default=1, minimum=1, maximum=MAX_PAGE)
        size = _page_size(request)
        start = (self.page - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.has_next = len(rows) > size
        return rows[:size]

    def get_paginated_response(self, data: Any) -> Response:
        url = self.request.build_absolute_uri()
        following = replace_query_param(url, "page", self.page + 1) if self.has_next else None
        if self.page <= 1:
            preceding = None
        elif self.page == 2:
            preceding = remove_query_param(url, "page")
        else:
            preceding = replace_query_param(url, "page", self.page - 1)
        return Response({"results": data, "next": following, "previous": preceding})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next", "previous"],
            "properties": {
                "results": schema,
                "next": _link_schema("The next page; null on the last.", f"{EXAMPLE_URL}?page=3"),
                "previous": _link_schema("The previous page; null on the first.", f"{EXAMPLE_URL}?page=1"),
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Which page, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
            PAGE_SIZE_PARAMETER,
        ]


class PositionPagination(BasePagination):
    """``after`` (a feed position, 0 for the start) and ``pageSize``; ``next`` continues after the last
    position of this page (null when it is empty: poll the same link again later)."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list:
        self.request = request
        after = query_int(request, "after", default=0, minimum=0, maximum=2**63 - 1)
        rows = list(queryset.filter(position__gt=after).order_by("position")[: _page_size(request)])
        self.last = rows[-1]["position"] if rows else None
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        following = None
        if self.last is not None:
            following = replace_query_param(self.request.build_absolute_uri(), "after", self.last)
        return Response({"results": data, "next": following})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": _link_schema(
                    "Continues after the last event of this page; null when there was none.",
                    f"{EXAMPLE_URL}?after=42",
                ),
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "after",
                "in": "query",
                "required": False,
                "description": "Only events after this position (the last one you saw); 0 for the start.",
                "schema": {"type": "integer", "minimum": 0, "default": 0, "format": "int64"},
            },
            PAGE_SIZE_PARAMETER,
        ]
