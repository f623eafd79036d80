"""The load test: the production topology on loopback under a bounded locust run, with a report.

    .venv/bin/python -m loadtest.run --duration 300 --users 20

It makes everything it uses and removes it afterwards: a new database ``load_<random>`` on the given
PostgreSQL server, a redis-server of its own (broker and cache), and an SMTP server on loopback that counts
what the platform mails. It seeds the database with the local settings and ``SAMENORG_ALLOW_DEMO=1``
(``load_municipalities``, ``seed_demo``, ``generate_scale_data``, then ``loadtest/seed.py``'s accounts and
API keys), starts ``scripts/run_production_topology.sh`` with production settings, runs
``loadtest/locustfile.py`` headless for the given time, samples the memory (RSS) of every gunicorn worker
and Celery worker process once a second meanwhile, and stops the topology gracefully.

gunicorn's ``max_requests`` recycling is switched off for the run (``GUNICORN_MAX_REQUESTS=0``): it would
hide a leak by replacing the workers, so with it off every worker lives through the whole run, and one that
is replaced anyway is a finding (a crash or a timeout).

Memory growth of a process is the median of its samples in the last quarter of the load over the median of
its samples in the tenth around the midpoint, minus one. The first half is warm-up (imports, compiled
templates and queries, connections); a leak shows as a steady climb through the second half, while medians
keep a single large response (memory Python holds on to for a while) from deciding the figure.

The report (``--report``, default ``loadtest/RESULTS.md``) gives the command, the machine and its load
average, throughput and p50/p95/p99 per kind of request and in total, every failure, the 5xx answers and
error lines in the topology's log, and the memory samples. A "## Notes" section at its end is kept."""

import argparse
import csv
import json
import os
import platform
import re
import secrets
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
TOPOLOGY = ROOT / "scripts" / "run_production_topology.sh"
GRACE = 60  # seconds for the topology to stop: gunicorn's graceful timeout and the workers' running tasks
KINDS = ("browse", "search", "member", "write", "api")
WORKERS = ("events", "mail", "digests")  # the Celery workers of the topology, by the name before the @
SAMPLE_EVERY = 1.0  # seconds between memory samples
API_KEYS = 20  # read keys of as many organisations, for the partner systems
# The caller's own settings of these would reach the topology: it gets the load test's alone.
OWN_VARIABLES = ("DJANGO_", "CELERY_", "GUNICORN_", "DATABASE_", "CACHE_", "EMAIL_", "SAMENORG_")


@dataclass
class Options:
    database_server: str  # postgres://user@host:port (any database part is ignored)
    duration: int = 300  # seconds of load
    users: int = 20
    spawn_rate: float = 2.0
    initiatives: int = 3000
    accounts: int = 400
    gunicorn_workers: int | None = None  # None: gunicorn.conf.py's default (2 x cores + 1, at most 8)
    celery_concurrency: dict[str, int] = field(default_factory=dict)  # CELERY_<NAME>_CONCURRENCY
    keep: bool = False  # keep the database and the work folder for a look afterwards
    verbose: bool = True


@dataclass
class Process:
    label: str
    pid: int
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds into the load, RSS in bytes)

    def median_between(self, start: float, end: float) -> float | None:
        values = [rss for moment, rss in self.samples if start <= moment <= end]
        return statistics.median(values) if values else None


@dataclass
class Result:
    options: Options
    database: str = ""
    stats: list[dict[str, str]] = field(default_factory=list)  # locust's _stats.csv rows
    failures: list[dict[str, str]] = field(default_factory=list)  # locust's _failures.csv rows
    timings: dict[str, list[float]] = field(default_factory=dict)  # response times (ms) by kind
    load_seconds: float = 0.0
    processes: list[Process] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)  # request log lines with a 5xx status
    error_lines: list[str] = field(default_factory=list)  # ERROR or CRITICAL lines, tracebacks
    statuses: Counter[int] = field(default_factory=Counter)  # status codes of the request log
    mails: int = 0
    load_average: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())  # before and after
    seconds: dict[str, float] = field(default_factory=dict)  # how long each phase took
    log: Path | None = None

    @property
    def total(self) -> dict[str, str]:
        return next(row for row in self.stats if row["Name"] == "Aggregated")

    @property
    def failed(self) -> int:
        return int(self.total["Failure Count"])

    def counts(self) -> dict[str, int]:
        return {row["Name"]: int(row["Request Count"]) for row in self.stats if row["Name"] != "Aggregated"}

    def growth(self, process: Process) -> float | None:
        """Median RSS of the last quarter over the median around the midpoint, minus one (None: too few samples)."""
        length = self.load_seconds
        middle = process.median_between(0.45 * length, 0.55 * length)
        late = process.median_between(0.75 * length, length)
        return None if not middle or late is None else late / middle - 1

    def lived_through(self, process: Process) -> bool:
        """Sampled from the start of the load to its end: not started or replaced during the run."""
        moments = [moment for moment, _rss in process.samples]
        return bool(moments) and moments[0] <= 2 * SAMPLE_EVERY and moments[-1] >= self.load_seconds - 3 * SAMPLE_EVERY


