# ruff: noqa: E402, E501, S101, S311, SIM905, T201 (a script: setup first, prints, pseudo-random data)
"""Benchmark: the faceted initiative list and search against a bare ``.values()`` view, side by side.

    SAMENORG_TEST_DATABASE=bench_initiatives DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    CACHE_URL=redis://127.0.0.1:6379/7 .venv/bin/python benchmarks/initiatives_list.py --sizes 10000 100000

For each size it fills a separate benchmark database (the test settings' database name, default
``bench_initiatives``; never the development or the pytest database) with a realistic spread of
initiatives, then sends requests through Django's test client (the full middleware stack, in process)
to each view in turn: the faceted views warm (the same request repeated: cache hits) and cold (the data
version bumped before every request: everything counted and rendered again). The cache is the Redis
database of ``CACHE_URL`` (default ``redis://127.0.0.1:6379/7``), flushed at the start. It writes
``benchmarks/RESULTS-initiatives.md``, keeping whatever follows its "## Notes" heading.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.test")
os.environ.setdefault("SAMENORG_TEST_DATABASE", "bench_initiatives")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/7")  # a Redis database of its own: flushed at the start

import django

django.setup()

from django.contrib.postgres.search import SearchVector
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import F, Func, TextField, Value
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone
from django.utils.html import escape

from initiatives.filtersets import ORDERINGS, Sort
from initiatives.models import CollaborationRole, Initiative, Theme
from municipalities.models import Municipality, Organisation, Province

PAGE_SIZE = 25
THEMES = [
    "Dienstverlening", "Digitalisering", "Informatieveiligheid", "Privacy en data-ethiek", "Sociaal domein",
    "Werk en inkomen", "Fysiek domein en omgevingswet", "Klimaat en energie", "Wonen",
    "Openbare orde en veiligheid", "Bedrijfsvoering", "Participatie",
]  # fmt: skip
WORDS = [
    "gemeente",
    "gemeenten",
    "inwoners",
    "wijk",
    "wijken",
    "buurt",
    "afval",
    "afvalinzameling",
    "energie",
    "warmtenet",
    "zonnepanelen",
    "fiets",
    "mobiliteit",
    "parkeren",
    "jeugd",
    "jongeren",
    "ouderen",
    "zorg",
    "mantelzorg",
    "schuldhulp",
    "armoede",
    "werk",
    "inkomen",
    "dienstverlening",
    "balie",
    "loket",
    "digitaal",
    "data",
    "privacy",
    "beveiliging",
    "omgevingswet",
    "vergunning",
    "woningen",
    "huisvesting",
    "participatie",
    "burgerpanel",
    "samenwerking",
    "regio",
    "pilot",
    "sensoren",
    "groen",
    "water",
    "klimaat",
    "hitte",
    "sport",
    "cultuur",
    "bibliotheek",
    "onderwijs",
    "school",
    "veiligheid",
    "ondermijning",
    "handhaving",
    "subsidie",
]
# Dutch compounds make a long tail of rarer words, so a search term matches a realistic share of rows.
PREFIXES = "afval energie jeugd zorg woon werk data fiets water groen school sport wijk buurt klimaat".split()
SUFFIXES = "beleid plan loket team netwerk project aanpak regeling platform app monitor fonds coach".split()
VOCABULARY = WORDS + [prefix + suffix for prefix in PREFIXES for suffix in SUFFIXES]
VOCABULARY_WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
PHASE_WEIGHTS = {"idea": 25, "exploration": 25, "pilot": 25, "implementation": 15, "proven_practice": 10}


def bare_page(request: HttpRequest) -> HttpResponse:
    """The baseline: the same page of rows, one ``.values()`` query, no facets, no template."""
    rows = (
        Initiative.objects.visible_to(request.user)
        .order_by(*ORDERINGS[Sort.NEWEST])
        .values("title", "slug", "summary", "phase")[:PAGE_SIZE]
    )
    items = "".join(
        f'<li><a href="/initiatieven/{row["slug"]}">{escape(row["title"])}</a> {escape(row["summary"])} {row["phase"]}</li>'
        for row in rows
    )
    return HttpResponse(f"<!DOCTYPE html><title>bare</title><ol>{items}</ol>")


urlpatterns = [path("bench/bare", bare_page), path("", include("samenorg.urls"))]


def build(size: int, seed: int = 20251122) -> None:
    """Replace all initiatives by ``size`` generated ones (history triggers off while loading)."""
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no history rows for generated data
        cursor.execute(
            "TRUNCATE initiatives_initiative_themes, initiatives_initiativephasechange, initiatives_initiative CASCADE"
        )
    if not Province.objects.exists():
        Province.objects.bulk_create(
            Province(code=f"PV{20 + n:02d}", name=f"Provincie {n}", slug=f"provincie-{n}") for n in range(12)
        )
    provinces = list(Province.objects.order_by("code"))
    if Municipality.objects.count() < 342:
        Municipality.objects.bulk_create(
            Municipality(code=f"GM{n:04d}", name=f"Gemeente {n}", slug=f"gemeente-{n}", province=provinces[n % 12])
            for n in range(1, 343)
        )
        Organisation.objects.bulk_create(
            Organisation(name=m.name, slug=m.slug, kind="municipality", municipality=m)
            for m in Municipality.objects.all()
        )
        Organisation.objects.bulk_create(
            Organisation(name=f"Partner {n} B.V.", slug=f"partner-{n}", kind="company") for n in range(200)
        )
    for name in THEMES:
        Theme.objects.get_or_create(slug=name.lower().replace(" ", "-"), defaults={"name": name})
    themes = list(Theme.objects.values_list("pk", flat=True))
    municipal = list(Organisation.objects.filter(kind="municipality").values_list("pk", flat=True))
    partners = list(Organisation.objects.exclude(kind="municipality").values_list("pk", flat=True))
    # Big cities register more: a mild skew over the municipalities.
    owner_weights = [1 / (1 + rank) ** 0.5 for rank in range(len(municipal))]
    now = timezone.now()

    def sentence(n: int) -> str:
        return " ".join(rng.choices(VOCABULARY, VOCABULARY_WEIGHTS, k=n))

    initiatives = []
    for number in range(size):
        status = rng.choices(["published", "draft", "archived"], [85, 10, 5])[0]
        published_at = now - timedelta(days=rng.randint(0, 1500)) if status != "draft" else None
        initiatives.append(
            Initiative(
                title=f"{sentence(4).capitalize()} {number}",
                slug=f"initiatief-{number}",
                summary=sentence(18).capitalize() + ".",
                description=" ".join(sentence(14).capitalize() + "." for _ in range(6)),
                results=sentence(20),
                tags=rng.sample(WORDS, rng.randint(0, 4)),
                roles_sought=rng.sample(CollaborationRole.values, rng.choice([0, 0, 1, 1, 2, 3])),
                phase=rng.choices(list(PHASE_WEIGHTS), list(PHASE_WEIGHTS.values()))[0],
                status=status,
                published_at=published_at,
                archived_at=now if status == "archived" else None,
                owner_id=rng.choices(municipal, owner_weights)[0] if rng.random() < 0.9 else rng.choice(partners),
            )
        )
    created = Initiative.objects.bulk_create(initiatives, batch_size=5000)
    through = Initiative.themes.through
    through.objects.bulk_create(
        (
            through(initiative_id=initiative.pk, theme_id=theme)
            for initiative in created
            for theme in rng.sample(themes, rng.choice([1, 1, 2, 2, 3]))
        ),
        batch_size=10000,
    )
    tags = Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField())
    Initiative.objects.update(
        search_vector=SearchVector("title", weight="A", config="dutch")
        + SearchVector("summary", weight="B", config="dutch")
        + SearchVector("description", "results", weight="C", config="dutch")
        + SearchVector(tags, weight="D", config="dutch")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    bump_version()  # the load ran with triggers off (no history rows), so it did not change the version itself
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE initiatives_initiative")  # also sets the visibility map: index-only scans
        cursor.execute("ANALYZE")


def bump_version() -> None:
    """What any write does (see migration 0004): a new data version, so every cached list is stale."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE initiatives_listing_version SET version = version + 1, stamp = gen_random_uuid()")


