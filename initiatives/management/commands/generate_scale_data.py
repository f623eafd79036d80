"""A large synthetic but realistic data set for benchmarks: partners, users sharing one password hash,
their memberships, and initiatives over every municipality and partner, written in bulk.

Demo and benchmark databases only. Identifiers carry a run label, so running it again adds another set.
"""

import random
import secrets
import time
from collections.abc import Iterator, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from collaboration.models import LIVE_STATUSES, Participation, ParticipationStatus
from initiatives.demo import APPROACHES as DEMO_APPROACHES
from initiatives.demo import PHASES, SOUGHT_ROLES, SUBJECTS, dutch_number, reads_well, title_for
from initiatives.demo import STEPS as DEMO_STEPS
from initiatives.models import CollaborationRole, Initiative, InitiativePhaseChange, InitiativeStatus, Theme
from initiatives.services.initiative import initiative_search_vector
from initiatives.themes import ensure_default_themes
from municipalities.models import Membership, Organisation
from municipalities.models.membership import MembershipRole
from municipalities.models.organisation import OrganisationKind, OrganisationStatus
from samenorg.accounts.models import User
from samenorg.core.demo import DEMO_PASSWORD

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Daan",
    "Emma",
    "Fleur",
    "Sem",
    "Julia",
    "Lucas",
    "Sophie",
    "Levi",
    "Mila",
    "Thijs",
    "Noa",
    "Finn",
    "Sara",
    "Jesse",
    "Lotte",
    "Ruben",
    "Eva",
    "Milan",
    "Iris",
    "Luuk",
    "Femke",
    "Stijn",
    "Yara",
    "Mohamed",
    "Fatima",
    "Youssef",
    "Amira",
    "Kevin",
    "Priya",
    "Wouter",
    "Marloes",
    "Joost",
    "Anouk",
    "Hanneke",
    "Gerrit",
    "Ingrid",
    "Pieter",
    "Maartje",
    "Sander",
    "Nadia",
    "Koen",
    "Esther",
    "Mehmet",
    "Elif",
    "Ricardo",
    "Tess",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Hoekstra",
    "Postma",
    "Veenstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kramer",
    "Wijnen",
]
JOB_TITLES = [
    "Beleidsadviseur",
    "Informatieadviseur",
    "Projectleider",
    "Programmamanager",
    "Teamleider",
    "Privacy officer",
    "CISO",
    "Klantcontactmedewerker",
    "Consulent werk en inkomen",
    "Wijkcoördinator",
    "Data-analist",
    "Jurist",
    "Adviseur participatie",
    "Vergunningverlener",
    "Inkoopadviseur",
    "Architect",
    "Productowner",
]
TOPICS = [
    "Digitale Overheid",
    "Data en Samenleving",
    "Sociaal Domein",
    "Energietransitie",
    "Klimaatadaptatie",
    "Informatieveiligheid",
    "Publieke Dienstverlening",
    "Wonen en Leefbaarheid",
    "Werk en Inkomen",
    "Participatie",
    "Omgevingsrecht",
    "Veiligheid",
    "Circulaire Economie",
    "Mobiliteit",
]
COMPANY_WORDS = [
    "Noorderlicht",
    "Polderkracht",
    "Deltawerk",
    "Stadsbeeld",
    "Heldergroen",
    "Kompas",
    "Brugwerk",
    "Zuidwester",
    "Dijkwacht",
    "Eikenhof",
    "Lindelaan",
    "Waterlijn",
    "Horizon",
    "Vuurtoren",
    "Gildehuis",
    "Rijnland",
]
COMPANY_KINDS = ["Adviesbureau", "Softwarehuis", "Ingenieursbureau", "Datalab", "ICT-diensten", "Onderzoeksbureau"]
PARTNER_NAMES: dict[str, Sequence[str]] = {
    OrganisationKind.COMPANY: [f"{kind} {{word}} {{place}}" for kind in COMPANY_KINDS],
    OrganisationKind.KNOWLEDGE_INSTITUTE: ["Lectoraat {topic}, Hogeschool {place}", "Kenniscentrum {topic} {place}"],
    OrganisationKind.NATIONAL_GOVERNMENT: ["Uitvoeringsorganisatie {topic} regio {place}", "Rijksprogramma {topic}"],
    OrganisationKind.PROVINCE: ["Provinciaal netwerk {topic} {place}"],
    OrganisationKind.WATER_BOARD: ["Waterschap {place}", "Hoogheemraadschap {place}"],
    OrganisationKind.UMBRELLA_ASSOCIATION: ["Vereniging {topic} {place}", "Netwerk {topic} {place}"],
    OrganisationKind.CITIZEN_INITIATIVE: ["Energiecoöperatie {place}", "Buurtvereniging {word} {place}"],
    OrganisationKind.OTHER: ["Stichting {topic} {place}", "Stichting {word} {place}"],
}
PARTNER_KIND_WEIGHTS = {
    OrganisationKind.COMPANY: 35,
    OrganisationKind.KNOWLEDGE_INSTITUTE: 12,
    OrganisationKind.NATIONAL_GOVERNMENT: 4,
    OrganisationKind.PROVINCE: 3,
    OrganisationKind.WATER_BOARD: 4,
    OrganisationKind.UMBRELLA_ASSOCIATION: 8,
    OrganisationKind.CITIZEN_INITIATIVE: 22,
    OrganisationKind.OTHER: 12,
}
# Participations besides the initiator's: roles (not the initiator) and statuses, in this order of weights.
OTHER_ROLES = [role for role in CollaborationRole.values if role != CollaborationRole.INITIATOR]
PARTICIPATION_STATUSES = [
    ParticipationStatus.REQUESTED,
    ParticipationStatus.ACTIVE,
    ParticipationStatus.DECLINED,
    ParticipationStatus.WITHDRAWN,
    ParticipationStatus.LEFT,
]
PAIRS = [(subject, approach) for subject in SUBJECTS for approach in DEMO_APPROACHES if reads_well(subject, approach)]