class MailCounter:
    """An aiosmtpd handler that only counts: a long run mails thousands of messages."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 (aiosmtpd's hook)
        self.count += 1
        return "250 OK"


def say(options: Options, message: str) -> None:
    if options.verbose:
        print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)  # noqa: T201 (a command-line tool's progress)


def run_load(options: Options) -> Result:
    """Everything, from a new database to the stopped topology; the resources it made are removed."""
    from aiosmtpd.controller import Controller

    from tests.integration.support import PrivateRedis, free_port

    result = Result(options)
    work = Path(tempfile.mkdtemp(prefix="load_"))
    result.log = work / "topology.log"
    mail = MailCounter()
    smtp = Controller(mail, hostname="127.0.0.1", port=free_port())
    redis = PrivateRedis()
    with new_database(options, result) as database_url:
        redis.start()
        smtp.start()
        try:
            started = time.monotonic()
            data, steps, seed_env = seed_steps(options, database_url, work)
            run_steps(options, steps[:1], seed_env)  # the migrations: the topology's own are then none
            port = free_port()
            env = topology_environment(options, database_url, redis.url, smtp.port, port, work)
            with result.log.open("w") as output:
                topology = subprocess.Popen(  # noqa: S603 (the project's own script)
                    [TOPOLOGY], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
                )
            try:
                # The topology collects its static files and starts while the data goes in: nothing asks it
                # for a page before the load, so it caches nothing of the data set half made.
                run_steps(options, steps[1:], seed_env)
                result.seconds["seed"] = time.monotonic() - started
                started = time.monotonic()
                wait_until_ready(topology, result.log, f"http://127.0.0.1:{port}")
                result.seconds["start"] = time.monotonic() - started
                say(options, f"topology ready {result.seconds['start']:.0f} s later; load for {options.duration} s")
                result.load_average = (os.getloadavg(), ())
                run_locust(options, result, topology, data, f"http://127.0.0.1:{port}", work)
                result.load_average = (result.load_average[0], os.getloadavg())
            finally:
                say(options, "stopping the topology")
                stop(topology)
            time.sleep(1)  # the last mails of the workers' final tasks
            result.mails = mail.count
        finally:
            smtp.stop()
            redis.stop()
    read_log(result)
    if not options.keep:
        for path in sorted(work.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        work.rmdir()
        result.log = None
    return result


@contextmanager
def new_database(options: Options, result: Result) -> Iterator[str]:
    name = f"load_{uuid.uuid4().hex[:12]}"
    server = urlsplit(options.database_server)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    result.database = name
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        if options.keep:
            say(options, f"kept the database {name}")
        else:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed_steps(options: Options, database_url: str, work: Path) -> tuple[Path, list[list[str]], dict[str, str]]:
    """The commands that make the data set, with the local settings (production settings refuse demo data);
    returns the scenario's JSON they write, the commands, and their environment."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(work)),
        "DJANGO_SETTINGS_MODULE": "samenorg.settings.local",
        "SAMENORG_ALLOW_DEMO": "1",
        "DATABASE_URL": database_url,
        "SAMENORG_VAR_DIR": str(work / "seed-var"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    data = work / "data.json"
    partners, users = max(20, options.initiatives // 30), max(100, options.initiatives // 4)
    scale = [f"--initiatives={options.initiatives}", f"--partners={partners}", f"--users={users}"]
    steps = [
        ["manage.py", "migrate", "--no-input", "--verbosity", "0"],
        ["manage.py", "load_municipalities"],
        ["manage.py", "seed_demo"],
        ["manage.py", "generate_scale_data", *scale],
        ["-m", "loadtest.seed", "--out", str(data), "--accounts", str(options.accounts), "--api-keys", str(API_KEYS)],
    ]
    return data, steps, env


def run_steps(options: Options, steps: list[list[str]], env: dict[str, str]) -> None:
    for step in steps:
        say(options, "seeding: " + " ".join(step))
        done = subprocess.run(  # noqa: S603 (the project's own commands)
            [PYTHON, *step], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step)} failed:\n{done.stdout}\n{done.stderr}")


def topology_environment(
    options: Options, database_url: str, broker: str, smtp_port: int, port: int, work: Path
) -> dict[str, str]:
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(OWN_VARIABLES)},
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CACHE_URL": broker.removesuffix("/0") + "/1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SAMENORG_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SAMENORG_VAR_DIR": str(work / "var"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    if options.gunicorn_workers:
        env["GUNICORN_WORKERS"] = str(options.gunicorn_workers)
    for name, concurrency in options.celery_concurrency.items():
        env[f"CELERY_{name.upper()}_CONCURRENCY"] = str(concurrency)
    return env


