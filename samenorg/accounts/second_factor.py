"""The second factor (allauth.mfa): who must use it, and whether this session was completed with it.

The admin asks it of everyone it lets in (staff, facilitators, superusers): an authenticator app, and
a session in which the person gave one of its codes (or a recovery code), at login or afterwards.
allauth keeps the steps of each login in the session; a code shows there as the method "mfa".
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .models import User


def must_use_second_factor(user: User) -> bool:
    """Whoever may work in the admin: staff, facilitators and superusers."""
    return user.is_active and (user.is_staff or user.is_superuser or user.is_facilitator)


def has_authenticator_app(user: AbstractBaseUser | AnonymousUser) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def session_has_second_factor(request: HttpRequest) -> bool:
    """The logged-in person has an authenticator app, and gave a code of it in this session.
    Asked several times for one admin page: answered once per request."""
    if not hasattr(request, "_session_has_second_factor"):
        user = request.user
        records = get_authentication_records(request, user) if user.is_authenticated else []
        gave_code = any(record.get("method") == "mfa" for record in records)
        request._session_has_second_factor = gave_code and has_authenticator_app(user)  # type: ignore[attr-defined]
    return request._session_has_second_factor  # type: ignore[attr-defined]
