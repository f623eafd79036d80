import os

import pytest

REQUIRE_ALL = os.environ.get("SAMENORG_REQUIRE_ALL") == "1"


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    """Every test starts in Dutch, the platform's default language."""
    settings.LANGUAGE_CODE = "nl"
