"""Immediate e-mails: claimed and committed, sent, marked sent; a dead worker's claim retried once, then
failed and reported; a refused address marked and skipped; HTML and text in the reader's language."""

import logging
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from collaboration.services.follow import follow
from initiatives.services.initiative import initiative_update
from samenorg.accounts.models import Frequency, User
from samenorg.notifications import emails, fanout
from samenorg.notifications.fanout import fan_out_event
from samenorg.notifications.models import EmailState, Notification
from tests.factories import MunicipalOrganisationFactory

from .fanout_world import follower_of, last_event, member_of, published_initiative


def pending_emails(*people_fields: dict) -> list[Notification]:
    """Notifications waiting for an immediate e-mail, one per person described, of one update."""
    anna = member_of(MunicipalOrganisationFactory(name="Gemeente Utrecht"))
    initiative = published_initiative(anna, title="Wijkdashboard")
    people = [follower_of(initiative, Frequency.IMMEDIATELY, **fields) for fields in people_fields]
    initiative_update(actor=anna, initiative=initiative, summary="Nu met cijfers per wijk.")
    fan_out_event(last_event("initiative.updated"))
    return [Notification.objects.get(user=person, email_state=EmailState.PENDING) for person in people]


def state_of(notification: Notification) -> tuple[str, int]:
    notification.refresh_from_db()
    return notification.email_state, notification.email_attempts


@pytest.mark.django_db
def test_an_email_is_claimed_sent_and_marked_sent_once():
    (notification,) = pending_emails({"email": "lotte@zwolle.nl"})

    assert emails.send_pending([notification.pk]) == 1
    assert emails.send_pending([notification.pk]) == 0  # the task ran twice: nothing is sent twice
    assert emails.sweep() == 0

    assert [message.to for message in mail.outbox] == [["lotte@zwolle.nl"]]
    assert state_of(notification) == (EmailState.SENT, 1)
    assert notification.email_sent_at is not None


@pytest.mark.django_db
def test_a_claimed_email_is_not_claimed_again():
    first, second = pending_emails({}, {})

    assert emails.claim(ids=[first.pk]) == [first.pk]
    assert emails.claim() == [second.pk]
    assert emails.claim() == []
    assert state_of(first) == (EmailState.CLAIMED, 1)


@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_holds_is_skipped_not_waited_for(monkeypatch):
    monkeypatch.setattr(fanout, "publish_on_commit", lambda *args: None)  # committed here: no eager sending
    locked, free = pending_emails({}, {})
    holding, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=locked.pk)
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        assert emails.claim() == [free.pk]
    finally:
        release.set()
        thread.join()
    assert state_of(locked) == (EmailState.PENDING, 0)


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_retried_once_then_failed_and_reported(settings, caplog):
    (notification,) = pending_emails({})
    settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT = 600

    def worker_dies_after_claiming():
        assert emails.claim() == [notification.pk]
        Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now() - timedelta(minutes=11))

    worker_dies_after_claiming()
    assert emails.recover_stale_claims() == (1, 0)
    assert state_of(notification) == (EmailState.PENDING, 1)

    worker_dies_after_claiming()
    with caplog.at_level(logging.ERROR, logger="samenorg.notifications.emails"):
        assert emails.recover_stale_claims() == (0, 1)

    assert state_of(notification) == (EmailState.FAILED, 2)
    assert any(
        record.levelno == logging.ERROR and str(notification.pk) in record.getMessage() for record in caplog.records
    )
    assert emails.sweep() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_fresh_claim_is_left_alone_and_a_retried_one_is_sent_by_the_sweep(settings):
    (notification,) = pending_emails({})
    settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT = 600
    emails.claim()

    assert emails.sweep() == 0  # claimed a moment ago: its worker may still be sending
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now() - timedelta(minutes=11))
    assert emails.sweep() == 1

    assert state_of(notification) == (EmailState.SENT, 2)
    assert len(mail.outbox) == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RefusingMailServer:
    """An SMTP sink that refuses some addresses at RCPT TO, for good (550) or for now (450)."""

    def __init__(self, refused: dict[str, str]):
        self.refused = refused
        self.asked: list[str] = []
        self.delivered: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        self.asked.append(address)
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.delivered.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    def start(refused: dict[str, str]) -> RefusingMailServer:
        handler = RefusingMailServer(refused)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        return handler

    started: list[Controller] = []
    yield start
    for controller in started:
        controller.stop()


