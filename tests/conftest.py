import os
import time
import types

import pytest
from django.core.cache import cache

# Under SAMENORG_REQUIRE_ALL=1 (CI) tests that need a browser or services must run, never skip.
REQUIRE_ALL = os.environ.get("SAMENORG_REQUIRE_ALL") == "1"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits count in the cache: each test starts with none used."""
    cache.clear()


@pytest.fixture
def municipalities(db):
    """The 342 municipalities of the reference file, loaded as `make run` loads them."""
    from municipalities.services.reference_data import municipalities_load
    from municipalities.services.reference_files import DEFAULT_MUNICIPALITIES_FILE

    municipalities_load(municipalities_file=DEFAULT_MUNICIPALITIES_FILE, mergers_file=None, actor=None)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def advance(self, seconds: int) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    """The clock of the rate limits' counters, allauth's and django-ratelimit's (allauth's lock waits as usual)."""
    import allauth.core.internal.ratelimit
    import django_ratelimit.core

    moving = Clock()
    allauth_time = types.SimpleNamespace(time=lambda: moving.now, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(allauth.core.internal.ratelimit, "time", allauth_time)
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: moving.now))
    return moving
