"""Every response under /api/ carries the API-Version header, and every error there is problem+json.

Errors raised in the API's views are problems already (``api.problems.exception_handler``); this
catches the rest: a URL that matches nothing (a trailing slash included: the API has no
redirects), a server error, and Django's own refusals (e.g. a request that is too large)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from api.problems import PROBLEM_CONTENT_TYPE, problem_response

API_PREFIX = "/api/"
FALLBACK_DETAILS = {
    404: lambda: _("There is nothing here. Paths in this API have no trailing slash."),
    500: lambda: _("Something went wrong on our side; it has been logged. Try again later."),
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            detail = FALLBACK_DETAILS.get(response.status_code, lambda: _("The request could not be handled."))()
            replacement = problem_response(response.status_code, detail, instance=request.path)
            for header in KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            response = replacement
        response["API-Version"] = settings.SAMENORG_API_VERSION
        return response
