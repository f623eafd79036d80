"""Derive the SVG paths of the adoption map from the shared municipality boundaries.

Reads the TopoJSON of the CBS/PDOK "gebiedsindelingen" (WGS84, quantized, one geometry per
municipality, property ``statcode`` = CBS code), decodes its arcs, projects every point to the Dutch
national grid (Rijksdriehoek, RD New / EPSG:28992) and writes one SVG path per municipality, keyed on
the CBS code, to ``standards/data/municipality_paths.json``:

    {"viewBox": "0 0 W H", "paths": {"GM0344": "M…z", …}, "outline": "M…"}

``outline`` traces the arcs that only one municipality uses: the coast and the national border, drawn
over the map so the country keeps its shape where the fills are light.

Run it with the project's Python after the source changes; it needs nothing outside the standard
library:

    .venv/bin/python scripts/derive_map_paths.py [--source PATH] [--output PATH] [--unit METRES]
"""

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO / "standards" / "data" / "gemeenten-2026.topojson"  # copied from ../shared/data
DEFAULT_OUTPUT = REPO / "standards" / "data" / "municipality_paths.json"
MUNICIPALITIES_FILE = REPO / "municipalities" / "data" / "gemeenten.csv"

# One SVG unit is this many metres of the national grid. The source is quantized to 0.001° (about
# 70 m east-west, 110 m north-south), so finer units only make the file bigger.
DEFAULT_UNIT = 100
MARGIN_UNITS = 20

# WGS84 → RD approximation by Schreutelkamp and Strang van Hees ("Benaderingsformules voor de
# transformatie tussen RD- en WGS84-kaartcoördinaten", 2001): better than a metre across the
# Netherlands, far inside this map's resolution. Terms are (p, q, coefficient) for dφ^p · dλ^q.
RD_X0, RD_Y0 = 155_000.0, 463_000.0
PHI0, LAM0 = 52.15517440, 5.38720621
RD_X_TERMS = (
    (0, 1, 190094.945),
    (1, 1, -11832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
)
RD_Y_TERMS = (
    (1, 0, 309056.544),
    (0, 2, 3638.893),
    (2, 0, 73.077),
    (1, 2, -157.984),
    (3, 0, 59.788),
    (0, 1, 0.433),
    (2, 2, -6.439),
    (1, 1, -0.032),
    (0, 4, 0.092),
    (1, 4, -0.054),
)

Point = tuple[float, float]
GridPoint = tuple[int, int]


def wgs84_to_rd(lon: float, lat: float) -> Point:
    """Metres east and north on the Rijksdriehoek grid (Amersfoort is 155000, 463000)."""
    dphi = 0.36 * (lat - PHI0)
    dlam = 0.36 * (lon - LAM0)
    x = RD_X0 + sum(c * dphi**p * dlam**q for p, q, c in RD_X_TERMS)
    y = RD_Y0 + sum(c * dphi**p * dlam**q for p, q, c in RD_Y_TERMS)
    return x, y


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Arcs as lists of (longitude, latitude): undo the delta encoding, then the quantization."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: Sequence[int], arcs: Sequence[Sequence[GridPoint]]) -> list[GridPoint]:
    """A ring from its arcs; ``~i`` (negative) is arc i reversed. Each arc after the first starts
    where the previous one ended, so that shared point is taken once."""
    points: list[GridPoint] = []
    for index in ring:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def without_repeats(points: Iterable[GridPoint]) -> list[GridPoint]:
    """Rounding to the grid can make neighbouring points equal; a path needs each once."""
    kept: list[GridPoint] = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    return kept


def number_list(values: Iterable[int]) -> str:
    """SVG number list without redundant separators: a minus sign separates on its own."""
    text = ""
    for value in values:
        if text and value >= 0:
            text += " "
        text += str(value)
    return text


def relative_path(points: Sequence[GridPoint], *, close: bool) -> str:
    """``M x y l dx dy …`` from grid points; the deltas come from the rounded absolutes, so two
    municipalities that share a border draw it on exactly the same grid points."""
    (x0, y0), rest = points[0], points[1:]
    deltas: list[int] = []
    previous = (x0, y0)
    for x, y in rest:
        deltas.extend((x - previous[0], y - previous[1]))
        previous = (x, y)
    path = "M" + number_list((x0, y0))
    if deltas:
        path += "l" + number_list(deltas)
    return path + ("z" if close else "")


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    raise ValueError(f"{geometry.get('properties', {}).get('statcode')}: unexpected type {geometry['type']}")


def derive(topology: dict, *, unit: float) -> dict:
    (geometries,) = [obj["geometries"] for obj in topology["objects"].values()]
    projected = [[wgs84_to_rd(lon, lat) for lon, lat in arc] for arc in decode_arcs(topology)]
    everything = [point for arc in projected for point in arc]
    min_x = min(x for x, _ in everything)
    max_y = max(y for _, y in everything)
    # SVG's y runs down: a point's row is its distance below the northernmost point.
    origin_x = round(min_x / unit) - MARGIN_UNITS
    origin_y = round(max_y / unit) + MARGIN_UNITS
    grid_arcs = [[(round(x / unit) - origin_x, origin_y - round(y / unit)) for x, y in arc] for arc in projected]

    paths: dict[str, str] = {}
    uses: Counter[int] = Counter()
    for geometry in geometries:
        code = geometry["properties"]["statcode"]
        if code in paths:
            raise ValueError(f"{code} appears twice in the source")
        rings = []
        for polygon in polygons_of(geometry):
            for ring in polygon:
                uses.update(index if index >= 0 else ~index for index in ring)
                points = without_repeats(ring_points(ring, grid_arcs))
                if points[0] == points[-1]:
                    points.pop()
                if len(set(points)) >= 3:  # rounding may collapse a tiny islet to a line or a point
                    rings.append(relative_path(points, close=True))
        if not rings:
            raise ValueError(f"{code}: nothing left after rounding to {unit} m; choose a smaller --unit")
        paths[code] = "".join(rings)

    # An arc that only one municipality uses lies on the coast or the national border.
    outline = "".join(
        relative_path(points, close=False)
        for index, arc in enumerate(grid_arcs)
        if uses[index] == 1 and len(points := without_repeats(arc)) >= 2
    )
    width = max(x for arc in grid_arcs for x, _ in arc) + MARGIN_UNITS
    height = max(y for arc in grid_arcs for _, y in arc) + MARGIN_UNITS
    return {"viewBox": f"0 0 {width} {height}", "paths": dict(sorted(paths.items())), "outline": outline}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--unit", type=float, default=DEFAULT_UNIT, help="metres per SVG unit (default 100)")
    args = parser.parse_args(argv)

    result = derive(json.loads(args.source.read_text(encoding="utf-8")), unit=args.unit)
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as file:
        listed = {row["code"] for row in csv.DictReader(file)}
    missing = sorted(listed - result["paths"].keys())
    if missing:
        sys.stderr.write(f"No boundary for {', '.join(missing)}; nothing written.\n")
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, separators=(",", ":")) + "\n", encoding="utf-8")
    extra = sorted(result["paths"].keys() - listed)
    sys.stdout.write(
        f"{len(result['paths'])} municipalities, viewBox {result['viewBox']}, "
        f"{args.output.stat().st_size:,} bytes → {args.output}"
        + (f"; not in {MUNICIPALITIES_FILE.name}: {', '.join(extra)}" if extra else "")
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
