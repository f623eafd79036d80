"""Pages of the login through an identity provider exist only when one is configured (oidc_config.py)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse


def oidc_is_configured() -> bool:
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS"))


def requires_oidc(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Not found without a provider: nothing about a login through one shows."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_is_configured():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
