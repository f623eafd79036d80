"""The notifications on the real thing: events caused by the services in a process of their own, a real
Celery worker on a real Redis, e-mails as files (Django's file backend, as ``make run`` keeps them).

a) A join request and its acceptance reach exactly the people they should, by e-mail, at once.
b) Redis stops while events are recorded (publishing fails, the request goes on); it starts again, the
   sweep runs through the worker, and every notification and e-mail arrives exactly once, however often
   the sweep and the dispatch run.

Both use a private ``redis-server`` on a free loopback port, never the shared one. Every wait ends on a
condition (a mail arrived, the database says so); the deadline is only how long before the test fails."""

import email
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from email.message import Message
from pathlib import Path

import pytest
from django.db.models import F

from collaboration.models import Participation
from initiatives.models import CollaborationRole
from samenorg.accounts.models import Frequency
from samenorg.events.models import Event, EventDelivery
from samenorg.notifications.models import EmailState, Notification
from tests.conftest import REQUIRE_ALL
from tests.factories import (
    FollowFactory,
    InitiativeFactory,
    MembershipFactory,
    MunicipalOrganisationFactory,
    ParticipationFactory,
)
from tests.integration.support import WAIT, WORKER, PrivateRedis, database_url_of_the_test_database, wait_for

ROOT = Path(__file__).resolve().parents[2]
SEPARATOR = "\n" + "-" * 79 + "\n"  # between the messages of one file of Django's file backend

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not REQUIRE_ALL, reason="needs redis-server on the PATH"
    ),
]


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def platform(tmp_path, transactional_db, private_redis):
    """The environment of the web process and the worker: the test database, the private broker, mail as files."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samenorg.settings.local",
        "DATABASE_URL": database_url_of_the_test_database(),
        "CELERY_BROKER_URL": private_redis.url,
        "SAMENORG_VAR_DIR": str(tmp_path),
    }


@pytest.fixture
def worker(platform, tmp_path):
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        WORKER,
        cwd=ROOT,
        env=platform,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    process.wait(30)
    print(log.read_text())


def act(platform: dict, *arguments: object) -> int:
    """Run a service as a web request would (``notifications_actions``); returns the id it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.integration.notifications_actions", *map(str, arguments)],
        cwd=ROOT,
        env=platform,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


def delivered(mail_dir: Path) -> list[Message]:
    if not mail_dir.exists():
        return []
    messages = []
    for path in sorted(mail_dir.iterdir()):
        for part in path.read_text().split(SEPARATOR):
            if part.strip():
                messages.append(email.message_from_string(part))
    return messages


def recipients_of(mail_dir: Path) -> Counter:
    return Counter(message["To"] for message in delivered(mail_dir))


def world():
    """Utrecht runs a published initiative; Zwolle will ask to join it; a follower from elsewhere."""
    utrecht = MunicipalOrganisationFactory(name="Gemeente Utrecht")
    initiative = InitiativeFactory(published=True, owner=utrecht, title="Wijkdashboard")
    ParticipationFactory(initiative=initiative, organisation=utrecht, role=CollaborationRole.INITIATOR)
    anna = MembershipFactory(organisation=utrecht, user__email="anna@utrecht.nl").user  # decides; daily
    bert = MembershipFactory(
        organisation=utrecht, user__email="bert@utrecht.nl", user__follow_frequency=Frequency.IMMEDIATELY
    ).user
    zwolle = MunicipalOrganisationFactory(name="Gemeente Zwolle")
    zoe = MembershipFactory(organisation=zwolle, user__email="zoe@zwolle.nl").user  # asks; daily
    zack = MembershipFactory(
        organisation=zwolle, user__email="zack@zwolle.nl", user__follow_frequency=Frequency.IMMEDIATELY
    ).user
    olga = FollowFactory(initiative=initiative, frequency=Frequency.IMMEDIATELY, user__email="olga@deventer.nl").user
    return {
        "initiative": initiative,
        "utrecht": utrecht,
        "zwolle": zwolle,
        "anna": anna,
        "bert": bert,
        "zoe": zoe,
        "zack": zack,
        "olga": olga,
    }


