"""Who calls the API: a partner system with its organisation's key in the ``X-Api-Key`` header, or a
person logged in to the site (the browser's session, with CSRF protection on writes). Nobody else
is authenticated; anonymous callers read what is public."""

import functools

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import ApiKey
from api.prepared import PreparedQuery
from api.services import api_key_record_use
from municipalities.models import Organisation

API_KEY_HEADER = "X-Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``X-Api-Key: sok_...``: the key's organisation acts, within the key's scope. An unknown or
    revoked key is refused (401), never treated as anonymous."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiKey] | None:
        secret = request.headers.get(API_KEY_HEADER)
        if secret is None:
            return None
        api_key = key_by_hash(ApiKey.hash(secret.strip()))
        if api_key is None or not api_key.is_live:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or has been revoked."))
        api_key_record_use(api_key)
        return AnonymousUser(), api_key

    def authenticate_header(self, request: Request) -> str:
        return f'ApiKey header="{API_KEY_HEADER}"'


KEY_FIELDS = tuple(field.attname for field in ApiKey._meta.concrete_fields)
ORGANISATION_FIELDS = tuple(field.attname for field in Organisation._meta.concrete_fields)
HASH_STAND_IN = "stand-in for a key hash"


@functools.cache
def _key_lookup() -> PreparedQuery:
    """The key with its organisation by the hash, compiled once: every keyed request asks it."""
    columns = (*KEY_FIELDS, *(f"organisation__{name}" for name in ORGANISATION_FIELDS))
    return PreparedQuery.of(
        ApiKey.objects.filter(key_hash=HASH_STAND_IN).order_by().values(*columns), stand_in=HASH_STAND_IN
    )


def key_by_hash(key_hash: str) -> ApiKey | None:
    """The key whose hash is ``key_hash``, its organisation loaded with it (one query), or None."""
    lookup = _key_lookup()
    rows = lookup.rows(key_hash)
    if not rows:
        return None
    values = list(rows[0].values())
    api_key = ApiKey.from_db(lookup.using, KEY_FIELDS, values[: len(KEY_FIELDS)])
    api_key.organisation = Organisation.from_db(lookup.using, ORGANISATION_FIELDS, values[len(KEY_FIELDS) :])
    return api_key


class BrowserSessionAuthentication(authentication.SessionAuthentication):
    """The logged-in person's session, as on the site's pages; writes need the CSRF token."""
