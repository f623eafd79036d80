"""The OpenAPI document at /api/v1/openapi.json: anonymous, with CORS (CORS_URLS_REGEX), generated
once per language and process (it changes only with the code)."""

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.throttling import AnonymousThrottle

_documents: dict[str, dict[str, Any]] = {}


def openapi_document() -> dict[str, Any]:
    """The document for the active language, without a request (the servers come from the settings)."""
    language = get_language() or "nl"
    if language not in _documents:
        generator = SchemaGenerator(urlconf=spectacular_settings.SERVE_URLCONF, api_version=None)
        _documents[language] = generator.get_schema(request=None, public=True)
    return _documents[language]


@extend_schema(exclude=True)
class OpenApiDocument(SpectacularJSONAPIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]
    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(openapi_document(), headers={"Content-Disposition": 'inline; filename="openapi.json"'})
