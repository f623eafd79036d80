"""/metrics for Prometheus: there only with SAMENORG_METRICS_TOKEN set, and only for that bearer token."""

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from samenorg.core.metrics import scrape
from samenorg.events.models import Event, EventAudience, EventDelivery
from samenorg.notifications.models import EmailState, Notification
from tests.factories import InitiativeFactory, UserFactory, WebhookEndpointFactory
from webhooks.models import DeliveryState, WebhookDelivery

TOKEN = "metrics-token-for-the-test"
URL = "/metrics"


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv("SAMENORG_METRICS_TOKEN", TOKEN)
    return TOKEN


def samples(body: bytes) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


def test_the_url_is_where_prometheus_looks():
    assert reverse("metrics") == URL


@pytest.mark.django_db
def test_without_a_token_set_there_is_nothing_here(client, monkeypatch):
    monkeypatch.delenv("SAMENORG_METRICS_TOKEN", raising=False)

    assert client.get(URL).status_code == 404
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}"],
)
def test_a_wrong_or_missing_token_is_refused_without_a_body(client, token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = client.get(URL, **headers)

    assert response.status_code == 401
    assert response.content == b""
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_only_get_is_served(client, token):
    response = client.post(URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 405


@pytest.mark.django_db
def test_requests_are_counted_and_timed_by_route(client, token):
    before = samples(client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").content)
    client.get(reverse("healthz"))
    client.get(reverse("healthz"))
    client.get("/deze-pagina-bestaat-niet")

    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-store" in response["Cache-Control"]
    after = samples(response.content)

    def grew(name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        return after[key] - before.get(key, 0)

    assert grew("samenorg_http_requests_total", method="GET", status="2xx", route="healthz") == 2
    assert grew("samenorg_http_requests_total", method="GET", status="4xx", route="unmatched") == 1
    assert grew("samenorg_http_request_duration_seconds_count", method="GET", route="healthz") == 2
    # The first scrape was counted as well.
    assert grew("samenorg_http_requests_total", method="GET", status="2xx", route="metrics") == 1


@pytest.mark.django_db
def test_a_made_up_method_is_counted_as_other(client, token):
    client.generic("BREW", reverse("healthz"))

    body = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").content

    labels = frozenset({"method": "other", "status": "4xx", "route": "healthz"}.items())
    assert ("samenorg_http_requests_total", labels) in samples(body)
    assert b'method="BREW"' not in body


def event_for(initiative) -> Event:
    return Event.objects.create(
        type="initiative.published",
        organisation=initiative.owner,
        initiative=initiative,
        audience=EventAudience.PUBLIC,
    )


@pytest.mark.django_db
def test_the_queues_are_counted_at_scrape_time_in_three_queries(client, token, django_assert_num_queries):
    initiative = InitiativeFactory(published=True)
    first, second, third = (event_for(initiative) for _ in range(3))
    EventDelivery.objects.create(event=first, consumer="notifications")
    EventDelivery.objects.create(event=first, consumer="webhooks")
    EventDelivery.objects.create(event=second, consumer="notifications", delivered_at=timezone.now())
    user = UserFactory()
    Notification.objects.create(
        user=user, event=first, reason="follower", frequency="immediately", email_state=EmailState.PENDING
    )
    Notification.objects.create(
        user=user, event=second, reason="follower", frequency="immediately", email_state=EmailState.CLAIMED
    )
    Notification.objects.create(
        user=user, event=third, reason="follower", frequency="immediately", email_state=EmailState.SENT
    )
    endpoint, paused = WebhookEndpointFactory(), WebhookEndpointFactory()
    paused.paused_until = timezone.now() + timezone.timedelta(hours=1)
    paused.save()
    past, future = timezone.now() - timezone.timedelta(minutes=1), timezone.now() + timezone.timedelta(hours=1)
    WebhookDelivery.objects.create(endpoint=endpoint, event=first, next_attempt_at=past)
    WebhookDelivery.objects.create(endpoint=endpoint, event=second, next_attempt_at=future)
    WebhookDelivery.objects.create(endpoint=paused, event=first, next_attempt_at=past)
    WebhookDelivery.objects.create(
        endpoint=endpoint, event=third, state=DeliveryState.DELIVERED, delivered_at=timezone.now()
    )

    with django_assert_num_queries(3):
        response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    values = samples(response.content)
    assert values[("samenorg_event_deliveries_pending", frozenset())] == 2
    assert values[("samenorg_notification_emails_pending", frozenset())] == 2
    assert values[("samenorg_webhook_deliveries_due", frozenset())] == 1


@pytest.mark.django_db
def test_with_a_multiprocess_directory_the_workers_files_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    names = {name for name, _ in samples(scrape())}

    # This process did not write its counts to files (gunicorn's workers do), so only the gauges are read.
    assert "samenorg_http_requests_total" not in names
    assert "samenorg_webhook_deliveries_due" in names
    assert "process_cpu_seconds_total" not in names