def wait_until_ready(topology: subprocess.Popen, log: Path, site: str) -> None:
    from tests.integration.support import wait_for

    def ready() -> bool:
        if topology.poll() is not None:
            raise RuntimeError(f"the topology ended early:\n{log.read_text()}")
        text = log.read_text()
        if not all(re.search(rf"^\[{name}\] .*{name}@\S+ ready\.", text, re.MULTILINE) for name in WORKERS):
            return False
        try:
            with urllib.request.urlopen(f"{site}/readyz", timeout=10) as response:  # noqa: S310 (http to loopback)
                return response.status == 200
        except OSError:
            return False

    wait_for(ready, "the topology to serve /readyz and its three workers to be ready", seconds=300)


def run_locust(options: Options, result: Result, topology: subprocess.Popen, data: Path, site: str, work: Path) -> None:
    timings = work / "timings.json"
    command = [LOCUST, "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--host", site]
    command += ["--users", str(options.users), "--spawn-rate", str(options.spawn_rate)]
    command += ["--run-time", f"{options.duration}s", "--stop-timeout", "20", "--csv", str(work / "locust")]
    command += ["--only-summary", "--loglevel", "WARNING"]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(work)),
        "PYTHONPATH": str(ROOT),
        "LOADTEST_DATA": str(data),
        "LOADTEST_TIMINGS": str(timings),
    }
    stopped = threading.Event()
    started = time.monotonic()
    sampler = threading.Thread(target=sample_memory, args=(topology.pid, started, result, stopped), daemon=True)
    sampler.start()
    try:
        locust = subprocess.run(  # noqa: S603 (locust from the project's environment)
            command, cwd=work, env=env, capture_output=True, text=True, timeout=options.duration + 120
        )
    finally:
        result.load_seconds = time.monotonic() - started
        stopped.set()
        sampler.join()
    if not (work / "locust_stats.csv").exists():
        raise RuntimeError(f"locust wrote no statistics:\n{locust.stdout}\n{locust.stderr}")
    result.stats = read_csv(work / "locust_stats.csv")
    result.failures = read_csv(work / "locust_failures.csv")
    result.timings = json.loads(timings.read_text()) if timings.exists() else {}
    if result.failed:
        say(options, f"locust reported {result.failed} failures:\n{locust.stderr[-3000:]}")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as rows:
        return list(csv.DictReader(rows))


def sample_memory(script: int, started: float, result: Result, stopped: threading.Event) -> None:
    """Once a second, the RSS of every gunicorn worker and every Celery worker process (main and pool)."""
    known: dict[int, Process] = {}
    while not stopped.is_set():
        moment = time.monotonic() - started
        for process, label in worker_processes(script):
            try:
                rss = process.memory_info().rss
            except psutil.Error:  # ended between the listing and the reading
                continue
            entry = known.setdefault(process.pid, Process(label, process.pid))
            entry.samples.append((moment, rss))
        stopped.wait(SAMPLE_EVERY)
    result.processes = sorted(known.values(), key=lambda process: (process.label, process.pid))