@pytest.mark.django_db
def test_a_refused_address_is_marked_and_skipped_by_later_emails(smtp):
    server = smtp({"gone@example.org": "550 5.1.1 No such mailbox"})
    gone_first, kept = pending_emails({"email": "gone@example.org"}, {"email": "kept@example.org"})
    gone_later = pending_again(gone_first.user)

    assert emails.send_pending([gone_first.pk, kept.pk]) == 1
    assert User.objects.get(pk=gone_first.user_id).email_undeliverable_at is not None
    assert state_of(gone_first)[0] == EmailState.FAILED
    assert state_of(kept)[0] == EmailState.SENT
    assert [rcpt for rcpt, _content in server.delivered] == [["kept@example.org"]]

    asked_before = len(server.asked)
    assert emails.send_pending([gone_later.pk]) == 0
    assert state_of(gone_later)[0] == EmailState.FAILED
    assert len(server.asked) == asked_before  # the server was not even asked again


def pending_again(user: User) -> Notification:
    """A second immediate notification for ``user``: they follow another initiative, which changes."""
    anna = member_of()
    initiative = published_initiative(anna, title="Tweede")
    follow(user=user, target=initiative, frequency=Frequency.IMMEDIATELY)
    initiative_update(actor=anna, initiative=initiative, summary="Ook veranderd.")
    fan_out_event(last_event("initiative.updated"))
    return Notification.objects.get(user=user, event=last_event("initiative.updated"))


@pytest.mark.django_db
def test_a_temporary_refusal_leaves_the_address_alone_and_the_email_for_the_next_sweep(smtp):
    server = smtp({"busy@example.org": "450 4.2.1 Mailbox busy, try later"})
    (notification,) = pending_emails({"email": "busy@example.org"})

    assert emails.send_pending([notification.pk]) == 0

    assert User.objects.get(pk=notification.user_id).email_undeliverable_at is None
    assert state_of(notification) == (EmailState.PENDING, 1)
    server.refused.clear()
    assert emails.sweep() == 1
    assert [rcpt for rcpt, _content in server.delivered] == [["busy@example.org"]]


@pytest.mark.django_db
def test_the_email_is_html_and_text_in_the_readers_language_with_absolute_links(settings):
    settings.SITE_URL = "https://samen.example"
    dutch, english = pending_emails({"language": "nl"}, {"language": "en"})

    emails.send_pending([dutch.pk, english.pk])

    by_reader = {message.to[0]: message for message in mail.outbox}
    in_dutch, in_english = by_reader[dutch.user.email], by_reader[english.user.email]
    for message, language in ((in_dutch, "nl"), (in_english, "en")):
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f'<html lang="{language}">' in html
        assert "Wijkdashboard" in message.subject
        assert "https://samen.example/initiatieven/wijkdashboard" in message.body
        assert 'href="https://samen.example/initiatieven/wijkdashboard"' in html
        assert "https://samen.example/afmelden/" in message.body
        assert "https://samen.example/instellingen/meldingen" in message.body
    assert "Gemeente Utrecht updated the description." in in_english.body
    assert "Gemeente Utrecht updated the description." not in in_dutch.body


@pytest.mark.django_db
def test_the_email_carries_one_click_unsubscribe_headers(settings):
    settings.SITE_URL = "https://samen.example"
    (notification,) = pending_emails({})

    emails.send_pending([notification.pk])

    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe"].startswith("<https://samen.example/afmelden/")
    assert headers["List-Unsubscribe"].endswith(">")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
