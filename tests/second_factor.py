"""Logging in as someone who passed the second factor, for tests that are about what comes after it.

The admin asks facilitators and superusers for an authenticator code: tests of admin pages log in with
``log_in_with_second_factor``. The login flow itself (password, then code) is tested in
``tests/accounts``, through the real forms."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from samenorg.accounts.models import User


def activate_authenticator(user: User) -> Authenticator:
    """The user's authenticator app, as if they had set it up; an existing one is kept."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, generate_totp_secret()).instance


def log_in_with_second_factor(client: Client, user: User) -> None:
    """Log ``user`` in as after their password and an authenticator code."""
    authenticator = activate_authenticator(user)
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
    ]
    session.save()
