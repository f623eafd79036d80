from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samenorg.notifications.digests import BATCH_SIZE, digests_send, parse_moment, period_end_for


class Command(BaseCommand):
    help = (
        "Send the daily or weekly digests of the latest period that ended at or before --at (default: now), "
        "as the 07:00 beat run does. Safe to repeat: whoever got this period's digest does not get it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", required=True, choices=["daily", "weekly"])
        parser.add_argument(
            "--at",
            help="an ISO 8601 date-time, e.g. 2026-03-30T08:00; without an offset it is Europe/Amsterdam time",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="people per batch (%(default)s)")

    def handle(self, *args: Any, frequency: str, at: str | None, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            period_end = period_end_for(frequency, parse_moment(at) if at else timezone.now())
            run = digests_send(frequency=frequency, period_end=period_end, batch_size=batch_size)
        except ValueError as error:
            raise CommandError(str(error)) from None
        until = timezone.localtime(period_end).strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(
            f"{frequency} digests until {until}: {run.sent} sent, {run.empty} empty, {run.failed} failed "
            f"({run.batches} batches; {run.retried} stale claims retried, {run.abandoned} given up)"
        )
