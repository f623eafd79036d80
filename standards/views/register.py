"""The adoption register as open data: every municipality's recorded adoption of every standard
(or of one, with ``?standard=<slug>``), as CSV or JSON."""

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from samenorg.core.exports import csv_download, json_download
from standards.models import Adoption

COLUMNS = (
    "standard",
    "standardSlug",
    "municipalityCode",
    "municipality",
    "province",
    "status",
    "version",
    "since",
    "explanation",
    "updatedAt",
)


def register_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    adoptions = Adoption.objects.select_related("standard", "version", "organisation__municipality__province").order_by(
        "standard__name", "organisation__municipality__code"
    )
    if request.GET.get("standard"):
        adoptions = adoptions.filter(standard__slug=request.GET["standard"])
    for adoption in adoptions.iterator(chunk_size=500):
        municipality = adoption.organisation.municipality
        yield {
            "standard": adoption.standard.name,
            "standardSlug": adoption.standard.slug,
            "municipalityCode": municipality.code if municipality else None,
            "municipality": municipality.name if municipality else adoption.organisation.name,
            "province": municipality.province.name if municipality else None,
            "status": adoption.status,
            "version": adoption.version.number if adoption.version else None,
            "since": adoption.since.isoformat(),
            "explanation": adoption.reason or None,
            "updatedAt": adoption.updated_at.isoformat(),
        }


@require_GET
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_download(register_rows(request), COLUMNS, "overnameregister")


@require_GET
def register_json(request: HttpRequest) -> StreamingHttpResponse:
    return json_download(register_rows(request), "overnameregister")
