"""Initiatives as partner systems read and write them. Lists read plain values in one query
(``InitiativeSummarySerializer``); the detail reads the full row with its themes and links."""

from datetime import tzinfo
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import (
    Amount,
    Email,
    LinkSerializer,
    SlugList,
    SlugReference,
    StrictLinkSerializer,
    StrictSerializer,
    Text,
    Whole,
)
from initiatives.models import CollaborationRole, Initiative, InitiativePhase, InitiativeStatus, Theme
from municipalities.models import Organisation

# The summary of a list row, read with ``.values()``: one plain query for a page, whatever its size. The
# themes, links and the rest are in the detail.
SUMMARY_VALUES = ("slug", "title", "summary", "phase", "status", "roles_sought", "published_at", "updated_at")


def summary_rows(queryset: QuerySet[Initiative]) -> QuerySet[Initiative, dict[str, Any]]:
    return queryset.values(*SUMMARY_VALUES, owner_slug=F("owner__slug"))


class InitiativeSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    phase = serializers.ChoiceField(choices=InitiativePhase.choices)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices)
    owner = serializers.SlugField(help_text="The initiator organisation's slug.")
    rolesSought = serializers.ListField(  # noqa: N815 (the API's lowerCamelCase field)
        child=serializers.ChoiceField(choices=CollaborationRole.choices)
    )
    publishedAt = serializers.DateTimeField(allow_null=True)  # noqa: N815
    updatedAt = serializers.DateTimeField()  # noqa: N815

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        """From a row of ``summary_rows``, directly: the list's cost is the query, not the fields."""
        zone = timezone.get_current_timezone()
        return {
            "slug": row["slug"],
            "title": row["title"],
            "summary": row["summary"],
            "phase": row["phase"],
            "status": row["status"],
            "owner": row["owner_slug"],
            "rolesSought": row["roles_sought"],
            "publishedAt": _iso(row["published_at"], zone),
            "updatedAt": _iso(row["updated_at"], zone),
        }


def _iso(moment: Any, zone: tzinfo | None = None) -> str | None:
    """As DRF writes a time (ISO 8601 in the current time zone; ``zone`` if the caller read it already),
    without making a field per value."""
    if moment is None:
        return None
    return moment.astimezone(zone or timezone.get_current_timezone()).isoformat()


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="contact_name", allow_blank=True)
    email = serializers.EmailField(source="contact_email", allow_blank=True)
    phone = serializers.CharField(source="contact_phone", allow_blank=True)


class InitiativeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField(help_text="Markdown.")
    results = serializers.CharField(help_text="Results and evidence, Markdown.")
    phase = serializers.ChoiceField(choices=InitiativePhase.choices)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices)
    owner = SlugReference(help_text="The initiator organisation.")
    themes = SlugReference(many=True)
    tags = serializers.ListField(child=serializers.CharField())
    rolesSought = serializers.ListField(  # noqa: N815
        source="roles_sought", child=serializers.ChoiceField(choices=CollaborationRole.choices)
    )
    organisationsUsing = serializers.IntegerField(source="organisations_using", allow_null=True)  # noqa: N815
    inhabitantsReached = serializers.IntegerField(source="inhabitants_reached", allow_null=True)  # noqa: N815
    costEur = serializers.DecimalField(  # noqa: N815
        source="cost_eur", max_digits=12, decimal_places=2, allow_null=True
    )
    savingsEur = serializers.DecimalField(  # noqa: N815
        source="savings_eur", max_digits=12, decimal_places=2, allow_null=True
    )
    links = LinkSerializer(many=True, source="links.all")
    contact = serializers.SerializerMethodField(help_text="Only for callers who are logged in or use a key.")
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815
    updatedAt = serializers.DateTimeField(source="updated_at")  # noqa: N815
    publishedAt = serializers.DateTimeField(source="published_at", allow_null=True)  # noqa: N815
    archivedAt = serializers.DateTimeField(source="archived_at", allow_null=True)  # noqa: N815

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, initiative: Initiative) -> dict[str, str] | None:
        """As on the initiative's page: the contact person is for visitors who identified themselves."""
        if not self.context.get("identified"):
            return None
        return ContactSerializer(initiative).data


class InitiativeWriteSerializer(StrictSerializer):
    """The content of an initiative; the service validates it as it does for the site's form. On an
    update (PATCH) every field is optional and only those sent change."""

    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.active(),
        required=False,
        help_text="Create only: the organisation you register it for. A key registers for its own.",
    )
    title = Text(max_length=200)
    summary = Text(max_length=400)
    description = Text(required=False, allow_blank=True)
    results = Text(required=False, allow_blank=True)
    phase = serializers.ChoiceField(
        choices=InitiativePhase.choices, required=False, help_text="Create only; later, post to /phase."
    )
    themes = SlugList(queryset=Theme.objects.all(), required=False, help_text="Theme slugs.")
    tags = serializers.ListField(child=Text(max_length=50), required=False, max_length=15)
    rolesSought = serializers.ListField(  # noqa: N815
        source="roles_sought", child=serializers.ChoiceField(choices=CollaborationRole.choices), required=False
    )
    contactName = Text(source="contact_name", required=False, allow_blank=True, max_length=150)  # noqa: N815
    contactEmail = Email(source="contact_email", required=False, allow_blank=True)  # noqa: N815
    contactPhone = Text(source="contact_phone", required=False, allow_blank=True, max_length=40)  # noqa: N815
    organisationsUsing = Whole(  # noqa: N815
        source="organisations_using", required=False, allow_null=True, min_value=0, max_value=2_147_483_647
    )
    inhabitantsReached = Whole(  # noqa: N815
        source="inhabitants_reached", required=False, allow_null=True, min_value=0, max_value=2_147_483_647
    )
    costEur = Amount(  # noqa: N815
        source="cost_eur", max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    savingsEur = Amount(  # noqa: N815
        source="savings_eur", max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    links = StrictLinkSerializer(many=True, required=False, max_length=10)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            for create_only in ("organisation", "phase"):
                if create_only in data:
                    raise serializers.ValidationError({create_only: [_("Set this only when you register it.")]})
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The validated data as the services take it: model field names, links as pairs."""
        data = dict(self.validated_data)
        data.pop("organisation", None)
        if "links" in data:
            data["links"] = [(link["title"], link["url"]) for link in data["links"]]
        return data


class PhaseChangeSerializer(StrictSerializer):
    phase = serializers.ChoiceField(choices=InitiativePhase.choices)
