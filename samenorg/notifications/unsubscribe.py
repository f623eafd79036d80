"""One-click unsubscribe (RFC 8058): a signed token in every notification e-mail and digest names the
person and what to stop, so a mail client (or the person, on a page) stops it without logging in.

What a token stops:
- a subject (an initiative, theme, municipality or standard they follow): that follow is set to ``off``
  (``follow_set_frequency``). For an initiative followed through an organisation the ``off`` row is the
  opt-out; a role-based notification about a silenced subject stays in the inbox (``recipients``);
- a frequency (the daily or weekly digest, or "immediately"): every follow at that frequency is set to
  ``off``, and so is the default ``User.follow_frequency`` when it is that frequency (it is the frequency
  of what they follow through their organisations and of what reaches them by role).

Tokens do not expire: an e-mail may be read months later, and a token can only ever silence. They are
salted, so no other signed value of the platform passes for one.
"""

from contextlib import suppress
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse

from collaboration.models import Follow
from collaboration.models.follow import TARGETS
from collaboration.selectors_follow import Target, kind_of, participating_organisations
from collaboration.services.follow import follow_set_frequency
from initiatives.models import Initiative
from samenorg.accounts.models import Frequency, User
from samenorg.events.models import Event

from .services import notification_default_frequency_set

SALT = "samenorg.notifications.unsubscribe"
# The follow settings page ("notifications:settings"); one constant for the e-mails and the pages.
SETTINGS_PATH = "/instellingen/meldingen"
STOPPABLE_FREQUENCIES = (Frequency.IMMEDIATELY, Frequency.DAILY, Frequency.WEEKLY)


class InvalidToken(Exception):  # noqa: N818 (a token is invalid, not an error of ours)
    """The token was not made by the platform, was altered, or names what no longer exists."""


@dataclass(frozen=True)
class Unsubscription:
    """What a token stops: a subject or a frequency, for one user."""

    user: User
    target: Target | None = None
    frequency: str | None = None


def unsubscribe_token(user: User, *, target: Target | None = None, frequency: str | None = None) -> str:
    if (target is None) == (frequency is None):
        raise ValueError("An unsubscribe token names a subject or a frequency, not both or neither.")
    payload: dict[str, Any] = {"u": user.pk}
    if target is not None:
        payload["k"], payload["t"] = kind_of(target), target.pk
    else:
        if frequency not in STOPPABLE_FREQUENCIES:
            raise ValueError(f"Nothing to stop at frequency {frequency!r}.")
        payload["f"] = frequency
    return signing.dumps(payload, salt=SALT, compress=True)


def unsubscribe_url(user: User, *, target: Target | None = None, frequency: str | None = None) -> str:
    token = unsubscribe_token(user, target=target, frequency=frequency)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def list_unsubscribe_headers(user: User, *, target: Target | None = None, frequency: str | None = None) -> dict:
    """The headers of RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and POST to the URL."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, target=target, frequency=frequency)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_token(token: str) -> Unsubscription:
    """What ``token`` stops; ``InvalidToken`` when it is not the platform's, or its user or subject is gone."""
    try:
        payload = signing.loads(token, salt=SALT)
        user = User.objects.get(pk=payload["u"], is_active=True)
        if "f" in payload:
            if payload["f"] not in STOPPABLE_FREQUENCIES:
                raise InvalidToken(token)
            return Unsubscription(user=user, frequency=payload["f"])
        kind = payload["k"]
        if kind not in TARGETS:
            raise InvalidToken(token)
        model = cast(type[Model], Follow._meta.get_field(kind).related_model)
        return Unsubscription(user=user, target=cast(Target, model._default_manager.get(pk=payload["t"])))
    except (signing.BadSignature, KeyError, TypeError, ValueError, ObjectDoesNotExist) as error:
        raise InvalidToken(token) from error


@transaction.atomic
def unsubscribe(*, user: User, target: Target | None = None, frequency: str | None = None) -> None:
    """Stop what a token names (see the module). Safe to repeat: what is off stays off."""
    if target is not None:
        with suppress(ValidationError):  # they follow it no longer (the follow is gone): nothing left to stop
            follow_set_frequency(user=user, target=target, frequency=Frequency.OFF)
        return
    for follow in Follow.objects.filter(user=user, frequency=frequency).select_related(*TARGETS):
        follow_set_frequency(user=user, target=cast(Target, follow.target), frequency=Frequency.OFF)
    if user.follow_frequency == frequency:
        notification_default_frequency_set(user=user, frequency=Frequency.OFF)


def immediate_stream(user: User, event: Event) -> Unsubscription:
    """What an immediate e-mail about ``event`` belongs to, for its unsubscribe link: the follow of the
    subject where one can be set to ``off`` (a row of their own, or an initiative followed through their
    organisation), else the theme or municipality followed immediately that brought it, else (a duty by
    role, at their default frequency) "everything immediately"."""
    subject: Target | None = event.initiative if event.initiative_id is not None else event.standard
    if subject is None:
        return Unsubscription(user=user, frequency=Frequency.IMMEDIATELY)
    kind = kind_of(subject)
    if Follow.objects.filter(user=user, **{kind: subject}).exists():
        return Unsubscription(user=user, target=subject)
    if isinstance(subject, Initiative):
        if participating_organisations(subject).filter(memberships__user=user).exists():
            return Unsubscription(user=user, target=subject)
        through = (
            Follow.objects.filter(user=user, frequency=Frequency.IMMEDIATELY)
            .filter(theme__initiatives=subject)
            .select_related("theme")
            .first()
        ) or (
            Follow.objects.filter(user=user, frequency=Frequency.IMMEDIATELY)
            .filter(municipality__organisation__initiatives=subject)
            .select_related("municipality")
            .first()
        )
        if through is not None:
            return Unsubscription(user=user, target=cast(Target, through.target))
    return Unsubscription(user=user, frequency=Frequency.IMMEDIATELY)
