# ruff: noqa: E402, S101, T201 (a script: setup first, asserts, prints)
"""Benchmark: the API's initiative list against a bare ``.values()`` JSON view, side by side.

    SAMENORG_TEST_DATABASE=bench_api DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    CACHE_URL=redis://127.0.0.1:6379/8 .venv/bin/python benchmarks/api_list.py --size 100000

It fills its own database (the test settings' database name, default ``bench_api``) with the generated
initiatives of ``initiatives_list.py``, then sends requests through Django's test client (the full
middleware stack, in process), in rounds that go through every case in turn: the bare view (the same
first page of 25 rows from ``visible_to(user)``, one ``.values()`` query, rendered as JSON), and
``/api/v1/initiatives`` anonymously and with an API key (authentication, last-used bookkeeping and the
rate limits on the Redis cache all on; the limits are set high enough not to refuse). It writes
``benchmarks/RESULTS-api.md``, keeping whatever follows its "## Notes" heading.
"""

import argparse
import os
import platform
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SAMENORG_TEST_DATABASE", "bench_api")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/8")  # a Redis database of its own: flushed at the start

import initiatives_list  # sets Django up, and builds the data
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, JsonResponse
from django.test import Client, override_settings
from django.urls import include, path
from rest_framework.settings import api_settings

from api.models import ApiKey
from initiatives.filtersets import ORDERINGS, Sort
from initiatives.models import Initiative
from municipalities.models import Organisation

PAGE_SIZE = 25
FIELDS = ("slug", "title", "summary", "phase", "status", "published_at", "updated_at")


def bare_page(request: HttpRequest) -> JsonResponse:
    """The baseline: the same first page of rows, one ``.values()`` query, as JSON."""
    rows = Initiative.objects.visible_to(request.user).order_by(*ORDERINGS[Sort.NEWEST]).values(*FIELDS)[:PAGE_SIZE]
    return JsonResponse({"results": list(rows)})


urlpatterns = [path("bench/bare", bare_page), path("", include("samenorg.urls"))]

CASES = {  # name: (path, whose key or None)
    "bare .values() view (baseline)": ("/bench/bare", None),
    "API list, anonymous": ("/api/v1/initiatives", None),
    "API list, key of a median municipality": ("/api/v1/initiatives", "median"),
    "API list, key of the largest owner": ("/api/v1/initiatives", "largest"),
    "API list, anonymous, phase=pilot": ("/api/v1/initiatives?phase=pilot", None),
    "API list, key of a median municipality, phase=pilot": ("/api/v1/initiatives?phase=pilot", "median"),
}
BASELINE = next(iter(CASES))
TARGETS = {"API list, anonymous": 0.5, "API list, key of a median municipality": 0.4}


def key_organisations() -> dict[str, Organisation]:
    """A municipality with the median number of initiatives, and the one with the most (its drafts are
    what a key sees besides the public rows, so its list costs the most)."""
    ranked = list(
        Organisation.objects.filter(kind="municipality").annotate(owned=Count("initiatives")).order_by("owned", "pk")
    )
    return {"median": ranked[len(ranked) // 2], "largest": ranked[-1]}


def make_key(organisation: Organisation) -> str:
    secret = f"sok_{secrets.token_urlsafe(32)}"
    ApiKey.objects.create(
        organisation=organisation, name="bench", prefix=secret[:12], key_hash=ApiKey.hash(secret), scope="read"
    )
    return secret


NOTES = "## Notes"


def timed(client: Client, url: str, headers: dict[str, str], count: int) -> float:
    spent = 0.0
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        spent += time.perf_counter() - start
        assert response.status_code == 200, response.content[:300]
    return spent


def queries_of(client: Client, url: str, headers: dict[str, str]) -> int:
    executed: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        client.get(url, headers=headers)
    return len(executed)


def measure(client: Client, keys: dict[str, str], args: argparse.Namespace) -> dict[str, tuple[float, int, int]]:
    """Median requests/second over the rounds; queries per request on a page of 25 and of 100 rows."""
    headers = {name: {"X-Api-Key": keys[whose]} if whose else {} for name, (_url, whose) in CASES.items()}
    for name, (url, _keyed) in CASES.items():
        timed(client, url, headers[name], 20)  # warm-up
    rates: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.rounds):
        for name, (url, _keyed) in CASES.items():
            rates[name].append(args.requests / timed(client, url, headers[name], args.requests))
    return {
        name: (
            statistics.median(rates[name]),
            queries_of(client, url, headers[name]),
            queries_of(client, url + ("&" if "?" in url else "?") + "pageSize=100", headers[name]),
        )
        for name, (url, _keyed) in CASES.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per case per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "RESULTS-api.md"))
    args = parser.parse_args()

    if not isinstance(caches["default"], RedisCache):
        raise SystemExit("CACHE_URL must name a Redis database (the default is redis://127.0.0.1:6379/8).")
    cache.clear()
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    output = Path(args.output)
    notes = "".join(output.read_text(encoding="utf-8").partition(NOTES)[1:]) if output.exists() else ""
    rates = dict.fromkeys(("apiKey", "user", "anonymous"), "100000000/hour")  # counted, never refused
    try:
        started = time.perf_counter()
        initiatives_list.build(args.size)
        print(f"{args.size} initiatives built in {time.perf_counter() - started:.0f} s", flush=True)
        keys = {which: make_key(organisation) for which, organisation in key_organisations().items()}
        rest_framework = {**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": rates}
        with override_settings(
            ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], DEBUG=False, REST_FRAMEWORK=rest_framework
        ):
            load_before = os.getloadavg()[0]
            results = measure(Client(), keys, args)
            load = (load_before, os.getloadavg()[0])
        for name, (rate, queries, queries_100) in results.items():
            print(f"  {name}: {rate:.1f} req/s, {queries}/{queries_100} queries", flush=True)
        output.write_text(report(results, load, args) + notes, encoding="utf-8")
        print(f"written: {output}", flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0, keepdb=False)


def report(results: dict[str, tuple[float, int, int]], load: tuple[float, float], args: argparse.Namespace) -> str:
    import django

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    baseline = results[BASELINE][0]
    lines = [
        "# Benchmark: the API's initiative list",
        "",
        f"Run: `benchmarks/api_list.py --size {args.size} --requests {args.requests} --rounds {args.rounds}` on "
        f"{time.strftime('%Y-%m-%d')}, with `CACHE_URL={os.environ['CACHE_URL']}` (flushed at the start).",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {server}.",
        "Method: Django test client in process (full middleware stack); "
        f"{args.rounds} rounds, each going through every case in turn ({args.requests} requests per case); the "
        "median round per case. First page, 25 rows, newest first. The bare view reads the same page from "
        "`visible_to(user)` with one `.values()` query and returns it as JSON. With a key: authentication "
        "(one query), last-used bookkeeping (no write within the minute) and the per-key rate limit on Redis.",
        "",
        f"Load average (1 min) before and after measuring: {load[0]:.1f} → {load[1]:.1f}.",
        "",
        "| case | requests/s | queries (25 rows / 100 rows) | ratio to bare view | target |",
        "|---|---:|---:|---:|---|",
    ]
    for name, (rate, queries, queries_100) in results.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"≥ {target}: {'met' if rate / baseline >= target else '**NOT met**'}"
        lines.append(f"| {name} | {rate:.1f} | {queries} / {queries_100} | {rate / baseline:.3f} | {verdict} |")
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    main()
