"""Following: the toggle on initiative, standard, theme and municipality pages, the themes page, and "my follows"
on "my overview". Every write is a POST for a logged-in user that calls the service and goes back
(to a safe ``next``); with htmx the answer is the toggle itself. Nothing here shows who follows what."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from collaboration.selectors_follow import (
    FollowEntry,
    Target,
    default_frequency,
    follow_state,
    kind_of,
    target_url,
    user_follows,
)
from collaboration.services import follow as services
from initiatives.models import Initiative, Theme
from initiatives.models.initiative import PUBLIC_STATUSES
from municipalities.models import Municipality
from samenorg.accounts.models import Frequency
from standards.models import Standard, StandardStatus

URL_NAMES = {
    "initiative": ("follow-initiative", "follow-initiative-frequency"),
    "theme": ("follow-theme", "follow-theme-frequency"),
    "municipality": ("follow-municipality", "follow-municipality-frequency"),
    "standard": ("follow-standard", "follow-standard-frequency"),
}


@dataclass
class FollowWidget:
    """The follow toggle of one thing for one logged-in user, as templates/collaboration/_follow_toggle.html
    draws it."""

    target: Target
    state: FollowEntry | None
    next: str
    default_frequency: str
    feedback: str = ""
    feedback_is_error: bool = False

    @property
    def kind(self) -> str:
        return kind_of(self.target)

    @property
    def dom_id(self) -> str:
        return f"follow-{self.kind}-{self.target.pk}"

    @property
    def action_url(self) -> str:
        return reverse(f"collaboration:{URL_NAMES[self.kind][0]}", kwargs={"slug": self.target.slug})

    @property
    def frequency_url(self) -> str:
        return reverse(f"collaboration:{URL_NAMES[self.kind][1]}", kwargs={"slug": self.target.slug})

    @property
    def following(self) -> bool:
        return self.state is not None and self.state.is_following

    @property
    def opted_out(self) -> bool:
        """Not following an initiative they would follow through their organisation."""
        return self.state is not None and self.state.is_derived and not self.state.is_following

    @property
    def via(self) -> list:
        return self.state.via if self.state else []

    @property
    def frequency(self) -> str:
        return self.state.frequency if self.following and self.state else self.default_frequency

    @property
    def frequency_choices(self) -> list[tuple[str, str]]:
        """The frequencies one picks; "not at all" is what "stop following" is for."""
        return [(value, str(label)) for value, label in Frequency.choices if value != Frequency.OFF]

    @property
    def target_url(self) -> str:
        return target_url(self.target)


def _widget(request: HttpRequest, target: Target, next_url: str = "") -> FollowWidget:
    return FollowWidget(
        target=target,
        state=follow_state(request.user, target),
        next=next_url or request.get_full_path(),
        default_frequency=default_frequency(request.user),
    )


def initiative_section(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What templates/collaboration/_follow.html needs on the initiative page (two queries at most)."""
    if not request.user.is_authenticated:
        return {"follow_widget": None}
    return {"follow_widget": _widget(request, initiative)}


def municipality_section(request: HttpRequest, municipality: Municipality, organisation: Any) -> dict[str, Any]:
    """What templates/collaboration/_municipality_follow.html needs on a municipality's page."""
    if not request.user.is_authenticated:
        return {"municipality_follow_widget": None, "municipality_followable": municipality.dissolved_on is None}
    widget = _widget(request, municipality)
    # A merged municipality can be unfollowed, not followed: nothing happens there any more.
    followable = municipality.dissolved_on is None or widget.following
    return {"municipality_follow_widget": widget, "municipality_followable": followable}


def standard_section(request: HttpRequest, standard: Standard) -> dict[str, Any]:
    """What templates/collaboration/_follow_standard.html needs on a standard's page (one query)."""
    withdrawn = standard.status == StandardStatus.WITHDRAWN
    if not request.user.is_authenticated:
        return {"standard_follow_widget": None, "standard_followable": not withdrawn}
    widget = _widget(request, standard)
    # A withdrawn standard can be unfollowed, not followed: no new version will come.
    return {"standard_follow_widget": widget, "standard_followable": not withdrawn or widget.following}


def overview_section(request: HttpRequest) -> dict[str, Any]:
    """What templates/collaboration/_overview_follow.html needs on "my overview" (two queries)."""
    here = reverse("accounts:overview")
    widgets = [
        FollowWidget(target=entry.target, state=entry, next=here, default_frequency=default_frequency(request.user))
        for entry in user_follows(request.user)
    ]
    return {"my_follows": widgets}


