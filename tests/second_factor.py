"""Logging in as someone who passed the second factor, for tests that are about what comes after it.

The admin asks facilitators and superusers for an authenticator code: tests of admin pages log in with
``log_in_with_second_factor``. The login flow itself (password, then code) is tested in
``tests/accounts``, through the real forms."""

import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.http import HttpRequest
from django.test import Client

from samenorg.accounts.models import User


def activate_authenticator(user: User) -> Authenticator:
    """The user's authenticator app, as if they had set it up; an existing one is kept."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, generate_totp_secret()).instance


def totp_code(secret: str, periods_ahead: int = 0) -> str:
    """The code an authenticator app with ``secret`` shows now (or that many periods later)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD + periods_ahead))


def authenticator_code(authenticator: Authenticator) -> str:
    """The code the user's authenticator app shows now."""
    return totp_code(decrypt(authenticator.data["secret"]))


def log_in_with_second_factor(client: Client, user: User) -> None:
    """Log ``user`` in as after their password and an authenticator code: the session records both
    steps as allauth's login records them."""
    authenticator = activate_authenticator(user)
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
