"""The adoption map: the Netherlands as an inline SVG, each municipality coloured by its status.

The SVG carries classes, never colours or style attributes (the site's CSP allows no inline styles):
``static/css/map.css`` colours them, and the legend is an HTML list next to the map. The map is not
the only carrier of the information: ``templates/standards/_adoption_map.html`` puts the table of every
municipality beside it.

Boundaries come from ``standards/data/municipality_paths.json`` (see the README there), joined on the
CBS code. Building the SVG is cheap but not free; ``cached_adoption_map_svg`` builds it once per change
of the register and serves it from Django's cache in between.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from standards.models import Standard
from standards.selectors import (
    NOT_RECORDED,
    STATUS_ORDER,
    AdoptionFigures,
    AdoptionRow,
    adoption_figures,
    adoption_register_version,
    adoption_rows,
    adoption_status,
    status_label,
)

PATHS_FILE = Path(__file__).resolve().parent / "data" / "municipality_paths.json"

# A cached map is refreshed at least this often, so a renamed or merged municipality shows within a day
# even though the key follows only the adoption register (and the boundary file).
MAP_CACHE_SECONDS = 24 * 60 * 60

# The legend's order; labels come from ``status_label`` when rendered, in the visitor's language.
MAP_LEGEND: tuple[str, ...] = STATUS_ORDER


@dataclass(frozen=True)
class MunicipalityPaths:
    view_box: str
    paths: dict[str, str]
    outline: str
    digest: str  # changes with the file, so a new map never comes from an old cache entry


@cache
def municipality_paths() -> MunicipalityPaths:
    raw = PATHS_FILE.read_bytes()
    data = json.loads(raw)
    return MunicipalityPaths(
        view_box=data["viewBox"],
        paths=data["paths"],
        outline=data.get("outline", ""),
        digest=hashlib.sha256(raw).hexdigest()[:12],
    )


@dataclass(frozen=True)
class LegendItem:
    status: str
    count: int | None = None
    share: float | None = None

    @property
    def label(self) -> str:
        return status_label(self.status)


def map_legend(figures: AdoptionFigures | None = None) -> list[LegendItem]:
    """The legend in ``MAP_LEGEND`` order, with each status's count and share when ``figures`` are given."""
    if figures is None:
        return [LegendItem(status) for status in MAP_LEGEND]
    by_status = {item.status: item for item in figures.statuses}
    return [LegendItem(status, by_status[status].count, by_status[status].share) for status in MAP_LEGEND]


def _area_title(name: str, status: str, *, own: bool) -> str:
    params = {"name": name, "status": status_label(status)}
    if own:
        return _("Municipality %(name)s (your municipality): %(status)s") % params
    return _("Municipality %(name)s: %(status)s") % params


def _description(status_of: Mapping[str, str], highlight_name: str | None) -> str:
    counts = Counter(status_of.values())
    parts = [
        _("%(status)s: %(count)d") % {"status": status_label(status), "count": counts[status]}
        for status in MAP_LEGEND
        if counts[status]
    ]
    text = _("Map of the Netherlands with its %(count)d municipalities, each coloured by its status (%(counts)s).") % {
        "count": len(status_of),
        "counts": "; ".join(parts),
    }
    if highlight_name:
        text += " " + _("Your municipality, %(name)s, is outlined.") % {"name": highlight_name}
    return text + " " + _("The table with the map lists every municipality.")


