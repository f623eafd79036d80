"""The unread count in the header: counted once, and only when a page shows it (an htmx fragment without
the header costs nothing), and never for an anonymous visitor."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    return {"unread_notifications": SimpleLazyObject(lambda: notification_unread_count(request.user))}
