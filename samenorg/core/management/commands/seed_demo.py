from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samenorg.core.demo import (
    DEMO_LOGIN,
    DEMO_PASSWORD,
    FACILITATOR_EMAIL,
    FACILITATOR_TOTP_SECRET,
    MunicipalitiesMissingError,
    seed_demo,
)


class Command(BaseCommand):
    help = "Load the demo organisations, people and requests (deterministic; safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.SAMENORG_ALLOW_DEMO:
            raise CommandError("Demo accounts have a public password; SAMENORG_ALLOW_DEMO is off here.")
        try:
            seed_demo()
        except MunicipalitiesMissingError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS("Demo content loaded.")
            + f"\n  Demo login:  {DEMO_LOGIN} / {DEMO_PASSWORD}  (coordinator of Gemeente Utrecht)"
            + f"\n  Facilitator: {FACILITATOR_EMAIL} / {DEMO_PASSWORD}  (admin at /beheer/)"
            + f"\n               authenticator app secret {FACILITATOR_TOTP_SECRET}: the admin asks for its code"
        )
