"""Publishing a task must never fail or hang the request when the broker is down."""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core import mail

from municipalities.services.membership import membership_request
from tests.factories import MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PUBLISH = """
import django
django.setup()
from samenorg.accounts.tasks import clear_expired_sessions
from samenorg.core.queue import publish
print("published" if publish(clear_expired_sessions) else "not published")
"""


def publish_in_subprocess(broker_url: str) -> str:
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "DJANGO_SETTINGS_MODULE": "samenorg.settings.local"}
    # The bound only keeps a broken publish from hanging the suite; a working one answers in seconds.
    done = subprocess.run(
        [sys.executable, "-c", PUBLISH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_publishing_to_a_refusing_broker_returns_instead_of_raising():
    assert publish_in_subprocess(f"redis://127.0.0.1:{free_port()}/0") == "not published"


def test_publishing_to_a_broker_that_never_answers_gives_up_instead_of_hanging():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    accepted = []
    stop = threading.Event()

    def accept_and_say_nothing():
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(silent.accept()[0])
            except TimeoutError:
                continue

    listener = threading.Thread(target=accept_and_say_nothing, daemon=True)
    listener.start()
    try:
        assert publish_in_subprocess(f"redis://127.0.0.1:{silent.getsockname()[1]}/0") == "not published"
    finally:
        stop.set()
        listener.join()
        for connection in accepted:
            connection.close()
        silent.close()


@pytest.mark.django_db
def test_tasks_are_published_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    coordinator = MembershipFactory(coordinator=True).user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        membership_request(actor=UserFactory(), organisation=coordinator.memberships.get().organisation, motivation="x")
    assert mail.outbox == []

    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
