"""Errors of the API as ``application/problem+json`` (RFC 9457), one format for every failure.

``exception_handler`` (DRF's EXCEPTION_HANDLER) turns exceptions raised in API views into problems,
including the services' ``PermissionDenied`` and ``ValidationError``: their field names (model
fields, snake_case) become the API's lowerCamelCase names in ``invalidParams``; an abuse limit's
``RateLimitedError`` becomes 429 with Retry-After, as DRF's throttles do.
``ApiResponseMiddleware`` catches what happens outside a view (an unknown URL, a server error)."""

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

from samenorg.core.ratelimits import RateLimitedError

PROBLEM_CONTENT_TYPE = "application/problem+json"

# The kinds of problem, each documented on the reference page under its anchor (``type``).
PROBLEM_TITLES = {
    400: ("invalid-input", gettext_lazy("Invalid input")),
    401: ("not-authenticated", gettext_lazy("Not authenticated")),
    403: ("forbidden", gettext_lazy("Not allowed")),
    404: ("not-found", gettext_lazy("Not found")),
    405: ("method-not-allowed", gettext_lazy("Method not allowed")),
    406: ("not-acceptable", gettext_lazy("Not acceptable")),
    415: ("unsupported-media-type", gettext_lazy("Unsupported media type")),
    429: ("too-many-requests", gettext_lazy("Too many requests")),
    500: ("server-error", gettext_lazy("Server error")),
}


def problem_type(status: int) -> str:
    slug = PROBLEM_TITLES.get(status, PROBLEM_TITLES[500])[0]
    return f"{settings.SITE_URL}/api/v1/docs#problem-{slug}"


def problem(status: int, detail: str, *, instance: str = "", invalid: list[dict[str, str]] | None = None) -> dict:
    """The body of a problem response."""
    _slug, title = PROBLEM_TITLES.get(status, (None, gettext_lazy("Error")))
    body: dict[str, Any] = {"type": problem_type(status), "title": str(title), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if invalid:
        body["invalidParams"] = invalid
    return body


def problem_response(status: int, detail: str, *, instance: str = "") -> HttpResponse:
    """A problem outside DRF's views (the middleware's fallback)."""
    return JsonResponse(problem(status, detail, instance=instance), status=status, content_type=PROBLEM_CONTENT_TYPE)


def camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _invalid_params(errors: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error structure as a flat list of ``{name, code, reason}``."""
    if isinstance(errors, dict):
        params = []
        for key, value in errors.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS):
                params += _invalid_params(value, prefix)
            elif isinstance(key, int) or str(key).isdigit():  # an item of a list: links[0]
                params += _invalid_params(value, f"{prefix}[{key}]")
            else:
                name = camel_case(str(key))
                params += _invalid_params(value, f"{prefix}.{name}" if prefix else name)
        return params
    if isinstance(errors, list):
        params = []
        for index, value in enumerate(errors):
            if isinstance(value, dict | list):
                params += _invalid_params(value, f"{prefix}[{index}]")
            else:
                params += _invalid_params(value, prefix)
        return params
    code = getattr(errors, "code", "invalid") or "invalid"
    return [{"name": prefix or "body", "code": str(code), "reason": str(errors)}]


class _AbuseLimited(exceptions.Throttled):
    """An abuse limit's refusal, in its own words (which say when to try again), and its wait."""

    wait: int

    def __init__(self, error: RateLimitedError) -> None:
        super().__init__(detail=" ".join(error.messages))
        self.wait = error.retry_after


def _from_django(exc: Exception) -> Exception:
    """The services' and Django's exceptions as DRF's, keeping their messages."""
    if isinstance(exc, Http404):
        return exceptions.NotFound(_("There is nothing here, or you may not see it."))
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, RateLimitedError):  # a ValidationError for the pages; 429 here, with Retry-After
        return _AbuseLimited(exc)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {field: [m for error in errors for m in error.messages] for field, errors in exc.error_dict.items()}
            )
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _from_django(exc)
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django logs it, the middleware answers with a problem
    request = context.get("request")
    instance = request.path if request is not None else ""
    headers: dict[str, str] = {}
    wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
    if wait is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    if isinstance(exc, exceptions.ValidationError):
        invalid = _invalid_params(exc.detail)
        reasons = [param["reason"] for param in invalid if param["name"] == "body"]
        detail = " ".join(reasons) or _("Some of what you sent is not valid; see invalidParams.")
        body = problem(400, detail, instance=instance, invalid=[p for p in invalid if p["name"] != "body"] or None)
    else:
        body = problem(exc.status_code, _detail_text(exc), instance=instance)
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _detail_text(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(str(item) for item in detail.values())
    return str(detail)
