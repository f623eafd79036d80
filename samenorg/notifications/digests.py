"""The daily and weekly e-mail digests: what each person chose to hear of "daily" or "weekly", gathered.

Periods. A digest run is for one frequency and one ``period_end``: 07:00, or Monday 07:00, on the wall clock
of ``CELERY_TIMEZONE`` (Europe/Amsterdam, the beat's time zone). A person's digest covers their unread
notifications of that frequency created after the end of their previous digest of that frequency (one not
``failed``; a failed digest's items roll into the next) up to ``period_end``; a first digest starts one day or
week back on the wall clock, so around a daylight-saving change it spans 23 or 25 hours (167 or 169).

Nothing new, no mail and no row: a run claims only the people who have something. A claimed digest whose
items were read or deleted before it went out is recorded ``empty``. Notifications already read in the inbox
are not repeated by e-mail. Addresses the mail server refused (``User.email_undeliverable_at``) and inactive
accounts are passed over, so their items wait for a later digest once the address works again.

Exactly once. One digest per (user, frequency, period_end) is a database constraint. A batch of people is
claimed with one INSERT ... ON CONFLICT DO NOTHING, committed, and only then sent, while the worker holds the
batch's rows locked (that lock is how other workers know it is alive), and marked sent after. A claim still
``claimed`` after ``CLAIM_TIMEOUT`` whose row nobody holds was left by a dead worker: the next run sends it
once more (``attempts``); if that attempt dies too, it is marked ``failed`` and reported (``logger.error``).
A worker killed after claiming and before sending therefore costs a delay, never a duplicate; killed while
sending, the people of that one batch who already got theirs may get it a second time (the mail server's
acceptance cannot be part of the database transaction).

Scale. People are taken in batches of ``BATCH_SIZE`` by increasing user id (a keyset: no list of all users
is ever held), each batch in four queries however large: claim, lock, items (one streamed query, split
into digests as it is read), mark. At most ``MAX_ITEMS`` items per digest are loaded; the rest is counted.
"""

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from itertools import groupby
from operator import attrgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, F, Value, When, Window
from django.db.models.functions import Now, RowNumber
from django.urls import reverse
from django.utils import timezone, translation

from samenorg.accounts.models import Frequency, User
from samenorg.core.mail import UndeliverableAddress, send_templated_mail
from samenorg.events.describe import DESCRIBED_RELATIONS, describe

from .models import Digest, DigestState, Notification
from .unsubscribe import SETTINGS_PATH, list_unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)

DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)
SEND_AT = clock_time(7, 0)  # on the wall clock of CELERY_TIMEZONE, as the beat entries say
BATCH_SIZE = 500
MAX_ITEMS = 50  # the newest shown in one digest; the others are counted and wait in the inbox
ITEMS_CHUNK = 2000  # rows fetched at a time from the streamed items query
CLAIM_TIMEOUT = timedelta(minutes=15)  # a claim this old whose row nobody holds was left by a dead worker
MAX_ATTEMPTS = 2  # the first attempt and one retry


# Periods


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.CELERY_TIMEZONE)


def _step(frequency: str) -> timedelta:
    return timedelta(days=7 if frequency == Frequency.WEEKLY else 1)


def _wall_clock(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, SEND_AT, tzinfo=zone).astimezone(UTC)


def period_end_for(frequency: str, at: datetime) -> datetime:
    """The latest scheduled moment at or before ``at``: 07:00 local time, a Monday's for the weekly digest."""
    _check(frequency)
    zone = _zone()
    day = at.astimezone(zone).date()
    if frequency == Frequency.WEEKLY:
        day -= timedelta(days=day.weekday())
    end = _wall_clock(day, zone)
    return end if end <= at else _wall_clock(day - _step(frequency), zone)


