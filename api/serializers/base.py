"""What every serializer of the API shares: lowerCamelCase names in JSON (the model field is the
``source``), and writes that refuse fields they do not know instead of ignoring them."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """A request body: unknown fields (and read-only ones) are an error (400), not silently dropped."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("This field is unknown here.")] for name in unknown})
        return super().to_internal_value(data)


# Fields of request bodies take their JSON type only: DRF would read 12 as "12", "12" as 12 and "yes" as true.


class _ExactType:
    json_types: tuple[type, ...] = (str,)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, self.json_types) or isinstance(data, bool) != (bool in self.json_types):
            raise serializers.ValidationError(_("Expected %(type)s.") % {"type": self.json_type_name}, code="invalid")
        return super().to_internal_value(data)  # type: ignore[misc]

    @property
    def json_type_name(self) -> str:
        return {str: _("a string"), int: _("a whole number"), bool: _("true or false")}.get(
            self.json_types[0], _("a number")
        )


class Text(_ExactType, serializers.CharField):
    pass


class Email(_ExactType, serializers.EmailField):
    pass


class Url(_ExactType, serializers.URLField):
    pass


class Pattern(_ExactType, serializers.RegexField):
    pass


class Whole(_ExactType, serializers.IntegerField):
    json_types = (int,)


class Amount(_ExactType, serializers.DecimalField):
    json_types = (int, float)


class Flag(_ExactType, serializers.BooleanField):
    json_types = (bool,)


class SlugList(serializers.ManyRelatedField):
    """Several rows by slug, as a JSON array (DRF would also take an object, reading its keys)."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(child_relation=serializers.SlugRelatedField(slug_field="slug", queryset=queryset), **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class LinkSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    url = serializers.URLField(max_length=500)


class StrictLinkSerializer(StrictSerializer):
    title = Text(max_length=200)
    url = Url(max_length=500)


@extend_schema_field(OpenApiTypes.STR)
class SlugReference(serializers.SlugRelatedField):
    """Another resource, by its slug (or its code): a read-only reference."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "slug")
        super().__init__(read_only=True, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdReference(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)
