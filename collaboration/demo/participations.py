"""Demo participations: municipalities and partners take part in each other's demo initiatives, in
realistic roles, through the services (so each step has its event). Some requests are accepted, a
few declined with a reason, one organisation changed role, one left; Utrecht's demo login finds a
request and a role change waiting for its decision, and Utrecht takes part in a few others.

Deterministic and safe to run again: a scenario whose organisation already has a row on its
initiative (in whatever state) is left alone.
"""

from dataclasses import dataclass

from django.db import transaction

from collaboration.models import Participation
from collaboration.services.participation import (
    participation_decide,
    participation_leave,
    participation_request,
    participation_request_role,
)
from initiatives.demo import demo_plan
from initiatives.models import Initiative, InitiativeStatus
from municipalities.models import Membership, Organisation
from samenorg.core.actors import Actor

PENDING, ACCEPTED, DECLINED, ROLE_CHANGED, ROLE_ASKED, LEFT = (
    "pending",
    "accepted",
    "declined",
    "role changed",
    "role asked",
    "left",
)


@dataclass(frozen=True)
class Scenario:
    owner: str  # organisation slug, or a CBS code for a municipality without demo people
    index: int  # which of the owner's published demo initiatives (in the plan's order)
    organisation: str  # who asks, the same way
    role: str
    outcome: str
    motivation: str
    reason: str = ""  # when declined
    new_role: str = ""  # when it asks for (or changed to) another role


S = Scenario
SCENARIOS = [
    # Waiting for Utrecht (the demo login): a request to join, and a request for another role.
    S("utrecht", 0, "zwolle", "participant", PENDING,
      "Zwolle wil deze aanpak volgend jaar invoeren en leert graag van jullie ervaringen in de pilot."),
    S("utrecht", 0, "lectoraat-digitale-overheid", "knowledge_partner", ACCEPTED,
      "Wij onderzoeken samenwerking tussen gemeenten en willen de evaluatie begeleiden."),
    S("utrecht", 1, "amsterdam", "participant", ROLE_ASKED,
      "Amsterdam heeft een vergelijkbaar vraagstuk en doet graag mee.", new_role="co_developer"),
    S("utrecht", 1, "buurtenergie-coop", "participant", DECLINED,
      "Als bewonerscoöperatie willen we meedenken over de aanpak in de wijk.",
      reason="Dit initiatief richt zich op de interne werkwijze; we nemen contact op als we bewoners betrekken."),
    S("utrecht", 2, "open-stad-software", "supplier", ACCEPTED,
      "Onze open-source componenten sluiten hierop aan; we leveren graag de koppelingen."),
    # Utrecht takes part elsewhere.
    S("amsterdam", 0, "utrecht", "participant", ACCEPTED,
      "Utrecht wil deze werkwijze overnemen en deelt de eigen ervaringen met klantcontact."),
    S("rotterdam", 0, "utrecht", "co_developer", ACCEPTED,
      "Utrecht ontwikkelt graag mee; wij hebben een team beschikbaar voor de komende twee kwartalen."),
    S("groningen", 0, "utrecht", "participant", PENDING,
      "Utrecht wil aansluiten bij de volgende fase en de resultaten in de eigen organisatie toetsen."),
    S("zwolle", 0, "utrecht", "funder", DECLINED,
      "Utrecht kan een deel van de ontwikkelkosten dragen.",
      reason="De financiering is al rond. Doe graag mee als deelnemer; dan vragen we jullie bij de evaluatie."),
    # Across municipalities and partners.
    S("groningen", 1, "zwolle", "participant", ROLE_CHANGED,
      "Zwolle wil ervaring opdoen voordat we zelf beginnen.", new_role="co_developer"),
    S("tilburg", 0, "zwolle", "participant", LEFT,
      "Zwolle volgt de pilot om te kijken of die bij ons past."),
    S("amsterdam", 1, "open-stad-software", "supplier", ACCEPTED,
      "Wij leveren de software waarop deze oplossing draait en onderhouden die samen met jullie."),
    S("rotterdam", 1, "waterschap-groote-waard", "co_developer", ACCEPTED,
      "Klimaatadaptatie houdt niet op bij de gemeentegrens; wij ontwikkelen graag mee."),
    S("zwolle", 0, "lectoraat-digitale-overheid", "knowledge_partner", ACCEPTED,
      "Onze studenten doen graag onderzoek naar de effecten voor inwoners."),
    S("open-stad-software", 0, "amsterdam", "participant", ACCEPTED,
      "Amsterdam test de nieuwe versie graag in de eigen omgeving."),
    S("open-stad-software", 0, "groningen", "co_developer", ACCEPTED,
      "Groningen draagt bij aan de toegankelijkheid van de formulieren."),
    S("lectoraat-digitale-overheid", 0, "rotterdam", "participant", ACCEPTED,
      "Rotterdam levert graag een casus aan voor het onderzoek."),
    S("GM0518", 0, "rotterdam", "participant", ACCEPTED,
      "Rotterdam werkt aan hetzelfde vraagstuk en wil kennis uitwisselen."),
    S("GM0772", 0, "tilburg", "participant", ACCEPTED,
      "Tilburg en Eindhoven werken al samen in de regio; dit past daar goed bij."),
    S("buurtenergie-coop", 0, "utrecht", "funder", ACCEPTED,
      "Utrecht draagt bij uit het wijkbudget voor de energietransitie."),
]  # fmt: skip


