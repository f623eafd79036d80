"""Celery tasks of the spine. They take ids; the database says what is left to do."""

from celery import shared_task

from . import dispatch


@shared_task(name="samenorg.events.tasks.dispatch_event")
def dispatch_event(event_id: int) -> None:
    dispatch.dispatch(event_id)


@shared_task(name="samenorg.events.tasks.sweep_events")
def sweep_events() -> int:
    return dispatch.sweep()
