# ruff: noqa: E402, E501, S603, T201 (a script: setup first, long report lines, runs itself as the worker, prints)
"""Benchmark: a weekly digest run for 20,000 people with about 5 items each.

    SAMENORG_TEST_DATABASE=bench_digests DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python benchmarks/digests.py --people 2000 20000

For each size it fills a separate benchmark database (the test settings' database name, default
``bench_digests``; never the development or a pytest database) with that many people, each told of 3 to 7
events of the past week at the weekly frequency (5 on average), about 10,000 events over 1,000 initiatives
and 20 standards. Then a fresh child process (the "worker": Django set up, nothing else loaded) runs the
weekly digest of the latest Monday 07:00 as the Celery task does, in batches of ``--batch-size``, with an
e-mail backend that builds every message in full (MIME, both parts) and throws it away. Three runs per size:

1. the run itself: wall time, queries per batch (counted per statement, bucketed at each claim), and the
   worker's resident memory after setup and at its peak during the run (Linux: ``VmHWM`` of
   /proc/self/status, reset just before the run);
2. for sizes up to ``--tracemalloc-up-to``, the digests deleted and the run repeated under ``tracemalloc``:
   the peak of Python allocations during the run (several times slower, so not timed);
3. the run again with nothing left to send: what a second run costs, and that it sends nothing.

It writes ``benchmarks/RESULTS-digests.md``, keeping whatever follows its "## Notes" heading.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.test")
os.environ.setdefault("SAMENORG_TEST_DATABASE", "bench_digests")

import django

django.setup()

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from initiatives.models import Initiative
from municipalities.models import Organisation
from samenorg.accounts.models import User
from samenorg.events.models import Event
from samenorg.notifications.digests import BATCH_SIZE, digests_send, period_end_for
from standards.models import Standard

NOTES = "## Notes"
EVENTS = 10_000
STRIDE = 104_729
EVENT_KINDS = [
    ("initiative.updated", {}),
    ("milestone.achieved", {"title": "Eerste wijk aangesloten"}),
    ("initiative.phase_changed", {"phase": "pilot"}),
    ("participation.accepted", {"role": "participant"}),
    ("comment.posted", {}),
]


class CountingBackend(BaseEmailBackend):
    """Builds each message as SMTP would send it (headers, text and HTML parts) and keeps only a count."""

    messages = 0
    octets = 0

    def send_messages(self, email_messages: Any) -> int:
        for message in email_messages:
            CountingBackend.messages += 1
            CountingBackend.octets += len(message.message().as_bytes())
        return len(email_messages)


# The parent: build the data, start the worker runs, write the report


def build(people: int, period_end: Any) -> None:
    """Replace everything with ``people`` people and their week of notifications (triggers off while loading:
    no history rows, no foreign-key checks; the data is consistent by construction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "TRUNCATE notifications_digest, notifications_notification, events_event, initiatives_initiative, "
            "standards_standard, municipalities_organisation, accounts_user RESTART IDENTITY CASCADE"
        )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Gemeente {n}", slug=f"gemeente-{n}", kind="company") for n in range(50)
    )
    initiatives = Initiative.objects.bulk_create(
        (
            Initiative(
                title=f"Initiatief {n}",
                slug=f"initiatief-{n}",
                summary="Een lokale oplossing die anderen kunnen hergebruiken.",
                owner=organisations[n % len(organisations)],
                status="published",
                published_at=period_end,
            )
            for n in range(1000)
        ),
        batch_size=1000,
    )
    standards = Standard.objects.bulk_create(
        Standard(name=f"Standaard {n}", slug=f"standaard-{n}", description="Een werkwijze.") for n in range(20)
    )
    events = []
    for n in range(EVENTS):
        organisation = organisations[n % len(organisations)]
        if n % 7 == 0:
            events.append(
                Event(
                    type="standard.version_released",
                    organisation=organisation,
                    standard=standards[n % len(standards)],
                    audience="public",
                    payload={"version": f"1.{n % 9}.0"},
                )
            )
        else:
            kind, payload = EVENT_KINDS[n % len(EVENT_KINDS)]
            events.append(
                Event(
                    type=kind,
                    organisation=organisation,
                    initiative=initiatives[n % len(initiatives)],
                    audience="public",
                    payload=payload,
                )
            )
    Event.objects.bulk_create(events, batch_size=5000)
    User.objects.bulk_create(
        (
            User(email=f"persoon{n}@bench.example", name=f"Persoon {n}", language="en" if n % 5 == 0 else "nl")
            for n in range(people)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_event SET occurred_at = %s - interval '5 seconds' - random() * interval '6 days 23 hours'",
            [period_end],
        )
        add_weekly_notifications(cursor, period_end)
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("VACUUM ANALYZE")


def add_weekly_notifications(cursor: Any, period_end: Any) -> None:
    """Every person hears of 3 + id % 5 of the events of the week before ``period_end`` (5 on average), at
    the weekly frequency: the events numbered in id order, picked by strides coprime with most counts
    (and a person's picks are distinct as long as the week holds more than 6 events, not a multiple of
    the stride). Also the scale data set's notifications (``scale_data.py``)."""
    cursor.execute(
        """
        WITH week AS (SELECT id, occurred_at, row_number() OVER (ORDER BY id) - 1 AS n FROM events_event
                       WHERE occurred_at > %s - interval '7 days' AND occurred_at <= %s),
             counted AS (SELECT count(*) AS c FROM week)
        INSERT INTO notifications_notification
               (user_id, event_id, reason, frequency, created_at, email_state, email_attempts)
        SELECT account.id, week.id, 'follower', 'weekly', week.occurred_at + interval '1 second', 'none', 0
          FROM accounts_user account
         CROSS JOIN LATERAL generate_series(0, 2 + account.id %% 5) AS k
          JOIN week ON week.n = (account.id * 7919 + k * %s) %% (SELECT c FROM counted)
        ON CONFLICT DO NOTHING
        """,
        [period_end, period_end, STRIDE],
    )


def worker(mode: str, batch_size: int) -> dict[str, Any]:
    """Run the child process and read back what it measured."""
    env = {**os.environ, "BENCH_DATABASE": connection.settings_dict["NAME"]}
    done = subprocess.run(
        [sys.executable, __file__, "--worker", mode, "--batch-size", str(batch_size)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(people: int, batch_size: int, tracemalloc_up_to: int) -> dict[str, Any]:
    period_end = period_end_for("weekly", timezone.now())
    started = time.perf_counter()
    build(people, period_end)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM notifications_notification")
        items = cursor.fetchone()[0]
    print(f"{people:,} people, {items:,} items built in {time.perf_counter() - started:.0f} s", flush=True)
    load_before = os.getloadavg()[0]
    first = worker("run", batch_size)
    load_after = os.getloadavg()[0]
    print(f"  run: {first}", flush=True)
    traced = None
    if people <= tracemalloc_up_to:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM notifications_digest")
        traced = worker("tracemalloc", batch_size)
        print(f"  under tracemalloc: {traced}", flush=True)
    again = worker("run", batch_size)
    print(f"  second run: {again}", flush=True)
    return {
        "people": people,
        "items": items,
        "load": (load_before, load_after),
        "first": first,
        "traced": traced,
        "again": again,
    }


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line),
        platform.processor(),
    ) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    database = connection.settings_dict
    host = database.get("HOST") or ""
    server = f"Unix socket {host}" if host.startswith("/") or not host else f"at {host}:{database['PORT']}"
    lines = [
        "# Benchmark: the weekly digest",
        "",
        f"Run: `SAMENORG_TEST_DATABASE=bench_digests DATABASE_URL={os.environ.get('DATABASE_URL', '')} "
        f".venv/bin/python benchmarks/digests.py --people {' '.join(map(str, args.people))} "
        f"--batch-size {args.batch_size} --tracemalloc-up-to {args.tracemalloc_up_to}` on {timezone.now():%Y-%m-%d}.",
        f"Machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg} ({server}); shared with "
        "other work, see the load averages.",
        "Method: a fresh child process runs `digests_send` for the weekly period (as the Celery task and "
        "`manage.py send_digests` do) with an e-mail backend that builds every message in full and discards it. "
        "Each person has 3-7 unread weekly notifications (5 on average) of the past week; 80 % read Dutch, "
        "20 % English. RSS after setup is the worker's resident memory once Django is set up and connected; the peak is the highest resident memory during the run (Linux `VmHWM`, reset just before the run); the tracemalloc peak is of a repeat of the same run "
        "(digests deleted first), untimed (it runs several times slower).",
        "",
        "| people | items | batches | queries per batch | queries in all | run time | per person | mails "
        "| MIME bytes | RSS after setup | peak RSS in the run | tracemalloc peak | second run | load (1 min) |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for result in results:
        first, traced, again = result["first"], result["traced"], result["again"]
        per_batch = sorted(set(first["queries_per_batch"]))
        traced_peak = f"{traced['traced_peak_mb']:.1f} MB" if traced else "-"
        lines.append(
            f"| {result['people']:,} | {result['items']:,} | {first['batches']} | "
            f"{', '.join(map(str, per_batch))} (+{first['queries_outside_batches']} per run) | {first['queries']} | "
            f"{first['seconds']:.1f} s | {1000 * first['seconds'] / result['people']:.2f} ms | {first['sent']:,} | "
            f"{first['octets'] / 1e6:.0f} MB | {first['rss_setup_mb']:.0f} MB | {first['rss_peak_mb']:.0f} MB | "
            f"{traced_peak} | {again['seconds']:.2f} s, {again['sent']} sent | "
            f"{result['load'][0]:.1f} → {result['load'][1]:.1f} |"
        )
    return "\n".join(lines) + "\n\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[20_000])
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument(
        "--tracemalloc-up-to", type=int, default=20_000, help="repeat under tracemalloc up to this size"
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "RESULTS-digests.md"))
    parser.add_argument("--worker", choices=["run", "tracemalloc"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_in_worker(args.worker, args.batch_size)))
        return

    connection.creation.create_test_db(verbosity=0, keepdb=True)
    output = Path(args.output)
    notes = output.read_text(encoding="utf-8").partition(NOTES)[1:] if output.exists() else ("", "")
    results = []
    try:
        for people in args.people:
            results.append(measure(people, args.batch_size, args.tracemalloc_up_to))
            output.write_text(report(results, args) + "".join(notes), encoding="utf-8")
            print(f"written: {output}", flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0, keepdb=False)


# The child: one digest run, measured


def status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM the peak), in MiB."""
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def run_in_worker(mode: str, batch_size: int) -> dict[str, Any]:
    connection.settings_dict["NAME"] = os.environ["BENCH_DATABASE"]
    settings.EMAIL_BACKEND = "__main__.CountingBackend"
    batches: list[int] = []
    outside = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "WITH candidate AS" in sql:
            batches.append(0)
        if batches:
            batches[-1] += 1
        else:
            outside[0] += 1
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    rss_setup = status_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) starts again from here
    period_end = period_end_for("weekly", timezone.now())
    if mode == "tracemalloc":
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        run = digests_send(frequency="weekly", period_end=period_end, batch_size=batch_size)
    seconds = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if mode == "tracemalloc" else None
    # The claim that finds nobody ends the run; it is no batch of its own.
    trailing = 1 if batches and batches[-1] == 1 else 0
    per_batch = batches[: len(batches) - trailing]
    return {
        "sent": run.sent,
        "empty": run.empty,
        "failed": run.failed,
        "batches": run.batches,
        "seconds": seconds,
        "queries": sum(batches) + outside[0],
        "queries_per_batch": per_batch,
        "queries_outside_batches": outside[0] + trailing,
        "mails": CountingBackend.messages,
        "octets": CountingBackend.octets,
        "rss_setup_mb": rss_setup,
        "rss_peak_mb": status_mb("VmHWM"),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "traced_peak_mb": traced_peak,
    }


if __name__ == "__main__":
    main()
