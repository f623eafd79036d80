from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from initiatives.models import Initiative

urlpatterns: list[URLPattern] = []


def initiative_section(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What templates/collaboration/_follow.html needs on the initiative page (a fixed number of queries)."""
    return {}


def overview_section(request: HttpRequest) -> dict[str, Any]:
    """What templates/collaboration/_overview_follow.html needs on "my overview"."""
    return {}


def municipality_section(request: HttpRequest, municipality: Any, organisation: Any) -> dict[str, Any]:
    """What templates/collaboration/_municipality_follow.html needs on a municipality's page."""
    return {}
