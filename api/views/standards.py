"""Standards, versions, nominations (read), the adoption register (read; a municipality records its
own) and the adoption figures of ``standards.selectors``."""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.standards import (
    AdoptionFiguresSerializer,
    AdoptionRecordSerializer,
    AdoptionSerializer,
    NominationSerializer,
    StandardSerializer,
    VersionSerializer,
)
from api.views.base import ApiView
from standards import selectors
from standards.filtersets import StandardFilterSet
from standards.models import Adoption, Nomination, Standard, StandardVersion
from standards.services.adoption import adoption_record
from standards.services.standard import parse_version

STANDARDS, NOMINATIONS, ADOPTIONS = "standards", "nominations", "adoptions"


def _standards() -> QuerySet[Standard]:
    return Standard.objects.with_adopters().select_related("source_initiative").prefetch_related("themes")


@extend_schema_view(get=extend_schema(tags=[STANDARDS], summary="Shared standards"))
class StandardList(ApiView, generics.ListAPIView):
    serializer_class = StandardSerializer
    filterset_class = StandardFilterSet

    def get_queryset(self) -> QuerySet[Standard]:
        return _standards().order_by("name", "pk")


@extend_schema_view(get=extend_schema(tags=[STANDARDS], summary="A standard"))
class StandardDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = StandardSerializer

    def get_queryset(self) -> QuerySet[Standard]:
        return _standards()


class _OfStandard(ApiView):
    def standard(self) -> Standard:
        return get_object_or_404(Standard, slug=self.kwargs["slug"])


@extend_schema_view(get=extend_schema(tags=[STANDARDS], summary="A standard's versions, newest first"))
class VersionList(_OfStandard, generics.ListAPIView):
    serializer_class = VersionSerializer

    def get_queryset(self) -> QuerySet[StandardVersion]:
        return (
            StandardVersion.objects.filter(standard=self.standard())
            .select_related("standard")
            .prefetch_related("documents")
            .order_by("-major", "-minor", "-patch")
        )


@extend_schema_view(
    get=extend_schema(tags=[ADOPTIONS], summary="Where municipalities stand on a standard"),
    post=extend_schema(
        tags=[ADOPTIONS],
        summary="Record your municipality's adoption",
        description="Only for a municipality's key (or a member of a municipality). Recording the same again "
        "changes nothing.",
        request=AdoptionRecordSerializer,
        responses={200: AdoptionSerializer},
        examples=[
            OpenApiExample(
                "In use", request_only=True, value={"status": "in_use", "since": "2026-01-15", "version": "1.2.0"}
            ),
            OpenApiExample(
                "Not adopting",
                request_only=True,
                value={"status": "explain", "since": "2026-01-15", "reason": "Wij gebruiken al een eigen oplossing."},
            ),
        ],
    ),
)
class AdoptionList(_OfStandard, generics.ListCreateAPIView):
    serializer_class = AdoptionSerializer

    def get_queryset(self) -> QuerySet[Adoption]:
        return (
            Adoption.objects.filter(standard=self.standard())
            .select_related("standard", "organisation__municipality", "version")
            .order_by("organisation__name", "pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        standard = self.standard()
        serializer = AdoptionRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        adoption = adoption_record(
            actor=self.caller.acting_for(data.get("organisation")),
            standard=standard,
            status=data["status"],
            since=data["since"],
            reason=data["reason"],
            version=_version(standard, data["version"]),
        )
        fresh = self.get_queryset().get(pk=adoption.pk)
        return Response(AdoptionSerializer(fresh).data, status.HTTP_200_OK)


def _version(standard: Standard, number: str | None) -> StandardVersion | None:
    if number is None:
        return None
    major, minor, patch = parse_version(number)
    version = StandardVersion.objects.filter(standard=standard, major=major, minor=minor, patch=patch).first()
    if version is None:
        raise ValidationError({"version": _("This standard has no version %(number)s.") % {"number": number}})
    return version


def _figures(standard: Standard | None) -> dict[str, Any]:
    figures = selectors.adoption_figures(standard)
    return {
        "standard": standard.slug if standard else None,
        "total": figures.total,
        "recorded": figures.recorded,
        "statuses": [asdict(item) for item in figures.statuses],
        "provinces": [
            {**asdict(province), "statuses": [asdict(item) for item in province.statuses]}
            for province in figures.provinces
        ],
    }


@extend_schema(
    tags=[ADOPTIONS],
    summary="Adoption figures of a standard: per status, nationally and per province",
    responses={200: AdoptionFiguresSerializer},
)
class StandardAdoptionFigures(_OfStandard):
    def get(self, request: Request, slug: str) -> Response:
        return Response(AdoptionFiguresSerializer(_figures(self.standard())).data)


@extend_schema(
    tags=[ADOPTIONS],
    summary="Adoption figures over all standards",
    description="Each municipality counts once, under its most advanced status on any standard.",
    responses={200: AdoptionFiguresSerializer},
)
class AdoptionFigures(ApiView):
    def get(self, request: Request) -> Response:
        return Response(AdoptionFiguresSerializer(_figures(None)).data)


def _nominations(view: ApiView) -> QuerySet[Nomination]:
    return (
        view.caller.nominations()
        .select_related("initiative", "organisation", "standard")
        .order_by("-submitted_at", "-pk")
    )


@extend_schema_view(get=extend_schema(tags=[NOMINATIONS], summary="Nominations of proven practices"))
class NominationList(ApiView, generics.ListAPIView):
    serializer_class = NominationSerializer

    def get_queryset(self) -> QuerySet[Nomination]:
        return _nominations(self)


@extend_schema_view(get=extend_schema(tags=[NOMINATIONS], summary="A nomination and its evidence"))
class NominationDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = NominationSerializer
    lookup_field = "pk"

    def get_queryset(self) -> QuerySet[Nomination]:
        return _nominations(self)
