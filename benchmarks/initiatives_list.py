# ruff: noqa: E402, E501, S101, S311, SIM905, T201 (a script: setup first, prints, pseudo-random data)
"""Benchmark: the faceted initiative list and search against a bare ``.values()`` view, side by side.

    SAMENORG_TEST_DATABASE=bench_initiatives .venv/bin/python benchmarks/initiatives_list.py \
        --sizes 10000 100000 --requests 200

For each size it fills a separate benchmark database (the test settings' database name, default
``bench_initiatives``; never the development or the pytest database) with a realistic spread of
initiatives, then sends the same number of requests through Django's test client (the full
middleware stack, in process) to each view in turn, and writes ``benchmarks/RESULTS-initiatives.md``.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.test")
os.environ.setdefault("SAMENORG_TEST_DATABASE", "bench_initiatives")

import django

django.setup()

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchVector
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
        cursor.execute("VACUUM ANALYZE initiatives_initiative")
        cursor.execute("ANALYZE initiatives_initiative_themes")


def measure(client: Client, url: str, requests: int, rounds: int) -> tuple[float, int]:
    """Best requests/second over ``rounds`` runs of ``requests``, and the queries per request."""
    for _ in range(10):
        assert client.get(url).status_code == 200
    executed: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        client.get(url)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(requests):
            client.get(url)
        rates.append(requests / (time.perf_counter() - start))
    return statistics.median(rates), len(executed)


def search_plan(text: str) -> str:
    from initiatives.filtersets import InitiativeFilterSet

    queryset = InitiativeFilterSet({"q": text}, queryset=Initiative.objects.visible_to(AnonymousUser())).qs
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    return next((line.strip() for line in plan if "initiative_search_vector" in line), "GIN index NOT used")


CASES = {
    "bare .values() view (baseline)": "/bench/bare",
    "faceted list, no filters": "/initiatieven",
    "faceted list, theme + phase + province": "/initiatieven?theme=klimaat-en-energie&phase=pilot&phase=idea&province=provincie-3",
    "search 'gemeenten' + facets": "/initiatieven?q=gemeenten",
    "search 'afvalinzameling sensoren' + theme": "/initiatieven?q=afvalinzameling+sensoren&theme=digitalisering",
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "RESULTS-initiatives.md"))
    args = parser.parse_args()

    connection.creation.create_test_db(verbosity=0, keepdb=True)
    results: dict[int, dict[str, tuple[float, int]]] = {}
    plans: dict[int, str] = {}
    try:
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], DEBUG=False):
            for size in args.sizes:
                started = time.perf_counter()
                build(size)
                print(f"{size} initiatives built in {time.perf_counter() - started:.0f} s", flush=True)
                client = Client()
                results[size] = {}
                for name, url in CASES.items():
                    results[size][name] = measure(client, url, args.requests, args.rounds)
                    print(f"  {name}: {results[size][name][0]:.0f} req/s, {results[size][name][1]} queries", flush=True)
                plans[size] = search_plan("gemeenten")
                # Written after every size (and before the database goes), so a long run keeps what it measured.
                Path(args.output).write_text(report(results, plans, args), encoding="utf-8")
                print(f"written: {args.output}", flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0, keepdb=False)


def report(results: dict[int, dict[str, tuple[float, int]]], plans: dict[int, str], args: argparse.Namespace) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line),
        platform.processor(),
    ) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    baseline = next(iter(CASES))
    lines = [
        "# Benchmark: initiative list, facets and search",
        "",
        f"Run: `benchmarks/initiatives_list.py --sizes {' '.join(map(str, args.sizes))} --requests {args.requests} "
        f"--rounds {args.rounds}` on {timezone.now():%Y-%m-%d}.",
        f"Machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg} (embedded, Unix socket).",
        "Method: Django test client in process (full middleware stack, anonymous visitor), one process, "
        f"median of {args.rounds} rounds of {args.requests} requests per view after 10 warm-up requests; "
        f"page size {PAGE_SIZE}. Data: about 85 % published, 10 % drafts, 5 % archived; 1-3 themes each; "
        "90 % owned by municipalities (mildly skewed), 10 % by partners.",
        "",
        "| initiatives | view | requests/s | queries/request | ratio to bare view | target |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for size, cases in results.items():
        base_rate = cases[baseline][0]
        target = 0.3 if size <= 10_000 else 0.1
        for name, (rate, queries) in cases.items():
            ratio = rate / base_rate
            verdict = "" if name == baseline else (f"≥ {target}: {'met' if ratio >= target else 'NOT met'}")
            lines.append(f"| {size:,} | {name} | {rate:.0f} | {queries} | {ratio:.2f} | {verdict} |")
    sizes = list(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        lines += ["", f"## From {small:,} to {large:,}", "", "| view | change in requests/s |", "|---|---:|"]
        for name in CASES:
            change = results[large][name][0] / results[small][name][0]
            lines.append(f"| {name} | {change:.2f}x |")
    lines += ["", "## Search plan (EXPLAIN of the search for 'gemeenten')", ""]
    lines += [f"- {size:,}: `{plan}`" for size, plan in plans.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