@transaction.atomic
def seed_demo_participations() -> int:
    """Write the scenarios not written yet; returns how many it wrote."""
    published = _published_by_owner()
    written = 0
    for scenario in SCENARIOS:
        initiatives = published.get(scenario.owner, [])
        organisation = _organisation(scenario.organisation)
        if scenario.index >= len(initiatives) or organisation is None:
            continue
        initiative = initiatives[scenario.index]
        if initiative.owner_id == organisation.pk:
            continue
        if Participation.objects.filter(initiative=initiative, organisation=organisation).exists():
            continue
        _play(scenario, initiative, organisation)
        written += 1
    return written


def _play(scenario: Scenario, initiative: Initiative, organisation: Organisation) -> None:
    asker = _member(organisation)
    decider = _member(initiative.owner)
    if asker is None or decider is None:
        return
    row = participation_request(actor=asker, initiative=initiative, role=scenario.role, motivation=scenario.motivation)
    if scenario.outcome == PENDING:
        return
    if scenario.outcome == DECLINED:
        participation_decide(actor=decider, participation=row, accept=False, reason=scenario.reason)
        return
    row = participation_decide(actor=decider, participation=row, accept=True)
    if scenario.outcome in (ROLE_ASKED, ROLE_CHANGED):
        motivation = "We willen een grotere bijdrage leveren en hebben daar nu de mensen voor."
        row = participation_request_role(actor=asker, participation=row, role=scenario.new_role, motivation=motivation)
        if scenario.outcome == ROLE_CHANGED:
            participation_decide(actor=decider, participation=row, accept=True)
    elif scenario.outcome == LEFT:
        participation_leave(actor=asker, participation=row)


def _published_by_owner() -> dict[str, list[Initiative]]:
    """Each owner's published demo initiatives, in the plan's order, by the owner's key."""
    plan = demo_plan()
    by_slug = {
        initiative.slug: initiative
        for initiative in Initiative.objects.filter(
            slug__in=[item.slug for item in plan], status=InitiativeStatus.PUBLISHED
        ).select_related("owner__municipality")
    }
    published: dict[str, list[Initiative]] = {}
    for item in plan:
        initiative = by_slug.get(item.slug)
        if initiative is None:
            continue
        for key in {item.owner, initiative.owner.slug}:
            published.setdefault(key, []).append(initiative)
    return published


def _organisation(key: str) -> Organisation | None:
    if key.startswith("GM"):
        return Organisation.objects.filter(municipality__code=key).first()
    return Organisation.objects.filter(slug=key).first()


def _member(organisation: Organisation) -> Actor | None:
    """The organisation's first demo member by e-mail address: a person, as in the UI."""
    membership = (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    return None if membership is None else Actor(organisation=organisation, user=membership.user)