def batches(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


class Command(BaseCommand):
    help = _("Create a large synthetic set of partners, users and initiatives in bulk (demo databases only).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--initiatives", type=int, default=100_000, help=_("How many initiatives."))
        parser.add_argument("--partners", type=int, default=2_000, help=_("How many partner organisations."))
        parser.add_argument("--users", type=int, default=20_000, help=_("How many users."))
        parser.add_argument("--batch", type=int, default=5_000, help=_("Rows per insert."))
        parser.add_argument("--seed", type=int, default=342, help=_("Seed of the random choices."))

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SAMENORG_ALLOW_DEMO:
            raise CommandError(_("Scale data is for demo databases only; SAMENORG_ALLOW_DEMO is off here."))
        counts = {key: options[key] for key in ("initiatives", "partners", "users")}
        if min(counts.values()) < 0 or options["batch"] < 1:
            raise CommandError(_("Counts cannot be negative and a batch holds at least one row."))
        municipalities = list(
            Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, municipality__dissolved_on__isnull=True)
            .order_by("pk")
            .values_list("pk", "slug", "municipality__name")
        )
        if not municipalities:
            raise CommandError(_("Load the municipalities first: manage.py load_municipalities"))
        ensure_default_themes()
        themes = dict(Theme.objects.values_list("slug", "pk"))
        self.rng = random.Random(options["seed"])  # noqa: S311 (synthetic data, not secrets)
        self.batch = options["batch"]
        self.label = self._run_label()
        self.started = time.monotonic()
        with transaction.atomic():
            # Foreign keys checked at the end of each statement rather than all at commit: deferred, every check
            # of the load waits in PostgreSQL's list of pending trigger events, and each history trigger's
            # exception blocks walk that list on rollback, so the load slowed down quadratically (5,000
            # initiatives after 10,000 took 2.5 minutes; benchmarks/RESULTS.md).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            partners = self._partners(counts["partners"], [name for _pk, _slug, name in municipalities])
            organisations = [(pk, slug) for pk, slug, _name in municipalities] + partners
            self._users(counts["users"], organisations, partner_count=len(partners))
            self._initiatives(counts["initiatives"], municipalities, partners, themes)
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(partners)s partners, %(users)s users and %(initiatives)s initiatives in %(seconds).0f s.")
                % {**{key: dutch_number(value) for key, value in counts.items()}, "seconds": self._elapsed()}
            )
        )
        if counts["users"]:
            self.stdout.write(
                _("Every generated user logs in with the demo password %(password)s.") % {"password": DEMO_PASSWORD}
            )

    # -- helpers -------------------------------------------------------------------------------------

    def _run_label(self) -> str:
        """A short label that keeps this run's slugs and e-mail addresses apart from earlier runs."""
        while True:
            label = secrets.token_hex(2)
            if not Initiative.objects.filter(slug__endswith=f"-s{label}-1").exists() and not (
                User.objects.filter(email__contains=f".s{label}-").exists()
            ):
                return label

    def _elapsed(self) -> float:
        return time.monotonic() - self.started

    def _progress(self, what: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        bar = "#" * (percent // 5) + "." * (20 - percent // 5)
        self.stderr.write(
            _("%(what)s [%(bar)s] %(done)s/%(total)s (%(seconds).0f s)")
            % {"what": what, "bar": bar, "done": dutch_number(done), "total": dutch_number(total),
               "seconds": self._elapsed()}
        )  # fmt: skip

    def _partners(self, total: int, places: list[str]) -> list[tuple[int, str]]:
        taken = {name.lower() for name in Organisation.objects.partners().values_list("name", flat=True)}
        kinds, weights = list(PARTNER_KIND_WEIGHTS), list(PARTNER_KIND_WEIGHTS.values())
        partners: list[tuple[int, str]] = []
        for numbers in batches(total, self.batch):
            rows = []
            for number in numbers:
                kind = self.rng.choices(kinds, weights)[0]
                name = self._partner_name(kind, places, taken)
                slug = f"{slugify(name)[:180]}-s{self.label}-{number + 1}"
                rows.append(
                    Organisation(
                        name=name,
                        slug=slug,
                        kind=kind,
                        status=OrganisationStatus.ACTIVE,
                        website=f"https://{slug}.example",
                        description=_partner_description(kind),
                    )
                )
            Organisation.objects.bulk_create(rows)
            partners += [(row.pk, row.slug) for row in rows]
            self._progress(_("partners"), numbers.stop, total)
        return partners

    def _partner_name(self, kind: str, places: list[str], taken: set[str]) -> str:
        for attempt in range(50):
            pattern = self.rng.choice(PARTNER_NAMES[kind])
            name = pattern.format(
                place=self.rng.choice(places), topic=self.rng.choice(TOPICS), word=self.rng.choice(COMPANY_WORDS)
            )
            if attempt > 10:
                name = f"{name} {attempt}"
            if name.lower() not in taken:
                taken.add(name.lower())
                return name
        raise CommandError(_("Could not think of a new partner name; ask for fewer partners."))

    def _users(self, total: int, organisations: list[tuple[int, str]], partner_count: int) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once, shared by every generated user
        municipal_count = len(organisations) - partner_count
        for numbers in batches(total, self.batch):
            users, homes = [], []
            for number in numbers:
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                at_partner = partner_count and self.rng.random() < 0.25
                index = (
                    municipal_count + self.rng.randrange(partner_count)
                    if at_partner
                    else self.rng.randrange(municipal_count)
                )
                organisation_pk, organisation_slug = organisations[index]
                local = f"{slugify(first)}.{slugify(last)}".replace("-", "")
                users.append(
                    User(
                        email=f"{local}.s{self.label}-{number + 1}@{organisation_slug}.example",
                        name=f"{first} {last}",
                        job_title=self.rng.choice(JOB_TITLES),
                        password=password,
                    )
                )
                homes.append(organisation_pk)
            User.objects.bulk_create(users)
            memberships = []
            for user, home in zip(users, homes, strict=True):
                role = MembershipRole.COORDINATOR if self.rng.random() < 0.05 else MembershipRole.MEMBER
                memberships.append(Membership(user_id=user.pk, organisation_id=home, role=role))
                if self.rng.random() < 0.08:  # some work for a second organisation
                    other = self.rng.choice(organisations)[0]
                    if other != home:
                        memberships.append(Membership(user_id=user.pk, organisation_id=other))
            Membership.objects.bulk_create(memberships)
            self._progress(_("users"), numbers.stop, total)

    def _initiatives(
        self,
        total: int,
        municipalities: list[tuple[int, str, str]],
        partners: list[tuple[int, str]],
        themes: dict[str, int],
    ) -> None:
        rng = self.rng
        now = timezone.now()
        # Large municipalities register more: a skewed weight per municipality.
        weights = [rng.paretovariate(1.5) for _ in municipalities]
        owners = rng.choices(municipalities, weights, k=total)
        through_model = Initiative.themes.through
        first_pk = last_pk = None
        for numbers in batches(total, self.batch):
            rows, row_themes = [], []
            for number in numbers:
                subject, approach = rng.choice(PAIRS)
                if partners and rng.random() < 0.12:
                    owner_pk, place = rng.choice(partners)[0], ""
                else:
                    owner_pk, _slug, place = owners[number]
                title = title_for(subject, approach)
                if place and rng.random() < 0.3:
                    title = f"{title} in {place}"
                row = self._initiative(rng, now, subject, approach, title)
                row.owner_id = owner_pk
                row.slug = f"{slugify(title)[:190]}-s{self.label}-{number + 1}"
                rows.append(row)
                row_themes.append({themes[slug] for slug in (subject.theme, subject.extra_theme) if slug in themes})
            Initiative.objects.bulk_create(rows)
            through_model.objects.bulk_create(
                through_model(initiative_id=row.pk, theme_id=theme)
                for row, theme_ids in zip(rows, row_themes, strict=True)
                for theme in theme_ids
            )
            InitiativePhaseChange.objects.bulk_create(
                InitiativePhaseChange(initiative_id=row.pk, to_phase=row.phase, organisation_id=row.owner_id)
                for row in rows
            )
            Participation.objects.bulk_create(self._participations(rng, now, rows, municipalities, partners))
            first_pk = rows[0].pk if first_pk is None else first_pk
            last_pk = rows[-1].pk
            self._progress(_("initiatives"), numbers.stop, total)
        if first_pk is not None:
            self.stderr.write(_("Filling the search vectors…"))
            Initiative.objects.filter(pk__gte=first_pk, pk__lte=last_pk, search_vector__isnull=True).update(
                search_vector=initiative_search_vector()
            )
            self._progress(_("search vectors"), total, total)

    def _participations(
        self,
        rng: random.Random,
        now: Any,
        rows: list[Initiative],
        municipalities: list[tuple[int, str, str]],
        partners: list[tuple[int, str]],
    ) -> Iterator[Participation]:
        """The owner as initiator of each initiative; on public ones, a few municipalities and partners
        in the other roles, mostly taking part, some asking, a few declined or gone."""
        for row in rows:
            yield Participation(
                initiative_id=row.pk,
                organisation_id=row.owner_id,
                role=CollaborationRole.INITIATOR,
                status=ParticipationStatus.ACTIVE,
                joined_at=row.published_at or now,
            )
            if row.status == InitiativeStatus.DRAFT:
                continue
            taken = {row.owner_id}
            for _attempt in range(rng.choices([0, 1, 2, 4, 8], weights=[30, 25, 20, 15, 10])[0]):
                pool = partners if partners and rng.random() < 0.3 else municipalities
                organisation_pk = rng.choice(pool)[0]
                if organisation_pk in taken:
                    continue
                taken.add(organisation_pk)
                status = rng.choices(PARTICIPATION_STATUSES, weights=[10, 75, 6, 3, 6])[0]
                if status == ParticipationStatus.REQUESTED and row.status != InitiativeStatus.PUBLISHED:
                    status = ParticipationStatus.ACTIVE
                asked_at = (row.published_at or now) + (now - (row.published_at or now)) * rng.random() / 2
                yield Participation(
                    initiative_id=row.pk,
                    organisation_id=organisation_pk,
                    role=rng.choices(OTHER_ROLES, weights=[15, 45, 10, 15, 15])[0],
                    status=status,
                    motivation="Wij willen deze aanpak ook invoeren en delen onze ervaringen.",
                    joined_at=asked_at if status in (ParticipationStatus.ACTIVE, ParticipationStatus.LEFT) else None,
                    decided_at=None
                    if status in (ParticipationStatus.REQUESTED, ParticipationStatus.WITHDRAWN)
                    else asked_at,
                    decision_reason="Past nu niet bij de opzet van de pilot."
                    if status == ParticipationStatus.DECLINED
                    else "",
                    ended_at=asked_at if status not in LIVE_STATUSES else None,
                )

    def _initiative(self, rng: random.Random, now: Any, subject: Any, approach: Any, title: str) -> Initiative:
        phase = rng.choices(PHASES, weights=[25, 25, 22, 18, 10])[0]
        level = PHASES.index(phase)
        draw = rng.random()
        status = (
            InitiativeStatus.DRAFT
            if draw < 0.1
            else InitiativeStatus.ARCHIVED
            if draw < 0.15
            else InitiativeStatus.PUBLISHED
        )
        published_at = archived_at = None
        if status != InitiativeStatus.DRAFT:
            published_at = now - timedelta(seconds=rng.randrange(4 * 365 * 86_400))
        if status == InitiativeStatus.ARCHIVED:
            archived_at = published_at + (now - published_at) * rng.random()
        steps = rng.sample(DEMO_STEPS, 2)
        row = Initiative(
            title=title,
            summary=f"{subject.summary} {approach.summary}",
            description=(
                f"## Aanleiding\n\n{subject.problem}\n\n## Aanpak\n\n{approach.how}\n\n- {steps[0]}\n- {steps[1]}\n"
            ),
            tags=[*subject.tags, approach.tag],
            roles_sought=sorted(rng.sample(SOUGHT_ROLES, rng.randint(0, 3))),
            phase=phase,
            status=status,
            published_at=published_at,
            archived_at=archived_at,
        )
        if level >= 2:
            row.inhabitants_reached = rng.randint(1, 40) * 50 * level
            row.organisations_using = rng.randint(1, 4 * level * level)
            row.results = (
                f"{dutch_number(row.inhabitants_reached)} inwoners bereikt; {row.organisations_using} "
                f"organisaties werken ermee. {rng.randint(60, 95)}% van de deelnemers is tevreden."
            )
        if level >= 3:
            row.cost_eur = Decimal(rng.randint(2, 80) * 5_000)
            row.savings_eur = row.cost_eur * rng.randint(5, 40) / 10
        return row


def _partner_description(kind: str) -> str:
    return {
        OrganisationKind.COMPANY: "Levert diensten en software aan gemeenten.",
        OrganisationKind.KNOWLEDGE_INSTITUTE: "Doet praktijkgericht onderzoek met gemeenten.",
        OrganisationKind.NATIONAL_GOVERNMENT: "Werkt met gemeenten aan landelijke opgaven.",
        OrganisationKind.PROVINCE: "Verbindt gemeenten in de provincie rond gedeelde opgaven.",
        OrganisationKind.WATER_BOARD: "Werkt met gemeenten aan waterveiligheid en klimaatadaptatie.",
        OrganisationKind.UMBRELLA_ASSOCIATION: "Brengt organisaties samen rond een gedeeld thema.",
        OrganisationKind.CITIZEN_INITIATIVE: "Een initiatief van bewoners voor hun eigen buurt.",
    }.get(kind, "Werkt samen met gemeenten aan maatschappelijke opgaven.")
