import os

import pytest
from django.core.cache import cache

# Under SAMENORG_REQUIRE_ALL=1 (CI) tests that need a browser or services must run, never skip.
REQUIRE_ALL = os.environ.get("SAMENORG_REQUIRE_ALL") == "1"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits count in the cache: each test starts with none used."""
    cache.clear()
