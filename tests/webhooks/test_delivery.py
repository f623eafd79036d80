"""Delivering to a real HTTP server on a loopback port: a signed CloudEvent, at least once, retried with
backoff stored in the database, never redirected, disabled after failing too long, never to the inside."""

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.events import dispatch
from samenorg.events.models import Event
from tests.factories import InitiativeFactory, MembershipFactory, WebhookEndpointFactory
from webhooks import transport
from webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery
from webhooks.services import notices
from webhooks.services.delivery import _claim_next, deliver_due, deliveries_prune
from webhooks.services.endpoints import webhook_enable
from webhooks.targets import target_resolve
from webhooks.tasks import deliver_due_webhooks

from .conftest import Reply, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def utrecht():
    return member_of("Utrecht", coordinator=True)


@pytest.fixture
def endpoint(utrecht, receiver, allow_private):
    return WebhookEndpointFactory(organisation=utrecht.organisation, url=receiver.url)


def publish_event(actor):
    """Publish an initiative and hand its event to the webhooks consumer, as the spine does after commit."""
    initiative = initiative_create(actor=actor, title="Wijkdashboard", summary="Cijfers per wijk.")
    initiative_publish(actor=actor, initiative=initiative)
    event = Event.objects.get(initiative=initiative, type="initiative.published")
    dispatch.assign_positions()
    dispatch.deliver(event.pk, "webhooks")
    return Event.objects.get(pk=event.pk)


