"""Which account a login attempt is for, as django-axes counts failures per account and address."""

from typing import Any

from django.http import HttpRequest

# allauth passes the address as ``email``, the admin login as ``username``; forms post ``login``.
_CREDENTIAL_KEYS = ("email", "username", "login")


def attempted_account(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The e-mail address tried, normalised so that a change of case does not reset the count."""
    sources = [credentials or {}, getattr(request, "POST", {})]
    for source in sources:
        for key in _CREDENTIAL_KEYS:
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
