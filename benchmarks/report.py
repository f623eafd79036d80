# ruff: noqa: E501 (Markdown tables)
"""``RESULTS.md`` of ``run_all.py``: the machine, the data set, a table per benchmark with its target, the
growth from the smallest to the largest size, and a summary of what is met."""

import argparse
import os
import platform
import sys
from pathlib import Path
from typing import Any

import django
from django.db import connection

LARGE = 100_000  # from this size on the "large" targets apply (issue 3: 0.1x; issue 7: the API's)


def _cpu() -> str:
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory() -> str:
    info = Path("/proc/meminfo")
    if not info.exists():
        return "?"
    total = next(line for line in info.read_text().splitlines() if line.startswith("MemTotal"))
    return f"{int(total.split()[1]) / 2**20:.1f} GiB RAM"


def _loads(loads: tuple[float, ...]) -> str:
    return " / ".join(f"{value:.2f}" for value in loads)


def _target(targets: dict[str, float], size: int) -> float | None:
    return targets.get("large" if size >= LARGE else "small")


def _verdict(ratio: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"≥ {target}: {'met' if ratio >= target else '**NOT met**'}"


def render(results: dict[int, Any], machine: dict[str, Any], args: argparse.Namespace, benchmarks: list[Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    sizes = list(results)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    command = " ".join([".venv/bin/python", "benchmarks/run_all.py", *sys.argv[1:]])
    lines = [
        "# Benchmarks: everything on the scale data set",
        "",
        f"Run: `{command}`{' (`make bench`)' if not sys.argv[1:] else ''}, with "
        f"`CACHE_URL={os.environ.get('CACHE_URL')}` (flushed at the start), database "
        f"`{connection.settings_dict['NAME']}` ({'kept from the run before' if args.reuse else 'made by the run'}; "
        f"{'kept afterwards' if args.keep else 'dropped at its end'}), started "
        f"{machine['started']:%Y-%m-%d %H:%M} UTC, {machine['minutes']:.0f} minutes in all (data set and measuring).",
        "",
        f"Machine: {_cpu()}, {os.cpu_count()} CPUs, {_memory()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server} (same machine, "
        f"over TCP; JIT {jit}, as the platform's settings have it). Shared with other work: load average (1 / 5 / 15 min) {_loads(machine['load_start'])} at "
        f"the start, {_loads(machine['load_end'])} at the end; each table gives the 1-minute load before and "
        "after its measurement.",
        "",
        "Method: Django's test client in one process (the full middleware stack, no network; the per-request "
        "log line off); rounds going "
        f"through every case of a benchmark in turn ({args.rounds} rounds; each case as many requests per round "
        f"as fit in {args.seconds} s, at least 2 and at most {args.max_requests}, the count in the table); the "
        "median round. **Queries** are those of one request. **Python peak** is the highest tracemalloc "
        "figure during one further request (untimed). **RSS peak** is the process's resident-memory high-water "
        "mark (Linux `VmHWM`, reset at the start of each benchmark): it includes Django, the test client and "
        "the data set's lookups, so it shows growth rather than a page's own cost. Ratios compare cases of "
        "the same run, measured in the same rounds.",
        "",
        "## Data set",
        "",
        "| | " + " | ".join(f"{size:,} initiatives" for size in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for name in results[sizes[0]]["counts"]:
        lines.append(f"| {name} | " + " | ".join(f"{results[size]['counts'][name]:,}" for size in sizes) + " |")
    lines.append("| build time (added to the size before) | " + " | ".join(
        f"{results[size]['build_seconds'] / 60:.1f} min" for size in sizes) + " |")  # fmt: skip
    for step in results[sizes[0]]["steps"]:
        lines.append(f"| - {step} | " + " | ".join(f"{results[size]['steps'][step]:.0f} s" for size in sizes) + " |")
    lines += [
        "",
        "Built by `benchmarks/scale_data.py` (see its docstring): the 342 municipalities always, everything "
        "else in proportion to the full set (2,000 partners, 20,000 users, 300,000 participations, 1,000,000 "
        "events at 100,000 initiatives). The history rows are those the generator's writes left (the audit "
        "trail's data). Fixtures: one initiative with 200 organisations taking part, 50 milestones and 500 "
        "comments; 20 standards, one recorded by all 342 municipalities; one initiative followed by half the "
        "users.",
    ]
    summary: list[str] = []
    for benchmark in benchmarks:
        if benchmark.title not in results[sizes[-1]]["measured"]:
            continue
        baseline = benchmark.cases[0].name
        lines += [
            "",
            f"## {benchmark.title} (issue {benchmark.issue})",
            "",
            f"Requirement: {benchmark.requirement}",
            "",
            "| initiatives | case | requests/s | ratio to bare | queries | Python peak | requests/round | target |",
            "|---:|---|---:|---:|---:|---:|---:|---|",
        ]
        for size in sizes:
            measured = results[size]["measured"][benchmark.title]
            base = measured["cases"][baseline]["rate"]
            for case in benchmark.cases:
                row = measured["cases"][case.name]
                ratio = row["rate"] / base
                verdict = _verdict(ratio, _target(case.targets, size))
                if verdict:
                    summary.append(f"{benchmark.title}, {case.name}, {size:,}: {ratio:.3f}x, {verdict}")
                lines.append(
                    f"| {size:,} | {case.name} | {row['rate']:.1f} | {ratio:.3f} | {row['queries']} | "
                    f"{row['traced_mb']:.1f} MB | {row['requests']} | {verdict} |"
                )
        lines.append("")
        lines.append(
            "RSS peak of the process during the benchmark, and load: "
            + "; ".join(
                f"{size:,}: {results[size]['measured'][benchmark.title]['rss_peak_mb']:.0f} MB, load "
                f"{results[size]['measured'][benchmark.title]['load'][0]:.1f} → {results[size]['measured'][benchmark.title]['load'][1]:.1f}"
                for size in sizes
            )
            + "."
        )
        if len(sizes) > 1:
            queries_fixed = all(
                len({results[size]["measured"][benchmark.title]["cases"][case.name]["queries"] for size in sizes}) == 1
                for case in benchmark.cases
            )
            summary.append(
                f"{benchmark.title}: queries per request the same at every size: {'yes' if queries_fixed else '**no**'}"
            )
            lines += _growth(
                sizes,
                [results[size]["measured"][benchmark.title]["cases"] for size in sizes],
                benchmark.cases,
                baseline,
            )
    if "fanout" in results[sizes[-1]]["measured"]:
        lines += _fanout(results, sizes, summary)
    if "digests" in results[sizes[-1]]["measured"]:
        lines += _digests(results, sizes, summary)
    lines += ["", "## Summary", "", *[f"- {line}" for line in summary]]
    return "\n".join(lines) + "\n\n"


def _growth(sizes: list[int], per_size: list[dict[str, Any]], cases: list[Any], baseline: str) -> list[str]:
    small, large = per_size[0], per_size[-1]
    lines = [
        "",
        f"Growth from {sizes[0]:,} to {sizes[-1]:,} initiatives:",
        "",
        "| case | requests/s | change | ratio to bare | queries | Python peak |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        a, b = small[case.name], large[case.name]
        ratios = [a["rate"] / small[baseline]["rate"], b["rate"] / large[baseline]["rate"]]
        lines.append(
            f"| {case.name} | {a['rate']:.1f} → {b['rate']:.1f} | {b['rate'] / a['rate']:.2f}x | "
            f"{ratios[0]:.3f} → {ratios[1]:.3f} | {a['queries']} → {b['queries']} | "
            f"{a['traced_mb']:.1f} → {b['traced_mb']:.1f} MB |"
        )
    return lines


def _fanout(results: dict[int, Any], sizes: list[int], summary: list[str]) -> list[str]:
    lines = [
        "",
        "## Event fan-out to followers (issue 6)",
        "",
        "Requirement: bulk inserts, so 10,000 followers cost the same few queries as 3. One `initiative.updated` "
        "event on the initiative half the users follow (plus the members of the organisations taking part, "
        "who follow it without a row), in a transaction rolled back afterwards; the e-mails of those who "
        "chose *immediately* would be published after commit and are not part of this. The bare case writes "
        "a row per follower (except those who chose *off*) with one `INSERT ... SELECT` from the follows. Queries leave out the benchmark's "
        "own (creating the event, counting the rows).",
        "",
        "| initiatives | case | notifications written | runs/s | ratio to bare | queries | Python peak | RSS peak | load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in sizes:
        fanout = results[size]["measured"]["fanout"]
        cases = fanout["cases"]
        base = next(iter(cases.values()))["rate"]
        for name, row in cases.items():
            lines.append(
                f"| {size:,} | {name} | {row['rows']:,} | {row['rate']:.1f} | {row['rate'] / base:.3f} | "
                f"{row['queries']} | {row['traced_mb']:.1f} MB | {fanout['rss_peak_mb']:.0f} MB | "
                f"{fanout['load'][0]:.1f} → {fanout['load'][1]:.1f} |"
            )
    queries = {
        results[size]["measured"]["fanout"]["cases"]["fan_out_event (notifications consumer)"]["queries"]
        for size in sizes
    }
    summary.append(
        f"Event fan-out: queries the same for every number of followers: {'yes' if len(queries) == 1 else '**no**'} "
        f"({', '.join(map(str, sorted(queries)))})"
    )
    return lines


def _digests(results: dict[int, Any], sizes: list[int], summary: list[str]) -> list[str]:
    lines = [
        "",
        "## Weekly digest (issue 6)",
        "",
        "Requirement: 20,000 people with about 5 items each, bounded queries per batch and bounded memory. "
        "`digests.py`'s worker in a fresh process (Django set up, nothing else), the run for the latest "
        "Monday 07:00 as the Celery task does, each message built in full and discarded; then the same run "
        "again (nothing left to send).",
        "",
        "| initiatives | people | items | batches | queries per batch | queries in all | run time | per person | RSS after setup | RSS peak | second run | load |",
        "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|",
    ]
    per_batch: set[int] = set()
    peaks = []
    for size in sizes:
        d = results[size]["measured"]["digests"]
        run, again = d["run"], d["again"]
        per_batch |= set(run["queries_per_batch"])
        peaks.append(run["rss_peak_mb"])
        lines.append(
            f"| {size:,} | {d['people']:,} | {d['items']:,} | {run['batches']} | "
            f"{', '.join(map(str, sorted(set(run['queries_per_batch']))))} (+{run['queries_outside_batches']} per run) | "
            f"{run['queries']} | {run['seconds']:.1f} s | {1000 * run['seconds'] / max(d['people'], 1):.2f} ms | "
            f"{run['rss_setup_mb']:.0f} MB | {run['rss_peak_mb']:.0f} MB | {again['seconds']:.2f} s, {again['sent']} sent | "
            f"{d['load'][0]:.1f} → {d['load'][1]:.1f} |"
        )
    bounded = len(per_batch) == 1 and max(peaks) <= 1.2 * min(peaks)
    summary.append(
        f"Weekly digest: queries per batch {', '.join(map(str, sorted(per_batch)))} at every size, RSS peak "
        f"{' → '.join(f'{peak:.0f}' for peak in peaks)} MB: {'met' if bounded else '**NOT met**'}"
    )
    return lines