def verify(secret, headers, body):
    """The receiver's check, written from the scheme's description, independent of the platform's code."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, given) for given in headers["webhook-signature"].split(" "))


def test_a_receiver_gets_a_signed_cloud_event_it_can_verify(utrecht, endpoint, receiver, settings):
    event = publish_event(utrecht)

    assert deliver_due() == 1

    [request] = receiver.received
    assert request.path == "/hook?from=samenorg"
    assert request.headers["content-type"] == "application/cloudevents+json; charset=utf-8"
    assert verify(endpoint.secret, request.headers, request.body)
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    message = json.loads(request.body)
    assert message == {
        "specversion": "1.0",
        "id": str(event.pk),
        "source": f"{settings.SITE_URL}/api/v1/events",
        "type": "nl.samenorganiseren.initiative.published",
        "subject": f"initiatives/{event.initiative_id}",
        "time": event.occurred_at.isoformat(),
        "datacontenttype": "application/json",
        "data": {
            **event.payload,
            "position": event.position,
            "links": {
                "html": settings.SITE_URL + event.initiative.get_absolute_url(),
                "feed": f"{settings.SITE_URL}/api/v1/events",
            },
        },
    }
    delivery = WebhookDelivery.objects.get(event=event)
    assert request.headers["webhook-id"] == delivery.webhook_id
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.DELIVERED, 1, 200)
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert (attempt.succeeded, attempt.status_code, attempt.response_excerpt) == (True, 200, "ok")


def test_a_signature_fails_to_verify_once_the_body_is_changed(utrecht, endpoint, receiver):
    publish_event(utrecht)
    deliver_due()

    [request] = receiver.received
    assert not verify(endpoint.secret, request.headers, request.body.replace(b"Wijkdashboard", b"Wijkdashbord"))


def test_the_message_reaches_the_receiver_right_after_commit(
    utrecht, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = initiative_create(actor=utrecht, title="Wijkdashboard", summary="Cijfers per wijk.")

    [request] = receiver.received
    assert json.loads(request.body)["data"]["initiative"] == initiative.pk


def test_a_failed_attempt_is_retried_after_the_delay_with_the_same_webhook_id_and_body(
    utrecht, endpoint, receiver, clock
):
    receiver.reply(Reply(status=500, body=b"database down"))
    event = publish_event(utrecht)

    assert deliver_due() == 1
    delivery = WebhookDelivery.objects.get(event=event)
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.PENDING, 1, 500)
    assert delivery.next_attempt_at == clock.now + timedelta(seconds=30)
    assert deliver_due() == 0  # not due yet

    clock.advance(seconds=31)
    assert deliver_due() == 1

    first, retry = receiver.received
    assert first.headers["webhook-id"] == retry.headers["webhook-id"] == delivery.webhook_id
    assert first.body == retry.body
    assert verify(endpoint.secret, retry.headers, retry.body)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)
    log = list(delivery.attempt_log.values_list("status_code", "succeeded", "response_excerpt"))
    assert log == [(500, False, "database down"), (200, True, "ok")]
    endpoint.refresh_from_db()
    assert (endpoint.consecutive_failures, endpoint.paused_until) == (0, None)


def test_the_backoff_grows_and_its_due_times_are_in_the_database(utrecht, endpoint, receiver, clock, settings):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 100
    event = publish_event(utrecht)
    delays = []
    for _ in range(8):
        receiver.reply(Reply(status=503))
        assert deliver_due() == 1
        delivery = WebhookDelivery.objects.get(event=event)
        endpoint.refresh_from_db()
        assert endpoint.paused_until == delivery.next_attempt_at  # the endpoint waits along
        delays.append(int((delivery.next_attempt_at - clock.now).total_seconds()))
        clock.advance(seconds=delays[-1])

    assert delays == [30, 120, 600, 3600, 6 * 3600, 12 * 3600, 24 * 3600, 24 * 3600]


def test_a_delivery_that_keeps_failing_ends_as_failed(utrecht, endpoint, receiver, clock, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 100
    event = publish_event(utrecht)
    for _ in range(3):
        receiver.reply(Reply(status=400, body=b"unknown type"))
        deliver_due()
        clock.advance(days=1)

    delivery = WebhookDelivery.objects.get(event=event)
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == (DeliveryState.FAILED, 3, None)
    assert deliver_due() == 0


def test_a_redirect_is_not_followed_and_counts_as_a_failure(utrecht, endpoint, receiver):
    receiver.reply(Reply(status=307, headers={"Location": receiver.url.replace("/hook", "/elsewhere")}))
    event = publish_event(utrecht)

    deliver_due()

    assert [request.path for request in receiver.received] == ["/hook?from=samenorg"]
    delivery = WebhookDelivery.objects.get(event=event)
    assert (delivery.state, delivery.last_status_code) == (DeliveryState.PENDING, 307)
    assert "redirects are not followed" in delivery.last_error
    assert not delivery.attempt_log.get().succeeded


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(utrecht, endpoint, receiver, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5
    receiver.reply(Reply(delay=1.5))
    event = publish_event(utrecht)

    deliver_due()

    attempt = WebhookAttempt.objects.get(delivery__event=event)
    assert not attempt.succeeded
    assert "timed out" in attempt.error
    assert attempt.duration_ms < 1400


def test_no_more_of_a_long_answer_is_read_than_the_cap(receiver, allow_private, settings):
    settings.WEBHOOKS_RESPONSE_MAX_BYTES = 100
    receiver.reply(Reply(body=b"x" * 100_000))

    answer = transport.post(target_resolve(receiver.url), headers={}, body=b"{}")

    assert (answer.status, len(answer.body)) == (200, 100)


def test_an_endpoint_failing_too_often_is_disabled_and_its_coordinators_are_told(
    utrecht, endpoint, receiver, clock, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    second_coordinator = MembershipFactory(organisation=utrecht.organisation, coordinator=True).user
    MembershipFactory(organisation=utrecht.organisation)  # a member is not told
    event = publish_event(utrecht)
    for _ in range(3):
        receiver.reply(Reply(status=503, body=b"maintenance"))
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver_due() == 1
        clock.advance(days=1)

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert (endpoint.consecutive_failures, endpoint.disabled_reason) == (3, "HTTP 503")
    assert endpoint.disabled_notified_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == sorted([utrecht.user.email, second_coordinator.email])
    assert endpoint.url in mail.outbox[0].body
    assert endpoint.get_absolute_url() in mail.outbox[0].body

    # While it is off, nothing is sent and new events are not queued for it.
    assert deliver_due() == 0
    publish_event(utrecht)
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1

    # Switched on again, what waited goes out at once.
    with django_capture_on_commit_callbacks(execute=True):
        webhook_enable(actor=utrecht, endpoint=endpoint)
    assert WebhookDelivery.objects.get(event=event).state == DeliveryState.DELIVERED
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures) == (True, 0)
    assert len(receiver.received) == 4


def test_a_dead_endpoint_costs_one_attempt_per_delay_not_one_per_waiting_message(utrecht, endpoint, receiver):
    for _ in range(5):
        publish_event(utrecht)
    receiver.reply(*[Reply(status=503)] * 5)

    assert deliver_due() == 1

    assert WebhookDelivery.objects.filter(attempts=0).count() == 4


def test_the_notice_missed_by_the_broker_is_sent_by_the_next_periodic_run(utrecht, clock):
    endpoint = WebhookEndpointFactory(organisation=utrecht.organisation, disabled=True)

    deliver_due_webhooks()
    assert mail.outbox == []  # its own task may still be on its way

    clock.advance(minutes=2)
    deliver_due_webhooks()
    deliver_due_webhooks()

    assert [message.to for message in mail.outbox] == [[utrecht.user.email]]
    endpoint.refresh_from_db()
    assert endpoint.disabled_notified_at is not None


def test_a_loopback_target_is_refused_at_send_time_when_not_allowed(utrecht, receiver, settings):
    """An endpoint on loopback (as one registered while the setting allowed it) is not contacted."""
    WebhookEndpointFactory(organisation=utrecht.organisation, url=receiver.url.replace("http:", "https:"))
    event = publish_event(utrecht)

    deliver_due()

    delivery = WebhookDelivery.objects.get(event=event)
    assert delivery.state == DeliveryState.PENDING
    assert delivery.last_error.startswith("Refused: 127.0.0.1 leads to 127.0.0.1, a loopback address")
    assert delivery.attempt_log.get().status_code is None
    assert receiver.received == []


def test_plain_http_is_refused_at_send_time_when_not_allowed(utrecht, endpoint, receiver, settings):
    event = publish_event(utrecht)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    deliver_due()

    assert receiver.received == []
    assert WebhookDelivery.objects.get(event=event).last_error == "Refused: Webhooks go to https addresses only."


def test_a_name_pointed_at_a_private_address_after_registration_is_refused_at_send_time(utrecht, dns):
    dns["hooks.partner.example"] = ["93.184.216.34"]
    WebhookEndpointFactory(organisation=utrecht.organisation, url="https://hooks.partner.example/in")
    event = publish_event(utrecht)
    dns["hooks.partner.example"] = ["10.20.30.40"]

    deliver_due()

    delivery = WebhookDelivery.objects.get(event=event)
    assert "10.20.30.40" in delivery.last_error
    assert "private" in delivery.last_error


def test_a_delivery_claimed_by_a_worker_that_died_is_sent_again_after_the_claim_expires(
    utrecht, endpoint, receiver, clock, settings
):
    event = publish_event(utrecht)
    assert _claim_next() is not None  # a worker takes it, then dies before sending

    assert deliver_due() == 0  # another worker leaves it alone while the claim holds
    clock.advance(seconds=settings.WEBHOOKS_CLAIM_SECONDS + 1)
    assert deliver_due() == 1

    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get(event=event).state == DeliveryState.DELIVERED


def test_settled_deliveries_are_pruned_after_the_keeping_time_and_waiting_ones_kept(
    utrecht, endpoint, receiver, clock, settings
):
    publish_event(utrecht)
    deliver_due()
    receiver.reply(Reply(status=500))
    publish_event(utrecht)
    deliver_due()

    clock.advance(days=settings.WEBHOOKS_KEEP_DAYS + 1)
    deliveries_prune()

    assert list(WebhookDelivery.objects.values_list("state", flat=True)) == [DeliveryState.PENDING]
    assert WebhookAttempt.objects.count() == 1


def test_an_attempt_records_its_time_and_duration(utrecht, endpoint, receiver):
    before = timezone.now()
    event = publish_event(utrecht)

    deliver_due()

    attempt = WebhookAttempt.objects.get(delivery__event=event)
    assert before <= attempt.attempted_at <= timezone.now()
    assert attempt.duration_ms >= 0


def test_one_coordinators_mail_failing_does_not_keep_the_notice_from_the_others(utrecht, monkeypatch, clock):
    other = MembershipFactory(organisation=utrecht.organisation, coordinator=True).user
    real_send = notices.send_templated_mail

    def send(*, recipient, **kwargs):
        if recipient == utrecht.user:
            raise SMTPRecipientsRefused({recipient.email: (550, b"no such mailbox")})
        real_send(recipient=recipient, **kwargs)

    monkeypatch.setattr(notices, "send_templated_mail", send)
    endpoint = WebhookEndpointFactory(organisation=utrecht.organisation, disabled=True)

    assert notices.endpoint_disabled_notify(endpoint_id=endpoint.pk) == 1
    assert notices.endpoint_disabled_notify(endpoint_id=endpoint.pk) == 0  # sent once

    assert [message.to for message in mail.outbox] == [[other.email]]


@pytest.mark.django_db(transaction=True)
def test_a_delivery_being_claimed_by_one_worker_is_skipped_by_another_not_waited_for(utrecht, receiver, allow_private):
    endpoint = WebhookEndpointFactory(organisation=utrecht.organisation, url=receiver.url)
    initiative = InitiativeFactory(owner=utrecht.organisation)
    event = Event.objects.create(
        type="initiative.updated", organisation=utrecht.organisation, initiative=initiative, audience="participants"
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, next_attempt_at=timezone.now())
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert locked.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting instead of skipping would fail, not hang
        assert _claim_next() is None
    finally:
        release.set()
        worker.join(10)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert deliver_due() == 1
    assert len(receiver.received) == 1
