# ruff: noqa: E402, E501, S101, T201 (a script: setup first, long report lines, asserts, prints)
"""Every benchmark in one run, on the scale data set, each page side by side with a bare view of its rows.

    make bench
    # or, for a quick look (about a minute; also the check of the data builder):
    .venv/bin/python benchmarks/run_all.py --sizes 1000 2000 --rounds 1 --seconds 0.2 --output /tmp/RESULTS.md

It builds the scale data set (``scale_data.py``) in its own database (``bench_scale``, made and dropped with
Django's test machinery, unless ``--keep``; never the development or a pytest database) at each size in turn, 10,000 and then
100,000 initiatives, and after each size measures, in one process:

- requests through Django's test client (the full middleware stack, in process) to each page and to its
  bare view (``scale_views.py``), in rounds that go through all cases of a benchmark in turn; each case gets
  as many requests per round as fit in ``--seconds`` (at least two); the median round. Per case: requests/s,
  ratio to the bare view, queries per request, the peak of Python allocations during one request
  (tracemalloc, untimed), and per benchmark the process's resident-memory high-water mark (Linux
  ``VmHWM``, reset at the benchmark's start);
- the event fan-out to the followers of one initiative against one bare ``INSERT ... SELECT`` of the same
  rows (each in a transaction rolled back afterwards);
- the weekly digest of every user in a fresh worker process (``digests.py``'s worker).

``--keep`` keeps the database and ``--reuse`` starts from it (adding nothing when it has the size
already). PostgreSQL's JIT is off, as the platform's settings have it (``RESULTS-jit-on.md`` is a run from
before that, with it on). The cache is the Redis
database of ``CACHE_URL`` (default ``redis://127.0.0.1:6379/7``), flushed at the start. It writes ``benchmarks/RESULTS.md`` after each size, keeping whatever follows its "## Notes" heading.
"""

import argparse
import logging
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
os.environ.setdefault("SAMENORG_TEST_DATABASE", "bench_scale")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/7")  # a Redis database of its own: flushed at the start

import api_list  # sets Django up (test settings), through initiatives_list
import digests
import initiatives_list
import report
import scale_data
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.settings import api_settings

from collaboration.models import Participation
from initiatives.models import Initiative
from municipalities.models import Membership
from samenorg.accounts.models import User
from samenorg.events.models import Event
from samenorg.notifications.fanout import fan_out_event
from tests.second_factor import log_in_with_second_factor

NOTES = "## Notes"


@dataclass
class Case:
    name: str
    url: str
    who: str = "anonymous"  # which client: anonymous, member (of an organisation taking part), admin, key
    before: Callable[[], None] | None = None  # untimed, before every request: makes it cold
    targets: dict[str, float] = field(default_factory=dict)  # "small" / "large": least ratio to the bare view


@dataclass
class Benchmark:
    title: str
    issue: str
    cases: list[Case]  # the first is the bare view
    requirement: str


def clear_cache() -> None:
    cache.clear()


