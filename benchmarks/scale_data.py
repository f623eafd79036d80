# ruff: noqa: E501, S311, S608 (a benchmark's data: long SQL, pseudo-random choices, table names from the models)
"""The scale data set of ``run_all.py``, grown in steps into one benchmark database.

``grow_to(size)`` brings the database to ``size`` initiatives with everything else in proportion to the
full set (at 100,000 initiatives: the 342 municipalities, 2,000 partners, 20,000 users, 300,000
participations and 1,000,000 events; at 10,000 a tenth of each, the 342 municipalities excepted). Going
from 10,000 to 100,000 adds the other 90,000 and their share, so each size is built once.

- Partners, users with their memberships, initiatives with their themes, phase timelines and
  participations come from ``manage.py generate_scale_data`` with the history triggers on, as real writes
  would run: its history rows are the audit trail's data (about 4.3 history rows an initiative).
- The participations are then topped up to exactly three an initiative with past ones (left), spread
  over the published initiatives; the events are written with ``COPY`` (triggers off: no foreign-key
  checks, consistent by construction): a realistic mix of initiative, participation, adoption and
  standard events over four years, a tenth of an event per initiative in the past week, each with its
  feed position.
- Fixed fixtures, made once: one initiative with 200 participating organisations, 50 milestones and 500
  comments (``DETAIL``); 20 standards, the first (``STANDARD``) recorded by all 342 municipalities, the
  others by 10-60 %, their adoption history spread over two years; one initiative (``FANOUT``) followed
  by half the users.
- The weekly digest's notifications (every user, 3-7 of the past week's events) are written by
  ``digests.add_weekly_notifications`` for the benchmark to claim, after every step anew.
"""

import json
import os
import random
import time
from datetime import date, timedelta
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from collaboration.models import Comment, Follow, Milestone, Participation, ParticipationStatus
from initiatives.models import CollaborationRole, Initiative, InitiativeStatus
from municipalities.models import Membership, Organisation
from municipalities.models.organisation import OrganisationKind
from samenorg.accounts.models import Frequency, User
from samenorg.events.models import Event
from samenorg.notifications.digests import period_end_for
from standards.models import Adoption, AdoptionStatus, Standard, StandardVersion

FULL = {"initiatives": 100_000, "partners": 2_000, "users": 20_000, "participations": 300_000, "events": 1_000_000}
DETAIL = "bench-detail"  # the initiative with 200 participants, 50 milestones and 500 comments
FANOUT = "bench-fanout"  # the initiative followed by half the users
STANDARD = "bench-standaard-1"  # recorded by every municipality
STANDARDS = 20
DETAIL_PARTICIPANTS, DETAIL_MILESTONES, DETAIL_COMMENTS = 200, 50, 500
EVENT_MIX = [  # type, weight, what it is about
    ("initiative.updated", 34, "initiative"),
    ("initiative.phase_changed", 12, "initiative"),
    ("initiative.published", 8, "initiative"),
    ("participation.requested", 10, "participation"),
    ("participation.accepted", 16, "participation"),
    ("participation.left", 4, "participation"),
    ("participation.role_changed", 4, "participation"),
    ("adoption.changed", 8, "adoption"),
    ("standard.version_released", 2, "standard"),
    ("standard.updated", 2, "standard"),
]
PHASES = ["idea", "exploration", "pilot", "implementation", "proven_practice"]
EVENT_COLUMNS = (
    "type", "occurred_at", "actor_user_id", "organisation_id", "initiative_id", "participation_id",
    "standard_id", "adoption_id", "audience", "payload", "position",
)  # fmt: skip


def counts_for(size: int) -> dict[str, int]:
    """The full set's counts in proportion to ``size`` initiatives."""
    return {key: round(value * size / FULL["initiatives"]) for key, value in FULL.items()}


