"""The site's FilterSets serve the API's lists as they serve the pages (one FilterSet per listable
model), with one difference: the API is strict. Where a page drops a bad value and says so, the
API answers 400 naming the parameter, so a partner system never reads a list it did not ask for."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.views import APIView

PAGING_PARAMETERS = ("page", "pageSize", "after")


class StrictFilterSetBackend:
    """Filters with ``view.filterset_class`` (plus ``view.filterset_kwargs(request)``, if any)."""

    def filterset(self, request: Request, queryset: QuerySet, view: APIView) -> django_filters.FilterSet | None:
        """The view's FilterSet on the request's parameters, validated (400 naming each bad one)."""
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return None
        data = request.query_params.copy()
        for name in PAGING_PARAMETERS:
            data.pop(name, None)
        extra = view.filterset_kwargs(request) if hasattr(view, "filterset_kwargs") else {}
        filterset = filterset_class(data or None, queryset=queryset, request=request, **extra)
        if filterset.is_bound:
            errors: dict[str, list[str]] = {}
            for name, field in filterset.form.fields.items():
                messages = [str(message) for message in filterset.form.errors.get(name, [])]
                ignored = [value for value in getattr(field, "ignored", None) or [] if value]
                if ignored:
                    messages.append(_("Unknown value: %(values)s") % {"values": ", ".join(ignored)})
                if messages:
                    errors[name] = messages
            if errors:
                raise exceptions.ValidationError(errors)
        return filterset

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        filterset = self.filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return []
        return [
            _parameter(name, filter_)
            for name, filter_ in filterset_class.base_filters.items()
            if name not in PAGING_PARAMETERS
        ]


def _parameter(name: str, filter_: django_filters.Filter) -> dict[str, Any]:
    """A query parameter in the OpenAPI document, from the filter that reads it."""
    schema: dict[str, Any] = {"type": "string"}
    choices = filter_.extra.get("choices")
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        schema["description"] = "slug"
    elif choices is not None and not callable(choices):  # callable choices are rows (themes): they change
        schema["enum"] = [str(value) for value, _label in choices]
    if filter_.extra.get("max_length"):
        schema["maxLength"] = filter_.extra["max_length"]
    parameter: dict[str, Any] = {"name": name, "in": "query", "required": False, "description": str(filter_.label)}
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        parameter |= {"schema": {"type": "array", "items": schema}, "style": "form", "explode": True}
    else:
        parameter["schema"] = schema
    return parameter
