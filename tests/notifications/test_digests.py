"""The daily and weekly digests: what goes in one, when its period begins and ends (daylight saving too),
and that a person gets each digest once, whatever dies or runs twice."""

import itertools
import logging
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samenorg.accounts.models import Frequency
from samenorg.core.mail import UndeliverableAddress
from samenorg.events.models import Event, EventAudience
from samenorg.notifications import digest_tasks, digests
from samenorg.notifications.digests import digests_send, period_end_for, previous_period_end
from samenorg.notifications.models import Digest, DigestState, Notification
from samenorg.notifications.unsubscribe import read_token
from tests.factories import (
    InitiativeFactory,
    MunicipalOrganisationFactory,
    NotificationFactory,
    StandardFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR = timedelta(hours=1)
TITLES = (f"Initiatief {n:05d}" for n in itertools.count(1))  # none a prefix of another


def local(*args: int) -> datetime:
    """A moment on the Amsterdam wall clock, in UTC: arithmetic on it counts real hours (on an Amsterdam
    datetime Python would count wall-clock hours)."""
    return datetime(*args, tzinfo=AMSTERDAM).astimezone(UTC)  # type: ignore[misc]


# A Tuesday in March, before the clocks change: the daily digest of 10 March 07:00 covers 9 March 07:00 on.
TUESDAY = local(2026, 3, 10, 7)


@pytest.fixture
def utrecht():
    return MunicipalOrganisationFactory(name="Gemeente Utrecht")


def event(utrecht, *, at, initiative=None, standard=None, event_type="initiative.updated", **payload):
    """An event as a service records it, at ``at``; no consumer is registered for it."""
    if initiative is None and standard is None:
        initiative = InitiativeFactory(published=True, owner=utrecht, title=next(TITLES))
    recorded = Event.objects.create(
        type=event_type,
        organisation=utrecht,
        initiative=initiative,
        standard=standard,
        audience=EventAudience.PUBLIC,
        payload=payload,
    )
    Event.objects.filter(pk=recorded.pk).update(occurred_at=at)
    recorded.occurred_at = at
    return recorded


def notify(user, recorded, *, at=None, frequency=Frequency.DAILY, **fields):
    """``user`` was told of ``recorded`` at ``at`` (default: when it happened), for their ``frequency``."""
    notification = NotificationFactory(user=user, event=recorded, frequency=frequency, **fields)
    Notification.objects.filter(pk=notification.pk).update(created_at=at or recorded.occurred_at)
    return notification


def news(user, utrecht, *, at, frequency=Frequency.DAILY, **fields):
    return notify(user, event(utrecht, at=at), at=at, frequency=frequency, **fields)


def run(frequency=Frequency.DAILY, period_end=TUESDAY, **options):
    return digests_send(frequency=frequency, period_end=period_end.astimezone(UTC), **options)


def mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def html_of(message):
    return message.alternatives[0][0]


# Periods


@pytest.mark.parametrize(
    ("frequency", "at", "period_end"),
    [
        (Frequency.DAILY, local(2026, 3, 10, 7), local(2026, 3, 10, 7)),
        (Frequency.DAILY, local(2026, 3, 10, 6, 59), local(2026, 3, 9, 7)),
        (Frequency.DAILY, local(2026, 3, 10, 23, 30), local(2026, 3, 10, 7)),
        (Frequency.WEEKLY, local(2026, 3, 10, 12), local(2026, 3, 9, 7)),  # Tuesday: Monday's
        (Frequency.WEEKLY, local(2026, 3, 9, 6, 59), local(2026, 3, 2, 7)),  # Monday before seven: last week's
        (Frequency.WEEKLY, local(2026, 3, 15, 23), local(2026, 3, 9, 7)),  # Sunday night
    ],
)
def test_a_period_ends_at_seven_in_amsterdam_and_a_week_on_monday(frequency, at, period_end):
    assert period_end_for(frequency, at.astimezone(UTC)) == period_end


@pytest.mark.parametrize(
    ("frequency", "period_end", "hours"),
    [
        (Frequency.DAILY, local(2026, 3, 29, 7), 23),  # the clocks go forward that night
        (Frequency.DAILY, local(2026, 10, 25, 7), 25),  # and back
        (Frequency.DAILY, local(2026, 3, 10, 7), 24),
        (Frequency.WEEKLY, local(2026, 3, 30, 7), 167),
        (Frequency.WEEKLY, local(2026, 10, 26, 7), 169),
        (Frequency.WEEKLY, local(2026, 3, 9, 7), 168),
    ],
)
def test_a_first_digest_spans_one_day_or_week_on_the_wall_clock_across_daylight_saving(frequency, period_end, hours):
    start = previous_period_end(frequency, period_end.astimezone(UTC))
    assert period_end - start == timedelta(hours=hours)
    assert start.astimezone(AMSTERDAM).hour == 7


def test_a_first_daily_digest_over_the_march_change_covers_23_hours(utrecht):
    end = local(2026, 3, 29, 7)  # 05:00 UTC; 07:00 the day before was 06:00 UTC
    user = UserFactory()
    inside = news(user, utrecht, at=end - 23 * HOUR + timedelta(minutes=1))
    news(user, utrecht, at=end - 23 * HOUR - timedelta(minutes=1))  # before 07:00 on the 28th: not this digest's

    run(period_end=end)

    digest = Digest.objects.get(user=user)
    assert (digest.period_start, digest.period_end, digest.items) == (end - 23 * HOUR, end, 1)
    assert [message.body.count(inside.event.initiative.title) for message in mails_to(user)] == [1]


def test_a_weekly_digest_after_the_october_change_covers_the_169_hours_since_the_last_one(utrecht):
    user = UserFactory()
    monday, next_monday = local(2026, 10, 19, 7), local(2026, 10, 26, 7)
    Digest.objects.create(
        user=user,
        frequency=Frequency.WEEKLY,
        period_start=monday - 168 * HOUR,
        period_end=monday,
        state=DigestState.SENT,
    )
    first = news(user, utrecht, at=monday + timedelta(minutes=1), frequency=Frequency.WEEKLY)
    last = news(user, utrecht, at=next_monday, frequency=Frequency.WEEKLY)
    sent_before = news(user, utrecht, at=monday, frequency=Frequency.WEEKLY)  # in the previous digest
    next_ones = news(user, utrecht, at=next_monday + timedelta(seconds=1), frequency=Frequency.WEEKLY)

    run(Frequency.WEEKLY, period_end=next_monday)

    digest = Digest.objects.get(user=user, period_end=next_monday)
    assert digest.period_end - digest.period_start == 169 * HOUR
    assert digest.items == 2
    [message] = mails_to(user)
    assert first.event.initiative.title in message.body
    assert last.event.initiative.title in message.body
    assert sent_before.event.initiative.title not in message.body
    assert next_ones.event.initiative.title not in message.body


# Content


def test_items_are_grouped_by_subject_and_newest_first(utrecht):
    user = UserFactory()
    wijkdashboard = InitiativeFactory(published=True, owner=utrecht, title="Wijkdashboard")
    afvalapp = InitiativeFactory(published=True, owner=utrecht, title="Afvalapp")
    standard = StandardFactory(name="Zaakgericht werken")
    day = local(2026, 3, 9, 7)
    for hours, subject, kind in [
        (1, wijkdashboard, "initiative"),
        (2, afvalapp, "initiative"),
        (3, standard, "standard"),
        (4, wijkdashboard, "initiative"),
        (5, afvalapp, "initiative"),
    ]:
        recorded = event(
            utrecht,
            at=day + hours * HOUR,
            event_type="milestone.achieved" if kind == "initiative" else "standard.version_released",
            title=f"Stap {hours}",
            version=f"1.{hours}",
            **{kind: subject},
        )
        notify(user, recorded)

    run()

    [message] = mails_to(user)
    body = message.body
    # Afvalapp has the newest item (hour 5), then Wijkdashboard (4), then the standard (3).
    positions = [body.index(name) for name in ("Afvalapp", "Wijkdashboard", "Zaakgericht werken")]
    assert positions == sorted(positions)
    assert body.index("Stap 5") < body.index("Stap 2") < body.index("Wijkdashboard")
    assert body.index("Stap 4") < body.index("Stap 1") < body.index("Zaakgericht werken")
    assert "1.3" in body
    assert body.count("Afvalapp") == 1
    html = html_of(message)
    assert html.count("<h2>") == 3
    assert f'{afvalapp.get_absolute_url()}">Afvalapp</a></h2>' in html


def test_the_digest_is_in_the_recipients_language(utrecht):
    dutch, english = UserFactory(language="nl"), UserFactory(language="en")
    published = event(utrecht, at=TUESDAY - HOUR, event_type="initiative.published")
    notify(dutch, published)
    notify(english, published)

    run()

    [to_dutch] = mails_to(dutch)
    [to_english] = mails_to(english)
    assert "Gemeente Utrecht heeft dit initiatief gepubliceerd." in to_dutch.body
    assert "Gemeente Utrecht published this initiative." in to_english.body
    assert '<html lang="nl">' in html_of(to_dutch)
    assert '<html lang="en">' in html_of(to_english)


def test_the_digest_offers_one_click_unsubscribe_from_its_frequency_and_the_settings_page(utrecht):
    user = UserFactory()
    news(user, utrecht, at=TUESDAY - HOUR)

    run()

    [message] = mails_to(user)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    stop = read_token(url.rstrip("/").rsplit("/", 1)[-1])
    assert (stop.user, stop.frequency, stop.target) == (user, Frequency.DAILY, None)
    assert url in message.body
    assert "/instellingen/meldingen" in message.body
    assert "/instellingen/meldingen" in html_of(message)


def test_a_digest_lists_the_newest_items_and_counts_the_rest(utrecht, monkeypatch):
    monkeypatch.setattr(digests, "MAX_ITEMS", 2)
    user = UserFactory(language="en")
    titles = [news(user, utrecht, at=TUESDAY - hours * HOUR).event.initiative.title for hours in (1, 2, 3)]

    run()

    [message] = mails_to(user)
    assert [title in message.body for title in titles] == [True, True, False]
    assert "And 1 more in your notifications" in message.body
    assert Digest.objects.get(user=user).items == 3


def test_only_the_digests_own_frequency_and_unread_items_are_in_it(utrecht):
    user = UserFactory()
    daily = news(user, utrecht, at=TUESDAY - HOUR)
    weekly = news(user, utrecht, at=TUESDAY - HOUR, frequency=Frequency.WEEKLY)
    immediate = news(user, utrecht, at=TUESDAY - HOUR, frequency=Frequency.IMMEDIATELY)
    seen = news(user, utrecht, at=TUESDAY - HOUR, read_at=TUESDAY - HOUR)

    run()

    [message] = mails_to(user)
    assert daily.event.initiative.title in message.body
    for other in (weekly, immediate, seen):
        assert other.event.initiative.title not in message.body


def test_nothing_new_means_no_mail_and_no_digest(utrecht):
    quiet, reader = UserFactory(), UserFactory()
    news(quiet, utrecht, at=TUESDAY - 30 * HOUR)  # yesterday's period
    news(reader, utrecht, at=TUESDAY - HOUR, read_at=TUESDAY)  # read in the inbox already

    outcome = run()

    assert mail.outbox == []
    assert not Digest.objects.exists()
    assert (outcome.sent, outcome.batches) == (0, 0)


def test_items_read_after_the_claim_make_an_empty_digest_without_mail(utrecht, monkeypatch):
    user = UserFactory()
    news(user, utrecht, at=TUESDAY - HOUR)
    claim = digests._claim_batch

    def claim_then_read_everything(*args):
        claimed = claim(*args)
        Notification.objects.update(read_at=timezone.now())
        return claimed

    monkeypatch.setattr(digests, "_claim_batch", claim_then_read_everything)

    assert run().empty == 1
    assert mail.outbox == []
    assert Digest.objects.get(user=user).state == DigestState.EMPTY


# Exactly once


def test_running_twice_sends_each_digest_once(utrecht):
    users = UserFactory.create_batch(3)
    for user in users:
        news(user, utrecht, at=TUESDAY - HOUR)

    first, second = run(batch_size=2), run(batch_size=2)

    assert (first.sent, second.sent) == (3, 0)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in users)
    assert set(Digest.objects.values_list("state", "attempts")) == {(DigestState.SENT, 1)}


