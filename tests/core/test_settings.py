"""Starting up: a clear one-line message when the configuration cannot work, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_VARIABLES = (
    "DATABASE_URL",
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

    done = manage("check", DJANGO_SETTINGS_MODULE="samenorg.settings", SAMENORG_VAR_DIR=str(blocked))

    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "embedded PostgreSQL server" in lines[0]
    assert "Set DATABASE_URL" in lines[0]