def timed_requests(client: Client, url: str, count: int, cold: bool) -> float:
    """Seconds spent in ``count`` requests; cold: a new data version before each (not timed); warm: one
    untimed request first, as the cold cases before it left a new version."""
    if not cold:
        client.get(url)
    spent = 0.0
    for _ in range(count):
        if cold:
            bump_version()
        start = time.perf_counter()
        response = client.get(url)
        spent += time.perf_counter() - start
        assert response.status_code == 200
    return spent


def queries_of(client: Client, url: str, cold: bool) -> int:
    if cold:
        bump_version()
    else:
        client.get(url)
    executed: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        client.get(url)
    return len(executed)


def measure(client: Client, args: argparse.Namespace) -> dict[tuple[str, str], tuple[float, int]]:
    """Median requests/second over the rounds and queries per request, per (view, warm or cold). The
    rounds go through all cases in turn, so a busy moment on a shared machine hits all of them alike."""
    cases = [(name, "warm") for name in CASES] + [(name, "cold") for name in CASES if name != BASELINE]
    for name, mode in cases:
        timed_requests(client, CASES[name], 3 if mode == "cold" else 10, cold=mode == "cold")  # warm-up
    rates: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
    for _ in range(args.rounds):
        for name, mode in cases:
            count = args.cold_requests if mode == "cold" else args.requests
            rates[(name, mode)].append(count / timed_requests(client, CASES[name], count, cold=mode == "cold"))
    return {
        (name, mode): (statistics.median(rates[(name, mode)]), queries_of(client, CASES[name], cold=mode == "cold"))
        for name, mode in cases
    }


