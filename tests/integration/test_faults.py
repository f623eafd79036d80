"""Faults on the real thing: gunicorn (gunicorn.conf.py, production settings, two workers) and a Celery worker
consuming every queue, on a PostgreSQL server, a redis-server and a mail server of this module's own, never the
machine's shared ones. A few threads of plain HTTP requests keep the site busy while:

a) PostgreSQL stops and starts again: while it is down every answer is a 503 with Retry-After (none a 500, none
   slower than ``BOUND``) and /readyz says not ready; afterwards the same gunicorn workers (same pids) serve 200s
   again, and the same Celery worker, whose task failed during the outage, delivers the event once.
b) Redis stops and starts again: the site keeps serving 200s throughout (the cache answers as an empty one, the
   rate limits fail open); an event recorded during the outage is e-mailed once afterwards, by the same worker.
c) The Celery worker is killed (SIGKILL) while it sends notification e-mails: a new worker takes the work over
   and every e-mail arrives exactly once. The one window where a message can arrive twice is when the mail
   server has accepted it and the worker dies before it records it as sent (samenorg.notifications.emails);
   the kill here comes while the worker waits on the mail server, before that.

The tests share one set of servers and processes (setting them up costs most of the module's time) and run in
order; each waits on conditions (an answer, a log line, an e-mail), never on a sleep."""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import pytest
from aiosmtpd.controller import Controller

from samenorg.events.models import Event
from samenorg.notifications.models import Notification
from tests.conftest import REQUIRE_ALL
from tests.integration.private_postgres import PrivatePostgres, postgres_binaries
from tests.integration.support import WAIT, WORKER, HoldingMailbox, PrivateRedis, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
BOUND = 15  # seconds: no answer may take longer (a request waiting on a database that is down would)
LOAD_THREADS = 3
PAGES = ("/", "/initiatieven", "/standaarden/overname", "/api/v1/initiatives")
DISPATCH = "samenorg.events.tasks.dispatch_event"
SWEEP_EVENTS = "samenorg.events.tasks.sweep_events"
SWEEP_EMAILS = "samenorg.notifications.tasks.sweep_notification_emails"

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        (shutil.which("redis-server") is None or postgres_binaries() is None) and not REQUIRE_ALL,
        reason="needs redis-server and PostgreSQL's binaries (initdb, pg_ctl)",
    ),
]


