"""Rate limits on Django's cache (Redis in production, shared by all web processes): per API key, per
logged-in person, and per address for anonymous callers (lower). Over the limit: 429 with
Retry-After. The rates are read per request, so settings can change them (``REST_FRAMEWORK``).

Each limit counts requests in fixed windows (a minute for "1200/min") with one atomic increment per
request, whatever the rate: DRF's own throttles keep a list of every request's time in the window and
rewrite it on each request, which costs more the higher the limit. A fixed window lets a caller send up
to twice the rate around a window's edge; that is the price of a constant cost."""

import functools
import time
from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from api.models import ApiKey
from samenorg.core.cache import UNAVAILABLE, warn_unavailable

if TYPE_CHECKING:
    from rest_framework.views import APIView

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/min"`` → (120, 60): requests per period of seconds."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


def count_request(key: str, *, expires: int) -> int:
    """Count one more request under ``key``; returns the count. On Redis one round trip (INCR and EXPIRE
    in a pipeline; Django's ``incr`` asks whether the key exists first); on other caches incr or add."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        name = backend.make_and_validate_key(key)
        pipeline = _writing_client(backend).pipeline()
        pipeline.incr(name)
        pipeline.expire(name, expires, nx=True)
        try:
            return int(pipeline.execute()[0])
        except UNAVAILABLE as error:  # Redis is down: the throttles fail open, as samenorg.core.cache explains
            warn_unavailable(error)
            return 0
    try:
        return backend.incr(key)
    except ValueError:  # the window's first request
        return 1 if backend.add(key, 1, timeout=expires) else backend.incr(key)


@functools.lru_cache(maxsize=8)
def _writing_client(backend: RedisCache) -> Any:
    """The Redis client for writes of ``backend``, made once: Django makes one per call (a good part of
    a counted request's time); they all share the backend's connection pool."""
    return backend._cache.get_client(None, write=True)


class _WindowThrottle(BaseThrottle):
    scope = ""

    def ident_of(self, request: Request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: "APIView") -> bool:
        ident = self.ident_of(request)
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if ident is None or not rate:
            return True
        limit, period = parse_rate(str(rate))
        now = time.time()
        window = int(now // period)
        self.seconds_left = (window + 1) * period - now
        return count_request(f"api:rate:{self.scope}:{ident}:{window}", expires=period + 1) <= limit

    def wait(self) -> float:
        return self.seconds_left


class ApiKeyThrottle(_WindowThrottle):
    scope = "apiKey"

    def ident_of(self, request: Request) -> str | None:
        return str(request.auth.pk) if isinstance(request.auth, ApiKey) else None


class SessionUserThrottle(_WindowThrottle):
    scope = "user"

    def ident_of(self, request: Request) -> str | None:
        if isinstance(request.auth, ApiKey) or not request.user.is_authenticated:
            return None
        return str(request.user.pk)


class AnonymousThrottle(_WindowThrottle):
    scope = "anonymous"

    def ident_of(self, request: Request) -> str | None:
        if isinstance(request.auth, ApiKey) or request.user.is_authenticated:
            return None
        return self.get_ident(request)