def adoption_map_svg(
    *,
    statuses: Mapping[str, str],
    title: str,
    highlight: str | None = None,
    names: Mapping[str, str] | None = None,
    dom_id: str = "adoption-map",
) -> str:
    """SVG markup of the map: one ``<path>`` per municipality of the boundary file.

    ``statuses`` maps CBS codes to an ``AdoptionStatus`` value (missing or unknown: not recorded),
    ``names`` CBS codes to names (the code stands in for a missing name), ``highlight`` is the CBS code
    of the visitor's own municipality, drawn last and outlined. ``dom_id`` prefixes the ids of the
    title and description, unique per page. Every text is escaped; labels are in the active language.
    """
    data = municipality_paths()
    names = names or {}
    known = set(STATUS_ORDER)
    status_of = {code: status if (status := statuses.get(code)) in known else NOT_RECORDED for code in data.paths}
    if highlight not in data.paths:
        highlight = None
    title_id, desc_id = f"{dom_id}-title", f"{dom_id}-desc"

    def area(code: str, *, own: bool = False) -> str:
        status = status_of[code]
        classes = f"samenorg-map__area samenorg-map__area--{status}"
        if own:
            classes += " samenorg-map__area--highlight"
        tooltip = escape(_area_title(names.get(code, code), status, own=own))
        return f'<path class="{classes}" d="{data.paths[code]}"><title>{tooltip}</title></path>'

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="samenorg-map" viewBox="{data.view_box}" '
        f'role="img" aria-labelledby="{escape(title_id)}" aria-describedby="{escape(desc_id)}" focusable="false">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">'
        f"{escape(_description(status_of, names.get(highlight, highlight) if highlight else None))}</desc>",
        '<g class="samenorg-map__areas">',
        *(area(code) for code in data.paths if code != highlight),
        "</g>",
    ]
    if data.outline:
        parts.append(f'<path class="samenorg-map__outline" d="{data.outline}"/>')
    if highlight:
        # Last, so its outline lies on top of its neighbours' borders; a white halo under the outline
        # keeps it visible next to dark neighbours.
        parts.append(f'<path class="samenorg-map__halo" d="{data.paths[highlight]}"/>')
        parts.append(area(highlight, own=True))
    parts.append("</svg>")
    return "".join(parts)


def map_title(standard: Standard | None) -> str:
    if standard is None:
        return _("Adoption of the standards per municipality")
    return _("Adoption of %(standard)s per municipality") % {"standard": standard.name}


def _cache_key(standard: Standard | None, highlight: str | None, title: str) -> str:
    count, ids = adoption_register_version(standard)
    parts = [
        "adoption-map",
        municipality_paths().digest,
        str(standard.pk) if standard is not None else "all",
        f"{count}-{ids}",
        hashlib.sha256(title.encode()).hexdigest()[:12],
        highlight or "-",
        get_language() or "-",
    ]
    return ":".join(parts)


def cached_adoption_map_svg(standard: Standard | None = None, highlight: str | None = None) -> str:
    """The map of one standard (or of all, see ``standards.selectors``), from the cache when the register
    has not changed since it was built. One query when cached (the register's version), two otherwise.

    ``highlight`` is the CBS code of the visitor's municipality. The key holds the standard, the
    register's version, the boundary file, the title, the highlight and the language."""
    title = map_title(standard)
    key = _cache_key(standard, highlight, title)
    svg = django_cache.get(key)
    if svg is None:
        statuses, names = {}, {}
        municipalities = Municipality.objects.current().annotate(adoption_status=adoption_status(standard))
        for code, name, status in municipalities.values_list("code", "name", "adoption_status"):
            names[code] = name
            if status:
                statuses[code] = status
        dom_id = f"adoption-map-{standard.pk}" if standard is not None else "adoption-map-all"
        svg = adoption_map_svg(statuses=statuses, title=title, highlight=highlight, names=names, dom_id=dom_id)
        django_cache.set(key, svg, MAP_CACHE_SECONDS)
    return svg


@dataclass(frozen=True)
class AdoptionMap:
    """What ``templates/standards/_adoption_map.html`` and ``_adoption_bars.html`` render."""

    standard: Standard | None
    title: str
    svg: SafeString
    legend: list[LegendItem]
    figures: AdoptionFigures
    rows: list[AdoptionRow]
    highlight: AdoptionRow | None


def adoption_map(*, standard: Standard | None = None, highlight: str | None = None) -> AdoptionMap:
    """Everything the map partials show, in four queries at most (map version, map if not cached,
    figures, rows). Put it in the context as ``adoption_map``."""
    rows = adoption_rows(standard)
    figures = adoption_figures(standard)
    # The builder escapes every text it writes; the markup is ours.
    svg = mark_safe(cached_adoption_map_svg(standard, highlight))  # noqa: S308
    return AdoptionMap(
        standard=standard,
        title=map_title(standard),
        svg=svg,
        legend=map_legend(figures),
        figures=figures,
        rows=rows,
        highlight=next((row for row in rows if row.code == highlight), None) if highlight else None,
    )
