"""Demo standards: proven practices from the demo initiatives taken through the review, with versions
and a realistic spread of adoptions and explanations over the municipalities. Deterministic and safe
to run again: what exists is left alone, and recording the same adoption twice changes nothing."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from collaboration.services.follow import follow
from initiatives.demo import demo_actor_for
from initiatives.models import Initiative, InitiativePhase, InitiativeStatus
from municipalities.models import Municipality
from samenorg.accounts.models import Frequency, User
from samenorg.core.actors import Actor, moderator_actor
from samenorg.core.demo import FACILITATOR_EMAIL
from standards.models import AdoptionStatus, Nomination, NominationStage, Standard, StandardStatus
from standards.services.adoption import adoption_record
from standards.services.nomination import nomination_decide, nomination_submit, nomination_transition
from standards.services.standard import standard_release_version

ADOPTED = 3  # the first proven practices (by slug) become standards
EVIDENCE = {
    "results": "Gemiddeld 35% kortere doorlooptijd en minder telefoontjes over de status van een aanvraag.",
    "costs_and_savings": "Eenmalig € 15.000 tot € 40.000 per gemeente; de besparing is € 20.000 tot € 60.000 per jaar.",
    "reusability": "Open source (EUPL), met een invoeringshandleiding; twee leveranciers bieden het als dienst aan.",
    "documentation": "Handleiding, procesbeschrijving en broncode staan op de projectpagina.",
}
VERSIONS = [
    ("1.0.0", "Eerste vastgestelde versie.", 400),
    ("1.1.0", "Koppeling met de landelijke berichtenbox toegevoegd; teksten op B1-niveau herschreven.", 150),
]
EXPLANATIONS = [
    "We gebruiken al een vergelijkbare oplossing van onze regionale samenwerking; overstappen levert nu niets op.",
    "Ons zaaksysteem wordt volgend jaar vervangen; we besluiten daarna opnieuw.",
    "De invoering past niet in de capaciteit van ons team dit jaar.",
    "Voor onze kleine gemeente wegen de invoeringskosten niet op tegen de besparing.",
]
# Of 100 municipalities: in use, implementing, planned, explained, phased out; the rest record nothing.
SPREAD = [
    (AdoptionStatus.IN_USE, 28),
    (AdoptionStatus.IMPLEMENTING, 14),
    (AdoptionStatus.PLANNED, 12),
    (AdoptionStatus.EXPLAIN, 7),
    (AdoptionStatus.PHASED_OUT, 2),
]


@transaction.atomic
def seed_demo_standards() -> None:
    facilitator = moderator_actor(User.objects.get(email=FACILITATOR_EMAIL))
    practices = list(
        Initiative.objects.filter(status=InitiativeStatus.PUBLISHED, phase=InitiativePhase.PROVEN_PRACTICE)
        .select_related("owner")
        .order_by("slug")[: ADOPTED + 2]
    )
    for number, initiative in enumerate(practices):
        if Nomination.objects.filter(initiative=initiative).exists():
            continue
        nomination = nomination_submit(
            actor=demo_actor_for(_owner_key(initiative)),
            initiative=initiative,
            organisations_using=initiative.organisations_using or 12,
            **EVIDENCE,
        )
        if number == ADOPTED + 1:
            continue  # waits in the facilitators' queue
        nomination_transition(actor=facilitator, nomination=nomination, to_stage=NominationStage.INTAKE, reason="")
        closes_on = timezone.localdate() + datetime.timedelta(days=21)
        nomination_transition(
            actor=facilitator, nomination=nomination, to_stage=NominationStage.CONSULTATION, closes_on=closes_on
        )
        if number == ADOPTED:
            continue  # open for comments
        nomination_decide(
            actor=facilitator,
            nomination=nomination,
            adopt=True,
            reason="Bewezen in meerdere gemeenten van verschillende grootte; de consultatie steunt vaststelling breed.",
        )
    for standard in Standard.objects.filter(nomination__initiative__in=practices).order_by("slug"):
        _release_versions(facilitator, standard)
        _adopt(standard)
    seed_demo_standard_follows()


def _owner_key(initiative: Initiative) -> str:
    municipality = initiative.owner.municipality
    return municipality.code if municipality else initiative.owner.slug


def _release_versions(facilitator: Actor, standard: Standard) -> None:
    released = set(standard.versions.values_list("major", "minor", "patch"))
    for number, changelog, days_ago in VERSIONS:
        if tuple(int(part) for part in number.split(".")) not in released:
            standard_release_version(
                actor=facilitator,
                standard=standard,
                number=number,
                changelog=changelog,
                released_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            )


def _adopt(standard: Standard) -> None:
    rng = random.Random(standard.slug)  # noqa: S311 (demo data, not secrets)
    versions = list(standard.versions.order_by("major", "minor", "patch"))
    statuses = [status for status, weight in SPREAD for _ in range(weight)]
    statuses += [None] * (100 - len(statuses))
    today = timezone.localdate()
    for municipality in Municipality.objects.filter(dissolved_on__isnull=True).order_by("code"):
        status = rng.choice(statuses)
        since = today - datetime.timedelta(days=rng.randint(0, 360))
        reason = rng.choice(EXPLANATIONS)
        version = rng.choice(versions)
        if status is None:
            continue
        adoption_record(
            actor=demo_actor_for(municipality.code),
            standard=standard,
            status=status,
            since=since,
            reason=reason if status == AdoptionStatus.EXPLAIN else "",
            version=version if status in (AdoptionStatus.IN_USE, AdoptionStatus.IMPLEMENTING) else None,
        )


# Two demo people follow the first standard, to hear of its next version (the follows are seeded
# before the standards exist, so they are made here). Following again changes nothing.
STANDARD_FOLLOWERS = [("sanne.bakker@utrecht.nl", Frequency.IMMEDIATELY), ("pieter.visser@zwolle.nl", Frequency.WEEKLY)]


def seed_demo_standard_follows() -> None:
    standard = Standard.objects.exclude(status=StandardStatus.WITHDRAWN).order_by("slug").first()
    if standard is None:
        return
    for email, frequency in STANDARD_FOLLOWERS:
        user = User.objects.filter(email=email).first()
        if user is not None:
            follow(user=user, target=standard, frequency=frequency)
