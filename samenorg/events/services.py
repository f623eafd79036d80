from typing import Any

from django.db import transaction

from samenorg.core.actors import Actor

from .models import Event, EventAudience


def event_record(
    *, event_type: str, actor: Actor, audience: EventAudience, payload: dict[str, Any], **subject: Any
) -> Event:
    """Write the event of a change inside the service's transaction: both commit, or neither does.

    ``subject`` is one keyword naming what the event is about, e.g. ``initiative=initiative``.
    ``payload`` holds ids and public fields only: events outlive people's data."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it records")
    return Event.objects.create(
        type=event_type,
        actor_user=actor.user,
        organisation=actor.organisation,
        audience=audience,
        payload=payload,
        **subject,
    )