def test_the_next_digest_starts_where_the_previous_one_ended(utrecht):
    user = UserFactory()
    yesterday = news(user, utrecht, at=TUESDAY - 2 * HOUR)
    run()
    today = news(user, utrecht, at=TUESDAY + HOUR)

    run(period_end=TUESDAY + 24 * HOUR)

    first, second = mails_to(user)
    assert yesterday.event.initiative.title in first.body
    assert yesterday.event.initiative.title not in second.body
    assert today.event.initiative.title in second.body
    assert Digest.objects.get(user=user, period_end=TUESDAY + 24 * HOUR).period_start == TUESDAY


def test_a_stale_claim_is_sent_once_more_by_the_next_run(utrecht):
    user = UserFactory()
    item = news(user, utrecht, at=TUESDAY - 30 * HOUR)
    monday = TUESDAY - 24 * HOUR
    Digest.objects.create(
        user=user, frequency=Frequency.DAILY, period_start=monday - 24 * HOUR, period_end=monday, items=1
    )  # claimed by a worker that died before sending
    Digest.objects.update(claimed_at=timezone.now() - digests.CLAIM_TIMEOUT - timedelta(seconds=1))

    outcome = run()

    assert outcome.retried == 1
    [message] = mails_to(user)
    assert item.event.initiative.title in message.body
    digest = Digest.objects.get(user=user)  # nothing new for Tuesday: no second digest
    assert (digest.period_end, digest.state, digest.attempts) == (monday, DigestState.SENT, 2)


