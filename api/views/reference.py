"""The API's reference page, rendered on the server from the OpenAPI document: no scripts, so it works
under the site's strict Content Security Policy. Every list can be tried with a plain form."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from api.problems import PROBLEM_TITLES
from api.views.openapi import openapi_document

API_ROOT = "/api/v1"
METHODS = ("get", "post", "patch", "put", "delete")


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    reference = schema.get("$ref")
    if reference:
        return _resolve(document, document["components"]["schemas"][reference.rsplit("/", 1)[-1]])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(document, schema["allOf"][0])
    return schema


def _type_of(document: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _resolve(document, schema)
    if schema.get("enum"):
        return " | ".join(str(value) for value in schema["enum"] if value not in ("", None))
    if schema.get("type") == "array":
        return f"[{_type_of(document, schema.get('items', {}))}]"
    return schema.get("format") or schema.get("type") or "object"


def _fields(document: dict[str, Any], schema: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not schema:
        return []
    schema = _resolve(document, schema)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _type_of(document, field),
            "required": name in required,
            "description": _resolve(document, field).get("description", "") or field.get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = operation.get("parameters", [])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            success = next((code for code in operation["responses"] if code.startswith("2")), "")
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "url": API_ROOT + path,
                    "tag": (operation.get("tags") or ["api"])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "path_parameters": [p for p in parameters if p["in"] == "path"],
                    "query_parameters": [
                        {**p, "type": _type_of(document, p.get("schema", {}))} for p in parameters if p["in"] == "query"
                    ],
                    "body": _fields(document, body),
                    "statuses": sorted(operation["responses"]),
                    "success_fields": _fields(
                        document,
                        operation["responses"]
                        .get(success, {})
                        .get("content", {})
                        .get("application/json", {})
                        .get("schema"),
                    ),
                    "needs_write": method != "get",
                }
            )
    return operations


@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    document = openapi_document()
    operations = _operations(document)
    tags: dict[str, list[dict[str, Any]]] = {}
    for operation in operations:
        tags.setdefault(operation["tag"], []).append(operation)
    context = {
        "info": document["info"],
        "tags": tags,
        "problems": [{"status": code, "slug": slug, "title": title} for code, (slug, title) in PROBLEM_TITLES.items()],
        "api_version": settings.SAMENORG_API_VERSION,
    }
    return render(request, "api/reference.html", context)
