from typing import Any

from django.db import transaction

from samenorg.core.actors import Actor
from samenorg.core.queue import publish_on_commit

from . import dispatch
from .models import Event, EventAudience, EventDelivery
from .tasks import dispatch_event


def event_record(
    *, event_type: str, actor: Actor, audience: EventAudience, payload: dict[str, Any], **subject: Any
) -> Event:
    """Write the event of a change inside the service's transaction: both commit, or neither does.

    ``subject`` names what the event is about: ``initiative=...``, plus for something inside it one of
    ``participation=``, ``milestone=``, ``comment=``, ``nomination=``, ``standard=`` or ``adoption=``.
    ``payload`` holds ids and public fields only: events outlive people's data."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it records")
    event = Event.objects.create(
        type=event_type,
        actor_user=actor.user,
        actor_api_key=actor.api_key,
        organisation=actor.organisation,
        audience=audience,
        payload=payload,
        **subject,
    )
    # The outbox: a pending delivery per consumer, dispatched after commit (or by the sweep).
    EventDelivery.objects.bulk_create(EventDelivery(event=event, consumer=name) for name in dispatch.consumers())
    publish_on_commit(dispatch_event, event.pk)
    return event
