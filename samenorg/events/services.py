from typing import Any

import pghistory
from django.db import transaction
from pghistory.models import Context as HistoryContext

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
    _history_context_add(actor)
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


def _history_context_add(actor: Actor) -> None:
    """Name the acting organisation and API key in the change history (``samenorg.core.history``), beside
    the user and address the middleware put there, so the audit trail says on whose behalf a row changed.

    The service wrote its rows before its event, and those rows share the request's context row: it is
    brought up to date here, and the writes still to come carry the addition. Without a request (a
    task, a command) there is no context to add to: the ``with`` then lasts only for the update, which
    finds no row."""
    metadata = {"organisation": actor.organisation.pk, "api_key": actor.api_key.pk if actor.api_key else None}
    with pghistory.context(**metadata) as context:
        HistoryContext.objects.filter(pk=context.id).update(metadata=context.metadata)