def plans(client: Client) -> list[str]:
    """EXPLAIN of what a cold request reads from ``initiatives_initiative``: for the default page, the
    facet counts and a selective search. Only the lines naming the scans on that table."""
    lines: list[str] = []
    for label, url in PLANNED.items():
        bump_version()
        statements: list[tuple[str, Any]] = []

        def capture(execute: Any, sql: str, params: Any, many: bool, context: Any, statements=statements) -> Any:
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            client.get(url)
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT") or "initiatives_initiative" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = [row[0].strip() for row in cursor.fetchall()]
            what = (
                "facet counts by owner" if "n_total" in sql
                else "facet counts by theme" if "GROUP BY tt.theme_id" in sql
                else "page of rows" if "LIMIT" in sql
                else "other"
            )  # fmt: skip
            scans = [line.split("  (cost")[0].lstrip("-> ") for line in plan if "Scan" in line and "initiative" in line]
            lines.append(f"{label}, {what}: " + "; ".join(f"`{scan}`" for scan in scans))
    return lines


CASES = {
    "bare .values() view (baseline)": "/bench/bare",
    "faceted list, no filters": "/initiatieven",
    "faceted list, theme + phase + province": "/initiatieven?theme=klimaat-en-energie&phase=pilot&phase=idea&province=provincie-3",
    "search 'gemeenten' + facets": "/initiatieven?q=gemeenten",
    "search 'afvalinzameling sensoren' + theme": "/initiatieven?q=afvalinzameling+sensoren&theme=digitalisering",
}  # fmt: skip
BASELINE = next(iter(CASES))
PLANNED = {
    "default first page": "/initiatieven",
    "selective search 'klimaatcoach'": "/initiatieven?q=klimaatcoach",
}
NOTES = "## Notes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=100, help="requests per round, warm and bare view")
    parser.add_argument("--cold-requests", type=int, default=20, help="requests per round, cold")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "RESULTS-initiatives.md"))
    args = parser.parse_args()

    if not isinstance(caches["default"], RedisCache):
        raise SystemExit("CACHE_URL must name a Redis database (the default is redis://127.0.0.1:6379/7).")
    cache.clear()  # the benchmark's own Redis database: nothing cached before the run
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    results: dict[int, dict[tuple[str, str], tuple[float, int]]] = {}
    explained: dict[int, list[str]] = {}
    loads: dict[int, tuple[float, float]] = {}
    output = Path(args.output)
    notes = output.read_text(encoding="utf-8").partition(NOTES)[1:] if output.exists() else ("", "")
    try:
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], DEBUG=False):
            for size in args.sizes:
                started = time.perf_counter()
                build(size)
                print(f"{size} initiatives built in {time.perf_counter() - started:.0f} s", flush=True)
                client = Client()
                load_before = os.getloadavg()[0]
                results[size] = measure(client, args)
                loads[size] = (load_before, os.getloadavg()[0])
                for (name, mode), (rate, queries) in results[size].items():
                    print(f"  {name}, {mode}: {rate:.1f} req/s, {queries} queries", flush=True)
                explained[size] = plans(client)
                # Written after every size (and before the database goes), so a long run keeps what it measured.
                output.write_text(report(results, explained, loads, args) + "".join(notes), encoding="utf-8")
                print(f"written: {output}", flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0, keepdb=False)


