"""Starting up: a clear one-line message when the configuration cannot work, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_VARIABLES = (
    "DATABASE_URL",
    "DJANGO_ALLOWED_HOSTS",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "EMAIL_HOST",
    "SAMENORG_SITE_URL",
    "DJANGO_SECRET_KEY",
)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in PROJECT_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_embedded_database():
    done = manage("check", DJANGO_SETTINGS_MODULE="samenorg.settings.production")

    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Configuration error: DATABASE_URL must be set in production: "
        "a PostgreSQL server; production refuses the embedded one under var/."
    ]


def test_production_refuses_a_weak_secret_key():
    done = manage(
        "check",
        DJANGO_SETTINGS_MODULE="samenorg.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/samenorg",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        CACHE_URL="redis://127.0.0.1:6379/1",
        EMAIL_HOST="127.0.0.1",
        SAMENORG_SITE_URL="https://samenorg.example",
        DJANGO_SECRET_KEY="too-short",
    )

    assert done.returncode == 1
    assert "DJANGO_SECRET_KEY must be set" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_embedded_database_that_cannot_start_says_why_and_what_to_do(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the var folder should be")

    done = manage("check", DJANGO_SETTINGS_MODULE="samenorg.settings.local", SAMENORG_VAR_DIR=str(blocked))

    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "embedded PostgreSQL server" in lines[0]
    assert "Set DATABASE_URL" in lines[0]


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "samenorg.settings.production",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "127.0.0.1",
    "SAMENORG_SITE_URL": "https://samenorg.example",
    "DJANGO_SECRET_KEY": "a-random-value-" + "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "samenorg.example",
}


@pytest.mark.parametrize(
    ("database_url", "message"),
    [
        (
            "postgres://samenorg@db.example:5432/samenorg",
            "Configuration error: DATABASE_URL must name a user and a password for the database server at "
            "db.example; only a Unix socket or this machine (127.0.0.1) may connect without them.",
        ),
        (
            "postgres://postgres@10.0.0.5/samenorg",
            "Configuration error: DATABASE_URL must name a user and a password for the database server at "
            "10.0.0.5; only a Unix socket or this machine (127.0.0.1) may connect without them.",
        ),
        (
            "postgres://:s3cret-password@db.example/samenorg",
            "Configuration error: DATABASE_URL must name a user and a password for the database server at "
            "db.example; only a Unix socket or this machine (127.0.0.1) may connect without them.",
        ),
        (
            "mysql://samenorg:s3cret-password@db.example/samenorg",
            "Configuration error: DATABASE_URL must point to a PostgreSQL server (postgres://...).",
        ),
    ],
)
def test_production_refuses_a_database_without_credentials_in_one_line(database_url, message):
    done = manage("check", **PRODUCTION, DATABASE_URL=database_url)

    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [message]
    assert "s3cret-password" not in done.stderr


def test_production_refuses_a_malformed_database_url_in_one_line():
    done = manage("check", **PRODUCTION, DATABASE_URL="postgres://samenorg:s3cret-password@db.example:port/samenorg")

    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Configuration error: DATABASE_URL is not a valid address; write it as postgres://user:password@host:5432/name."
    ]


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://samenorg:s3cret-password@db.example:5432/samenorg",
        "postgres://samenorg@%2Frun%2Fpostgresql/samenorg",
        "postgres:///samenorg",
        "postgres://postgres@127.0.0.1:5432/samenorg",
    ],
)
def test_production_accepts_credentials_a_unix_socket_or_this_machine(database_url):
    done = manage("check", **PRODUCTION, DATABASE_URL=database_url)

    assert "Configuration error" not in done.stderr
    assert done.returncode == 0, done.stderr


def test_the_web_server_stops_with_one_line_when_the_configuration_cannot_work():
    clean = {key: value for key, value in os.environ.items() if key not in PROJECT_VARIABLES}
    done = subprocess.run(
        [sys.executable, "-c", "import samenorg.wsgi"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "samenorg.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Exit code 3 makes gunicorn stop instead of restarting its workers over and over.
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        "Configuration error: DATABASE_URL must be set in production: "
        "a PostgreSQL server; production refuses the embedded one under var/."
    ]
