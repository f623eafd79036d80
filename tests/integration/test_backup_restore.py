"""Backup and restore, proven: scripts/backup.sh writes what the database and media folder hold, restore.sh
brings it back into a fresh database, and check_restore.sh passes on a faithful copy and fails on any other."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Model

from collaboration.models import Comment, Participation
from initiatives.models import Initiative
from initiatives.models.attachment import InitiativeAttachment
from initiatives.services.initiative import initiative_publish
from municipalities.models import Organisation
from samenorg.events.models import Event
from tests.conftest import REQUIRE_ALL
from tests.factories import CommentFactory, InitiativeFactory, ParticipationFactory, member_actor
from tests.integration.support import database_url_of_the_test_database

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PLAN = b"%PDF-1.7\n% plan van aanpak\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (shutil.which("psql") or list(Path("/usr/lib/postgresql").glob("*/bin/psql"))) and not REQUIRE_ALL,
        reason="needs the PostgreSQL client programs (psql, pg_dump, pg_restore)",
    ),
    # Committed rows, so that pg_dump (another connection) sees them.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def media_root(tmp_path, settings) -> Path:
    """Uploads go to a real folder of the test's own (the test settings keep them in memory)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


@pytest.fixture
def data_set(media_root) -> None:
    """A few organisations, initiatives with attachments, participations, comments and events."""
    actor = member_actor("Utrecht")
    for title, content in (("Deelfietsen", PDF), ("Buurtbudget", PLAN)):
        initiative = InitiativeFactory(owner=actor.organisation, title=title)
        initiative_publish(actor=actor, initiative=initiative)  # writes an event
        attachment = InitiativeAttachment(
            initiative=initiative, uuid=uuid.uuid4(), original_name="plan.pdf", content_type="application/pdf"
        )
        attachment.size = len(content)
        attachment.file.save(str(attachment.uuid), ContentFile(content), save=False)
        attachment.save()
        ParticipationFactory.create_batch(2, initiative=initiative)
        CommentFactory.create_batch(3, initiative=initiative)
    InitiativeFactory()  # a draft of another organisation


@pytest.fixture
def environment(tmp_path, media_root) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url_of_the_test_database(),
        "SAMENORG_MEDIA_ROOT": str(media_root),
        "SAMENORG_VAR_DIR": str(tmp_path / "var"),
        "PYTHON": sys.executable,
    }


