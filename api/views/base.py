"""What the API's views share: strict filtering, pages without counts, and the caller."""

from typing import Any

from rest_framework import generics
from rest_framework.request import Request

from api.callers import Caller
from api.filters import StrictFilterSetBackend
from api.pagination import PagePagination


class ApiView(generics.GenericAPIView):
    pagination_class = PagePagination
    filter_backends = [StrictFilterSetBackend]
    lookup_field = "slug"

    @property
    def caller(self) -> Caller:
        return Caller.of(self.request)

    def get_serializer_context(self) -> dict[str, Any]:
        identified = self.request.auth is not None or self.request.user.is_authenticated
        return {**super().get_serializer_context(), "identified": identified}


def page_of(view: generics.GenericAPIView, request: Request, rows: Any) -> Any:
    """A page of ``rows`` (already filtered and ordered), serialized with the view's serializer."""
    page = view.paginate_queryset(rows)
    return view.get_paginated_response(view.get_serializer(page, many=True).data)
