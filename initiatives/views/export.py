"""The current list (same FilterSet, same visibility) as CSV or JSON, streamed, without pagination.

Contact details are not exported. CSV cells that a spreadsheet would read as a formula are
neutralised with a leading quote.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from initiatives import search
from initiatives.filtersets import InitiativeFilterSet
from initiatives.models import Initiative

EXPORT_MAX_ROWS = 10_000
CHUNK_SIZE = 500
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "title",
    "slug",
    "url",
    "summary",
    "owner",
    "municipality",
    "province",
    "phase",
    "status",
    "themes",
    "tags",
    "rolesSought",
    "publishedAt",
    "updatedAt",
)


def export_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    filterset = InitiativeFilterSet(request.GET or None, queryset=Initiative.objects.visible_to(request.user))
    rows = _values(filterset.qs)[:EXPORT_MAX_ROWS]
    detail = reverse("initiatives:detail", kwargs={"slug": "-slug-"})
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "title": row["title"],
            "slug": row["slug"],
            "url": request.build_absolute_uri(detail.replace("-slug-", row["slug"])),
            "summary": row["summary"],
            "owner": row["owner_name"],
            "municipality": row["municipality_name"],
            "province": row["province_name"],
            "phase": row["phase"],
            "status": row["status"],
            "themes": row["theme_names"],
            "tags": row["tags"],
            "rolesSought": row["roles_sought"],
            "publishedAt": row["published_at"].isoformat() if row["published_at"] else None,
            "updatedAt": row["updated_at"].isoformat(),
        }


def _values(queryset: QuerySet[Initiative]) -> QuerySet[Initiative, dict[str, Any]]:
    return search.with_theme_names(queryset).values(
        "title",
        "slug",
        "summary",
        "phase",
        "status",
        "tags",
        "roles_sought",
        "published_at",
        "updated_at",
        "theme_names",
        owner_name=F("owner__name"),
        municipality_name=F("owner__municipality__name"),
        province_name=F("owner__municipality__province__name"),
    )


def neutralise(cell: Any) -> str:
    """A cell as text that no spreadsheet runs as a formula."""
    if cell is None:
        return ""
    if isinstance(cell, list):
        cell = "; ".join(str(item) for item in cell)
    text = str(cell)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([neutralise(row[column]) for column in COLUMNS])


def _json_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for number, row in enumerate(rows):
        yield ("," if number else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(export_rows(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatieven.csv"'
    return response


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_json_chunks(export_rows(request)), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="initiatieven.json"'
    return response
