"""Write the OpenAPI document exactly as /api/v1/openapi.json serves it (for the ADR linter in CI)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.test import Client


class Command(BaseCommand):
    help = "Write the served OpenAPI document (/api/v1/openapi.json) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Where to write the JSON document.")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        response = Client().get("/api/v1/openapi.json", HTTP_HOST="localhost")
        if response.status_code != 200:
            raise SystemExit(f"/api/v1/openapi.json answered {response.status_code}")
        document = json.loads(response.content)
        with open(path, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=2, ensure_ascii=False)
        self.stdout.write(f"{path}: OpenAPI {document['openapi']}, {len(document['paths'])} paths")
