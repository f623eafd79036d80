"""Demo content: a small, realistic cast that `make run` loads so a newcomer can try every page.

Deterministic and safe to run again: everything is looked up by a natural key and updated in place.
Every demo account shares one password, printed by the command; production settings refuse it.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction

from municipalities.models import Membership, MembershipRequest, Municipality, Organisation, OrganisationDomain
from municipalities.models.membership import MembershipRequestStatus, MembershipRole
from municipalities.models.organisation import OrganisationKind, OrganisationStatus
from municipalities.services.membership import membership_grant_for_verified_email
from samenorg.accounts.models import FACILITATORS_GROUP, User

DEMO_PASSWORD = "samen-demo-2026"  # noqa: S105 (public by design: demo accounts only)

# Municipalities whose e-mail domain the demo registers, by CBS code.
MUNICIPAL_DOMAINS = {
    "GM0344": "utrecht.nl",
    "GM0363": "amsterdam.nl",
    "GM0599": "rotterdam.nl",
    "GM0193": "zwolle.nl",
    "GM0014": "groningen.nl",
    "GM0855": "tilburg.nl",
}


@dataclass(frozen=True)
class Partner:
    slug: str
    name: str
    kind: str
    website: str
    description: str
    domain: str


PARTNERS = [
    Partner(
        "vng",
        "Vereniging van Nederlandse Gemeenten",
        OrganisationKind.UMBRELLA_ASSOCIATION,
        "https://vng.nl",
        "De vereniging van alle Nederlandse gemeenten; facilitator van Samen Organiseren.",
        "vng.nl",
    ),
    Partner(
        "open-stad-software",
        "Open Stad Software B.V.",
        OrganisationKind.COMPANY,
        "https://open-stad-software.example",
        "Bouwt open-source zaakgerichte software voor gemeenten.",
        "open-stad-software.example",
    ),
    Partner(
        "lectoraat-digitale-overheid",
        "Lectoraat Digitale Overheid, Hogeschool Midden-Nederland",
        OrganisationKind.KNOWLEDGE_INSTITUTE,
        "https://hsmn.example/digitale-overheid",
        "Onderzoekt hoe gemeenten digitale dienstverlening samen beter organiseren.",
        "hsmn.example",
    ),
    Partner(
        "waterschap-groote-waard",
        "Waterschap De Groote Waard",
        OrganisationKind.WATER_BOARD,
        "https://groote-waard.example",
        "Waterschap in het rivierengebied; werkt met gemeenten aan klimaatadaptatie.",
        "groote-waard.example",
    ),
    Partner(
        "buurtenergie-coop",
        "Coöperatie Buurtenergie Oost",
        OrganisationKind.CITIZEN_INITIATIVE,
        "https://buurtenergie-oost.example",
        "Bewonerscoöperatie voor zonnedaken en warmtenetten in de wijk.",
        "buurtenergie-oost.example",
    ),
]


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    job_title: str
    coordinator_of: str = ""  # organisation slug


PEOPLE = [
    Person("facilitator@vng.nl", "Fenna Bos", "Facilitator Samen Organiseren", coordinator_of="vng"),
    Person("anna.devries@utrecht.nl", "Anna de Vries", "Programmamanager dienstverlening", coordinator_of="utrecht"),
    Person("sanne.bakker@utrecht.nl", "Sanne Bakker", "Informatieadviseur"),
    Person("mohamed.elamrani@amsterdam.nl", "Mohamed El Amrani", "Teamleider digitalisering", "amsterdam"),
    Person("lotte.jansen@rotterdam.nl", "Lotte Jansen", "Beleidsadviseur klimaat", coordinator_of="rotterdam"),
    Person("pieter.visser@zwolle.nl", "Pieter Visser", "CISO"),
    Person("eva.mulder@groningen.nl", "Eva Mulder", "Privacy officer", coordinator_of="groningen"),
    Person("joost.smit@open-stad-software.example", "Joost Smit", "Productmanager", "open-stad-software"),
    Person("noor.hendriks@hsmn.example", "Noor Hendriks", "Lector Digitale Overheid", "lectoraat-digitale-overheid"),
    Person("daan.peters@detachering.example", "Daan Peters", "Interim projectleider"),
]

FACILITATOR_EMAIL = "facilitator@vng.nl"
# The admin asks facilitators for a code of their authenticator app: the demo facilitator's app has this
# public secret (base32), to add to any authenticator app. Demo only, like the demo password.
FACILITATOR_TOTP_SECRET = "DEMOFACILITATOR2SAMENORGANISEREN"  # noqa: S105
DEMO_LOGIN = "anna.devries@utrecht.nl"


class MunicipalitiesMissingError(RuntimeError):
    pass


@transaction.atomic
def seed_demo() -> None:
    if not Municipality.objects.exists():
        raise MunicipalitiesMissingError("Load the municipalities first: manage.py load_municipalities")
    for code, domain in MUNICIPAL_DOMAINS.items():
        organisation = Organisation.objects.get(municipality__code=code)
        OrganisationDomain.objects.update_or_create(domain=domain, defaults={"organisation": organisation})
    for partner in PARTNERS:
        organisation, _ = Organisation.objects.update_or_create(
            slug=partner.slug,
            defaults={
                "name": partner.name,
                "kind": partner.kind,
                "website": partner.website,
                "description": partner.description,
                "status": OrganisationStatus.ACTIVE,
            },
        )
        OrganisationDomain.objects.update_or_create(domain=partner.domain, defaults={"organisation": organisation})
    for person in PEOPLE:
        _seed_person(person)
    _seed_facilitator()
    _seed_pending_requests()
    from collaboration.demo import seed_demo_collaboration
    from initiatives.demo import seed_demo_initiatives
    from standards.demo import seed_demo_standards

    seed_demo_initiatives()
    seed_demo_collaboration()
    seed_demo_standards()


def _seed_person(person: Person) -> User:
    user, created = User.objects.get_or_create(
        email=person.email, defaults={"name": person.name, "job_title": person.job_title}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=person.email, defaults={"verified": True, "primary": True})
    membership_grant_for_verified_email(user=user, email=person.email)
    if person.coordinator_of:
        Membership.objects.update_or_create(
            user=user,
            organisation=Organisation.objects.get(slug=person.coordinator_of),
            defaults={"role": MembershipRole.COORDINATOR},
        )
    return user


def _seed_facilitator() -> None:
    facilitator = User.objects.get(email=FACILITATOR_EMAIL)
    facilitator.is_staff = True
    facilitator.save(update_fields=["is_staff"])
    facilitator.groups.add(Group.objects.get(name=FACILITATORS_GROUP))
    if not Authenticator.objects.filter(user=facilitator, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(facilitator, FACILITATOR_TOTP_SECRET)


def _seed_pending_requests() -> None:
    """Work waiting for a decision: a membership request for Utrecht's coordinator, one for Zwolle
    (which has no coordinator, so the facilitators decide), and a partner awaiting approval."""
    daan = User.objects.get(email="daan.peters@detachering.example")
    for slug, motivation in [
        ("utrecht", "Ik ben ingehuurd als projectleider voor de vernieuwing van de Omgevingswet-dienstverlening."),
        ("zwolle", "Ik begeleid de aanbesteding van het nieuwe zaaksysteem van Zwolle."),
    ]:
        organisation = Organisation.objects.get(slug=slug)
        if not MembershipRequest.objects.filter(user=daan, organisation=organisation).exists():
            MembershipRequest.objects.create(
                user=daan, organisation=organisation, motivation=motivation, status=MembershipRequestStatus.PENDING
            )
    Organisation.objects.get_or_create(
        slug="stichting-toegankelijk-digitaal",
        defaults={
            "name": "Stichting Toegankelijk Digitaal",
            "kind": OrganisationKind.OTHER,
            "website": "https://toegankelijk-digitaal.example",
            "description": "Helpt gemeenten hun websites en formulieren toegankelijk te maken.",
            "status": OrganisationStatus.REQUESTED,
            "requested_by": daan,
        },
    )