def test_a_stale_claim_that_was_retried_already_is_marked_failed_and_reported(utrecht, caplog):
    user = UserFactory()
    item = news(user, utrecht, at=TUESDAY - 30 * HOUR)
    monday, sunday = TUESDAY - 24 * HOUR, TUESDAY - 48 * HOUR
    Digest.objects.create(
        user=user, frequency=Frequency.DAILY, period_start=sunday - 24 * HOUR, period_end=sunday, state="sent"
    )
    Digest.objects.create(user=user, frequency=Frequency.DAILY, period_start=sunday, period_end=monday, attempts=2)
    Digest.objects.update(claimed_at=timezone.now() - digests.CLAIM_TIMEOUT - timedelta(seconds=1))

    with caplog.at_level(logging.ERROR, logger="samenorg.notifications.digests"):
        outcome = run()

    assert outcome.abandoned == 1
    assert Digest.objects.get(period_end=monday).state == DigestState.FAILED
    assert "1 digests were not sent" in caplog.text
    # The failed digest's item rolls into the next digest, which starts where the last good one ended.
    [message] = mails_to(user)
    assert item.event.initiative.title in message.body
    assert Digest.objects.get(period_end=TUESDAY).period_start == sunday


def test_a_recent_claim_is_left_to_its_worker(utrecht):
    user = UserFactory()
    news(user, utrecht, at=TUESDAY - HOUR)
    Digest.objects.create(user=user, frequency=Frequency.DAILY, period_start=TUESDAY - 24 * HOUR, period_end=TUESDAY)

    outcome = run()

    assert (outcome.retried, outcome.sent) == (0, 0)
    assert mail.outbox == []
    assert Digest.objects.get().state == DigestState.CLAIMED


