"""Open-data downloads: rows streamed as CSV or JSON, whatever the list.

CSV cells that a spreadsheet would read as a formula are neutralised with a leading quote."""

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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


def _csv_lines(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([neutralise(row[column]) for column in columns])


def _json_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for number, row in enumerate(rows):
        yield ("," if number else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"


def csv_download(rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_download(rows: Iterable[dict[str, Any]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_json_chunks(rows), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
