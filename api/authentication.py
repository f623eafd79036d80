"""Who calls the API: a partner system with its organisation's key in the ``X-Api-Key`` header, or a
person logged in to the site (the browser's session, with CSRF protection on writes). Nobody else
is authenticated; anonymous callers read what is public."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import ApiKey
from api.services import api_key_record_use

API_KEY_HEADER = "X-Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``X-Api-Key: sok_...``: the key's organisation acts, within the key's scope. An unknown or
    revoked key is refused (401), never treated as anonymous."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiKey] | None:
        secret = request.headers.get(API_KEY_HEADER)
        if secret is None:
            return None
        try:  # get, not first(): no ORDER BY (the model's ordering joins the organisation) for a unique hash
            api_key = ApiKey.objects.select_related("organisation").get(key_hash=ApiKey.hash(secret.strip()))
        except ApiKey.DoesNotExist:
            api_key = None
        if api_key is None or not api_key.is_live:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or has been revoked."))
        api_key_record_use(api_key)
        return AnonymousUser(), api_key

    def authenticate_header(self, request: Request) -> str:
        return f'ApiKey header="{API_KEY_HEADER}"'


class BrowserSessionAuthentication(authentication.SessionAuthentication):
    """The logged-in person's session, as on the site's pages; writes need the CSRF token."""
