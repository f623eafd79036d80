"""What the integration tests share: free ports, waiting on a condition, a redis-server of a test's own
(never the shared one) to stop and start at will, the test database's address for other processes, and
mail servers' handlers that keep what they receive."""

import asyncio
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from kombu import Connection

from samenorg.celery import app

WAIT = 90  # seconds before a wait fails; every wait ends on a condition, this is only the limit
# A worker of a test's own: one process, consuming every queue, as the one worker of ``make run`` does.
WORKER = [sys.executable, "-m", "celery", "--app", "samenorg", "worker", "--pool", "solo", "--loglevel", "INFO"]
WORKER += ["--queues", ",".join(settings.CELERY_TASK_QUEUES)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, seconds: float = WAIT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting {seconds} s for {what}")
        time.sleep(0.1)


class PrivateRedis:
    """A redis-server of the test's own on a free loopback port (no data kept between runs)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, "the private redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
        wait_for(lambda: not self.answers(), "the private redis-server to stop")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def send(self, task: str, *args: object) -> None:
        # An explicit connection: Celery would let a CELERY_BROKER_URL in the environment win over an argument.
        # The platform's app, so that the task goes to the queue CELERY_TASK_ROUTES gives it.
        with Connection(self.url) as broker:
            app.send_task(task, args=list(args), connection=broker)


def database_url_of_the_test_database() -> str:
    """The URL a worker or script started by a test connects with, to the test's own database."""
    params = connection.get_connection_params()
    host = params.get("host") or ""
    location = f"host={host}" if host.startswith("/") else ""
    netloc = "" if location else f"{host}:{params.get('port') or 5432}"
    return f"postgres://{params.get('user', 'postgres')}@{netloc}/{params['dbname']}" + (
        f"?{location}" if location else ""
    )


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts, in the order they arrive."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's hook)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"


class HoldingMailbox(Mailbox):
    """Keeps what it receives, and can keep the sender of one address waiting until released."""

    def __init__(self) -> None:
        super().__init__()
        self.hold_for: str | None = None
        self.holding, self.released = threading.Event(), threading.Event()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address == self.hold_for and not self.released.is_set():
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "451 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def received(self) -> Counter:
        return Counter(message["To"] for message in self.messages)
