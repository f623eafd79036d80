import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English source strings, whatever Dutch translations the .po file gains."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
