"""The standards list's filters; lowerCamelCase parameters, as the API will use them too."""

from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from initiatives.filtersets import LenientMultipleChoiceFilter
from initiatives.models import Theme
from municipalities.models import Municipality
from standards.models import Standard, StandardStatus

SHARES = (10, 25, 50, 75)


def _theme_choices() -> list[tuple[str, str]]:
    return list(Theme.objects.order_by("name").values_list("slug", "name"))


class StandardFilterSet(django_filters.FilterSet):
    theme = LenientMultipleChoiceFilter(
        label=_("Theme"),
        choices=_theme_choices,
        field_name="themes__slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    status = LenientMultipleChoiceFilter(
        label=_("Status"), choices=StandardStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    minShare = django_filters.ChoiceFilter(  # noqa: N815 (the API's lowerCamelCase parameter)
        label=_("Adopted by at least"),
        choices=[(str(share), f"{share}%") for share in SHARES],
        method="filter_min_share",
        empty_label=_("any share"),
    )

    class Meta:
        model = Standard
        fields: list[str] = []

    def filter_min_share(self, queryset: QuerySet[Standard], name: str, value: Any) -> QuerySet[Standard]:
        municipalities = Municipality.objects.filter(dissolved_on__isnull=True).count()
        # ``adopters`` comes from ``Standard.objects.with_adopters()``; compared in whole numbers.
        return queryset.alias(scaled=F("adopters") * 100).filter(scaled__gte=int(value) * municipalities)
