"""Metrics for Prometheus at ``/metrics``: requests counted and timed per route (by the request middleware,
``samenorg.core.request_id``), and the platform's queues, counted when Prometheus scrapes.

The endpoint exists only when ``SAMENORG_METRICS_TOKEN`` is set, and answers only to
``Authorization: Bearer <that token>``. Under gunicorn every worker process counts its own requests: with
``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory, wiped by gunicorn.conf.py at start) the workers share
their counts through files there, and a scrape adds them up, whichever worker answers it."""

import hmac
import os
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from samenorg.env import env_str

# Any other method a client makes up is counted as "other": labels must stay few.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUESTS = Counter(
    "samenorg_http_requests",
    "Requests answered, by method, status class and URL pattern.",
    ["method", "status", "route"],
)
LATENCY = Histogram(
    "samenorg_http_request_duration_seconds",
    "Time to answer a request, by method and URL pattern.",
    ["method", "route"],
)


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


def observe_request(method: str, status_code: int, route: str, seconds: float) -> None:
    REQUESTS.labels(method=method, status=f"{status_code // 100}xx", route=route).inc()
    LATENCY.labels(method=method, route=route).observe(seconds)


class PlatformCollector:
    """Work waiting in the database, one indexed count each: what a stuck worker or broker makes grow."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from samenorg.events.models import EventDelivery
        from samenorg.notifications.models import EmailState, Notification
        from webhooks.models import WebhookDelivery

        yield GaugeMetricFamily(
            "samenorg_event_deliveries_pending",
            "Events a consumer (notifications, webhooks) has not handled yet.",
            value=EventDelivery.objects.filter(delivered_at__isnull=True).count(),
        )
        yield GaugeMetricFamily(
            "samenorg_notification_emails_pending",
            "Notification e-mails waiting to be sent, or being sent.",
            value=Notification.objects.filter(email_state__in=[EmailState.PENDING, EmailState.CLAIMED]).count(),
        )
        yield GaugeMetricFamily(
            "samenorg_webhook_deliveries_due",
            "Webhook deliveries whose (re)try is due, to endpoints that are on and not pausing.",
            value=WebhookDelivery.objects.due().count(),
        )


def scrape() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(PlatformCollector())
    return generate_latest(registry)


def bearer_token_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = env_str("SAMENORG_METRICS_TOKEN")
    if not token:
        raise Http404
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not bearer_token_matches(request, token):
        refused = HttpResponse(status=401)
        refused["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return refused
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
