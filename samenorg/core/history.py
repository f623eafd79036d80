"""Change history for every tracked model, written by database triggers (django-pghistory), so a
change made anywhere (a service, the admin, a shell) keeps who, when, and the row before and after.

A model's history is ``<Model>History``, reached as ``obj.history``; "event" is reserved for the
domain events of ``samenorg.events``. Each row's context names the user and address (the middleware)
and the acting organisation and API key (``event_record``); facilitators read it all back in the
admin's audit trail (``samenorg.audit``)."""

from collections.abc import Callable
from typing import Any, TypeVar

import pghistory

ModelClass = TypeVar("ModelClass", bound=type)


def tracked(**kwargs: Any) -> Callable[[ModelClass], ModelClass]:
    def decorate(model: ModelClass) -> ModelClass:
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            model_name=f"{model.__name__}History",
            obj_field=pghistory.ObjForeignKey(related_name="history", related_query_name="history"),
            **kwargs,
        )(model)

    return decorate
