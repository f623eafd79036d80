"""Municipalities, organisations and themes: reference data, public."""

from rest_framework import serializers

from api.serializers.base import SlugReference
from municipalities.models import Municipality
from municipalities.models.organisation import OrganisationKind


class ProvinceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="CBS code, e.g. PV26.")
    name = serializers.CharField()
    slug = serializers.SlugField()


class MunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="CBS code, e.g. GM0344.")
    name = serializers.CharField()
    slug = serializers.SlugField()
    province = ProvinceSerializer()
    population = serializers.IntegerField(allow_null=True)
    dissolvedOn = serializers.DateField(  # noqa: N815 (the API's lowerCamelCase field)
        source="dissolved_on", allow_null=True, help_text="Set when it merged into its successor."
    )
    successor = SlugReference(slug_field="code", allow_null=True)
    organisation = serializers.SerializerMethodField(help_text="The slug of the municipality as an organisation.")

    def get_organisation(self, municipality: Municipality) -> str | None:
        organisation = getattr(municipality, "organisation", None)
        return organisation.slug if organisation else None


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    municipality = SlugReference(slug_field="code", allow_null=True, help_text="CBS code, for a municipality.")
    website = serializers.URLField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


class ThemeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    isActive = serializers.BooleanField(  # noqa: N815
        source="is_active", help_text="Offered for new initiatives."
    )
