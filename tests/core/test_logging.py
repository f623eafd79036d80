"""Log lines: JSON (or plain text), each with the request id; one line a request, by route, never by path."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.log import log_response

from samenorg.accounts.models import Frequency
from samenorg.core.logging import (
    PLAIN_FORMAT,
    JsonFormatter,
    PlainFormatter,
    console_formatter,
    log_format_from_environment,
)
from samenorg.core.request_id import RequestIdFilter
from samenorg.env import ConfigurationError
from samenorg.notifications.unsubscribe import unsubscribe_token
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def console():
    """The console handler LOGGING configured, writing JSON to a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters))
    buffer = io.StringIO()
    stream, formatter = handler.setStream(buffer), handler.formatter
    handler.setFormatter(console_formatter("json"))
    yield buffer
    handler.setStream(stream)
    handler.setFormatter(formatter)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def request_lines(buffer: io.StringIO) -> list[dict]:
    return [line for line in lines(buffer) if line["logger"] == "samenorg.requests"]


@pytest.mark.django_db
def test_each_request_writes_one_json_line_with_its_fields(client, console):
    user = UserFactory()
    client.force_login(user)

    client.get(reverse("home"), HTTP_X_REQUEST_ID="trace-7")

    [line] = request_lines(console)
    assert line["level"] == "INFO"
    assert line["request_id"] == "trace-7"
    assert line["method"] == "GET"
    assert line["route"] == "/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["user"] == user.pk
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_an_anonymous_request_and_an_unknown_path(client, console):
    client.get("/deze-pagina-bestaat-niet")
    client.get(reverse("privacy"))

    unknown, privacy = request_lines(console)
    assert (unknown["route"], unknown["status"], unknown["user"]) == ("unmatched", 404, "anonymous")
    assert (privacy["route"], privacy["status"]) == ("privacy", 200)


@pytest.mark.django_db
def test_every_line_written_during_a_request_carries_its_id(client, console):
    client.get("/deze-pagina-bestaat-niet", HTTP_X_REQUEST_ID="trace-8")
    logging.getLogger("samenorg.test").warning("outside any request")

    *during, after = lines(console)
    assert during
    assert {line["request_id"] for line in during} == {"trace-8"}
    assert after["request_id"] == "-"


@pytest.mark.django_db
def test_the_unsubscribe_token_never_reaches_the_log(client, console):
    token = unsubscribe_token(UserFactory(), frequency=Frequency.DAILY)
    forged = token[:-4] + "AAAA"

    client.get(reverse("notifications:unsubscribe", kwargs={"token": token}))
    client.post(reverse("notifications:unsubscribe", kwargs={"token": token}))
    client.get(reverse("notifications:unsubscribe", kwargs={"token": forged}))  # 400, which Django would log

    assert [line["status"] for line in request_lines(console)] == [200, 200, 400]
    assert {line["route"] for line in request_lines(console)} == {"afmelden/<str:token>"}
    assert token not in console.getvalue()
    assert forged not in console.getvalue()


@pytest.mark.django_db
def test_confirmation_and_password_reset_keys_never_reach_the_log(client, console):
    client.get(reverse("account_confirm_email", kwargs={"key": "geheime-bevestigingssleutel"}))
    client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "geheime-resetsleutel"}))

    assert len(request_lines(console)) == 2
    assert "geheime" not in console.getvalue()


@pytest.mark.django_db
def test_djangos_own_line_about_a_failed_request_names_the_route_not_the_path(console, caplog):
    path = reverse("notifications:unsubscribe", kwargs={"token": "geheim-token"})
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)

    log_response(
        "Internal Server Error: %s",
        path,
        response=HttpResponse(status=500),
        request=request,
        logger=logging.getLogger("django.request"),
    )

    [line] = lines(console)
    assert line["message"] == "Internal Server Error: afmelden/<str:token>"
    assert line["status_code"] == 500
    assert "geheim-token" not in console.getvalue()
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert PlainFormatter(PLAIN_FORMAT).format(record).endswith("Internal Server Error: afmelden/<str:token>")
    # The record itself is untouched, for other handlers (the tests' own).
    assert record.getMessage() == f"Internal Server Error: {path}"


def test_the_json_formatter_writes_the_traceback_and_no_objects():
    try:
        raise ValueError("kapot")
    except ValueError:
        record = logging.getLogger("samenorg.test").makeRecord(
            "samenorg.test",
            logging.ERROR,
            __file__,
            1,
            "failed %s",
            ("once",),
            sys.exc_info(),
            extra={"count": 3, "request": object()},
        )

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "failed once"
    assert line["count"] == 3
    assert "request" not in line
    assert "ValueError: kapot" in line["exception"]


def test_the_default_format_follows_debug(settings):
    settings.DEBUG = False
    assert isinstance(console_formatter(""), JsonFormatter)
    settings.DEBUG = True
    assert not isinstance(console_formatter(""), JsonFormatter)
    assert isinstance(console_formatter("json"), JsonFormatter)
    settings.DEBUG = False
    assert not isinstance(console_formatter("plain"), JsonFormatter)


def test_an_unknown_log_format_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_LOG_FORMAT", "xml")

    with pytest.raises(ConfigurationError, match="DJANGO_LOG_FORMAT='xml' is not a log format"):
        log_format_from_environment()


def test_production_settings_log_json_to_stdout_by_default():
    environment = {key: value for key, value in os.environ.items() if key not in {"DJANGO_LOG_FORMAT", "DJANGO_DEBUG"}}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "samenorg.settings.production",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/samenorg",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "EMAIL_HOST": "127.0.0.1",
        "SAMENORG_SITE_URL": "https://samenorg.example",
        "DJANGO_SECRET_KEY": "x" * 60,
    }
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "import logging; logging.getLogger('samenorg.x').warning('hi')",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    [line] = [json.loads(line) for line in done.stdout.splitlines()]
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == ("WARNING", "samenorg.x", "hi", "-")
