"""Where each session was last seen (allauth.usersessions), written at most once per interval.

allauth's own middleware writes the session's row on every request of a logged-in person. allauth
writes it at every login (each goes through allauth: password, code, identity provider); this one then
writes it again when the last write is ``SEEN_INTERVAL`` old: exact enough for the sessions page,
without a database write per page.
"""

import time
from collections.abc import Callable
from typing import Any

from allauth.usersessions.models import UserSession
from django.http import HttpRequest, HttpResponse

SEEN_AT_SESSION_KEY = "samenorg_session_seen_at"
SEEN_INTERVAL = 5 * 60  # seconds


def mark_session_seen(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Django's ``user_logged_in``, which comes just before allauth's: allauth writes the session's row."""
    request.session[SEEN_AT_SESSION_KEY] = time.time()


class SessionActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.session_key:
            now = time.time()
            if now - request.session.get(SEEN_AT_SESSION_KEY, 0) >= SEEN_INTERVAL:
                UserSession.objects.create_from_request(request)
                request.session[SEEN_AT_SESSION_KEY] = now
        return self.get_response(request)
