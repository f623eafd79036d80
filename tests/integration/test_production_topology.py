"""scripts/run_production_topology.sh, run for real with the production settings: on a database and a
redis-server of the test's own, it migrates, serves /readyz, runs a worker per queue group that together
consume every queue, and beat; on SIGTERM everything stops gracefully, the script exits 0 and no process of
it is left."""

import os
import re
import secrets
import shutil
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from celery import Celery
from django.conf import settings

from tests.conftest import REQUIRE_ALL
from tests.integration.support import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "run_production_topology.sh"
GRACE = 30  # seconds to stop: gunicorn's graceful timeout; the idle workers stop in a few
PROCESSES = ("web", "events", "mail", "digests", "beat")

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not REQUIRE_ALL, reason="needs redis-server on the PATH"
    ),
]


@pytest.fixture
def topology(tmp_path, database_url, broker, mailbox) -> Iterator[tuple[subprocess.Popen, Path, str]]:
    """The script started with production settings on a free port; returns it, its log and the site's URL."""
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker.url,
        "CACHE_URL": broker.url.removesuffix("/0") + "/1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox[1]),
        "SAMENORG_SITE_URL": site,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SAMENORG_VAR_DIR": str(tmp_path / "var"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "CELERY_EVENTS_CONCURRENCY": "1",
        "CELERY_MAIL_CONCURRENCY": "2",
    }
    log = tmp_path / "topology.log"
    with log.open("w") as output:
        script = subprocess.Popen([SCRIPT], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield script, log, site
    finally:
        if script.poll() is None:
            script.terminate()
            script.wait(GRACE)
        print(log.read_text())


def running(script: subprocess.Popen, log: Path) -> None:
    assert script.poll() is None, f"the script ended early:\n{log.read_text()}"


def ready(script: subprocess.Popen, log: Path, site: str) -> bool:
    running(script, log)
    try:
        with urllib.request.urlopen(f"{site}/readyz", timeout=10) as response:  # noqa: S310 (http to loopback)
            return response.status == 200
    except OSError:  # not listening yet, or too busy starting to answer in time
        return False


def assert_static_files_are_hashed_compressed_and_cached_for_good(site: str) -> None:
    with urllib.request.urlopen(f"{site}/", timeout=30) as response:  # noqa: S310 (http to loopback)
        page = response.read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links no stylesheet with a hashed name"
    for encoding in ("br", "gzip"):
        asked = urllib.request.Request(site + stylesheet[1], headers={"Accept-Encoding": encoding})  # noqa: S310
        with urllib.request.urlopen(asked, timeout=30) as response:  # noqa: S310 (http to loopback)
            assert response.headers["Content-Encoding"] == encoding
            assert "immutable" in response.headers["Cache-Control"]


def consumed_queues(broker_url: str) -> dict[str, list[str]]:
    """Each worker's name (before the @) with the queues it consumes, as the workers themselves answer."""
    answers = Celery(set_as_current=False, broker=broker_url).control.inspect(timeout=1).active_queues()
    return {
        worker.split("@")[0]: sorted(queue["name"] for queue in queues) for worker, queues in (answers or {}).items()
    }


def answered(script: subprocess.Popen, log: Path, broker_url: str, workers: dict[str, list[str]]) -> bool:
    """Whether all three workers have answered; a worker busy starting may miss one inspection and answer the next."""
    running(script, log)
    workers.update(consumed_queues(broker_url))
    return len(workers) == 3


def test_the_topology_serves_consumes_every_queue_and_stops_gracefully(topology, broker, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # it would win over the broker the inspection names
    script, log, site = topology
    wait_for(lambda: ready(script, log, site), "/readyz to answer 200")
    assert_static_files_are_hashed_compressed_and_cached_for_good(site)
    workers: dict[str, list[str]] = {}
    wait_for(lambda: answered(script, log, broker.url, workers), "the three workers to answer")
    assert workers == {"events": ["events"], "mail": ["email", "webhooks"], "digests": ["default", "digests"]}
    assert {queue for queues in workers.values() for queue in queues} == set(settings.CELERY_TASK_QUEUES)
    wait_for(lambda: "[beat] " in log.read_text() and "beat: Starting..." in log.read_text(), "beat to start")
    processes = psutil.Process(script.pid).children(recursive=True)
    assert len(processes) >= 2 * len(PROCESSES)  # each with its prefixer; gunicorn's and Celery's children

    script.send_signal(signal.SIGTERM)

    assert script.wait(GRACE) == 0
    left = [process for process in processes if process.is_running() and process.status() != psutil.STATUS_ZOMBIE]
    assert left == []
    output = log.read_text()
    for name in PROCESSES:
        assert re.search(rf"^\[topology\] {name} \(pid \d+\) stopped with code 0$", output, re.MULTILINE)
    for name in ("events", "mail", "digests"):  # the workers log JSON lines, as the web does
        assert re.search(rf'^\[{name}\] {{"time": .*"message": "{name}@\S+ ready\."', output, re.MULTILINE)
    assert "Handling signal: term" in output  # gunicorn's graceful stop
    assert output.count("Warm shutdown") >= 3  # each worker finishes its running tasks


def test_the_topology_refuses_to_start_without_its_configuration_and_names_what_is_missing():
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": "postgres://postgres@127.0.0.1/none", "EMAIL_HOST": "x"}

    done = subprocess.run([SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)

    assert done.returncode == 2
    missing = ["CELERY_BROKER_URL", "CACHE_URL", "SAMENORG_SITE_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"]
    assert done.stderr.splitlines() == [
        f"[topology] {variable} must be set (docs/operations.md lists every variable)" for variable in missing
    ]
    assert done.stdout == ""  # nothing was started, not even the migrations
