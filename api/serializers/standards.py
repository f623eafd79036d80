"""Standards, their versions, nominations, the adoption register and its figures."""

from rest_framework import serializers

from api.serializers.base import Pattern, SlugReference, StrictSerializer, Text
from municipalities.models import Organisation
from standards.models import AdoptionStatus, NominationStage, StandardStatus
from standards.selectors import STATUS_ORDER

VERSION_PATTERN = r"^\d+\.\d+\.\d+$"


class StandardSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(help_text="Markdown.")
    status = serializers.ChoiceField(choices=StandardStatus.choices)
    sourceInitiative = SlugReference(source="source_initiative", allow_null=True)  # noqa: N815 (lowerCamelCase)
    themes = SlugReference(many=True)
    adopters = serializers.IntegerField(help_text="How many municipalities implement or use it.")
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815
    updatedAt = serializers.DateTimeField(source="updated_at")  # noqa: N815


class DocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class VersionSerializer(serializers.Serializer):
    standard = SlugReference()
    number = serializers.RegexField(VERSION_PATTERN, help_text="Semantic version, e.g. 1.2.0.")
    changelog = serializers.CharField()
    releasedOn = serializers.DateField(source="released_on")  # noqa: N815
    documents = DocumentSerializer(many=True, source="documents.all")


class NominationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = SlugReference()
    organisation = SlugReference(help_text="The nominating organisation.")
    stage = serializers.ChoiceField(choices=NominationStage.choices)
    organisationsUsing = serializers.IntegerField(source="organisations_using")  # noqa: N815
    results = serializers.CharField()
    costsAndSavings = serializers.CharField(source="costs_and_savings")  # noqa: N815
    reusability = serializers.CharField()
    documentation = serializers.CharField()
    consultationClosesOn = serializers.DateField(source="consultation_closes_on", allow_null=True)  # noqa: N815
    decisionReason = serializers.CharField(source="decision_reason")  # noqa: N815
    submittedAt = serializers.DateTimeField(source="submitted_at")  # noqa: N815
    stageChangedAt = serializers.DateTimeField(source="stage_changed_at")  # noqa: N815
    standard = serializers.SerializerMethodField(help_text="The standard it became, if adopted.")

    def get_standard(self, nomination: object) -> str | None:
        standard = getattr(nomination, "standard", None)
        return standard.slug if standard is not None else None


class AdoptionSerializer(serializers.Serializer):
    standard = SlugReference()
    organisation = SlugReference()
    municipality = serializers.CharField(source="organisation.municipality.code", help_text="CBS code.")
    status = serializers.ChoiceField(choices=AdoptionStatus.choices)
    reason = serializers.CharField(help_text="Why it does not adopt (status explain).")
    version = serializers.CharField(source="version.number", allow_null=True, default=None)
    since = serializers.DateField()
    updatedAt = serializers.DateTimeField(source="updated_at")  # noqa: N815


class AdoptionRecordSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=AdoptionStatus.choices)
    since = serializers.DateField()
    reason = Text(max_length=5000, required=False, allow_blank=True, default="")
    version = Pattern(
        VERSION_PATTERN, required=False, allow_null=True, default=None, help_text="The version implemented or used."
    )
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.active(),
        required=False,
        help_text="The municipality that records; a key records for its own.",
    )


class StatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_ORDER, help_text="'none': not recorded.")
    count = serializers.IntegerField()
    share = serializers.FloatField(help_text="Percent of the municipalities counted.")


class ProvinceFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    statuses = StatusCountSerializer(many=True)


class AdoptionFiguresSerializer(serializers.Serializer):
    standard = serializers.SlugField(allow_null=True, help_text="null: over all standards.")
    total = serializers.IntegerField(help_text="Municipalities that exist today.")
    recorded = serializers.IntegerField()
    statuses = StatusCountSerializer(many=True)
    provinces = ProvinceFiguresSerializer(many=True)