def table_counts() -> dict[str, int]:
    tables = {
        "municipalities": "municipalities_municipality",
        "partners": "municipalities_organisation WHERE kind <> 'municipality'",
        "users": "accounts_user",
        "initiatives": "initiatives_initiative",
        "participations": "collaboration_participation",
        "events": "events_event",
        "notifications": "notifications_notification",
        "follows": "collaboration_follow",
        "adoptions": "standards_adoption",
        "comments": "collaboration_comment",
        "milestones": "collaboration_milestone",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            found[name] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT sum(n_live_tup)::bigint FROM pg_stat_user_tables WHERE relname LIKE '%%history' AND relname NOT LIKE 'pghistory%%'"
        )
        found["history rows"] = cursor.fetchone()[0] or 0
    return found


def grow_to(size: int, seed: int = 342) -> dict[str, float]:
    """Add what ``size`` needs beyond what is there; the seconds each step took."""
    import digests  # this folder's module: the notification rows of the weekly digest

    rng = random.Random(seed + size)
    target, have = counts_for(size), table_counts()
    steps: dict[str, float] = {}
    started = time.perf_counter()
    if not have["municipalities"]:
        call_command("load_municipalities", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    with transaction.atomic():
        _generate(target, have, seed + size)
    steps["generate_scale_data (history triggers on)"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        if not Initiative.objects.filter(slug=DETAIL).exists():
            _detail_fixture(rng)
            _standards(rng)
        _followers(target["users"] // 2)
    steps["fixtures (detail page, standards, followers)"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no history, no foreign-key checks
        _top_up_participations(cursor, target["participations"])
        _events(rng, target["events"] - table_counts()["events"], size)
        cursor.execute("TRUNCATE notifications_digest, notifications_notification")
        digests.add_weekly_notifications(cursor, period_end_for("weekly", timezone.now()))
        cursor.execute("UPDATE initiatives_listing_version SET version = version + 1, stamp = gen_random_uuid()")
    steps["participations top-up, events, notifications (COPY, triggers off)"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.perf_counter() - started
    return steps


def _generate(target: dict[str, int], have: dict[str, int], seed: int) -> None:
    """``generate_scale_data`` for what is missing (it checks foreign keys per statement, not at commit:
    deferred, each tracked row's history trigger made the load quadratic)."""
    call_command(
        "generate_scale_data",
        initiatives=target["initiatives"] - have["initiatives"],
        partners=target["partners"] - have["partners"],
        users=target["users"] - have["users"],
        seed=seed,
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115 (its summary)
        stderr=open(os.devnull, "w"),  # noqa: SIM115 (its progress bar)
    )


def _published(rng: random.Random, count: int) -> list[Initiative]:
    ids = list(Initiative.objects.filter(status=InitiativeStatus.PUBLISHED).values_list("pk", flat=True)[:5000])
    return list(Initiative.objects.filter(pk__in=rng.sample(ids, count)))


def _detail_fixture(rng: random.Random) -> None:
    """One initiative as big as the detail page must handle: 200 organisations taking part, 50 milestones,
    500 comments, with the events they made."""
    initiative, fanout = _published(rng, 2)
    Initiative.objects.filter(pk=initiative.pk).update(slug=DETAIL)
    Initiative.objects.filter(pk=fanout.pk).update(slug=FANOUT)
    taking_part = set(
        Participation.objects.active().filter(initiative=initiative).values_list("organisation_id", flat=True)
    )
    others = list(Organisation.objects.exclude(pk__in=taking_part).values_list("pk", flat=True))
    roles = [CollaborationRole.PARTICIPANT, CollaborationRole.CO_DEVELOPER, CollaborationRole.KNOWLEDGE_PARTNER]
    now = timezone.now()
    joined = Participation.objects.bulk_create(
        Participation(
            initiative=initiative,
            organisation_id=organisation,
            role=rng.choice(roles),
            status=ParticipationStatus.ACTIVE,
            motivation="Wij doen mee en delen onze ervaringen.",
            joined_at=now - timedelta(days=rng.randint(1, 600)),
            decided_at=now,
        )
        for organisation in rng.sample(others, DETAIL_PARTICIPANTS - len(taking_part))
    )
    members = list(
        Membership.objects.filter(organisation_id__in=[p.organisation_id for p in joined]).values_list(
            "user_id", "organisation_id"
        )
    )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            initiative=initiative,
            title=f"Stap {n + 1}: {rng.choice(['wijk aangesloten', 'pilot afgerond', 'evaluatie', 'besluit college', 'koppeling live'])}",
            description="Wat we in deze stap samen doen en opleveren.",
            target_date=date.today() + timedelta(days=rng.randint(-400, 400)),
            achieved_on=date.today() - timedelta(days=n) if n % 2 else None,
            achievement="Gehaald, zie het verslag." if n % 2 else "",
            planned_for_id=initiative.owner_id,
        )
        for n in range(DETAIL_MILESTONES)
    )
    comments = Comment.objects.bulk_create(
        Comment(
            initiative=initiative,
            author_id=user,
            organisation_id=organisation,
            body=f"Bij ons werkt dit ook. Vraag {n}: hoe hebben jullie de privacytoets gedaan? " * rng.randint(1, 4),
        )
        for n, (user, organisation) in enumerate(rng.choices(members, k=DETAIL_COMMENTS))
    )
    Event.objects.bulk_create(
        [
            Event(
                type="participation.accepted", organisation_id=p.organisation_id, initiative=initiative,
                participation=p, audience="public", payload={"role": p.role},
            )
            for p in joined
        ]
        + [
            Event(
                type="milestone.planned", organisation_id=initiative.owner_id, initiative=initiative, milestone=m,
                audience="public", payload={"title": m.title},
            )
            for m in milestones
        ]
        + [
            Event(
                type="comment.posted", organisation_id=c.organisation_id, initiative=initiative, comment=c,
                actor_user_id=c.author_id, audience="public", payload={},
            )
            for c in comments
        ]
    )  # fmt: skip


def _standards(rng: random.Random) -> None:
    """20 standards; the first recorded by every municipality, the others by some; two years of history."""
    municipalities = list(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list("pk", flat=True))
    statuses = [
        (AdoptionStatus.IN_USE, 40), (AdoptionStatus.IMPLEMENTING, 20), (AdoptionStatus.PLANNED, 20),
        (AdoptionStatus.PHASED_OUT, 5), (AdoptionStatus.EXPLAIN, 15),
    ]  # fmt: skip
    for number in range(1, STANDARDS + 1):
        standard = Standard.objects.create(
            name=f"Standaard {number}", slug=f"bench-standaard-{number}", description="Een gedeelde werkwijze."
        )
        versions = StandardVersion.objects.bulk_create(
            StandardVersion(standard=standard, major=1, minor=minor, patch=0, changelog="Verbeteringen.",
                            released_on=date.today() - timedelta(days=700 - 200 * minor))
            for minor in range(3)
        )  # fmt: skip
        share = 1.0 if number == 1 else rng.uniform(0.1, 0.6)
        chosen = rng.sample(municipalities, round(share * len(municipalities)))
        adoptions = []
        for organisation in chosen:
            status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
            adoptions.append(
                Adoption(
                    organisation_id=organisation,
                    standard=standard,
                    status=status,
                    reason="Wij gebruiken een eigen oplossing die nog jaren meegaat."
                    if status == AdoptionStatus.EXPLAIN
                    else "",
                    version=rng.choice(versions)
                    if status in (AdoptionStatus.IN_USE, AdoptionStatus.IMPLEMENTING)
                    else None,
                    since=date.today() - timedelta(days=rng.randint(0, 700)),
                )
            )
        Adoption.objects.bulk_create(adoptions)
    with connection.cursor() as cursor:  # the register's evolution: changes spread over two years
        cursor.execute("UPDATE standards_adoptionhistory SET pgh_created_at = now() - random() * interval '700 days'")


def _followers(count: int) -> None:
    fanout = Initiative.objects.get(slug=FANOUT)
    frequencies = [Frequency.WEEKLY] * 5 + [Frequency.DAILY] * 2 + [Frequency.IMMEDIATELY] * 2 + [Frequency.OFF]
    users = User.objects.order_by("pk").values_list("pk", flat=True)[:count]
    Follow.objects.bulk_create(
        (Follow(user_id=user, initiative=fanout, frequency=frequencies[user % 10]) for user in users),
        ignore_conflicts=True,
        batch_size=5000,
    )


def _top_up_participations(cursor: Any, target: int) -> None:
    """Past participations (left) on published initiatives, up to ``target`` rows in all."""
    cursor.execute(
        """
        WITH public AS (SELECT id, owner_id, published_at, row_number() OVER (ORDER BY id) - 1 AS n
                          FROM initiatives_initiative WHERE status = 'published'),
             counted AS (SELECT count(*) AS c FROM public),
             organisations AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM municipalities_organisation),
             organisation_count AS (SELECT count(*) AS c FROM organisations)
        INSERT INTO collaboration_participation
               (initiative_id, organisation_id, role, status, motivation, requested_role, requested_role_motivation,
                requested_at, decided_at, decision_reason, joined_at, ended_at)
        SELECT public.id, organisations.id, 'participant', 'left', 'Wij willen meedoen.', '', '',
               public.published_at, public.published_at, '', public.published_at, now()
          FROM generate_series(1, greatest(%s - (SELECT count(*) FROM collaboration_participation), 0)) AS k
          JOIN public ON public.n = (k * 7919) %% (SELECT c FROM counted)
          JOIN organisations ON organisations.n = (k * 104729) %% (SELECT c FROM organisation_count)
        """,
        [target],
    )


def _events(rng: random.Random, count: int, size: int) -> None:
    """``count`` events by ``COPY``, numbered on from the last feed position."""
    if count <= 0:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, owner_id FROM initiatives_initiative WHERE status <> 'draft'")
        initiatives = cursor.fetchall()
        cursor.execute(
            "SELECT p.id, p.initiative_id, p.organisation_id, p.role FROM collaboration_participation p "
            "JOIN initiatives_initiative i ON i.id = p.initiative_id WHERE i.status <> 'draft' AND p.role <> 'initiator'"
        )
        participations = cursor.fetchall()
        cursor.execute("SELECT id, standard_id, organisation_id, status FROM standards_adoption")
        adoptions = cursor.fetchall()
        cursor.execute("SELECT id FROM standards_standard")
        standards = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM accounts_user")
        users = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM municipalities_organisation WHERE kind = 'municipality' ORDER BY id LIMIT 1")
        register = cursor.fetchone()[0]  # who acts for a standard's release (a facilitator's organisation)
        cursor.execute("SELECT coalesce(max(position), 0) FROM events_event")
        position = cursor.fetchone()[0]
    types = [kind for kind, _weight, _about in EVENT_MIX]
    weights = [weight for _kind, weight, _about in EVENT_MIX]
    about = {kind: what for kind, _weight, what in EVENT_MIX}
    now = timezone.now()
    week_end = period_end_for("weekly", now)
    recent = size // 10  # in the past week: what the weekly digest tells about
    span = 4 * 365 * 86_400
    times = sorted(now - timedelta(seconds=rng.randrange(7 * 86_400, span)) for _ in range(count - recent))
    times += sorted(week_end - timedelta(seconds=rng.randrange(5, 7 * 86_400 - 5)) for _ in range(recent))
    raw = connection.connection.cursor()  # psycopg's own cursor, for COPY
    with raw.copy(f"COPY events_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
        for occurred_at, kind in zip(times, rng.choices(types, weights, k=count), strict=True):
            position += 1
            actor = rng.choice(users) if rng.random() < 0.9 else None
            what = about[kind]
            if what == "initiative":
                initiative, organisation = rng.choice(initiatives)
                payload = {"phase": rng.choice(PHASES)} if kind == "initiative.phase_changed" else {}
                row = (initiative, None, None, None, "public", payload)
            elif what == "participation":
                participation, initiative, organisation, role = rng.choice(participations)
                audience = "participants" if kind == "participation.requested" else "public"
                row = (initiative, participation, None, None, audience, {"role": role})
            elif what == "adoption":
                adoption, standard, organisation, status = rng.choice(adoptions)
                row = (None, None, standard, adoption, "public", {"status": status})
            else:
                organisation, actor = register, None
                row = (None, None, rng.choice(standards), None, "public", {"version": f"1.{rng.randint(0, 9)}.0"})
            initiative, participation, standard, adoption, audience, payload = row
            copy.write_row(
                (kind, occurred_at, actor, organisation, initiative, participation, standard, adoption, audience,
                 json.dumps(payload), position)
            )  # fmt: skip
    raw.close()
