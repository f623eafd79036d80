import os

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