@require_GET
def theme_list(request: HttpRequest) -> HttpResponse:
    """The active themes, each leading to its initiatives, with a follow toggle for logged-in users."""
    themes = list(
        Theme.objects.filter(is_active=True)
        .annotate(published=Count("initiatives", filter=Q(initiatives__status__in=PUBLIC_STATUSES)))
        .order_by("name")
    )
    widgets: dict[int, FollowWidget] = {}
    if request.user.is_authenticated:
        rows = {row.theme_id: row for row in request.user.follows.filter(theme__in=themes)}
        here = request.get_full_path()
        for theme in themes:
            row = rows.get(theme.pk)
            state = FollowEntry("theme", theme, row.frequency, [], row) if row else None
            widgets[theme.pk] = FollowWidget(theme, state, here, default_frequency(request.user))
    items = [(theme, target_url(theme), widgets.get(theme.pk)) for theme in themes]
    return render(request, "collaboration/themes.html", {"items": items})


def _visible_initiative(request: HttpRequest, slug: str) -> Initiative:
    return get_object_or_404(Initiative.objects.visible_to(request.user), slug=slug)


def _theme(request: HttpRequest, slug: str) -> Theme:
    return get_object_or_404(Theme, slug=slug)


def _municipality(request: HttpRequest, slug: str) -> Municipality:
    return get_object_or_404(Municipality.objects.select_related("successor"), slug=slug)


def _standard(request: HttpRequest, slug: str) -> Standard:
    return get_object_or_404(Standard, slug=slug)


LOOKUPS: dict[str, Callable[[HttpRequest, str], Target]] = {
    "initiative": _visible_initiative,
    "theme": _theme,
    "municipality": _municipality,
    "standard": _standard,
}


@require_POST
@login_required
@vary_on_headers("HX-Request")
def follow_toggle(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """``action=follow`` (with an optional ``frequency``) or ``action=unfollow``: the intent is in the
    form, not derived from the current state, so a double submit cannot undo itself."""
    target = LOOKUPS[kind](request, slug)
    action = request.POST.get("action")

    def write() -> str:
        if action == "follow":
            services.follow(user=request.user, target=target, frequency=request.POST.get("frequency") or None)
            return _("You follow %(target)s now.") % {"target": target}
        if action == "unfollow":
            services.unfollow(user=request.user, target=target)
            return _("You no longer follow %(target)s.") % {"target": target}
        raise ValidationError(_("Choose whether to follow or to stop following."))

    return _act(request, target, write)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def follow_frequency(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    target = LOOKUPS[kind](request, slug)

    def write() -> str:
        follow = services.follow_set_frequency(
            user=request.user, target=target, frequency=request.POST.get("frequency", "")
        )
        return _("You hear about %(target)s: %(frequency)s.") % {
            "target": target,
            "frequency": follow.get_frequency_display(),
        }

    return _act(request, target, write)


def _act(request: HttpRequest, target: Target, write: Callable[[], str]) -> HttpResponse:
    """Run the write; a refusal becomes a message (a 404 for what the user may not see)."""
    try:
        done, is_error = write(), False
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        done, is_error = " ".join(error.messages), True
    next_url = _safe_next(request)
    if _is_htmx(request):
        widget = _widget(request, target, next_url or target_url(target))
        widget.feedback, widget.feedback_is_error = done, is_error
        return render(request, "collaboration/_follow_toggle.html", {"widget": widget})
    (messages.error if is_error else messages.success)(request, done)
    return redirect(next_url or target_url(target))


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if allowed else ""


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


urlpatterns: list[URLPattern] = [
    path("themas", theme_list, name="themes"),
    *(
        pattern
        for kind, prefix in (
            ("initiative", "initiatieven"),
            ("theme", "themas"),
            ("municipality", "gemeenten"),
            ("standard", "standaarden"),
        )
        for pattern in (
            path(f"{prefix}/<slug:slug>/volgen", follow_toggle, {"kind": kind}, name=URL_NAMES[kind][0]),
            path(f"{prefix}/<slug:slug>/volgen/frequentie", follow_frequency, {"kind": kind}, name=URL_NAMES[kind][1]),
        )
    ),
]
