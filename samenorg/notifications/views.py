"""The inbox and the notification settings, for the logged-in person only and only for their own rows: another
person's notification is a 404, as if it did not exist. Every write is a plain form POST that goes back with a
message; with htmx, marking read answers with the changed part and the header's count (out of band)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from collaboration.selectors_follow import FollowEntry, Target, target_url, user_follows
from collaboration.services.follow import follow_set_frequency
from initiatives.models import Initiative, Theme
from municipalities.models import Municipality
from samenorg.accounts.models import Frequency, User
from samenorg.events.describe import describe
from standards.models import Standard

from . import services
from .models import Notification
from .selectors import InboxEntry, notification_inbox_page, user_notifications


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required lets only a logged-in person through


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _own_notification(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(user_notifications(_user(request)), pk=pk)


def _inbox_url(request: HttpRequest) -> str:
    """The inbox page the person came from (forms post to ``...?page=N``)."""
    page = request.GET.get("page", "")
    return reverse("notifications:inbox") + (f"?{urlencode({'page': page})}" if page.isdigit() else "")


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/inbox.html", notification_inbox_page(request, _user(request)))


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The link in the inbox: read, and off to what it is about (whose page checks who may see it)."""
    notification = _own_notification(request, pk)
    services.notification_mark_read(user=_user(request), notification=notification)
    return redirect(describe(notification.event).url)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _own_notification(request, pk)
    services.notification_mark_read(user=_user(request), notification=notification)
    if _is_htmx(request):
        entry = InboxEntry(notification, describe(notification.event))
        return render(request, "notifications/_inbox_read.html", {"entry": entry, "page": request.GET.get("page")})
    messages.success(request, _("Marked as read."))
    return redirect(_inbox_url(request))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=_user(request))
    done = _("All your notifications are marked as read.") if count else _("You had read everything already.")
    if _is_htmx(request):
        context = notification_inbox_page(request, _user(request)) | {"feedback": done}
        return render(request, "notifications/_inbox_read_all.html", context)
    messages.success(request, done)
    return redirect(_inbox_url(request))


# What the settings page can change, by the kind in its form: only what the person may see.
SETTINGS_TARGETS: dict[str, Callable[[User], QuerySet]] = {
    "initiative": lambda user: Initiative.objects.visible_to(user),
    "theme": lambda user: Theme.objects.all(),
    "municipality": lambda user: Municipality.objects.all(),
    "standard": lambda user: Standard.objects.all(),
}


@dataclass(frozen=True)
class SettingsRow:
    """One follow on the settings page, with what its form needs."""

    entry: FollowEntry

    @property
    def value(self) -> str:
        return f"{self.entry.kind}:{self.entry.target.pk}"

    @property
    def dom_id(self) -> str:
        return f"follow-{self.entry.kind}-{self.entry.target.pk}"

    @property
    def url(self) -> str:
        return target_url(self.entry.target)


def _settings_target(user: User, value: str) -> Target | None:
    """``"<kind>:<id>"`` from the settings form, as something ``user`` may see; ``None`` for anything else."""
    kind, _sep, pk = value.partition(":")
    if kind not in SETTINGS_TARGETS or not pk.isdigit():
        return None
    target: Target | None = SETTINGS_TARGETS[kind](user).filter(pk=int(pk)).first()
    return target


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Every follow with its frequency, and the default for new ones; one small form each."""
    user = _user(request)
    if request.method == "POST":
        try:
            messages.success(
                request, _change_setting(user, request.POST.get("target", ""), request.POST.get("frequency", ""))
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("notifications:settings")
    context = {
        "rows": [SettingsRow(entry) for entry in user_follows(user)],
        "frequency_choices": Frequency.choices,
        "default_frequency": user.follow_frequency,
    }
    return render(request, "notifications/settings.html", context)


def _change_setting(user: User, target_value: str, frequency: str) -> str:
    """Apply one form of the settings page; a ``ValidationError`` says why nothing changed."""
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often you want to hear about it. Nothing was changed."))
    label = Frequency(frequency).label
    if target_value == "default":
        services.notification_default_frequency_set(user=user, frequency=frequency)
        return _("You hear about new follows: %(frequency)s.") % {"frequency": label}
    target = _settings_target(user, target_value)
    if target is None:
        raise ValidationError(_("This is not something you can follow. Nothing was changed."))
    follow_set_frequency(user=user, target=target, frequency=frequency)
    return _("You hear about %(target)s: %(frequency)s.") % {"target": target, "frequency": label}
