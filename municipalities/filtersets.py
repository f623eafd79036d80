"""One FilterSet per listable model, shared by the HTML lists and (later) the API lists.

An invalid value (an unknown province, a search that is too long) becomes a form error and that
filter is skipped; it never causes a server error.
"""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, Organisation, Province
from municipalities.models.organisation import PARTNER_KINDS

SEARCH_MAX_LENGTH = 100


def _search_input() -> forms.TextInput:
    return forms.TextInput(attrs={"type": "search", "autocomplete": "off"})


class MunicipalityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or CBS code"), method="search", max_length=SEARCH_MAX_LENGTH, widget=_search_input()
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        field_name="province",
        to_field_name="slug",
        queryset=Province.objects.order_by("name"),
        empty_label=_("All provinces"),
    )

    class Meta:
        model = Municipality
        fields = ["q", "province"]

    def search(self, queryset: QuerySet[Municipality], name: str, value: str) -> QuerySet[Municipality]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), method="search", max_length=SEARCH_MAX_LENGTH, widget=_search_input()
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=[(kind.value, kind.label) for kind in PARTNER_KINDS], empty_label=_("All kinds")
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value)