def benchmarks() -> list[Benchmark]:
    listing = {"small": 0.3, "large": 0.1}
    bump = initiatives_list.bump_version
    faceted = [name for name in initiatives_list.CASES if name != initiatives_list.BASELINE]
    api_cases = [name for name in api_list.CASES if name != api_list.BASELINE]
    api_targets = {name: {"large": target} for name, target in api_list.TARGETS.items()}
    return [
        Benchmark(
            "Initiative list, facets and search",
            "3",
            [Case("bare .values() view", "/bench/list")]
            + [Case(f"{name}, warm", initiatives_list.CASES[name], targets=listing) for name in faceted]
            + [Case(f"{name}, cold", initiatives_list.CASES[name], before=bump, targets=listing) for name in faceted],
            "at 10,000 initiatives ≥ 0.3x the bare view, at 100,000 ≥ 0.1x. Warm: the same request repeated "
            "(cache hits); cold: the data version bumped before every request (untimed), so everything is "
            "counted and rendered again.",
        ),
        Benchmark(
            "API initiative list",
            "7",
            [Case("bare .values() JSON view", "/bench/list.json")]
            + [
                Case(
                    name,
                    api_list.CASES[name][0],
                    who=f"key:{api_list.CASES[name][1]}" if api_list.CASES[name][1] else "anonymous",
                    targets=api_targets.get(name, {}),
                )
                for name in api_cases
            ],
            "at 100,000 initiatives anonymous ≥ 0.5x the bare view, with a key ≥ 0.4x. Rate limits on Redis "
            "counted, set high enough not to refuse.",
        ),
        Benchmark(
            "Initiative detail page (200 organisations taking part, 50 milestones, 500 comments)",
            "4",
            [
                Case("bare .values() view (4 queries)", f"/bench/detail/{scale_data.DETAIL}"),
                Case("detail page, anonymous", f"/initiatieven/{scale_data.DETAIL}"),
                Case(
                    "detail page, member of an organisation taking part",
                    f"/initiatieven/{scale_data.DETAIL}",
                    who="member",
                ),
            ],
            "a fixed number of queries, whatever the number of participants, milestones and comments; no ratio "
            "was set.",
        ),
        Benchmark(
            "Standard adoption (342 municipalities recorded)",
            "5",
            [
                Case("bare .values() view (2 queries)", f"/bench/standard/{scale_data.STANDARD}"),
                Case("standard page with map, warm", f"/standaarden/{scale_data.STANDARD}"),
                Case(
                    "standard page with map, cold (cache cleared)",
                    f"/standaarden/{scale_data.STANDARD}",
                    before=clear_cache,
                ),
                Case("dashboard of all standards, warm", "/standaarden/overname"),
                Case("dashboard of all standards, cold (cache cleared)", "/standaarden/overname", before=clear_cache),
            ],
            "fixed queries; the map's SVG built once per change of the register (warm: from the cache); no ratio "
            "was set.",
        ),
        Benchmark(
            "Admin audit trail",
            "8",
            [
                Case("bare .values() view, first 50 changes", "/bench/audit", who="admin"),
                Case("audit trail, unfiltered", "/beheer/audit/auditevent/", who="admin"),
                Case(
                    "audit trail, initiatives only",
                    "/beheer/audit/auditevent/?model=initiatives.initiative",
                    who="admin",
                ),
                Case(
                    "audit trail, one organisation's changes",
                    "/beheer/audit/auditevent/?organisation={organisation}",
                    who="admin",
                ),
            ],
            "none set; issue 8 measured 1.5-2.5 s a request unfiltered at 300,000 history rows.",
        ),
    ]


# Measuring


def status_mb(name: str) -> float:
    return digests.status_mb(name)


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from the current RSS


def request(client: Client, case: Case, headers: dict[str, str]) -> float:
    if case.before:
        case.before()
    start = time.perf_counter()
    response = client.get(case.url, headers=headers)
    spent = time.perf_counter() - start
    assert response.status_code == 200, (case.url, response.status_code, response.content[:300])
    return spent


def queries_and_memory(client: Client, case: Case, headers: dict[str, str]) -> tuple[int, float]:
    """Queries of one request, and the peak of Python allocations during another (both untimed)."""
    if not case.before:
        client.get(case.url, headers=headers)
    executed: list[str] = []
    if case.before:
        case.before()
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        client.get(case.url, headers=headers)
    if case.before:
        case.before()
    tracemalloc.start()
    client.get(case.url, headers=headers)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return len(executed), peak


