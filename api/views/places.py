"""Municipalities, organisations and themes: public reference data."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from api.serializers.places import MunicipalitySerializer, OrganisationSerializer, ThemeSerializer
from api.views.base import ApiView
from initiatives.models import Theme
from municipalities import selectors
from municipalities.filtersets import MunicipalityFilterSet, OrganisationFilterSet
from municipalities.models import Municipality, Organisation

TAG = "reference data"


@extend_schema_view(get=extend_schema(tags=[TAG], summary="Municipalities that exist today"))
class MunicipalityList(ApiView, generics.ListAPIView):
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet

    def get_queryset(self) -> QuerySet[Municipality]:
        return selectors.municipality_list().select_related("successor", "organisation")


@extend_schema_view(get=extend_schema(tags=[TAG], summary="A municipality, also a dissolved one"))
class MunicipalityDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = MunicipalitySerializer

    def get_queryset(self) -> QuerySet[Municipality]:
        return selectors.municipality_detail()


@extend_schema_view(get=extend_schema(tags=[TAG], summary="Organisations: municipalities and partners"))
class OrganisationList(ApiView, generics.ListAPIView):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def get_queryset(self) -> QuerySet[Organisation]:
        return self.caller.organisations().select_related("municipality").order_by("name", "pk")


@extend_schema_view(get=extend_schema(tags=[TAG], summary="An organisation"))
class OrganisationDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return self.caller.organisations().select_related("municipality")


@extend_schema_view(get=extend_schema(tags=[TAG], summary="Themes"))
class ThemeList(ApiView, generics.ListAPIView):
    serializer_class = ThemeSerializer
    queryset = Theme.objects.order_by("name")


@extend_schema_view(get=extend_schema(tags=[TAG], summary="A theme"))
class ThemeDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = ThemeSerializer
    queryset = Theme.objects.all()
