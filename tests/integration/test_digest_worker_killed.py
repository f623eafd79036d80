"""A real Celery worker, killed in the middle of a digest run, and the run started again: nobody gets a digest
twice and nobody goes without. The kill is deterministic: the worker is stopped while it provably waits,
once on the mail server (holding the first address of a claimed batch) and once on a row lock the test
holds (pg_stat_activity shows it waiting), never after a sleep.

It runs against a private ``redis-server`` on a free loopback port and a local SMTP sink (aiosmtpd)."""

import os
import shutil
import signal
import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from kombu import Connection

from samenorg.accounts.models import Frequency
from samenorg.celery import app
from samenorg.events.models import Event, EventAudience
from samenorg.notifications.digests import CLAIM_TIMEOUT
from samenorg.notifications.models import Digest, DigestState, Notification
from tests.conftest import REQUIRE_ALL
from tests.factories import InitiativeFactory, NotificationFactory, UserFactory
from tests.integration.support import (
    WAIT,
    WORKER,
    HoldingMailbox,
    PrivateRedis,
    database_url_of_the_test_database,
    free_port,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
TASK = "samenorg.notifications.digest_tasks.send_digests"
PERIOD = "2026-03-10T07:00:00+01:00"  # the daily digest of Tuesday 10 March 2026
PEOPLE, BATCH = 9, 3

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not REQUIRE_ALL, reason="needs redis-server on the PATH"
    ),
]


@pytest.fixture
def broker_url():
    """A redis-server of this test's own: nothing shared is touched, nothing is left in it."""
    server = PrivateRedis()
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def sink():
    handler = HoldingMailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.released.set()
    controller.stop()


@pytest.fixture
def start_worker(tmp_path, transactional_db, broker_url, sink):
    """Start a worker on the test database, the private broker and the sink; returns the process and its log."""
    _handler, smtp_port = sink
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samenorg.settings.local",
        "DATABASE_URL": database_url_of_the_test_database(),
        "CELERY_BROKER_URL": broker_url,
        "SAMENORG_VAR_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": str(WAIT * 2),  # the held sender must still be waiting when it is killed
    }
    started: list[subprocess.Popen] = []

    def start(name: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [*WORKER, "--include", "samenorg.notifications.digest_tasks", "--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process, log

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(30)
    for log in sorted(tmp_path.glob("*.log")):
        print(f"--- {log.name}\n{log.read_text()}")


def start_run(broker_url: str) -> None:
    # An explicit connection: Celery would let a CELERY_BROKER_URL in the environment win over an argument.
    with Connection(broker_url) as broker:
        app.send_task(TASK, args=["daily", PERIOD, 0, BATCH], connection=broker)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(30)


def finished(log: Path) -> bool:
    return f"Task {TASK}[" in log.read_text() and "succeeded" in log.read_text()


def sessions_of_others(condition: str = "TRUE") -> int:
    """Other connections to the test database (the workers'), matching ``condition``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                   AND ({condition})"""  # noqa: S608 (the conditions are this module's constants)
        )
        return cursor.fetchone()[0]


@pytest.fixture
def people(transactional_db):
    """Nine people with one item each in the daily digest of Tuesday 10 March: three batches of three."""
    initiative = InitiativeFactory(published=True, title="Wijkdashboard")
    event = Event.objects.create(
        type="initiative.updated",
        organisation=initiative.owner,
        initiative=initiative,
        audience=EventAudience.PUBLIC,
        payload={},
    )
    users = UserFactory.create_batch(PEOPLE, language="en")
    for user in users:
        NotificationFactory(user=user, event=event, frequency=Frequency.DAILY)
    Notification.objects.update(created_at=datetime(2026, 3, 9, 12, tzinfo=UTC))
    return sorted(users, key=lambda user: user.pk)


def assert_everyone_got_one_digest(received: Counter, users) -> None:
    assert received == Counter(user.email for user in users)
    assert set(Digest.objects.values_list("state", flat=True)) == {DigestState.SENT}
    assert sorted(Digest.objects.values_list("user", flat=True)) == [user.pk for user in users]


def test_a_worker_killed_while_sending_a_claimed_batch_is_relieved_by_the_next_run(
    people, sink, broker_url, start_worker
):
    smtp, _port = sink
    first_of_second_batch = people[BATCH]
    smtp.hold_for = first_of_second_batch.email
    worker, _log = start_worker("first")
    start_run(broker_url)

    assert smtp.holding.wait(WAIT), "the worker never reached the second batch"
    # The first batch went out and is marked sent; the second is claimed and committed, and none of it sent.
    assert sorted(smtp.received().elements()) == sorted(user.email for user in people[:BATCH])
    claimed = Digest.objects.filter(state=DigestState.CLAIMED)
    assert sorted(claimed.values_list("user", flat=True)) == [user.pk for user in people[BATCH : 2 * BATCH]]
    kill(worker)
    # The database ends the dead worker's session, and with it the locks it held on the claimed rows.
    wait_for(lambda: sessions_of_others() == 0, "the killed worker's database session to end")
    smtp.released.set()
    Digest.objects.filter(state=DigestState.CLAIMED).update(claimed_at=timezone.now() - CLAIM_TIMEOUT)  # time passes

    _worker, log = start_worker("second")
    start_run(broker_url)
    wait_for(lambda: finished(log), "the second run to finish")

    assert_everyone_got_one_digest(smtp.received(), people)
    retried = Digest.objects.filter(attempts=2).values_list("user", flat=True)
    assert sorted(retried) == [user.pk for user in people[BATCH : 2 * BATCH]]


def test_a_worker_killed_while_it_waits_to_claim_a_batch_leaves_that_batch_to_the_next_run(
    people, sink, broker_url, start_worker
):
    smtp, _port = sink
    params = connection.get_connection_params()
    rival = psycopg.connect(
        **{key: params[key] for key in ("dbname", "user", "host", "port", "password") if params.get(key)}
    )
    try:
        # Another worker claiming one person of the second batch, not yet committed: the claim of that batch
        # has to wait for it inside its INSERT ... ON CONFLICT. (A lock on the person's row would not do: the
        # foreign key is checked at COMMIT, and a COMMIT the server has received completes without its client.)
        end = datetime.fromisoformat(PERIOD)
        rival.execute(
            f"""INSERT INTO {Digest._meta.db_table}
                (user_id, frequency, period_start, period_end, state, items, claimed_at, attempts)
                VALUES (%s, 'daily', %s, %s, 'claimed', 1, now(), 1)""",  # noqa: S608 (the model's table)
            [people[BATCH + 1].pk, end - timedelta(days=1), end],
        )
        worker, _log = start_worker("first")
        start_run(broker_url)
        wait_for(
            lambda: sessions_of_others("wait_event_type = 'Lock' AND query LIKE '%WITH candidate AS%'") == 1,
            "the worker to wait for the rival claim",
        )
        assert sorted(smtp.received().elements()) == sorted(user.email for user in people[:BATCH])
        kill(worker)
    finally:
        rival.rollback()
        rival.close()
    wait_for(lambda: sessions_of_others() == 0, "the killed worker's database session to end")
    # Its claim never committed: the second batch has no digests, and nothing is left to go stale.
    assert sorted(Digest.objects.values_list("user", flat=True)) == [user.pk for user in people[:BATCH]]

    _worker, log = start_worker("second")
    start_run(broker_url)
    wait_for(lambda: finished(log), "the second run to finish")

    assert_everyone_got_one_digest(smtp.received(), people)
    assert set(Digest.objects.values_list("attempts", flat=True)) == {1}
