"""The message a partner system receives: the event as a CloudEvents 1.0 JSON document (structured
mode), with the Standard Webhooks headers that let it check who sent it and drop repeats.

The body depends on the event alone, so every attempt sends the same bytes; only the timestamp and the
signature change from one attempt to the next."""

import json
from typing import Any

from django.conf import settings

from samenorg.events.describe import describe
from samenorg.events.models import Event

from .signing import signature

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
TYPE_PREFIX = "nl.samenorganiseren."
FEED_PATH = "/api/v1/events"


def _subject(event: Event) -> str:
    """The resource the event is about, as a path under the API (``initiatives/12``, ``standards/3``)."""
    if event.standard_id is not None:
        return f"standards/{event.standard_id}"
    return f"initiatives/{event.initiative_id}"


def cloud_event(event: Event) -> dict[str, Any]:
    """The CloudEvent of ``event``: its public payload, its place in the feed, and where to read more."""
    site = settings.SITE_URL.rstrip("/")
    return {
        "specversion": "1.0",
        "id": str(event.pk),
        "source": site + FEED_PATH,
        "type": TYPE_PREFIX + event.type,
        "subject": _subject(event),
        "time": event.occurred_at.isoformat(),
        "datacontenttype": "application/json",
        "data": {
            **event.payload,
            "position": event.position,
            "links": {"html": site + describe(event).url, "feed": site + FEED_PATH},
        },
    }


def message_body(event: Event) -> bytes:
    return json.dumps(cloud_event(event), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def message_headers(*, secret: str, webhook_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": CONTENT_TYPE,
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret=secret, webhook_id=webhook_id, timestamp=timestamp, body=body),
    }
