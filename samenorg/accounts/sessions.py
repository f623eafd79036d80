"""The places a person is logged in (allauth.usersessions), and ending one of them."""

from allauth.usersessions.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.db.models import QuerySet
from django.http import HttpRequest


def other_sessions(request: HttpRequest) -> QuerySet[UserSession]:
    """The logged-in person's sessions elsewhere: every one but this request's."""
    return UserSession.objects.filter(user_id=request.user.pk).exclude(session_key=request.session.session_key)


def session_end(session: UserSession) -> None:
    """Log that session out: its next request finds no session (allauth deletes it from the store)."""
    get_adapter().end_sessions([session])