def worker_processes(script: int) -> Iterator[tuple[psutil.Process, str]]:
    try:
        tree = psutil.Process(script).children(recursive=True)
    except psutil.Error:
        return
    for process in tree:
        try:
            command = process.cmdline()
            parent = process.parent()
            parent_command = parent.cmdline() if parent else []
        except psutil.Error:
            continue
        line = " ".join(command)
        if "gunicorn" in line and any("gunicorn" in part for part in parent_command):
            yield process, "web worker"
        elif " worker " in line and "celery" in line:
            name = next((name for name in WORKERS if f"{name}@" in line), "celery")
            pooled = " worker " in " ".join(parent_command)
            yield process, f"celery {name} {'pool process' if pooled else 'main process'}"


def stop(topology: subprocess.Popen) -> None:
    """SIGTERM, as a supervisor stops it; whatever has not stopped after the grace period is killed."""
    if topology.poll() is not None:
        return
    tree = psutil.Process(topology.pid).children(recursive=True)
    topology.send_signal(signal.SIGTERM)
    try:
        topology.wait(GRACE)
    except subprocess.TimeoutExpired:
        topology.kill()
        topology.wait(10)
    for process in tree:
        if process.is_running():
            process.kill()


def read_log(result: Result) -> None:
    """The request log lines of the web workers (JSON with a status) and every error the processes logged."""
    if result.log is None:
        return
    for line in result.log.read_text(errors="replace").splitlines():
        prefix, _space, rest = line.partition(" ")
        if rest.startswith("{"):
            try:
                entry = json.loads(rest)
            except ValueError:
                entry = {}
            status = entry.get("status")
            if prefix == "[web]" and isinstance(status, int):
                result.statuses[status] += 1
                if status >= 500:
                    result.server_errors.append(line)
            if entry.get("level") in {"ERROR", "CRITICAL"} or "exception" in entry:
                result.error_lines.append(line)
        elif re.search(r"\b(ERROR|CRITICAL)\b|Traceback", rest):
            result.error_lines.append(line)


