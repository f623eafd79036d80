"""Demo milestones: the published initiatives in pilot and later phases plan their next steps and
celebrate what they achieved, written by a member of the owner through the services.

Deterministic (a random generator seeded per initiative) and safe to run again: an initiative that
has milestones already is left alone."""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from collaboration.services.milestone import milestone_achieve, milestone_plan
from initiatives.models import Initiative, InitiativePhase, InitiativeStatus
from municipalities.models import Membership
from samenorg.core.actors import Actor

SEED = 2026


@dataclass(frozen=True)
class Step:
    title: str
    description: str
    achievement: str  # what the step delivered, once achieved


PILOT_STEPS = [
    Step(
        "Projectplan vastgesteld",
        "Het college stelt het projectplan met doelen, planning en begroting vast.",
        "Het college heeft het projectplan vastgesteld; budget en projectteam zijn vrijgemaakt.",
    ),
    Step(
        "Pilotgroep samengesteld",
        "Inwoners en medewerkers melden zich aan voor de pilot.",
        "Er doen {count} inwoners en {teams} teams mee aan de pilot.",
    ),
    Step(
        "Privacytoets (DPIA) afgerond",
        "De functionaris gegevensbescherming beoordeelt de verwerking van persoonsgegevens.",
        "De DPIA is afgerond; de aanbevelingen zijn verwerkt in het werkproces.",
    ),
    Step(
        "Tussenevaluatie met deelnemers",
        "Halverwege de pilot vragen we deelnemers wat werkt en wat beter moet.",
        "{percent}% van de deelnemers is tevreden; drie verbeterpunten zijn direct doorgevoerd.",
    ),
]
LATER_STEPS = [
    Step(
        "Pilot geëvalueerd",
        "Een onafhankelijke evaluatie van de pilot, met cijfers over bereik en doorlooptijd.",
        "De evaluatie laat zien dat de doorlooptijd met {percent}% daalde. Het rapport is openbaar.",
    ),
    Step(
        "Besluit tot invoering",
        "Het college besluit of de aanpak de vaste werkwijze wordt.",
        "Het college heeft besloten de aanpak gemeentebreed in te voeren.",
    ),
    Step(
        "Medewerkers getraind",
        "Alle betrokken medewerkers volgen een korte training.",
        "{count} medewerkers hebben de training gevolgd.",
    ),
    Step(
        "Overgedragen aan de staande organisatie",
        "Het projectteam draagt beheer en doorontwikkeling over aan de lijn.",
        "Beheer en doorontwikkeling liggen nu bij het team Dienstverlening; het project is afgesloten.",
    ),
]
PROVEN_STEPS = [
    Step(
        "Eerste andere gemeente aangesloten",
        "Een andere gemeente neemt de aanpak over met onze handreiking.",
        "Een buurgemeente werkt sinds dit kwartaal met dezelfde aanpak en deelt haar ervaringen.",
    ),
    Step(
        "Handreiking voor andere gemeenten gepubliceerd",
        "Een praktische handreiking zodat andere gemeenten de aanpak kunnen hergebruiken.",
        "De handreiking staat online en is {count} keer gedownload.",
    ),
]
NEXT_STEPS = [
    Step("Opschalen naar alle wijken", "Na de pilotwijken volgen de andere wijken, in drie fasen.", ""),
    Step("Koppeling met het zaaksysteem", "De gegevens komen automatisch in het zaaksysteem terecht.", ""),
    Step("Jaarevaluatie met de gemeenteraad", "We bespreken de resultaten van het eerste jaar met de raad.", ""),
    Step("Aanmelden als standaard bij Samen Organiseren", "We nomineren de aanpak als gezamenlijke standaard.", ""),
    Step("Kennissessie voor andere gemeenten", "Een online sessie waarin we de aanpak en de valkuilen delen.", ""),
]


@transaction.atomic
def seed_demo_milestones() -> int:
    """Plan and achieve the demo milestones; returns how many milestones it created."""
    initiatives = (
        Initiative.objects.filter(
            status=InitiativeStatus.PUBLISHED,
            phase__in=[InitiativePhase.PILOT, InitiativePhase.IMPLEMENTATION, InitiativePhase.PROVEN_PRACTICE],
        )
        .exclude(milestones__isnull=False)
        .select_related("owner")
        .order_by("slug")
    )
    created = 0
    today = timezone.localdate()
    for initiative in initiatives:
        actor = _editor(initiative)
        if actor is None:
            continue
        rng = random.Random(f"{SEED}-{initiative.slug}")  # noqa: S311 (demo content, not secrets)
        achieved, planned = _plan_for(rng, initiative.phase)
        days_ago = rng.randint(20, 60) * len(achieved)
        for step in achieved:
            milestone = milestone_plan(
                actor=actor,
                initiative=initiative,
                title=step.title,
                description=step.description,
                target_date=today - datetime.timedelta(days=days_ago + rng.randint(0, 14)),
            )
            milestone_achieve(
                actor=actor,
                milestone=milestone,
                achieved_on=today - datetime.timedelta(days=days_ago),
                achievement=step.achievement.format(
                    count=rng.randint(12, 400), teams=rng.randint(2, 6), percent=rng.randint(15, 45)
                ),
                evidence_url=(
                    f"https://samen-organiseren.example/projecten/{initiative.slug}/mijlpaal-{milestone.pk}"
                    if rng.random() < 0.4
                    else ""
                ),
            )
            days_ago = max(1, days_ago - rng.randint(20, 60))
            created += 1
        for number, step in enumerate(planned, start=1):
            milestone_plan(
                actor=actor,
                initiative=initiative,
                title=step.title,
                description=step.description,
                target_date=None if rng.random() < 0.15 else today + datetime.timedelta(days=number * 45),
            )
            created += 1
    return created


def _plan_for(rng: random.Random, phase: str) -> tuple[list[Step], list[Step]]:
    """Achieved steps that fit how far the initiative has come, then one or two next steps."""
    if phase == InitiativePhase.PILOT:
        achieved = PILOT_STEPS[: rng.randint(1, 3)]
    elif phase == InitiativePhase.IMPLEMENTATION:
        achieved = [rng.choice(PILOT_STEPS[:2]), *LATER_STEPS[: rng.randint(1, 3)]]
    else:
        achieved = [LATER_STEPS[0], LATER_STEPS[1], *PROVEN_STEPS[: rng.randint(1, 2)]]
    return achieved, rng.sample(NEXT_STEPS, rng.randint(1, 2))


def _editor(initiative: Initiative) -> Actor | None:
    """A member of the owner organisation, the same one every run."""
    membership = (
        Membership.objects.filter(organisation=initiative.owner, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    return None if membership is None else Actor(organisation=initiative.owner, user=membership.user)
