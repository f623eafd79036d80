"""The one FilterSet for initiatives, shared by the HTML list, the exports and (later) the API.

Query parameters are lowerCamelCase (NLGov API Design Rules). A bad value never causes a server
error: an unknown choice in a multiple-choice filter is dropped and the others still apply; an
invalid single value (an unknown province) becomes a form error and that filter is skipped. Both are
reported by ``notices()``.

Each facet filter is kept as a separate condition (``facet_conditions()``) so that the facet counts
can apply every active filter except their own (see ``initiatives.search``).
"""

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from initiatives import search
from initiatives.models import CollaborationRole, Initiative, InitiativePhase, Theme
from municipalities.models import Membership, Municipality, Province

if TYPE_CHECKING:
    from samenorg.accounts.models import User

SEARCH_MAX_LENGTH = 200
PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
TAKING_PART_MINE = "mine"


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    UPDATED = "updated"
    TITLE = "title"

    CHOICES = (
        (RELEVANCE, _("relevance")),
        (NEWEST, _("newest first")),
        (UPDATED, _("recently updated")),
        (TITLE, _("title (A-Z)")),
    )


ORDERINGS = {
    Sort.NEWEST: (F("published_at").desc(nulls_first=True), "-created_at", "-pk"),
    Sort.UPDATED: ("-updated_at", "-pk"),
    Sort.TITLE: (Lower("title"), "pk"),
    Sort.RELEVANCE: ("-rank", F("published_at").desc(nulls_first=True), "-pk"),
}


class LenientMultipleChoiceField(django_filters.fields.MultipleChoiceField):
    """Keeps the valid choices and remembers the others, instead of rejecting the whole parameter."""

    def clean(self, value: Any) -> list[str]:
        values = self.to_python(value)
        if not values:
            self.ignored = []
            return []
        known = {str(key) for key, _label in self.choices}  # one pass: the theme choices are a query
        self.ignored = [item for item in values if item not in known]
        return list(dict.fromkeys(item for item in values if item in known))


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


def _theme_choices() -> list[tuple[str, str]]:
    # Callable, so the query runs only when a theme parameter is there to validate.
    return list(Theme.objects.order_by("name").values_list("slug", "name"))


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple()


class InitiativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_nothing",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    theme = LenientMultipleChoiceFilter(
        label=_("Theme"), choices=_theme_choices, method="filter_nothing", widget=_checkboxes()
    )
    phase = LenientMultipleChoiceFilter(
        label=_("Phase"), choices=InitiativePhase.choices, method="filter_nothing", widget=_checkboxes()
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        to_field_name="slug",
        queryset=Province.objects.all(),
        method="filter_nothing",
        empty_label=_("All provinces"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        to_field_name="slug",
        queryset=Municipality.objects.all(),
        method="filter_nothing",
        empty_label=_("All municipalities"),
    )
    rolesSought = LenientMultipleChoiceFilter(  # noqa: N815 (the API's lowerCamelCase parameter)
        label=_("Roles sought"), choices=CollaborationRole.choices, method="filter_nothing", widget=_checkboxes()
    )
    takingPart = django_filters.ChoiceFilter(  # noqa: N815
        label=_("My organisation takes part"),
        choices=[(TAKING_PART_MINE, _("Only where my organisation takes part"))],
        method="filter_nothing",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=Sort.CHOICES, method="filter_nothing", empty_label=None
    )
    pageSize = django_filters.ChoiceFilter(  # noqa: N815
        label=_("Results per page"),
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
        method="filter_nothing",
        empty_label=None,
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    def __init__(self, *args: Any, member_of: list[int] | None = None, **kwargs: Any) -> None:
        """``member_of``: the ids of the visitor's organisations, for ``takingPart=mine``, if the caller
        has read them already (else they are read from ``request.user`` when that filter is chosen)."""
        super().__init__(*args, **kwargs)
        self._member_of = member_of

    def filter_nothing(self, queryset: QuerySet[Initiative], name: str, value: Any) -> QuerySet[Initiative]:
        """The filters are applied together in ``filter_queryset``, which needs them side by side."""
        return queryset

    # The cleaned state -------------------------------------------------------------------------

    @property
    def cleaned(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 (validates the form, as django-filter does before filtering)
        return self.form.cleaned_data

    @property
    def search_text(self) -> str:
        return (self.cleaned.get("q") or "").strip()

    @property
    def sort_order(self) -> str:
        chosen = self.cleaned.get("sort")
        if chosen == Sort.RELEVANCE and not self.search_text:
            chosen = None
        return chosen or (Sort.RELEVANCE if self.search_text else Sort.NEWEST)

    @property
    def page_size(self) -> int:
        return int(self.cleaned.get("pageSize") or DEFAULT_PAGE_SIZE)

    @property
    def taking_part(self) -> list[int] | None:
        """The organisations "my organisation takes part" stands for, if that filter is chosen."""
        if self.cleaned.get("takingPart") != TAKING_PART_MINE:
            return None
        if self._member_of is None:
            self._member_of = member_organisation_ids(getattr(self.request, "user", None))
        return self._member_of

    def facet_conditions(self) -> dict[str, Q]:
        """One condition per active facet filter, so that each facet can leave out its own."""
        cleaned = self.cleaned
        conditions: dict[str, Q] = {}
        if cleaned.get("theme"):
            conditions["theme"] = search.has_any_theme(cleaned["theme"])
        if cleaned.get("phase"):
            conditions["phase"] = Q(phase__in=cleaned["phase"])
        if cleaned.get("province"):
            conditions["province"] = search.owned_in_province(cleaned["province"].pk)
        if cleaned.get("municipality"):
            conditions["municipality"] = search.owned_in_municipality(cleaned["municipality"].pk)
        if cleaned.get("rolesSought"):
            conditions["rolesSought"] = Q(roles_sought__overlap=cleaned["rolesSought"])
        if self.taking_part is not None:
            conditions["takingPart"] = search.taken_part_in_by(self.taking_part)
        return conditions

    def search_base(self) -> QuerySet[Initiative]:
        """The visible initiatives that match the search text, before the facet filters."""
        return search.matching(self.queryset.all(), self.search_text)

    def filter_queryset(self, queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
        queryset = search.matching(queryset, self.search_text)
        for condition in self.facet_conditions().values():
            queryset = queryset.filter(condition)
        return queryset.order_by(*ORDERINGS[self.sort_order])

    @property
    def qs(self) -> QuerySet[Initiative]:
        if not hasattr(self, "_qs"):
            # Unbound (no parameters at all) still searches nothing and sorts newest first.
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def notices(self) -> list[str]:
        """What was ignored in the request, in words for the user."""
        if not self.is_bound:
            return []
        messages: list[str] = []
        for name, field in self.form.fields.items():
            ignored = getattr(field, "ignored", None)
            if ignored:
                messages.append(
                    _("Unknown value for %(filter)s ignored: %(values)s")
                    % {"filter": field.label, "values": ", ".join(ignored)}
                )
            for error in self.form.errors.get(name, []):
                messages.append(
                    _("%(filter)s ignored: %(error)s") % {"filter": self.form.fields[name].label, "error": error}
                )
        if self.taking_part == []:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                messages.append(_("You are not a member of an organisation yet, so none takes part for you."))
            else:
                messages.append(_("Log in to see the initiatives your organisation takes part in."))
        return messages


def member_organisation_ids(user: "User | None") -> list[int]:
    """The ids of the organisations ``user`` is a member of, sorted (none for an anonymous visitor)."""
    if user is None or not (user.is_authenticated and user.is_active):
        return []
    return sorted(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