# -- the report ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def report(result: Result, command: str) -> str:
    options, total = result.options, result.total
    lines = [
        "# Load test results",
        "",
        "Written by `loadtest/run.py`; how the run works and how memory growth is defined: its docstring,",
        "and `loadtest/locustfile.py` for the scenario. Figures vary between runs on a shared machine.",
        "",
        "## Run",
        "",
        f"- command: `{command}`",
        f"- machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} CPUs"
        f" ({_cpu_model()}), {psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}",
        f"- load average (1, 5, 15 min) before the load: {_loadavg(result.load_average[0])};"
        f" after: {_loadavg(result.load_average[1])}",
        f"- data set: {options.initiatives} generated initiatives plus the demo content, the 342 municipalities,"
        f" {options.accounts} load accounts, {API_KEYS} API keys",
        f"- topology: gunicorn workers {options.gunicorn_workers or 'default (2 x cores + 1)'}, max_requests off;"
        f" Celery concurrency {options.celery_concurrency or 'default (events 2, mail 6, digests 1)'}",
        f"- {options.users} simulated people (visitors 5 : members 3 : partner systems 2), spawned at"
        f" {options.spawn_rate}/s, {options.duration} s of load ({result.load_seconds:.0f} s with start and stop)",
        f"- seeding took {result.seconds.get('seed', 0):.0f} s (the topology started meanwhile),"
        f" and the topology was ready {result.seconds.get('start', 0):.0f} s later",
        "",
        "## Throughput and response times",
        "",
        f"**Total: {int(total['Request Count'])} requests, {result.failed} failed,"
        f" {float(total['Requests/s']):.1f} requests/s.**",
        "",
        "| kind | requests | failed | requests/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    failed_by_kind: Counter[str] = Counter()
    for row in result.stats:
        if row["Name"] != "Aggregated":
            failed_by_kind[row["Name"].split(":")[0]] += int(row["Failure Count"])
    everything = [time for values in result.timings.values() for time in values]
    for kind, values in [*((kind, result.timings.get(kind, [])) for kind in KINDS), ("total", everything)]:
        failed = sum(failed_by_kind.values()) if kind == "total" else failed_by_kind[kind]
        lines.append(
            f"| {kind} | {len(values)} | {failed} | {len(values) / options.duration:.2f} |"
            f" {percentile(values, 0.5):.0f} | {percentile(values, 0.95):.0f} | {percentile(values, 0.99):.0f} |"
        )
    lines += [
        "",
        "Per request (locust's own percentiles):",
        "",
        "| request | count | failed | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result.stats:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} |"
            f" {row['99%']} | {float(row['Max Response Time']):.0f} |"
        )
    lines += ["", "## Errors", ""]
    lines.append(f"- failed requests (locust): {result.failed}")
    lines += [f"  - {row['Occurrences']}x {row['Name']}: {row['Error']}" for row in result.failures]
    lines.append(f"- 5xx answers in the topology's request log: {len(result.server_errors)}")
    lines += [f"  - `{line[:300]}`" for line in result.server_errors[:20]]
    lines.append(f"- ERROR lines and tracebacks in the topology's log: {len(result.error_lines)}")
    lines += [f"  - `{line[:300]}`" for line in result.error_lines[:20]]
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(result.statuses.items()))
    lines.append(f"- status codes in the request log: {statuses}")
    lines.append(f"- mails the platform sent to the SMTP sink: {result.mails}")
    lines += [
        "",
        "## Memory (RSS) of the workers",
        "",
        "Growth: median of the last quarter of the load over the median of the tenth around its midpoint.",
        "",
        "| process | pid | start MiB | midpoint MiB | last quarter MiB | max MiB | growth | lived through the run |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    length = result.load_seconds
    for process in result.processes:
        growth = result.growth(process)
        first = process.samples[0][1] if process.samples else 0
        lines.append(
            f"| {process.label} | {process.pid} | {_mib(first)} |"
            f" {_mib(process.median_between(0.45 * length, 0.55 * length))} |"
            f" {_mib(process.median_between(0.75 * length, length))} |"
            f" {_mib(max((rss for _moment, rss in process.samples), default=0))} |"
            f" {'-' if growth is None else f'{growth:+.1%}'} | {'yes' if result.lived_through(process) else 'no'} |"
        )
    lines += ["", "Samples every ten seconds (MiB):", "", "```"]
    for process in result.processes:
        series = " ".join(_mib(rss) for moment, rss in process.samples if int(moment) % 10 == 0)
        lines.append(f"{process.label} {process.pid}: {series}")
    lines += ["```", ""]
    return "\n".join(lines)


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value / 2**20:.0f}"


def _loadavg(values: tuple[float, ...]) -> str:
    return " ".join(f"{value:.2f}" for value in values) or "-"


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1) if found else "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-server",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (its database part is ignored); default: DATABASE_URL",
    )
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--users", type=int, default=20, help="simulated people at once")
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="people started per second")
    parser.add_argument("--initiatives", type=int, default=3000, help="generated initiatives")
    parser.add_argument("--accounts", type=int, default=400, help="accounts the members log in with")
    parser.add_argument("--gunicorn-workers", type=int, help="default: gunicorn.conf.py's")
    parser.add_argument("--report", type=Path, default=ROOT / "loadtest" / "RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the database and the work folder")
    arguments = parser.parse_args()
    # tests.integration.support reads Django's settings when imported: the test settings, on this server.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.test")
    os.environ["DATABASE_URL"] = arguments.database_server
    options = Options(
        database_server=arguments.database_server,
        duration=arguments.duration,
        users=arguments.users,
        spawn_rate=arguments.spawn_rate,
        initiatives=arguments.initiatives,
        accounts=arguments.accounts,
        gunicorn_workers=arguments.gunicorn_workers,
        keep=arguments.keep,
    )
    result = run_load(options)
    # What follows a "## Notes" heading in the report is a person's reading of the figures: it is kept.
    earlier = arguments.report.read_text() if arguments.report.exists() else ""
    notes = earlier[earlier.index("\n## Notes") :] if "\n## Notes" in earlier else ""
    command = shlex.join([".venv/bin/python", "-m", "loadtest.run", *sys.argv[1:]])
    arguments.report.write_text(report(result, command) + notes)
    print(f"[load] report: {arguments.report}")  # noqa: T201
    if result.log is not None:
        print(f"[load] topology log: {result.log}")  # noqa: T201
    sys.exit(1 if result.failed or result.server_errors else 0)


if __name__ == "__main__":
    main()