def previous_period_end(frequency: str, period_end: datetime) -> datetime:
    """The scheduled moment one day or week before ``period_end`` on the wall clock: where a first digest
    starts. Across a daylight-saving change that is 23 or 25 hours back (a week: 167 or 169)."""
    return _wall_clock(period_end.astimezone(_zone()).date() - _step(frequency), _zone())


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time; without an offset it is read in ``CELERY_TIMEZONE``. ``ValueError`` if not."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=_zone()) if moment.tzinfo is None else moment


def _check(frequency: str) -> None:
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"There is no {frequency!r} digest; choose daily or weekly.")


# What one digest says


@dataclass(frozen=True)
class DigestItem:
    text: str
    occurred_at: datetime


@dataclass
class DigestGroup:
    subject: str
    url: str
    items: list[DigestItem] = field(default_factory=list)


def digest_groups(notifications: Iterable[Notification]) -> list[DigestGroup]:
    """The items by subject (an initiative or a standard), newest first: each group's items, and the groups
    by their newest item. Described in the active language; the events come with ``DESCRIBED_RELATIONS``."""
    groups: dict[tuple[str, int | None], DigestGroup] = {}
    newest_first = sorted(notifications, key=lambda n: (n.event.occurred_at, n.event_id), reverse=True)
    for notification in newest_first:
        event = notification.event
        key = ("standard", event.standard_id) if event.standard_id else ("initiative", event.initiative_id)
        description = describe(event)
        group = groups.setdefault(key, DigestGroup(subject=description.subject, url=description.url))
        group.items.append(DigestItem(text=description.text, occurred_at=event.occurred_at))
    return list(groups.values())


# A run


@dataclass
class DigestRun:
    """What a run did. ``resume_after`` is set when its deadline stopped it: the run goes on after that user
    id (0: from the start, stale claims first)."""

    sent: int = 0
    empty: int = 0
    failed: int = 0
    retried: int = 0
    abandoned: int = 0
    batches: int = 0
    resume_after: int | None = None

    def count(self, outcome: dict[int, str]) -> None:
        self.batches += 1
        for state in outcome.values():
            setattr(self, state, getattr(self, state) + 1)


def digests_send(
    *,
    frequency: str,
    period_end: datetime,
    after_user_id: int = 0,
    batch_size: int = BATCH_SIZE,
    deadline: float | None = None,
) -> DigestRun:
    """Send the ``frequency`` digests of the period ending at ``period_end`` to the people after
    ``after_user_id``; safe to run twice, and by several workers at once. Starting from the beginning
    (``after_user_id`` 0) it first settles the stale claims that dead workers left, of either frequency.
    It stops at the first batch boundary past ``deadline`` (a ``time.monotonic()`` value), having done one
    batch at least, and says where to go on (``DigestRun.resume_after``)."""
    _check(frequency)
    if period_end > timezone.now():
        raise ValueError(f"The period ends at {period_end:%Y-%m-%d %H:%M} UTC; its digests can go after that.")
    run = DigestRun()
    if after_user_id == 0:
        run.abandoned = _abandon_stale_claims()
        while retry := _retake_stale_claims(batch_size):
            run.retried += len(retry)
            _deliver(retry, run)
            if _past(deadline):
                run.resume_after = 0
                return run
    first_start = previous_period_end(frequency, period_end)
    after = after_user_id
    while True:  # a batch at least per call, so a chain of short slices always gets somewhere
        candidates = _claim_batch(frequency, period_end, first_start, after, batch_size)
        claimed = [digest_id for _user_id, digest_id in candidates if digest_id is not None]
        if claimed:
            _deliver(claimed, run)
        if len(candidates) < batch_size:
            return run
        after = candidates[-1][0]
        if _past(deadline):
            run.resume_after = after
            return run


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "digest": quote(Digest._meta.db_table),
        "user": quote(User._meta.db_table),
        "notification": quote(Notification._meta.db_table),
    }


