"""A real Celery worker on Redis takes a published task and sends the e-mail it describes."""

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from kombu import Connection

from municipalities.models.membership import MembershipRequestStatus
from samenorg.celery import app
from tests.conftest import REQUIRE_ALL
from tests.factories import MembershipRequestFactory
from tests.integration.support import WORKER, database_url_of_the_test_database

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
BROKER_URL = "redis://127.0.0.1:6379/15"


def redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not redis_is_up() and not REQUIRE_ALL, reason="needs Redis on 127.0.0.1:6379"),
]


@pytest.fixture
def worker(tmp_path, transactional_db):
    redis.Redis.from_url(BROKER_URL).flushdb()  # no tasks left over from an earlier run
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samenorg.settings.local",
        "DATABASE_URL": database_url_of_the_test_database(),
        "CELERY_BROKER_URL": BROKER_URL,
        "SAMENORG_VAR_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        WORKER,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield tmp_path / "mail"
    process.terminate()
    output, _ = process.communicate(timeout=30)
    print(output)


def test_a_real_worker_sends_the_decision_mail(worker):
    request = MembershipRequestFactory(
        status=MembershipRequestStatus.DECLINED,
        decided_at="2026-11-22T10:00:00Z",
        decision_reason="Je werkt niet voor deze gemeente.",
        user__email="daan@detachering.example",
    )
    # An explicit connection: Celery would let a CELERY_BROKER_URL in the environment win over an argument.
    with Connection(BROKER_URL) as broker:
        app.send_task("municipalities.tasks.send_membership_decision_email", args=[request.pk], connection=broker)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (worker.exists() and any(worker.iterdir())):
        time.sleep(0.5)

    mails = [path.read_text() for path in worker.iterdir()] if worker.exists() else []
    assert len(mails) == 1, "the worker sent no mail within a minute"
    assert "To: daan@detachering.example" in mails[0]
    assert "Je werkt niet voor deze gemeente." in mails[0]
