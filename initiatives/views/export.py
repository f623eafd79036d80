"""The current list (same FilterSet, same visibility) as CSV or JSON, streamed, without pagination.
Contact details are not exported."""

from collections.abc import Iterator
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from initiatives import search
from initiatives.filtersets import InitiativeFilterSet
from initiatives.models import Initiative
from samenorg.core.exports import csv_download, json_download

EXPORT_MAX_ROWS = 10_000
CHUNK_SIZE = 500

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
    filterset = InitiativeFilterSet(
        request.GET or None, queryset=Initiative.objects.visible_to(request.user), request=request
    )
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


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_download(export_rows(request), COLUMNS, "initiatieven")


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    return json_download(export_rows(request), "initiatieven")