def measure(
    benchmark: Benchmark, clients: dict[str, tuple[Client, dict[str, str]]], args: argparse.Namespace
) -> dict[str, Any]:
    """Per case: median requests/s over the rounds, queries, tracemalloc peak; the benchmark's RSS peak."""
    reset_peak()
    load_before = os.getloadavg()[0]
    counts = {}
    for case in benchmark.cases:
        client, headers = clients[case.who]
        request(client, case, headers)  # warm-up: caches, connections, first compilations
        counts[case.name] = max(2, min(args.max_requests, round(args.seconds / request(client, case, headers))))
    rates: dict[str, list[float]] = {case.name: [] for case in benchmark.cases}
    for _ in range(args.rounds):
        for case in benchmark.cases:
            client, headers = clients[case.who]
            spent = sum(request(client, case, headers) for _ in range(counts[case.name]))
            rates[case.name].append(counts[case.name] / spent)
    results = {}
    for case in benchmark.cases:
        client, headers = clients[case.who]
        queries, peak = queries_and_memory(client, case, headers)
        results[case.name] = {"rate": statistics.median(rates[case.name]), "queries": queries, "traced_mb": peak,
                              "requests": counts[case.name]}  # fmt: skip
        print(f"  {case.name}: {results[case.name]['rate']:.1f}/s, {queries} queries, {peak:.1f} MB", flush=True)
    return {"cases": results, "rss_peak_mb": status_mb("VmHWM"), "load": (load_before, os.getloadavg()[0])}


def measure_fanout(args: argparse.Namespace) -> dict[str, Any]:
    """The notifications of one event on the initiative half the users follow, against one bare
    ``INSERT ... SELECT`` of a row per follower; each in a transaction that is rolled back."""
    reset_peak()
    load_before = os.getloadavg()[0]
    initiative = Initiative.objects.get(slug=scale_data.FANOUT)
    written: list[int] = []

    def new_event() -> Event:
        return Event.objects.create(type="initiative.updated", organisation_id=initiative.owner_id,
                                    initiative=initiative, audience="public", payload={})  # fmt: skip

    def fanout() -> None:
        with transaction.atomic():
            event = new_event()
            fan_out_event(event)
            written.append(event.notifications.count())
            transaction.set_rollback(True)

    def bare() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            event = new_event()
            cursor.execute(
                "INSERT INTO notifications_notification (user_id, event_id, reason, frequency, created_at, email_state, email_attempts) "
                "SELECT user_id, %s, 'follower', frequency, now(), 'none', 0 FROM collaboration_follow "
                "WHERE initiative_id = %s AND frequency <> 'off'",
                [event.pk, initiative.pk],
            )
            written.append(cursor.rowcount)
            transaction.set_rollback(True)

    cases = {"bare INSERT ... SELECT of the followers": bare, "fan_out_event (notifications consumer)": fanout}
    counts = {}
    for name, run in cases.items():
        run()
        start = time.perf_counter()
        run()
        counts[name] = max(2, min(args.max_requests, round(args.seconds / (time.perf_counter() - start))))
    rates: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, run in cases.items():
            start = time.perf_counter()
            for _ in range(counts[name]):
                run()
            rates[name].append(counts[name] / (time.perf_counter() - start))
    results = {}
    for name, run in cases.items():
        written.clear()
        executed: list[str] = []
        with connection.execute_wrapper(lambda execute, sql, *a, seen=executed: seen.append(sql) or execute(sql, *a)):
            run()
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        # Creating the event and counting what was written are the benchmark's own statements.
        results[name] = {"rate": statistics.median(rates[name]), "queries": len(executed) - 2 if "fan_out" in name else len(executed) - 1,
                         "traced_mb": peak, "rows": written[0], "requests": counts[name]}  # fmt: skip
        print(f"  {name}: {results[name]}", flush=True)
    return {"cases": results, "rss_peak_mb": status_mb("VmHWM"), "load": (load_before, os.getloadavg()[0])}


def measure_digests(args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT user_id), count(*) FROM notifications_notification WHERE frequency = 'weekly'"
        )
        people, items = cursor.fetchone()
    run = digests.worker("run", args.batch_size)
    again = digests.worker("run", args.batch_size)
    print(f"  digests: {run}", flush=True)
    return {"people": people, "items": items, "run": run, "again": again, "load": (load_before, os.getloadavg()[0])}


