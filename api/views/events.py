"""The events feed: every event the caller may see, in the order of its feed position (assigned after
commit), so a partner that resumes after the last position it saw misses nothing."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from api.filtersets import EventFilterSet
from api.pagination import PositionPagination
from api.serializers.events import EventSerializer, event_rows
from api.views.base import ApiView, page_of
from samenorg.events.models import Event

FEED_EXAMPLE = OpenApiExample(
    "An event",
    response_only=True,
    value={
        "position": 42,
        "type": "milestone.achieved",
        "occurredAt": "2026-03-04T09:00:00+01:00",
        "organisation": "utrecht",
        "initiative": "digitale-afvalkalender",
        "standard": None,
        "participation": None,
        "milestone": 3,
        "comment": None,
        "nomination": None,
        "adoption": None,
        "payload": {"initiative": 7, "milestone": 3, "title": "Livegang", "achievedOn": "2026-03-04"},
    },
)


@extend_schema_view(
    get=extend_schema(
        tags=["events"],
        summary="The events feed",
        description="Events you may see (public ones; with a key also your organisation's drafts and requests), "
        "ordered by position. Store the last position you processed and ask again with ?after=<position>: "
        "an event that committed late gets a later position, so nothing is missed.",
        examples=[FEED_EXAMPLE],
    )
)
class EventFeed(ApiView, generics.ListAPIView):
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    pagination_class = PositionPagination

    def get_queryset(self) -> QuerySet[Event]:
        return self.caller.events()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return page_of(self, request, event_rows(self.filter_queryset(self.get_queryset())))