@contextmanager
def new_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped afterwards."""
    name = f"t_ops_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(database_url_of_the_test_database())._replace(path=f"/{name}").geturl()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_database_url() -> Iterator[str]:
    with new_database() as url:
        yield url


@pytest.fixture
def another_fresh_database_url() -> Iterator[str]:
    with new_database() as url:
        yield url


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCRIPTS / script, *args], env=env, capture_output=True, text=True, timeout=300)


def backup(tmp_path: Path, env: dict[str, str]) -> Path:
    done = run("backup.sh", str(tmp_path / "backups"), env=env)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.splitlines()[-1])


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True)


def table_names() -> list[str]:
    return [f"public.{name}" for name in connection.introspection.table_names(include_views=False)]


def table(model: type[Model]) -> str:
    return f"public.{model._meta.db_table}"


def test_the_manifest_records_every_table_and_media_file(data_set, tmp_path, environment):
    folder = backup(tmp_path, environment)

    manifest = json.loads((folder / "manifest.json").read_text())
    tables = manifest["database"]["tables"]
    assert sorted(tables) == sorted(table_names())
    assert tables[table(Organisation)] == Organisation.objects.count() > 0
    assert tables[table(Initiative)] == Initiative.objects.count() == 3
    assert tables[table(InitiativeAttachment)] == 2
    assert tables[table(Participation)] == Participation.objects.count() == 4
    assert tables[table(Comment)] == Comment.objects.count() == 6
    assert tables[table(Event)] == Event.objects.count() > 0
    assert manifest["media"] == {"folder": "media", "checksums": "media.sha256", "files": 2, "bytes": len(PDF + PLAN)}
    listed = {line.split("  ./")[1]: line.split()[0] for line in (folder / "media.sha256").read_text().splitlines()}
    assert listed == {
        attachment.file.name: hashlib.sha256(attachment.file.read()).hexdigest()
        for attachment in InitiativeAttachment.objects.all()
    }
    assert (folder / "database.dump").read_bytes().startswith(b"PGDMP")  # pg_dump's custom format


def test_check_restore_passes_on_the_live_database(data_set, environment):
    done = run("check_restore.sh", env=environment)

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"matches the manifest: {len(table_names())} tables with " in done.stdout
    assert "and 2 media files" in done.stdout
    assert "the migrations match this code" in done.stdout
    assert "check passed" in done.stdout


def test_check_restore_of_an_earlier_backup_passes_and_leaves_no_database(data_set, tmp_path, environment):
    folder = backup(tmp_path, environment)
    databases_before = databases()

    done = run("check_restore.sh", str(folder), env=environment)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "check passed" in done.stdout
    assert databases() == databases_before


def databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {name for (name,) in cursor.fetchall()}


def delete_a_comment(url: str, media: Path) -> None:
    psql(url, "DELETE FROM collaboration_comment WHERE id = (SELECT min(id) FROM collaboration_comment)")


def change_a_media_file(url: str, media: Path) -> None:
    next(path for path in sorted(media.rglob("*")) if path.is_file()).write_bytes(b"changed")


@pytest.mark.parametrize(
    ("tamper", "named"),
    [(delete_a_comment, f"-{table(Comment)}|6"), (change_a_media_file, "  ./initiatives/")],
    ids=["a row missing", "a media file changed"],
)
def test_the_comparison_fails_when_the_restored_copy_differs(
    data_set, tmp_path, environment, fresh_database_url, tamper, named
):
    folder = backup(tmp_path, environment)
    restored_media = tmp_path / "restored-media"
    restored = run("restore.sh", str(folder), fresh_database_url, str(restored_media), env=environment)
    assert restored.returncode == 0, restored.stdout + restored.stderr

    tamper(fresh_database_url, restored_media)
    done = run("check_restore.sh", "--compare", str(folder), fresh_database_url, str(restored_media), env=environment)

    assert done.returncode == 1
    assert named in done.stdout
    assert "differs from the backup" in done.stderr


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    data_set, tmp_path, environment, fresh_database_url
):
    folder = backup(tmp_path, environment)
    restored_media = tmp_path / "restored-media"
    first = run(
        "restore.sh", "--no-migration-check", str(folder), fresh_database_url, str(restored_media), env=environment
    )
    assert first.returncode == 0, first.stdout + first.stderr
    psql(fresh_database_url, "DELETE FROM collaboration_comment")

    refused = run("restore.sh", str(folder), fresh_database_url, str(tmp_path / "other-media"), env=environment)
    forced = run("restore.sh", "--force", str(folder), fresh_database_url, str(restored_media), env=environment)

    assert refused.returncode == 1
    assert "the database is not empty" in refused.stderr
    assert not (tmp_path / "other-media").exists()
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "matches the manifest" in forced.stdout


def test_a_backup_older_than_the_code_restores_and_asks_for_migrate(
    data_set, tmp_path, environment, fresh_database_url, another_fresh_database_url
):
    folder = backup(tmp_path, environment)
    copied = run("restore.sh", str(folder), fresh_database_url, str(tmp_path / "copy-media"), env=environment)
    assert copied.returncode == 0, copied.stdout + copied.stderr
    # As if the newest migration had come with the code after the backup was made.
    psql(fresh_database_url, "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)")
    older = backup(
        tmp_path / "older",
        {**environment, "DATABASE_URL": fresh_database_url, "SAMENORG_MEDIA_ROOT": str(tmp_path / "copy-media")},
    )

    done = run("restore.sh", str(older), another_fresh_database_url, str(tmp_path / "media-2"), env=environment)

    assert done.returncode == 3
    assert "matches the manifest" in done.stdout
    assert "The backup is older than this code" in done.stderr
    assert "manage.py migrate" in done.stderr


def test_a_backup_removes_the_backups_older_than_the_privacy_statement_allows(data_set, tmp_path, environment):
    parent = tmp_path / "backups"
    expired, recent = parent / "samenorg-20200101T000000Z", parent / "samenorg-20200201T000000Z"
    for folder, age_days in ((expired, 31), (recent, 29)):
        folder.mkdir(parents=True)
        moment = time.time() - age_days * 86400
        os.utime(folder, (moment, moment))

    done = run("backup.sh", str(parent), env={**environment, "SAMENORG_BACKUP_KEEP_DAYS": "30"})

    assert done.returncode == 0, done.stderr
    assert not expired.exists()
    assert recent.exists()
    assert Path(done.stdout.splitlines()[-1]).exists()