_CLAIM_SQL = """
    WITH candidate AS (
        SELECT account.id AS user_id, since.period_start, news.items
          FROM {user} account
         CROSS JOIN LATERAL (
               SELECT coalesce((
                   SELECT previous.period_end FROM {digest} previous
                    WHERE previous.user_id = account.id AND previous.frequency = %(frequency)s
                      AND previous.state <> %(failed)s
                    ORDER BY previous.period_end DESC LIMIT 1), %(first_start)s) AS period_start) since
         CROSS JOIN LATERAL (
               SELECT count(*) AS items FROM {notification} item
                WHERE item.user_id = account.id AND item.frequency = %(frequency)s AND item.read_at IS NULL
                  AND item.created_at > since.period_start AND item.created_at <= %(period_end)s) news
         WHERE account.id > %(after)s AND account.is_active AND account.email_undeliverable_at IS NULL
           AND since.period_start < %(period_end)s AND news.items > 0
         ORDER BY account.id
         LIMIT %(limit)s
    ), claimed AS (
        INSERT INTO {digest} (user_id, frequency, period_start, period_end, state, items, claimed_at, attempts)
        SELECT user_id, %(frequency)s, period_start, %(period_end)s, %(claimed)s, items, statement_timestamp(), 1
          FROM candidate
            ON CONFLICT (user_id, frequency, period_end) DO NOTHING
        RETURNING id, user_id
    )
    SELECT candidate.user_id, claimed.id
      FROM candidate LEFT JOIN claimed ON claimed.user_id = candidate.user_id
     ORDER BY candidate.user_id
"""


def _claim_batch(
    frequency: str, period_end: datetime, first_start: datetime, after: int, limit: int
) -> list[tuple[int, int | None]]:
    """The next ``limit`` people after user id ``after`` with something new, each claimed unless someone
    claimed them first: (user id, digest id or None), by user id. One statement, committed on return."""
    params: dict[str, str | int | datetime] = {
        "frequency": frequency,
        "period_end": period_end,
        "first_start": first_start,
        "after": after,
        "limit": limit,
        "failed": str(DigestState.FAILED),
        "claimed": str(DigestState.CLAIMED),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL.format(**_tables()), params)
        return list(cursor.fetchall())


_STALE = """
    SELECT id FROM {digest}
     WHERE state = %(claimed)s AND claimed_at < statement_timestamp() - %(timeout)s AND attempts {compare} %(max)s
     ORDER BY id LIMIT %(limit)s
       FOR UPDATE SKIP LOCKED
"""


def _stale_params(limit: int) -> dict:
    return {"claimed": DigestState.CLAIMED, "timeout": CLAIM_TIMEOUT, "max": MAX_ATTEMPTS, "limit": limit}


def _retake_stale_claims(limit: int) -> list[int]:
    """Claims left by dead workers with a retry to spare, claimed again (one attempt more, a fresh claim
    time). SKIP LOCKED: a row its worker still holds is alive however old, and another worker retaking
    stale claims at the same moment takes different ones."""
    stale = _STALE.format(compare="<", **_tables())
    sql = f"""
        UPDATE {_tables()["digest"]} SET attempts = attempts + 1, claimed_at = statement_timestamp()
         WHERE id IN ({stale}) RETURNING id
    """  # noqa: S608 (table names are the models')
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, _stale_params(limit))
        return sorted(digest_id for (digest_id,) in cursor.fetchall())


def _abandon_stale_claims() -> int:
    """Claims left by dead workers that were already retried: marked failed and reported."""
    stale = _STALE.format(compare=">=", **_tables())
    sql = f"""
        UPDATE {_tables()["digest"]} SET state = %(failed)s WHERE id IN ({stale})
        RETURNING id, user_id, frequency, period_end
    """  # noqa: S608 (table names are the models')
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {**_stale_params(limit=10_000), "failed": DigestState.FAILED})
        abandoned = cursor.fetchall()
    if abandoned:
        logger.error(
            "%d digests were not sent: their workers died on %d attempts (digest, user, frequency, until): %s",
            len(abandoned),
            MAX_ATTEMPTS,
            abandoned[:20],
        )
    return len(abandoned)