@pytest.mark.django_db(transaction=True)
def test_an_old_claim_whose_worker_still_holds_it_is_not_retried(utrecht):
    user = UserFactory()
    news(user, utrecht, at=TUESDAY - HOUR)
    digest = Digest.objects.create(
        user=user, frequency=Frequency.DAILY, period_start=TUESDAY - 24 * HOUR, period_end=TUESDAY
    )
    Digest.objects.update(claimed_at=timezone.now() - 2 * digests.CLAIM_TIMEOUT)
    holding, done = threading.Event(), threading.Event()

    def slow_worker():  # a live worker, still sending this digest: it holds the row
        with transaction.atomic():
            Digest.objects.select_for_update().get(pk=digest.pk)
            holding.set()
            done.wait(30)
        connection.close()

    worker = threading.Thread(target=slow_worker)
    worker.start()
    try:
        assert holding.wait(30)
        outcome = run()
    finally:
        done.set()
        worker.join()

    assert (outcome.retried, outcome.abandoned, outcome.sent) == (0, 0, 0)
    assert mail.outbox == []
    assert Digest.objects.get().attempts == 1


def test_an_address_known_to_be_undeliverable_is_passed_over(utrecht):
    bounced, fine = UserFactory(email_undeliverable_at=TUESDAY - 48 * HOUR), UserFactory()
    news(bounced, utrecht, at=TUESDAY - HOUR)
    news(fine, utrecht, at=TUESDAY - HOUR)

    run()

    assert [message.to for message in mail.outbox] == [[fine.email]]
    assert list(Digest.objects.values_list("user", flat=True)) == [fine.pk]


