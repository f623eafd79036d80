"""The events feed: each event with its position, type, subject and payload (ids and public fields)."""

from typing import Any

from django.db.models import F, QuerySet
from rest_framework import serializers

from api.problems import camel_case
from api.serializers.initiatives import _iso
from samenorg.events.models import Event

INNER_SUBJECTS = ("participation", "milestone", "comment", "nomination", "adoption")


def event_rows(queryset: QuerySet[Event]) -> QuerySet[Event, dict[str, Any]]:
    """Plain values in one query: a page of the feed costs one query whatever its size."""
    return queryset.filter(position__isnull=False).values(
        "position",
        "type",
        "occurred_at",
        "payload",
        *(f"{subject}_id" for subject in INNER_SUBJECTS),
        organisation_slug=F("organisation__slug"),
        initiative_slug=F("initiative__slug"),
        standard_slug=F("standard__slug"),
    )


def camelised(value: Any) -> Any:
    """A payload with lowerCamelCase keys, as every JSON field of the API."""
    if isinstance(value, dict):
        return {camel_case(str(key)): camelised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [camelised(item) for item in value]
    return value


class EventSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="The feed's order; resume with ?after=<the last you saw>.")
    type = serializers.CharField(help_text="<subject>.<verb>, e.g. initiative.published.")
    occurredAt = serializers.DateTimeField()  # noqa: N815 (lowerCamelCase in JSON)
    organisation = serializers.SlugField(help_text="The organisation that acted.")
    initiative = serializers.SlugField(allow_null=True)
    standard = serializers.SlugField(allow_null=True)
    participation = serializers.IntegerField(allow_null=True)
    milestone = serializers.IntegerField(allow_null=True)
    comment = serializers.IntegerField(allow_null=True)
    nomination = serializers.IntegerField(allow_null=True)
    adoption = serializers.IntegerField(allow_null=True)
    payload = serializers.DictField(help_text="Ids and public fields of the change; keys in lowerCamelCase.")

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "position": row["position"],
            "type": row["type"],
            "occurredAt": _iso(row["occurred_at"]),
            "organisation": row["organisation_slug"],
            "initiative": row["initiative_slug"],
            "standard": row["standard_slug"],
            **{subject: row[f"{subject}_id"] for subject in INNER_SUBJECTS},
            "payload": camelised(row["payload"]),
        }
