"""While the database is unreachable, every request gets a quick, honest 503 instead of a server error.

PostgreSQL restarting, failing over or out of connections is an outage of the platform, not a fault in
it: the answer is 503 Service Unavailable with ``Retry-After``, a page that needs nothing (``503.html``,
plain HTML like ``500.html``) or, under /api/, a problem+json. Once the database answers again the same
processes serve as before: Django checks a kept connection before it reuses it (``CONN_HEALTH_CHECKS``)
and replaces a broken one, and ``connect_timeout`` keeps a request from waiting long on a server that
does not answer.

The database can fail anywhere in a request: in the view, and before it in the middleware that reads
the session or the user. Django turns an exception into a response in the layer where it happens, so a
middleware cannot catch them all; but every such exception is announced first by the signal
``got_request_exception``, inside its ``except`` block. ``mark_unavailable`` notes there whether the
exception was the database being unreachable, and ``DatabaseUnavailableMiddleware`` (placed before
everything that reads the database, and after the headers' and the API's middleware, so that those still
apply) replaces the server error of such a request with the 503. Django has logged the exception by then,
with its traceback: an outage stays visible in the logs."""

import sys
from collections.abc import Callable
from typing import Any

from django import db
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

RETRY_AFTER = 30  # seconds: about a restart of PostgreSQL
# SQLSTATEs of a server that cannot take the request: connection exceptions (class 08), too many
# connections, and a server shutting down, crashed or starting up (57P01-57P03).
UNAVAILABLE_STATES = ("08", "53300", "57P01", "57P02", "57P03")
MARK = "_samenorg_database_unavailable"


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` says the database cannot be reached, rather than that a query went wrong.

    An error of psycopg without a SQLSTATE is one of the client's own: it could not connect, or the
    connection broke. Django's ``InterfaceError`` is a connection it had already closed."""
    if isinstance(error, db.InterfaceError):
        return True
    if not isinstance(error, db.OperationalError):
        return False
    state = getattr(error.__cause__, "sqlstate", None)
    return state is None or state.startswith(UNAVAILABLE_STATES)


def mark_unavailable(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``got_request_exception``: remember on the request whether the database was unreachable."""
    if request is not None and is_database_unavailable(sys.exception()):
        setattr(request, MARK, True)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from api.problems import problem_response  # the API's own format; the API app loads after this one

        response = problem_response(
            503, _("The service is temporarily unavailable. Try again later."), instance=request.path
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(mark_unavailable, dispatch_uid=MARK)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, MARK, False):
            return unavailable_response(request)
        return response
