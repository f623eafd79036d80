"""gunicorn's configuration: ``gunicorn -c gunicorn.conf.py samenorg.wsgi``. Every value can be changed from
the environment (docs/operations.md, "Configure"); the defaults suit one machine behind a reverse proxy.

No access log: the application writes one line per request itself (samenorg.core.request_id), with the
request id, by URL pattern rather than path (paths can hold tokens). gunicorn's own lines are JSON as well,
unless DJANGO_LOG_FORMAT=plain."""

import os
from pathlib import Path

from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"
# Each worker is a process with its own PostgreSQL connection: 2 x cores + 1, at most 8 unless set.
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8))
# More than one thread per worker switches to the threaded worker (gthread), which also keeps connections alive.
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM a worker stops taking requests and gets this long to finish those in progress.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (plus a random part, so they do not all restart at once):
# whatever memory a worker gathered is returned.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Whose X-Forwarded-* headers to believe: the reverse proxy's address (gunicorn's own variable).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
# The workers' heartbeat files in memory, never on a slow or full disk.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 (shared memory, not a temp file)
proc_name = "samenorg"
# gunicorn 27's control socket sits at one path per user ($HOME/.gunicorn/gunicorn.ctl), shared by every
# gunicorn that user starts on the machine; nothing here uses it.
control_socket_disable = True
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
if os.environ.get("DJANGO_LOG_FORMAT") != "plain":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "samenorg.core.logging.JsonFormatter"}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
        "root": {"handlers": ["stdout"], "level": "INFO"},
        "loggers": {"gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False}},
    }

# Prometheus metrics shared by the workers (samenorg/core/metrics.py): the directory is emptied when gunicorn
# starts (counts of an earlier run would be added in), and a worker that exits is marked dead, as
# prometheus_client's multiprocess mode asks.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server: Arbiter) -> None:
    if PROMETHEUS_MULTIPROC_DIR:
        directory = Path(PROMETHEUS_MULTIPROC_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        for leftover in directory.glob("*.db"):
            leftover.unlink()


def child_exit(server: Arbiter, worker: Worker) -> None:
    if PROMETHEUS_MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
