"""Log lines on stdout: JSON for a log collector, or plain text for a person at a terminal.

Which one: ``DJANGO_LOG_FORMAT`` (``json`` or ``plain``); without it JSON when DEBUG is off, plain text when it
is on. Every line of a request carries its request id (``samenorg.core.request_id``). No line names the raw
path of a request: paths can hold secrets (an unsubscribe token, an e-mail confirmation or password reset
key), so Django's own lines about a request name its URL pattern instead. Only these lines: the record itself
is left as it was for any other handler."""

import copy
import json
import logging
from datetime import UTC, datetime

from samenorg.env import ConfigurationError, env_str

# Attributes every record has; anything else on a record was passed in ``extra`` and goes into the JSON.
STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
JSON_VALUES = (str, int, float, bool, type(None))
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the extra fields, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        record = without_path(record)
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Only plain values: an object (such as Django's ``request``) would print its path.
        entry |= {
            key: value
            for key, value in record.__dict__.items()
            if key not in STANDARD_ATTRIBUTES and isinstance(value, JSON_VALUES)
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def log_format_from_environment() -> str:
    """``json``, ``plain``, or empty for the default that follows DEBUG."""
    choice = env_str("DJANGO_LOG_FORMAT")
    if choice not in {"", "json", "plain"}:
        raise ConfigurationError(f"DJANGO_LOG_FORMAT={choice!r} is not a log format; use json or plain.")
    return choice


def console_formatter(choice: str = "") -> logging.Formatter:
    """The formatter of the console handler (LOGGING in settings), made once the settings are complete, so the
    default follows the final DEBUG (production settings switch it off after base)."""
    from django.conf import settings

    if (choice or ("plain" if settings.DEBUG else "json")) == "json":
        return JsonFormatter()
    return PlainFormatter(PLAIN_FORMAT)


def route_of(request: object) -> str:
    """The URL pattern a request matched (``afmelden/<str:token>``; ``/`` for the home page), or ``unmatched``:
    never the path itself."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or "/"


def without_path(record: logging.LogRecord) -> logging.LogRecord:
    """Django logs refused and failed requests as ``<reason>: <path>`` with the request attached: a copy of such
    a record names the route instead, so a token in the path never reaches the log."""
    request = getattr(record, "request", None)
    path = getattr(request, "path", None)
    if not isinstance(path, str) or not isinstance(record.args, tuple):
        return record
    secret = {path, path.encode("unicode_escape").decode("ascii")}
    route = route_of(request)
    redacted = copy.copy(record)
    redacted.args = tuple(route if argument in secret else argument for argument in record.args)
    return redacted


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(without_path(record))
