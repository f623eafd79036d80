"""Demo follows: the demo people follow a few initiatives, themes and municipalities, each at its own
frequency, and one opts out of an initiative her organisation takes part in. Written through the
services, which make a second run change nothing."""

from django.db import transaction

from collaboration.models import Participation
from collaboration.services.follow import follow, unfollow
from initiatives.models import Initiative, InitiativeStatus, Theme
from municipalities.models import Municipality
from samenorg.accounts.models import Frequency, User

# person -> [(kind, key, frequency)]; an initiative by its owner's slug: that owner's first published one.
DEMO_FOLLOWS = {
    "sanne.bakker@utrecht.nl": [
        ("theme", "digitalisering", Frequency.IMMEDIATELY),
        ("municipality", "amsterdam", Frequency.WEEKLY),
        ("initiative", "rotterdam", Frequency.DAILY),
    ],
    "pieter.visser@zwolle.nl": [
        ("theme", "informatieveiligheid", Frequency.DAILY),
        ("theme", "privacy-en-data-ethiek", Frequency.WEEKLY),
        ("initiative", "utrecht", Frequency.IMMEDIATELY),
    ],
    "anna.devries@utrecht.nl": [
        ("municipality", "zwolle", Frequency.DAILY),
        ("initiative", "amsterdam", Frequency.IMMEDIATELY),
        ("theme", "dienstverlening", Frequency.WEEKLY),
    ],
    "eva.mulder@groningen.nl": [
        ("theme", "privacy-en-data-ethiek", Frequency.IMMEDIATELY),
        ("municipality", "utrecht", Frequency.WEEKLY),
    ],
    "noor.hendriks@hsmn.example": [
        ("theme", "participatie", Frequency.WEEKLY),
        ("initiative", "groningen", Frequency.DAILY),
    ],
}

# Anna stops following one initiative Utrecht takes part in: her opt-out is a row saying "off".
OPT_OUT = ("anna.devries@utrecht.nl", "utrecht")


@transaction.atomic
def seed_demo_follows() -> None:
    for email, follows in DEMO_FOLLOWS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        for kind, key, frequency in follows:
            target = _target(kind, key)
            if target is not None:
                follow(user=user, target=target, frequency=frequency)
    email, organisation_slug = OPT_OUT
    user = User.objects.filter(email=email).first()
    participation = (
        Participation.objects.active()
        .filter(organisation__slug=organisation_slug, initiative__status=InitiativeStatus.PUBLISHED)
        .select_related("initiative")
        .order_by("initiative__slug")
        .first()
    )
    if user is not None and participation is not None:
        unfollow(user=user, target=participation.initiative)


def _target(kind: str, key: str) -> Initiative | Theme | Municipality | None:
    if kind == "theme":
        return Theme.objects.filter(slug=key, is_active=True).first()
    if kind == "municipality":
        return Municipality.objects.filter(slug=key, dissolved_on__isnull=True).first()
    return Initiative.objects.filter(owner__slug=key, status=InitiativeStatus.PUBLISHED).order_by("slug").first()
