"""Django's Redis cache, made to behave as an empty cache while Redis does not answer.

The cache only saves work, so an outage of Redis must not become an outage of the site: Django's
``RedisCache`` raises on every call while Redis is down, which would turn every page that reads the cache
(the initiative list, the adoption maps) and every rate-limited request into a server error. Here a call
that cannot reach Redis answers as an empty cache that keeps nothing: ``get`` returns the default,
``add`` reports the value stored, ``incr`` finds no key, writes and deletes do nothing.

For the rate limits on the cache this means they fail open for as long as Redis is down (allauth's login
and signup limits, django-ratelimit's write limits with ``RATELIMIT_FAIL_OPEN``, the API's throttles):
refusing every limited write and every API request would take the platform down with the cache, and what
guards matter most still holds, because it is in the database (the account lock-out of django-axes, the
comment flood guard). One-time codes of the second factor are then not remembered as used, so within its
30 seconds a code could be used twice: it still has to be valid, and the password comes first.

Only the errors of an unreachable server degrade (``UNAVAILABLE``); any other error still raises. Each
process logs the outage at most once a minute (``warn_unavailable``). Redis answers in milliseconds, so
``OPTIONS`` in ``CACHES`` bound a connection attempt and a reply to a second: a server that stopped
answering without closing its connections costs a request a second per call, not a hang."""

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError)  # BusyLoadingError (starting up) is a ConnectionError
WARN_EVERY = 60.0  # seconds between two warnings of one process
_last_warning = [float("-inf")]

T = TypeVar("T")


def warn_unavailable(error: Exception) -> None:
    """Log that Redis does not answer, at most once every ``WARN_EVERY`` seconds per process."""
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY:
        _last_warning[0] = now
        logger.warning("Redis does not answer (%s); the cache serves nothing until it does.", error)


def _or(fallback: Callable[[], T], call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return call(*args, **kwargs)
    except UNAVAILABLE as error:
        warn_unavailable(error)
        return fallback()


def _key_not_found() -> Any:
    raise ValueError("Key not found: the cache does not answer")  # what an empty cache's incr raises


class DegradingRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that answers as an empty cache while Redis is down."""

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return _or(lambda: True, super().add, key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return _or(lambda: default, super().get, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        _or(lambda: None, super().set, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return _or(lambda: False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return _or(lambda: False, super().delete, key, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return _or(dict, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return _or(lambda: False, super().has_key, key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return _or(_key_not_found, super().incr, key, delta, version)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return _or(list, super().set_many, data, timeout, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        _or(lambda: None, super().delete_many, keys, version)

    def clear(self) -> None:
        _or(lambda: None, super().clear)
