"""The OpenAPI document, completed to the Dutch API Design Rules: the API-Version header on every
success, problem+json for every error an operation can give (400 for invalid input on every write
and every read with parameters), and the two ways to authenticate."""

from typing import Any

from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from api.authentication import API_KEY_HEADER
from api.problems import PROBLEM_CONTENT_TYPE

WRITE_METHODS = {"post", "put", "patch", "delete"}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: see invalidParams.",
    "401": "The API key is unknown or revoked, or a write without a key or login.",
    "403": "Not allowed: a key that may only read, another organisation's resource, or a rule of the platform.",
    "404": "Not found, or not visible to you.",
    "406": "Only application/json is offered.",
    "415": "Send application/json.",
    "429": "Too many requests; wait for Retry-After seconds.",
}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "A problem (RFC 9457).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "The kind of problem, documented at this URI."},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path of the request."},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {
                    "name": {"type": "string", "description": "The field or parameter, e.g. title or links[0].url."},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}


class AutoSchema(openapi.AutoSchema):
    """Error responses are added by ``add_design_rules``, for every operation alike."""


class BrowserSessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BrowserSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "Your session on the site, in the browser; writes need the CSRF token (X-CSRFToken).",
        }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": API_KEY_HEADER,
            "description": "Your organisation's key; coordinators make them on the organisation's page.",
        }


def _error(code: str) -> dict[str, Any]:
    return {
        "description": ERROR_DESCRIPTIONS[code],
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def add_design_rules(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components.setdefault("headers", {})["API-Version"] = {
        "description": "The full version of the API that answered (semantic versioning).",
        "schema": {"type": "string", "example": settings.SAMENORG_API_VERSION},
    }
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", *WRITE_METHODS}:
                continue
            write = method in WRITE_METHODS
            parameters = operation.get("parameters", [])
            responses = operation["responses"]
            for code, response in responses.items():
                if code.startswith(("2", "3")):
                    response.setdefault("headers", {})["API-Version"] = {"$ref": "#/components/headers/API-Version"}
            codes = ["401", "406", "429"]
            if write or parameters:
                codes.append("400")
            if write:
                codes += ["403", "415"]
            if write or any(parameter["in"] == "path" for parameter in parameters):
                codes.append("404")
            for code in codes:
                responses[code] = _error(code)
            operation["responses"] = dict(sorted(responses.items()))
            schemes = [{"apiKey": []}, {"cookieAuth": []}]
            operation["security"] = schemes if write else [*schemes, {}]
    return result