def _deliver(digest_ids: list[int], run: DigestRun) -> None:
    """Send the claimed digests ``digest_ids`` and record how each went, in one transaction that holds their
    rows locked while sending. If sending breaks off (the mail server went away, the time limit), what was
    sent is still marked sent and the rest stays claimed, for the next run to retry once; then it raises."""
    outcome: dict[int, str] = {}
    error: Exception | None = None
    with transaction.atomic():
        claimed = Digest.objects.select_for_update(of=("self",)).select_related("user")
        digests = claimed.filter(state=DigestState.CLAIMED).in_bulk(digest_ids)
        try:
            for digest_id, notifications in groupby(_items(list(digests)), key=attrgetter("digest_id")):
                outcome[digest_id] = _send(digests[digest_id], list(notifications))
        except Exception as broken:  # whatever it was, what went out must be recorded first
            error = broken
        else:
            for digest_id in digests:
                outcome.setdefault(digest_id, DigestState.EMPTY)
        _record(outcome)
    run.count(outcome)
    if error is not None:
        raise error


def _items(digest_ids: list[int]) -> Iterator[Notification]:
    """The items of the digests ``digest_ids`` in one streamed query, by digest then newest first: per
    digest the newest ``MAX_ITEMS`` of its window (``total`` counts them all), with what ``describe`` reads."""
    digest = "user__digests"  # one join: Django reuses it for every condition of one filter() call
    newest_first = (F("created_at").desc(), F("id").desc())
    return (
        Notification.objects.filter(
            **{f"{digest}__in": digest_ids},
            frequency=F(f"{digest}__frequency"),
            created_at__gt=F(f"{digest}__period_start"),
            created_at__lte=F(f"{digest}__period_end"),
            read_at__isnull=True,
        )
        .select_related(*(f"event__{relation}" for relation in DESCRIBED_RELATIONS))
        .annotate(
            digest_id=F(f"{digest}__id"),
            rank=Window(RowNumber(), partition_by=F(f"{digest}__id"), order_by=newest_first),
            total=Window(Count("id"), partition_by=F(f"{digest}__id")),
        )
        .filter(rank__lte=MAX_ITEMS)
        .order_by("digest_id", "-created_at", "-id")
        .iterator(chunk_size=ITEMS_CHUNK)
    )


def _send(digest: Digest, notifications: list[Notification]) -> str:
    """Send one person's digest; returns its state."""
    user = digest.user
    if user.email_undeliverable_at is not None:  # refused since it was claimed
        return DigestState.FAILED
    with translation.override(user.language):
        groups = digest_groups(notifications)
    context = {
        "digest": digest,
        "groups": groups,
        "more": notifications[0].total - len(notifications),  # type: ignore[attr-defined]
        "inbox_url": reverse("notifications:inbox"),
        "settings_url": SETTINGS_PATH,
        "unsubscribe_url": unsubscribe_url(user, frequency=digest.frequency),
    }
    try:
        send_templated_mail(
            recipient=user,
            template="digest",
            context=context,
            headers=list_unsubscribe_headers(user, frequency=digest.frequency),
        )
    except UndeliverableAddress:
        return DigestState.FAILED
    return DigestState.SENT


def _record(outcome: dict[int, str]) -> None:
    """Each digest's new state, in one UPDATE."""
    if not outcome:
        return
    by_state: dict[str, list[int]] = {}
    for digest_id, state in outcome.items():
        by_state.setdefault(state, []).append(digest_id)
    Digest.objects.filter(pk__in=outcome).update(
        state=Case(*(When(pk__in=ids, then=Value(state)) for state, ids in by_state.items())),
        sent_at=Case(When(pk__in=by_state.get(DigestState.SENT, []), then=Now()), default=F("sent_at")),
    )
