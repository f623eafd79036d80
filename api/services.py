"""Writes for API keys: coordinators make and revoke their organisation's keys; each use is noted.

A key is ``sok_`` and 43 random URL-safe characters (256 bits). It is shown once, when it is made;
only its SHA-256 is stored, with its first characters in clear so people can tell keys apart."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiKey, ApiKeyScope
from municipalities.models import Membership, Organisation
from samenorg.accounts.models import User
from samenorg.core.ratelimits import rate_limit

KEY_PREFIX = "sok_"
SHOWN_PREFIX_LENGTH = 12  # "sok_" and eight random characters
USE_RECORDED_EVERY = timedelta(minutes=1)
MAX_NAME = ApiKey._meta.get_field("name").max_length or 100


def may_manage_keys(user: User, organisation: Organisation) -> bool:
    """Coordinators of the organisation (with an active account) manage its keys."""
    return (
        user.is_authenticated
        and Membership.objects.coordinators().filter(user=user, organisation=organisation).exists()
    )


def api_key_create(*, user: User, organisation: Organisation, name: str, scope: str) -> tuple[ApiKey, str]:
    """A new key for ``organisation``; returns it with the secret, which is not kept anywhere. One person
    makes at most the ``api_key_create`` rate of keys (``SAMENORG_RATE_LIMITS``)."""
    if not may_manage_keys(user, organisation):
        raise PermissionDenied(
            _("Only coordinators of %(organisation)s manage its API keys.") % {"organisation": organisation}
        )
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Name the system that will use the key.")})
    if len(name) > MAX_NAME:
        raise ValidationError({"name": _("Keep the name under %(max)d characters.") % {"max": MAX_NAME}})
    if scope not in ApiKeyScope.values:
        raise ValidationError({"scope": _("Choose what the key may do.")})
    secret = f"{KEY_PREFIX}{secrets.token_urlsafe(32)}"
    with rate_limit("api_key_create", user):
        api_key = ApiKey.objects.create(
            organisation=organisation,
            name=name,
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            key_hash=ApiKey.hash(secret),
            scope=scope,
            created_by=user,
        )
    return api_key, secret


@transaction.atomic
def api_key_revoke(*, user: User, api_key: ApiKey) -> ApiKey:
    """The key stops working at once, for good; it stays listed, as revoked."""
    api_key = ApiKey.objects.select_for_update().select_related("organisation").get(pk=api_key.pk)
    if not may_manage_keys(user, api_key.organisation):
        raise PermissionDenied(
            _("Only coordinators of %(organisation)s manage its API keys.") % {"organisation": api_key.organisation}
        )
    if api_key.revoked_at is not None:
        raise ValidationError(_("This key was revoked already."))
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    return api_key


def api_key_record_use(api_key: ApiKey) -> None:
    """Note when the key was last used, at most once a minute: no write at all while the time read with
    the key is recent, and one conditional UPDATE otherwise (a parallel request finds it done)."""
    now = timezone.now()
    if api_key.last_used_at is not None and api_key.last_used_at > now - USE_RECORDED_EVERY:
        return
    ApiKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_RECORDED_EVERY), pk=api_key.pk
    ).update(last_used_at=now)
    api_key.last_used_at = now