def report(
    results: dict[int, dict[tuple[str, str], tuple[float, int]]],
    explained: dict[int, list[str]],
    loads: dict[int, tuple[float, float]],
    args: argparse.Namespace,
) -> str:
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
        "# Benchmark: initiative list, facets and search",
        "",
        f"Run: `benchmarks/initiatives_list.py --sizes {' '.join(map(str, args.sizes))} --requests {args.requests} "
        f"--cold-requests {args.cold_requests} --rounds {args.rounds}` on {timezone.now():%Y-%m-%d}, with "
        f"`CACHE_URL={os.environ.get('CACHE_URL')}` (flushed at the start).",
        f"Machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg} ({server}).",
        "Method: Django test client in process (full middleware stack, anonymous visitor), one process; "
        f"{args.rounds} rounds, each going through every case in turn ({args.requests} requests per warm case, "
        f"{args.cold_requests} per cold case); the median round per case. Page size {PAGE_SIZE}. "
        "**Warm**: the same request repeated, answered from the cache. **Cold**: the data version bumped before "
        "every request (not timed), so every request counts the facets, reads the page and renders it again. "
        "Data: about 85 % published, 10 % drafts, 5 % archived; 1-3 themes each; "
        "90 % owned by municipalities (mildly skewed), 10 % by partners.",
        "",
        "Load average (1 min) of the machine before and after measuring each size: "
        + ", ".join(f"{size:,}: {before:.1f} → {after:.1f}" for size, (before, after) in loads.items())
        + f" ({os.cpu_count()} CPUs).",
        "",
        "| initiatives | view | cache | requests/s | queries/request | ratio to bare view | target |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    for size, cases in results.items():
        base_rate = cases[(BASELINE, "warm")][0]
        target = 0.3 if size <= 10_000 else 0.1
        for (name, mode), (rate, queries) in cases.items():
            ratio = rate / base_rate
            baseline = name == BASELINE
            verdict = "" if baseline else f"≥ {target}: {'met' if ratio >= target else '**NOT met**'}"
            lines.append(
                f"| {size:,} | {name} | {'-' if baseline else mode} | {rate:.1f} | {queries} | {ratio:.3f} | {verdict} |"
            )
    sizes = list(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        lines += [
            "",
            f"## From {small:,} to {large:,}",
            "",
            "| view | cache | requests/s | change | ratio to bare view |",
            "|---|---|---:|---:|---:|",
        ]
        for (name, mode), (rate, _queries) in results[large].items():
            before = results[small][(name, mode)][0]
            ratios = [results[n][(name, mode)][0] / results[n][(BASELINE, "warm")][0] for n in (small, large)]
            lines.append(
                f"| {name} | {'-' if name == BASELINE else mode} | {before:.1f} → {rate:.1f} | {rate / before:.2f}x "
                f"| {ratios[0]:.3f} → {ratios[1]:.3f} |"
            )
    lines += ["", "## Plans (EXPLAIN of the statements of a cold request that read the initiatives)", ""]
    for size, found in explained.items():
        lines += [f"- {size:,}, {line}" for line in found]
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    main()
