"""Taking part (ask to join, decide), milestones (plan, achieve) and comments (read), through the
collaboration services: a key acts as a member of its organisation would on the site."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.collaboration import (
    CommentSerializer,
    MilestoneAchievementSerializer,
    MilestonePlanSerializer,
    MilestoneSerializer,
    ParticipationDecisionSerializer,
    ParticipationRequestSerializer,
    ParticipationSerializer,
)
from api.views.base import ApiView
from collaboration.models import Comment, Milestone, Participation
from collaboration.services.milestone import milestone_achieve, milestone_plan
from collaboration.services.participation import participation_decide, participation_request
from initiatives.models import Initiative

PARTICIPATIONS, MILESTONES, COMMENTS = "participations", "milestones", "comments"


class _OfInitiative(ApiView):
    """A list inside an initiative the caller may see (else 404)."""

    def initiative(self) -> Initiative:
        return get_object_or_404(self.caller.initiatives().select_related("owner"), slug=self.kwargs["slug"])


@extend_schema_view(
    get=extend_schema(
        tags=[PARTICIPATIONS],
        summary="Who takes part in an initiative",
        description="Active participations for everyone; requests and ended ones for the asking organisation "
        "and the initiator only.",
    ),
    post=extend_schema(
        tags=[PARTICIPATIONS],
        summary="Ask to take part, in a role, for your organisation",
        request=ParticipationRequestSerializer,
        responses={201: ParticipationSerializer},
        examples=[
            OpenApiExample(
                "Join as co-developer",
                request_only=True,
                value={"role": "co_developer", "motivation": "Wij bouwen dezelfde app en willen samen verder."},
            )
        ],
    ),
)
class ParticipationList(_OfInitiative, generics.ListCreateAPIView):
    serializer_class = ParticipationSerializer

    def get_queryset(self) -> QuerySet[Participation]:
        rows = self.caller.participations().filter(initiative=self.initiative())
        return rows.select_related("initiative", "organisation").order_by("requested_at", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        initiative = self.initiative()
        serializer = ParticipationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participation = participation_request(
            actor=self.caller.acting_for(data.get("organisation")),
            initiative=initiative,
            role=data["role"],
            motivation=data["motivation"],
        )
        return _participation_response(self, participation, status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(tags=[PARTICIPATIONS], summary="A participation or request"))
class ParticipationDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = ParticipationSerializer
    lookup_field = "pk"

    def get_queryset(self) -> QuerySet[Participation]:
        return self.caller.participations().select_related("initiative", "organisation")


@extend_schema(
    tags=[PARTICIPATIONS],
    summary="Decide on a request (the initiator)",
    description="Accept, or decline with a reason; for a request to join or for another role.",
    request=ParticipationDecisionSerializer,
    responses={200: ParticipationSerializer},
    examples=[
        OpenApiExample("Accept", request_only=True, value={"accept": True}),
        OpenApiExample(
            "Decline", request_only=True, value={"accept": False, "reason": "We zoeken nu alleen financiers."}
        ),
    ],
)
class ParticipationDecision(ApiView):
    serializer_class = ParticipationSerializer
    lookup_field = "pk"

    def get_queryset(self) -> QuerySet[Participation]:
        return self.caller.participations().select_related("initiative", "organisation")

    def post(self, request: Request, pk: int) -> Response:
        participation = self.get_object()
        serializer = ParticipationDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = participation_decide(
            actor=self.caller.acting_for(default=participation.initiative.owner),
            participation=participation,
            accept=serializer.validated_data["accept"],
            reason=serializer.validated_data["reason"],
        )
        return _participation_response(self, participation, status.HTTP_200_OK)


def _participation_response(view: ApiView, participation: Participation, status_code: int) -> Response:
    fresh = Participation.objects.select_related("initiative", "organisation").get(pk=participation.pk)
    return Response(ParticipationSerializer(fresh).data, status_code)


@extend_schema_view(
    get=extend_schema(tags=[MILESTONES], summary="An initiative's milestones"),
    post=extend_schema(
        tags=[MILESTONES],
        summary="Plan a milestone (editors)",
        request=MilestonePlanSerializer,
        responses={201: MilestoneSerializer},
        examples=[
            OpenApiExample(
                "Plan", request_only=True, value={"title": "Livegang in drie wijken", "targetDate": "2026-09-01"}
            )
        ],
    ),
)
class MilestoneList(_OfInitiative, generics.ListCreateAPIView):
    serializer_class = MilestoneSerializer

    def get_queryset(self) -> QuerySet[Milestone]:
        return Milestone.objects.filter(initiative=self.initiative()).select_related("initiative")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        initiative = self.initiative()
        serializer = MilestonePlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = milestone_plan(
            actor=self.caller.editing(initiative), initiative=initiative, **serializer.validated_data
        )
        return Response(MilestoneSerializer(milestone).data, status.HTTP_201_CREATED)


def _visible_milestones(view: ApiView) -> QuerySet[Milestone]:
    return Milestone.objects.filter(initiative__in=view.caller.initiatives()).select_related("initiative__owner")


@extend_schema_view(get=extend_schema(tags=[MILESTONES], summary="A milestone"))
class MilestoneDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = MilestoneSerializer
    lookup_field = "pk"

    def get_queryset(self) -> QuerySet[Milestone]:
        return _visible_milestones(self)


@extend_schema(
    tags=[MILESTONES],
    summary="Record that a milestone is achieved (editors)",
    request=MilestoneAchievementSerializer,
    responses={200: MilestoneSerializer},
    examples=[
        OpenApiExample(
            "Achieved",
            request_only=True,
            value={"achievedOn": "2026-05-12", "achievement": "In gebruik in drie wijken.", "evidenceUrl": ""},
        )
    ],
)
class MilestoneAchievement(ApiView):
    serializer_class = MilestoneSerializer
    lookup_field = "pk"

    def get_queryset(self) -> QuerySet[Milestone]:
        return _visible_milestones(self)

    def post(self, request: Request, pk: int) -> Response:
        milestone = self.get_object()
        serializer = MilestoneAchievementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = milestone_achieve(
            actor=self.caller.editing(milestone.initiative), milestone=milestone, **serializer.validated_data
        )
        return Response(MilestoneSerializer(milestone).data, status.HTTP_200_OK)


@extend_schema_view(
    get=extend_schema(
        tags=[COMMENTS],
        summary="The conversation on an initiative",
        description="A comment a facilitator hid keeps its place, without its text.",
    )
)
class CommentList(_OfInitiative, generics.ListAPIView):
    serializer_class = CommentSerializer

    def get_queryset(self) -> QuerySet[Comment]:
        return (
            Comment.objects.filter(initiative=self.initiative())
            .select_related("initiative", "organisation", "author")
            .order_by("created_at", "pk")
        )