def test_an_address_the_mail_server_refuses_fails_that_digest_only(utrecht, monkeypatch):
    refused, fine = UserFactory(), UserFactory()
    news(refused, utrecht, at=TUESDAY - HOUR)
    news(fine, utrecht, at=TUESDAY - HOUR)
    send = digests.send_templated_mail

    def refusing_server(*, recipient, **kwargs):
        if recipient == refused:
            raise UndeliverableAddress(recipient.email)
        send(recipient=recipient, **kwargs)

    monkeypatch.setattr(digests, "send_templated_mail", refusing_server)

    outcome = run()

    assert (outcome.sent, outcome.failed) == (1, 1)
    assert Digest.objects.get(user=refused).state == DigestState.FAILED
    assert Digest.objects.get(user=fine).state == DigestState.SENT


def test_when_sending_breaks_off_what_went_out_is_marked_sent_and_the_rest_stays_claimed(utrecht, monkeypatch):
    first, second = UserFactory(), UserFactory()
    news(first, utrecht, at=TUESDAY - HOUR)
    news(second, utrecht, at=TUESDAY - HOUR)
    send = digests.send_templated_mail

    def server_gone_after_one(*, recipient, **kwargs):
        if mail.outbox:
            raise ConnectionRefusedError("the mail server went away")
        send(recipient=recipient, **kwargs)

    monkeypatch.setattr(digests, "send_templated_mail", server_gone_after_one)

    with pytest.raises(ConnectionRefusedError):
        run()

    assert dict(Digest.objects.values_list("user", "state")) == {
        first.pk: DigestState.SENT,
        second.pk: DigestState.CLAIMED,
    }


# Scale


def statements(queries):
    """What the database was asked, without the savepoints of the test's own transaction."""
    return [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]


@pytest.mark.parametrize("people", [2, 12])
def test_a_batch_costs_four_queries_however_many_people_it_holds(utrecht, people):
    for user in UserFactory.create_batch(people):
        for hours in (1, 2, 3):
            news(user, utrecht, at=TUESDAY - hours * HOUR)

    with CaptureQueriesContext(connection) as queries:
        outcome = run(batch_size=people)

    assert (outcome.sent, outcome.batches) == (people, 1)
    # 2 for stale claims; claim, lock, items and mark for the batch; 1 claim that finds nobody after it.
    assert len(statements(queries.captured_queries)) == 2 + 4 + 1


def test_many_batches_cost_four_queries_each(utrecht):
    for user in UserFactory.create_batch(7):
        news(user, utrecht, at=TUESDAY - HOUR)

    with CaptureQueriesContext(connection) as queries:
        outcome = run(batch_size=3)

    assert (outcome.sent, outcome.batches) == (7, 3)
    assert len(statements(queries.captured_queries)) == 2 + 3 * 4


# Entry points


def test_the_command_sends_the_period_of_its_moment(utrecht):
    user = UserFactory()
    news(user, utrecht, at=TUESDAY - HOUR)

    call_command("send_digests", "--frequency", "daily", "--at", "2026-03-10T18:00")

    assert len(mails_to(user)) == 1
    assert Digest.objects.get().period_end == TUESDAY


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--at", "next tuesday"], "Invalid isoformat"),
        (["--at", "2999-01-01T08:00"], "its digests can go after that"),
        (["--batch-size", "0"], "at least 1"),
    ],
)
def test_the_command_refuses_what_it_cannot_do_and_sends_nothing(utrecht, arguments, message):
    news(UserFactory(), utrecht, at=TUESDAY - HOUR)

    with pytest.raises(CommandError, match=message):
        call_command("send_digests", "--frequency", "daily", *arguments)

    assert mail.outbox == []


def test_a_run_longer_than_its_time_slice_goes_on_in_a_new_task(utrecht, monkeypatch):
    monkeypatch.setattr(digest_tasks, "SLICE", 0)  # every slice is over after its first batch
    users = UserFactory.create_batch(3)
    for user in users:
        news(user, utrecht, at=TUESDAY - HOUR)

    digest_tasks.send_digests.delay("daily", "2026-03-10T07:30:00+01:00", 0, 1)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in users)
    assert Digest.objects.filter(state=DigestState.SENT).count() == 3