@dataclass
class Stack:
    postgres: PrivatePostgres
    redis: PrivateRedis
    mailbox: HoldingMailbox
    env: dict[str, str]
    site: str
    folder: Path
    world: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        """A process in a session of its own (so its whole group can be stopped), logging to ``<name>.log``."""
        with (self.folder / f"{name}.log").open("a") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def manage(self, *arguments: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env or self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"manage.py {arguments[0]} failed:\n{done.stdout}{done.stderr}"
        return done.stdout

    def update(self, summary: str, broker_url: str | None = None) -> int:
        """Anna updates the initiative, as the web request would; returns the event it recorded."""
        env = {**self.env, "CELERY_BROKER_URL": broker_url or self.env["CELERY_BROKER_URL"]}
        done = subprocess.run(
            [sys.executable, "-m", "tests.integration.notifications_actions", "update", str(self.world["anna"]),
             str(self.world["utrecht"]), str(self.world["initiative"]), summary],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=WAIT,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return self.query(f"SELECT max(id) FROM {Event._meta.db_table} WHERE type = 'initiative.updated'")[0][0]  # noqa: S608 (the models' tables)

    def query(self, statement: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as database:
            cursor = database.execute(statement, params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def tasks_done(self, task: str) -> int:
        """How many runs of ``task`` the worker's log says ended (succeeded or raised)."""
        return sum(1 for line in self.log("worker").splitlines() if f"Task {task}[" in line)

    def web_workers(self) -> set[int]:
        return {child.pid for child in psutil.Process(self.processes["web"].pid).children()}

    def ready(self) -> bool:
        return status_of(self.site + "/readyz") == 200


def status_of(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=BOUND) as response:  # noqa: S310 (http to loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return type(error).__name__


def stop_group(process: subprocess.Popen, how: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, how)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("faults")
    postgres, redis = PrivatePostgres(), PrivateRedis()
    mailbox = HoldingMailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    port = free_port()
    stack = None
    try:
        postgres.start()
        redis.start()
        smtp.start()
        site = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "samenorg.settings.production",
            "DATABASE_URL": postgres.create_database("faults"),
            "DATABASE_CONNECT_TIMEOUT": "2",
            "CELERY_BROKER_URL": redis.url,
            "CACHE_URL": redis.url.removesuffix("/0") + "/1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "SAMENORG_SITE_URL": site,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_FORMAT": "plain",
            "SAMENORG_VAR_DIR": str(folder / "var"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_MAX_REQUESTS": "0",  # a worker replaced after its share of requests would change the pids
        }
        stack = Stack(postgres, redis, mailbox, env, site, folder)
        # collectstatic needs no database: it runs while migrate does.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], cwd=ROOT, env=env
        )
        stack.manage("migrate", "--no-input")
        assert static.wait(WAIT * 2) == 0
        world = (
            "from tests.integration.test_notifications_worker import world\n"
            "print({k: v.pk for k, v in world().items()})"
        )
        stack.world = eval(stack.manage("shell", "--command", world).strip().splitlines()[-1])  # noqa: S307 (our output)
        stack.start("web", [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "samenorg.wsgi"])
        stack.start("worker", [*WORKER, "--without-gossip", "--without-mingle", "--without-heartbeat"])
        wait_for(stack.ready, "the site to be ready")
        wait_for(lambda: " ready." in stack.log("worker"), "the worker to be ready")
        yield stack
    finally:
        if stack is not None:
            for process in stack.processes.values():
                stop_group(process)
            for log in sorted(folder.glob("*.log")):
                print(f"--- {log.name}\n{log.read_text()[-20000:]}")
        mailbox.released.set()
        smtp.stop()
        redis.stop()
        postgres.close()


@dataclass
class Answer:
    path: str
    began: str  # the phase when the request was sent
    ended: str  # and when its answer came
    status: int | str  # the HTTP status, or the name of the error when there was no answer
    seconds: float
    retry_after: str | None
    content_type: str | None


class Load:
    """A few threads requesting ``paths`` in turn, each answer kept with the phase it began and ended in. It stops
    when told, after ``MAX_SECONDS`` or after ``MAX_REQUESTS``, whichever comes first."""

    MAX_SECONDS, MAX_REQUESTS = 150, 20_000

    def __init__(self, site: str, paths: tuple[str, ...]) -> None:
        self.site, self.paths = site, paths
        self.phase = "before"
        self.answers: list[Answer] = []
        self.stopping = threading.Event()
        self.deadline = time.monotonic() + self.MAX_SECONDS
        self.threads = [threading.Thread(target=self._run, args=(offset,)) for offset in range(LOAD_THREADS)]

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(BOUND * 2)

    def _run(self, offset: int) -> None:
        turn = offset
        while not self.stopping.is_set() and time.monotonic() < self.deadline and len(self.answers) < self.MAX_REQUESTS:
            path = self.paths[turn % len(self.paths)]
            turn += 1
            began, started = self.phase, time.monotonic()
            headers: dict[str, str] = {}
            try:
                with urllib.request.urlopen(self.site + path, timeout=BOUND) as response:  # noqa: S310 (loopback)
                    status: int | str = response.status
                    headers = dict(response.headers)
            except urllib.error.HTTPError as error:
                status, headers = error.code, dict(error.headers)
            except OSError as error:  # no answer at all: refused, reset or timed out
                status = type(error).__name__
            seconds = time.monotonic() - started
            answer = Answer(
                path, began, self.phase, status, seconds, headers.get("Retry-After"), headers.get("Content-Type")
            )
            self.answers.append(answer)

    def answered(self, phase: str, status: int) -> bool:
        """Whether every path got ``status`` for a request that began and ended within ``phase``."""
        seen = {answer.path for answer in self.within(phase) if answer.status == status}
        return seen == set(self.paths)

    def within(self, phase: str) -> list[Answer]:
        return [answer for answer in self.answers if answer.began == answer.ended == phase]


@contextmanager
def restored(server: PrivatePostgres | PrivateRedis) -> Iterator[None]:
    """The server answers again after the block, also when the test failed during the outage."""
    try:
        yield
    finally:
        if not server.answers():
            server.start()


def age_events(stack: Stack, *event_ids: int) -> None:
    """Two minutes pass for these events: the sweep leaves events younger than a minute to their own task."""
    stack.query(
        f"UPDATE {Event._meta.db_table} SET occurred_at = occurred_at - interval '2 minutes' WHERE id = ANY(%s)",  # noqa: S608 (the models' tables)
        (list(event_ids),),
    )


def run_again_and_wait(stack: Stack, *tasks: tuple[str, tuple]) -> None:
    """Send each task once more, as a second beat or a late retry would, and wait until the worker ran it."""
    for task, args in tasks:
        done = stack.tasks_done(task)
        stack.redis.send(task, *args)
        wait_for(lambda task=task, done=done: stack.tasks_done(task) > done, f"the worker to run {task} again")


def assert_each_emailed_once(stack: Stack, event_id: int) -> None:
    run_again_and_wait(stack, (SWEEP_EVENTS, ()), (DISPATCH, (event_id,)), (SWEEP_EMAILS, ()))
    assert stack.mailbox.received() == Counter({"bert@utrecht.nl": 1, "olga@deventer.nl": 1})
    states = stack.query(
        f"SELECT email_state FROM {Notification._meta.db_table} WHERE event_id = %s AND frequency = 'immediately'",  # noqa: S608 (the models' tables)
        (event_id,),
    )
    assert sorted(states) == [("sent",), ("sent",)]


def wait_for_the_emails(stack: Stack) -> None:
    wait_for(lambda: sum(stack.mailbox.received().values()) >= 2, "the e-mails of the update")


def test_postgresql_restarted_under_load_gives_quick_503s_then_the_same_processes_serve_again(stack):
    stack.mailbox.messages.clear()
    web_workers, celery_worker = stack.web_workers(), stack.processes["worker"].pid
    # Recorded before the outage; its task is sent during it (a closed port takes nothing now).
    event = stack.update("Voor de storing.", broker_url=f"redis://127.0.0.1:{free_port()}/0")

    with restored(stack.postgres), Load(stack.site, (*PAGES, "/readyz")) as load:
        wait_for(lambda: load.answered("before", 200), "every page to answer 200")
        load.phase = "stopping"  # a request may still be answered while the server shuts down
        stack.postgres.stop()
        load.phase = "down"
        failed = stack.tasks_done(DISPATCH)
        stack.redis.send(DISPATCH, event)
        wait_for(lambda: stack.tasks_done(DISPATCH) > failed, "the worker to try the event without its database")
        wait_for(lambda: load.answered("down", 503), "every page to answer 503")
        load.phase = "starting"
        stack.postgres.start()
        load.phase = "after"
        wait_for(lambda: load.answered("after", 200), "every page to answer 200 again")

    assert [answer for answer in load.answers if answer.status not in (200, 503)] == []  # no 500, none unanswered
    assert max(answer.seconds for answer in load.answers) < BOUND
    assert {answer.status for answer in load.within("down")} == {503}
    assert {answer.retry_after for answer in load.within("down") if answer.path != "/readyz"} == {"30"}
    for answer in load.within("down"):
        if answer.path.startswith("/api/"):
            assert answer.content_type == "application/problem+json"
        elif answer.path != "/readyz":
            assert answer.content_type.startswith("text/html")
    assert {answer.status for answer in load.within("after")} == {200}
    assert stack.web_workers() == web_workers  # served again without a restart
    assert "raised unexpected: OperationalError" in stack.log("worker")

    # The task that failed was acknowledged; the sweep (every minute, by beat) delivers the event, once.
    assert_the_sweep_emails_it_once_by_the_same_worker(stack, event, celery_worker)


def assert_the_sweep_emails_it_once_by_the_same_worker(stack, event, celery_worker: int) -> None:
    age_events(stack, event)
    stack.redis.send(SWEEP_EVENTS)
    wait_for_the_emails(stack)
    assert_each_emailed_once(stack, event)
    assert stack.processes["worker"].pid == celery_worker
    assert stack.processes["worker"].poll() is None


def test_redis_restarted_under_load_the_site_keeps_serving_and_the_event_is_emailed_once_afterwards(stack):
    stack.mailbox.messages.clear()
    celery_worker = stack.processes["worker"].pid

    with restored(stack.redis), Load(stack.site, PAGES) as load:
        wait_for(lambda: load.answered("before", 200), "every page to answer 200")
        load.phase = "down"
        stack.redis.stop()
        event = stack.update("Tijdens de storing.")  # publishing fails; the request goes on
        wait_for(lambda: load.answered("down", 200) and len(load.within("down")) >= 20, "pages served without Redis")
        load.phase = "after"
        stack.redis.start()
        wait_for(lambda: load.answered("after", 200), "every page to answer 200 after")

    assert {answer.status for answer in load.answers} == {200}
    assert max(answer.seconds for answer in load.answers) < BOUND
    assert not stack.mailbox.messages  # nothing was dispatched: the broker took nothing

    assert_the_sweep_emails_it_once_by_the_same_worker(stack, event, celery_worker)  # it reconnected by itself


def test_a_worker_killed_while_it_sends_emails_is_relieved_and_every_email_arrives_once(stack):
    stack.mailbox.messages.clear()
    stack.mailbox.hold_for = "olga@deventer.nl"
    event = stack.update("Voor de crash.")
    assert stack.mailbox.holding.wait(WAIT), "the worker never sent Olga's e-mail"
    assert stack.mailbox.received()["olga@deventer.nl"] == 0
    stop_group(stack.processes["worker"], signal.SIGKILL)
    stack.mailbox.released.set()
    table = Notification._meta.db_table
    left = stack.query(f"SELECT count(*) FROM {table} WHERE event_id = %s AND email_state = 'claimed'", (event,))  # noqa: S608 (the models' tables)
    assert left[0][0] >= 1  # Olga's claim at least, left by the dead worker

    stack.start("worker", [*WORKER, "--without-gossip", "--without-mingle", "--without-heartbeat"])
    wait_for(lambda: stack.log("worker").count(" ready.") == 2, "the new worker to be ready")
    # Time passes: the claims are older than NOTIFICATION_EMAIL_CLAIM_TIMEOUT, so the sweep takes them over.
    stack.query(
        f"UPDATE {table} SET email_claimed_at = email_claimed_at - interval '1 hour' WHERE email_state = 'claimed'"  # noqa: S608 (the models' tables)
    )
    stack.redis.send(SWEEP_EMAILS)
    wait_for_the_emails(stack)
    assert_each_emailed_once(stack, event)
    attempts = stack.query(
        f"SELECT user_id, email_attempts FROM {table} WHERE event_id = %s AND frequency = 'immediately'",  # noqa: S608 (the models' tables)
        (event,),
    )
    assert dict(attempts)[stack.world["olga"]] == 2  # claimed by the dead worker, then by the new one