def make_clients() -> dict[str, tuple[Client, dict[str, str]]]:
    """The anonymous visitor; a member of an organisation taking part in the detail page's initiative; a
    superuser who passed the second factor (a generated user, so the user count stays as built); and API
    keys of a median and the largest municipality."""
    detail = Initiative.objects.get(slug=scale_data.DETAIL)
    taking_part = Participation.objects.active().filter(initiative=detail).exclude(organisation_id=detail.owner_id)
    member = User.objects.get(
        pk=Membership.objects.filter(organisation__in=taking_part.values("organisation")).values("user")[:1]
    )
    admin = User.objects.exclude(pk=member.pk).order_by("pk").first()
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    admin.refresh_from_db()
    clients = {"anonymous": (Client(), {})}
    member_client, admin_client = Client(), Client()
    member_client.force_login(member)
    log_in_with_second_factor(admin_client, admin)
    clients["member"] = (member_client, {})
    clients["admin"] = (admin_client, {})
    for which, organisation in api_list.key_organisations().items():
        clients[f"key:{which}"] = (Client(), {"X-Api-Key": api_list.make_key(organisation)})
    return clients


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    steps = scale_data.grow_to(size)
    build_seconds = time.perf_counter() - started
    counts = scale_data.table_counts()
    print(f"{size:,} initiatives: built in {build_seconds:.0f} s: {counts}", flush=True)
    cache.clear()
    clients = make_clients()
    organisation = (
        Participation.objects.filter(initiative__slug=scale_data.DETAIL)
        .values_list("organisation_id", flat=True)
        .first()
    )
    measured: dict[str, Any] = {}
    rates = dict.fromkeys(("apiKey", "user", "anonymous"), "100000000/hour")  # counted, never refused
    rest_framework = {**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": rates}
    with override_settings(
        ROOT_URLCONF="scale_views", ALLOWED_HOSTS=["testserver"], DEBUG=False, REST_FRAMEWORK=rest_framework
    ):
        for benchmark in benchmarks():
            if args.only and benchmark.issue not in args.only:
                continue
            for case in benchmark.cases:
                case.url = case.url.format(organisation=organisation)
            print(f"{benchmark.title}:", flush=True)
            measured[benchmark.title] = measure(benchmark, clients, args)
    if not args.only or "6" in args.only:
        print("Event fan-out:", flush=True)
        measured["fanout"] = measure_fanout(args)
        print("Weekly digest:", flush=True)
        measured["digests"] = measure_digests(args)
    return {"steps": steps, "build_seconds": build_seconds, "counts": counts, "measured": measured}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="initiatives, ascending")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.5, help="time per case per round (sets its request count)")
    parser.add_argument("--max-requests", type=int, default=200, help="requests per case per round, at most")
    parser.add_argument("--batch-size", type=int, default=digests.BATCH_SIZE, help="the digest's batch")
    parser.add_argument("--only", nargs="+", help="only the benchmarks of these issues (3 4 5 6 7 8)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--reuse", action="store_true", help="start from the kept database (of --keep)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args = parser.parse_args()
    if args.sizes != sorted(args.sizes):
        raise SystemExit("--sizes must be ascending: each size adds to the one before.")
    if not isinstance(caches["default"], RedisCache):
        raise SystemExit("CACHE_URL must name a Redis database (the default is redis://127.0.0.1:6379/7).")
    cache.clear()
    logging.getLogger("samenorg.requests").setLevel(logging.WARNING)  # a line per request: not measured here
    output = Path(args.output)
    notes = "".join(output.read_text(encoding="utf-8").partition(NOTES)[1:]) if output.exists() else ""
    machine = {"load_start": os.getloadavg(), "started": timezone.now()}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.reuse, serialize=False)
    results: dict[int, Any] = {}
    try:
        for size in args.sizes:
            results[size] = run_size(size, args)
            machine["load_end"] = os.getloadavg()
            machine["minutes"] = (timezone.now() - machine["started"]).total_seconds() / 60
            output.write_text(report.render(results, machine, args, benchmarks()) + notes, encoding="utf-8")
            print(f"written: {output}", flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0, keepdb=False)


if __name__ == "__main__":
    main()
