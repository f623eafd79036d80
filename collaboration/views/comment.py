from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from initiatives.models import Initiative

urlpatterns: list[URLPattern] = []


def initiative_section(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What templates/collaboration/_comment.html needs on the initiative page (a fixed number of queries)."""
    return {}