def test_a_join_request_and_its_acceptance_email_exactly_the_right_people_at_once(platform, worker, tmp_path):
    w = world()
    mail_dir = tmp_path / "mail"

    participation = act(platform, "request", w["zoe"].pk, w["zwolle"].pk, w["initiative"].pk)
    # The request: the initiator's member who wants e-mail at once, and the asker's colleague. No follower.
    wait_for(lambda: sum(recipients_of(mail_dir).values()) >= 2, "the e-mails of the request")
    assert recipients_of(mail_dir) == Counter({"bert@utrecht.nl": 1, "zack@zwolle.nl": 1})

    act(platform, "accept", w["anna"].pk, w["utrecht"].pk, participation)
    wait_for(lambda: sum(recipients_of(mail_dir).values()) >= 5, "the e-mails of the acceptance")
    wait_for(
        lambda: not Notification.objects.filter(email_state__in=[EmailState.PENDING, EmailState.CLAIMED]).exists(),
        "every e-mail to be confirmed",
    )

    assert recipients_of(mail_dir) == Counter({"bert@utrecht.nl": 2, "zack@zwolle.nl": 2, "olga@deventer.nl": 1})
    accepted = Event.objects.get(type="participation.accepted")
    assert set(Notification.objects.filter(event=accepted).values_list("user__email", flat=True)) == {
        "bert@utrecht.nl",
        "zack@zwolle.nl",
        "olga@deventer.nl",
        "zoe@zwolle.nl",
    }  # Zoe reads it in her inbox and her daily digest; Anna decided it herself
    subjects = {message["Subject"] for message in delivered(mail_dir)}
    assert all("Wijkdashboard" in subject for subject in subjects)
    assert all(message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for message in delivered(mail_dir))
    assert Participation.objects.get(pk=participation).status == "active"


def test_events_recorded_while_redis_is_down_arrive_exactly_once_after_it_returns(platform, private_redis, tmp_path):
    w = world()
    mail_dir = tmp_path / "mail"
    private_redis.stop()

    started = time.monotonic()
    for summary in ("Eerste wijziging.", "Tweede wijziging."):
        act(platform, "update", w["anna"].pk, w["utrecht"].pk, w["initiative"].pk, summary)
    assert time.monotonic() - started < WAIT / 2, "a request waited for the broker"

    events = list(Event.objects.filter(type="initiative.updated").order_by("pk"))
    assert len(events) == 2
    assert EventDelivery.objects.filter(event__in=events, consumer="notifications", delivered_at=None).count() == 2
    assert not Notification.objects.exists()  # nothing was dispatched: the broker took nothing

    private_redis.start()
    # The sweep leaves events younger than a minute to their own task; these are older by now, so to say.
    Event.objects.filter(pk__in=[event.pk for event in events]).update(
        occurred_at=F("occurred_at") - timedelta(minutes=2)
    )
    worker = subprocess.Popen(
        WORKER,
        cwd=ROOT,
        env=platform,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        private_redis.send("samenorg.events.tasks.sweep_events")
        wait_for(lambda: sum(recipients_of(mail_dir).values()) >= 4, "the e-mails of both events")

        # Again, as a second beat and a late dispatch task would: nothing may come twice.
        private_redis.send("samenorg.events.tasks.sweep_events")
        for event in events:
            private_redis.send("samenorg.events.tasks.dispatch_event", event.pk)
        private_redis.send("samenorg.notifications.tasks.sweep_notification_emails")
        # One more e-mail, which only the last two tasks in the queue send: once it is there, the worker
        # has done all of the above.
        marker = Notification.objects.create(
            user=w["anna"],
            event=events[0],
            reason="follower",
            frequency=Frequency.IMMEDIATELY,
            email_state=EmailState.PENDING,
        )
        private_redis.send("samenorg.notifications.tasks.send_notification_emails", [marker.pk])
        wait_for(lambda: recipients_of(mail_dir)["anna@utrecht.nl"] == 1, "the marker e-mail")
    finally:
        worker.terminate()
        worker.wait(30)
        print((tmp_path / "worker.log").read_text())

    assert recipients_of(mail_dir) == Counter({"bert@utrecht.nl": 2, "olga@deventer.nl": 2, "anna@utrecht.nl": 1})
    for event in events:
        assert sorted(
            Notification.objects.filter(event=event).exclude(pk=marker.pk).values_list("user__email", "email_state")
        ) == [("bert@utrecht.nl", "sent"), ("olga@deventer.nl", "sent")]
    assert not EventDelivery.objects.filter(event__in=events, consumer="notifications", delivered_at=None).exists()
