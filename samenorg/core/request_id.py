"""The request id, and one log line and the metrics of every request.

A request keeps the ``X-Request-ID`` its proxy or caller sent when that is a sane token (at most 64 of
``A-Z a-z 0-9 . _ -``), or gets a new one; every response carries it back, and every log line written
while the request runs names it, so one request can be followed through the logs of every service."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from samenorg.core import metrics
from samenorg.core.logging import route_of

HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
NO_REQUEST = "-"
current_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)
logger = logging.getLogger("samenorg.requests")


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def user_of(request: HttpRequest) -> int | str:
    """The id of the person, ``anonymous``, or ``-`` when the request never looked its user up: the log line
    costs no query."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return NO_REQUEST
    return user.pk if user.is_authenticated else "anonymous"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class RequestMiddleware:
    """First in MIDDLEWARE, so that it sees every response, also those of the middleware after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        reset = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[HEADER] = request_id
            route = route_of(request)
            method = metrics.method_label(request.method or "")
            metrics.observe_request(method, response.status_code, route, seconds)
            logger.info(
                "%s %s %s",
                method,
                route,
                response.status_code,
                extra={
                    "method": method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user": user_of(request),
                },
            )
            return response
        finally:
            current_request_id.reset(reset)
