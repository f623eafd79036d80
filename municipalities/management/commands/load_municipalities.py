from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from municipalities.services.reference_data import municipalities_load
from municipalities.services.reference_files import DEFAULT_MERGERS_FILE, DEFAULT_MUNICIPALITIES_FILE


class Command(BaseCommand):
    help = (
        "Load the CBS municipality list and the mergers into provinces, municipalities and their organisations. "
        "Idempotent: run it again after editing the files. A malformed file is rejected whole."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_MUNICIPALITIES_FILE,
            help="CSV with code,name,province_code,province_name,population (default: %(default)s)",
        )
        parser.add_argument(
            "--mergers",
            type=Path,
            default=DEFAULT_MERGERS_FILE,
            help=(
                "CSV with old_code,new_code,date; the successor is in --file or dissolved by a later-dated line "
                "(default: %(default)s)"
            ),
        )

    def handle(self, *args: Any, file: Path, mergers: Path, **options: Any) -> None:
        try:
            result = municipalities_load(municipalities_file=file, mergers_file=mergers, actor=None)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(result.summary()) if result.changed else result.summary())
