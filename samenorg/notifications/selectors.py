"""What the in-app side reads: a person's inbox and unread count, and the activity feeds of an initiative and
a standard. Every page costs a fixed number of queries: events come with ``DESCRIBED_RELATIONS`` selected,
so saying them in words reads nothing more.

The inbox lists what a person was told. The fan-out checked that they could see the subject when it told
them; the inbox, like a mailbox, does not take that back, and the subject's own page checks again when
they follow the link. The feeds are public pages, so they start from ``Event.objects.visible_to``."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest

from initiatives.models import Initiative
from samenorg.accounts.models import User
from samenorg.core.pagination import paginate
from samenorg.events.describe import DESCRIBED_RELATIONS, Description, describe
from samenorg.events.models import Event
from standards.models import Standard

from .models import Notification

INBOX_PER_PAGE = 25
FEED_PER_PAGE = 10
OVERVIEW_NEWEST = 5
FEED_PAGE_PARAMETER = "activiteit"


@dataclass(frozen=True)
class InboxEntry:
    notification: Notification
    description: Description

    @property
    def is_unread(self) -> bool:
        return self.notification.read_at is None


@dataclass(frozen=True)
class FeedEntry:
    event: Event
    description: Description


def user_notifications(user: User) -> QuerySet[Notification]:
    """``user``'s notifications, newest first (the ``notification_inbox`` index), each with its event ready
    to describe."""
    return (
        Notification.objects.filter(user=user)
        .select_related(*(f"event__{relation}" for relation in DESCRIBED_RELATIONS))
        .order_by("-created_at", "-id")
    )


def notification_unread_count(user: User | AnonymousUser) -> int:
    """How many of ``user``'s notifications are unread: one count on the ``notification_unread`` partial
    index; nothing at all for an anonymous visitor."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_inbox_page(request: HttpRequest, user: User) -> dict[str, Any]:
    """One page of ``user``'s inbox, described in the active language: two queries (count and rows)."""
    context = paginate(request, user_notifications(user), INBOX_PER_PAGE)
    context["entries"] = _inbox_entries(context["page_obj"])  # type: ignore[arg-type]
    return context


def notification_newest_unread(user: User, limit: int = OVERVIEW_NEWEST) -> list[InboxEntry]:
    """The newest unread notifications, for "my overview": one query."""
    return _inbox_entries(user_notifications(user).filter(read_at__isnull=True)[:limit])


def initiative_activity(user: User | AnonymousUser, initiative: Initiative) -> QuerySet[Event]:
    """What happened in ``initiative`` that ``user`` may see, newest first."""
    return _feed(user).filter(initiative=initiative)


def standard_activity(user: User | AnonymousUser, standard: Standard) -> QuerySet[Event]:
    """What happened to ``standard`` that ``user`` may see, newest first."""
    return _feed(user).filter(standard=standard)


def activity_page(request: HttpRequest, events: QuerySet[Event]) -> dict[str, Any]:
    """One page of an activity feed, described: two queries (count and rows). Its page number has its own
    parameter, so the feed pages apart from the comments on the same page."""
    context = paginate(request, events, FEED_PER_PAGE, parameter=FEED_PAGE_PARAMETER)
    page = context.pop("page_obj")
    return {
        "activity_page": page,
        "activity": [FeedEntry(event, describe(event)) for event in page],  # type: ignore[attr-defined]
        "activity_page_parameter": FEED_PAGE_PARAMETER,
    }


def _feed(user: User | AnonymousUser) -> QuerySet[Event]:
    return (
        Event.objects.visible_to(user)  # type: ignore[arg-type]
        .select_related(*DESCRIBED_RELATIONS)
        .order_by("-occurred_at", "-id")
    )


def _inbox_entries(notifications: Iterable[Notification]) -> list[InboxEntry]:
    return [InboxEntry(notification, describe(notification.event)) for notification in notifications]
