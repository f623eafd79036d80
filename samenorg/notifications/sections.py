"""The parts of other apps' pages that come from here: the activity feed on an initiative's and a standard's
page, and what is new on "my overview". Each costs a fixed number of queries, however much happened."""

from typing import Any

from django.http import HttpRequest

from initiatives.models import Initiative
from standards.models import Standard

from .selectors import activity_page, initiative_activity, notification_newest_unread, standard_activity


def initiative_section(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What templates/notifications/_activity_feed.html needs on the initiative page (two queries)."""
    return activity_page(request, initiative_activity(request.user, initiative))


def standard_section(request: HttpRequest, standard: Standard) -> dict[str, Any]:
    """What templates/notifications/_activity_feed.html needs on a standard's page (two queries)."""
    return activity_page(request, standard_activity(request.user, standard))


def overview_section(request: HttpRequest) -> dict[str, Any]:
    """What templates/notifications/_overview.html needs on "my overview" (one query; the unread count
    comes from the header's)."""
    return {"newest_notifications": notification_newest_unread(request.user)}  # type: ignore[arg-type]
