"""Taking part, milestones and comments, in and on initiatives."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import Flag, IdReference, SlugReference, StrictSerializer, Text, Url
from collaboration.models import Comment, Participation, ParticipationStatus
from initiatives.models import CollaborationRole
from municipalities.models import Organisation


class ParticipationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = SlugReference()
    organisation = SlugReference()
    organisationName = serializers.CharField(source="organisation.name")  # noqa: N815 (lowerCamelCase in JSON)
    role = serializers.ChoiceField(choices=CollaborationRole.choices)
    status = serializers.ChoiceField(choices=ParticipationStatus.choices)
    motivation = serializers.SerializerMethodField(
        help_text="The request's motivation, while it waits for a decision (seen by the asking organisation "
        "and the initiator only, like the request itself)."
    )
    requestedAt = serializers.DateTimeField(source="requested_at")  # noqa: N815
    decidedAt = serializers.DateTimeField(source="decided_at", allow_null=True)  # noqa: N815
    joinedAt = serializers.DateTimeField(source="joined_at", allow_null=True)  # noqa: N815
    endedAt = serializers.DateTimeField(source="ended_at", allow_null=True)  # noqa: N815

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_motivation(self, participation: Participation) -> str | None:
        return participation.motivation if participation.status == ParticipationStatus.REQUESTED else None


class ParticipationRequestSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=CollaborationRole.choices)
    motivation = Text(max_length=2000, help_text="Why your organisation wants this role.")
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.active(),
        required=False,
        help_text="The organisation that asks; a key asks for its own.",
    )


class ParticipationDecisionSerializer(StrictSerializer):
    accept = Flag()
    reason = Text(max_length=2000, required=False, allow_blank=True, default="", help_text="Required when declining.")


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = SlugReference()
    title = serializers.CharField()
    description = serializers.CharField()
    targetDate = serializers.DateField(source="target_date", allow_null=True)  # noqa: N815
    achievedOn = serializers.DateField(source="achieved_on", allow_null=True)  # noqa: N815
    achievement = serializers.CharField()
    evidenceUrl = serializers.CharField(source="evidence_url", help_text="A web address, or empty.")  # noqa: N815
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815


class MilestonePlanSerializer(StrictSerializer):
    title = Text(max_length=200)
    description = Text(max_length=5000, required=False, allow_blank=True, default="")
    targetDate = serializers.DateField(  # noqa: N815
        source="target_date", required=False, allow_null=True, default=None
    )


class MilestoneAchievementSerializer(StrictSerializer):
    achievedOn = serializers.DateField(source="achieved_on")  # noqa: N815
    achievement = Text(max_length=5000, help_text="What was achieved.")
    evidenceUrl = Url(  # noqa: N815
        source="evidence_url", max_length=500, required=False, allow_blank=True
    )


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = SlugReference()
    nomination = IdReference(allow_null=True, help_text="Set for a comment in a nomination's consultation.")
    organisation = SlugReference()
    authorName = serializers.SerializerMethodField(  # noqa: N815
        help_text="The author's name; null for a former user (an account that was deleted). Never an e-mail address."
    )
    body = serializers.SerializerMethodField(help_text="Markdown; null when a facilitator hid the comment.")
    hidden = serializers.BooleanField(source="is_hidden")
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815
    editedAt = serializers.DateTimeField(source="edited_at", allow_null=True)  # noqa: N815

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_authorName(self, comment: Comment) -> str | None:  # noqa: N802
        """As the thread shows it: the name, or nothing for an account that was deleted."""
        author = comment.author
        return (author.name or None) if author is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, comment: Comment) -> str | None:
        return None if comment.is_hidden else comment.body
