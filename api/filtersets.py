"""The events feed's filters: by type and by subject (an initiative's or a standard's slug)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from samenorg.events.describe import SENTENCES
from samenorg.events.models import Event


class EventFilterSet(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(
        label=_("Event type; repeat for several"),
        field_name="type",
        choices=[(event_type, event_type) for event_type in sorted(SENTENCES)],
    )
    initiative = django_filters.CharFilter(
        label=_("Only events about the initiative with this slug"), field_name="initiative__slug", max_length=220
    )
    standard = django_filters.CharFilter(
        label=_("Only events about the standard with this slug"), field_name="standard__slug", max_length=220
    )

    class Meta:
        model = Event
        fields: list[str] = []
