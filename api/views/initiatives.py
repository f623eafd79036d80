"""Initiatives: everyone reads what they may see; a key (or a member) registers, edits, publishes and
moves the phase of its organisation's initiatives through the same services as the site's pages."""

import functools
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.callers import Caller
from api.filters import PAGING_PARAMETERS, StrictFilterSetBackend
from api.merging import Arrange, MergedParts
from api.models import ApiKey
from api.prepared import PreparedRows
from api.serializers.initiatives import (
    InitiativeSerializer,
    InitiativeSummarySerializer,
    InitiativeWriteSerializer,
    PhaseChangeSerializer,
    summary_rows,
)
from api.views.base import ApiView, page_of
from initiatives.filtersets import InitiativeFilterSet
from initiatives.models import Initiative
from initiatives.services import initiative as services
from municipalities.models import Organisation
from samenorg.accounts.models import User

TAG = "initiatives"

CREATE_EXAMPLE = OpenApiExample(
    "Register a draft",
    request_only=True,
    value={
        "title": "Digitale afvalkalender",
        "summary": "Inwoners zien in een app wanneer welk afval wordt opgehaald.",
        "themes": ["dienstverlening"],
        "phase": "pilot",
        "rolesSought": ["co_developer"],
        "links": [{"title": "Broncode", "url": "https://github.com/gemeente/afvalkalender"}],
    },
)
SUMMARY_EXAMPLE = OpenApiExample(
    "An initiative in a list",
    response_only=True,
    value={
        "slug": "digitale-afvalkalender",
        "title": "Digitale afvalkalender",
        "summary": "Inwoners zien in een app wanneer welk afval wordt opgehaald.",
        "phase": "pilot",
        "status": "published",
        "owner": "utrecht",
        "rolesSought": ["co_developer"],
        "publishedAt": "2026-03-02T10:15:00+01:00",
        "updatedAt": "2026-03-02T10:15:00+01:00",
    },
)


def _detail(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return queryset.select_related("owner").prefetch_related("themes", "links")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Initiatives you may see",
        description="Published and archived initiatives, and the drafts of your own organisation. "
        "The filters are those of the site's list; an unknown value is a 400.",
        examples=[SUMMARY_EXAMPLE],
    ),
    post=extend_schema(
        tags=[TAG],
        summary="Register an initiative (a draft) for your organisation",
        request=InitiativeWriteSerializer,
        responses={201: InitiativeSerializer},
        examples=[CREATE_EXAMPLE],
    ),
)
class InitiativeList(ApiView, generics.ListCreateAPIView):
    serializer_class = InitiativeSummarySerializer
    filterset_class = InitiativeFilterSet

    def get_queryset(self) -> QuerySet[Initiative]:
        return self.caller.initiatives()

    def filterset_kwargs(self, request: Request) -> dict[str, Any]:
        return {"member_of": self.caller.member_of()}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not _no_filters(request):
            return page_of(self, request, _rows(self.caller, _filterset(self, request).filter_queryset))
        caller = self.caller
        if caller.api_key is not None:
            return page_of(self, request, PreparedRows(_key_window, caller.api_key.organisation_id))
        if not caller.user.is_authenticated:
            return page_of(self, request, PreparedRows(_anonymous_window))
        return page_of(self, request, _rows(caller, _unfiltered().filter_queryset))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = InitiativeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = self.caller.acting_for(serializer.validated_data.get("organisation"))
        initiative = services.initiative_create(actor=actor, **serializer.service_arguments())
        return _initiative_response(self, initiative, status.HTTP_201_CREATED)


def _rows(caller: Caller, arrange: Arrange) -> QuerySet[Initiative, dict[str, Any]] | MergedParts:
    """What ``caller`` may see, filtered and ordered by ``arrange``, as the summary's values: from each
    visible part on its own index if there are several (a key's)."""
    parts = caller.initiative_parts()
    if len(parts) == 1:
        return summary_rows(arrange(parts[0]))
    return MergedParts(parts, arrange, summary_rows)


def _anonymous_window(_bound: int, window: slice) -> QuerySet:
    """An anonymous caller's unfiltered list (prepared once per window: ``api.prepared``)."""
    return _rows(Caller(user=cast(User, AnonymousUser())), _unfiltered().filter_queryset)[window]


def _key_window(organisation_id: int, window: slice) -> QuerySet:
    """The unfiltered list of a key acting for the organisation ``organisation_id`` (prepared once per
    window with a stand-in id: ``api.prepared``)."""
    key = ApiKey(organisation=Organisation(pk=organisation_id))
    return _rows(Caller(user=cast(User, AnonymousUser()), api_key=key), _unfiltered().filter_queryset)[window]


def _no_filters(request: Request) -> bool:
    return not set(request.query_params) - set(PAGING_PARAMETERS)


def _filterset(view: ApiView, request: Request) -> InitiativeFilterSet:
    filterset = StrictFilterSetBackend().filterset(request, Initiative.objects.all(), view)
    assert filterset is not None  # noqa: S101 (the view has a filterset_class)
    return filterset


@functools.cache
def _unfiltered() -> InitiativeFilterSet:
    """The FilterSet without parameters (newest first, nothing left out), made once: it holds no request
    state, and making one copies all its filters (a good part of a list's time)."""
    return InitiativeFilterSet(None, queryset=Initiative.objects.none())


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="An initiative"),
    patch=extend_schema(
        tags=[TAG],
        summary="Change an initiative your organisation edits",
        description="Send only the fields to change.",
        request=InitiativeWriteSerializer,
        responses={200: InitiativeSerializer},
    ),
)
class InitiativeDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = InitiativeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Initiative]:
        return _detail(self.caller.initiatives())

    def patch(self, request: Request, slug: str) -> Response:
        initiative = self.get_object()
        serializer = InitiativeWriteSerializer(initiative, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        initiative = services.initiative_update(
            actor=self.caller.editing(initiative), initiative=initiative, **serializer.service_arguments()
        )
        return _initiative_response(self, initiative, status.HTTP_200_OK)


@extend_schema(
    tags=[TAG],
    summary="Publish a draft",
    description="Publishing makes the initiative visible to everyone. No request body.",
    request=None,
    responses={200: InitiativeSerializer},
)
class InitiativePublish(ApiView):
    serializer_class = InitiativeSerializer

    def get_queryset(self) -> QuerySet[Initiative]:
        return _detail(self.caller.initiatives())

    def post(self, request: Request, slug: str) -> Response:
        initiative = self.get_object()
        initiative = services.initiative_publish(actor=self.caller.editing(initiative), initiative=initiative)
        return _initiative_response(self, initiative, status.HTTP_200_OK)


@extend_schema(
    tags=[TAG],
    summary="Move an initiative to another phase",
    request=PhaseChangeSerializer,
    responses={200: InitiativeSerializer},
    examples=[OpenApiExample("To the pilot phase", value={"phase": "pilot"}, request_only=True)],
)
class InitiativePhase(ApiView):
    serializer_class = InitiativeSerializer

    def get_queryset(self) -> QuerySet[Initiative]:
        return _detail(self.caller.initiatives())

    def post(self, request: Request, slug: str) -> Response:
        initiative = self.get_object()
        serializer = PhaseChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        initiative = services.initiative_change_phase(
            actor=self.caller.editing(initiative), initiative=initiative, phase=serializer.validated_data["phase"]
        )
        return _initiative_response(self, initiative, status.HTTP_200_OK)


def _initiative_response(view: ApiView, initiative: Initiative, status_code: int) -> Response:
    fresh = _detail(view.caller.initiatives()).get(pk=initiative.pk)
    headers = {}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = view.request.build_absolute_uri(reverse("api:initiative", kwargs={"slug": fresh.slug}))
    data = InitiativeSerializer(fresh, context=view.get_serializer_context()).data
    return Response(data, status_code, headers=headers)
