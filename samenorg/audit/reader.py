"""Reading the change history back: who changed what, when, on behalf of which organisation, and every
field before and after, in words a facilitator reads (a related object's name, a choice's label).

A page of one object's history costs the same number of queries however long it is: the rows, the row
before them, and one query per kind of thing they mention (people, organisations, keys, related rows)."""

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from pghistory.core import event_models
from pghistory.models import Event

from api.models import ApiKey
from municipalities.models import Organisation
from samenorg.accounts.models import User

PER_PAGE = 25
NO_VALUE = "—"
# Shown as changed, never as the value: nobody needs to read these back.
HIDDEN_FIELDS = {"key_hash"}
TEXT_LENGTH = 300


def action_label(pgh_label: str) -> str:
    return {
        "insert": gettext("created"),
        "update": gettext("changed"),
        "delete": gettext("deleted"),
    }.get(pgh_label, pgh_label)


def person_label(user: User) -> str:
    return f"{user.name} <{user.email}>" if user.name else user.email


def api_key_label(api_key: ApiKey) -> str:
    return gettext("API key %(prefix)s of %(organisation)s") % {
        "prefix": api_key.prefix,
        "organisation": api_key.organisation,
    }


def actor_label(*, has_context: bool, user: User | None, user_id: Any, api_key: ApiKey | None) -> str:
    """Who made a change: a person, a partner system's key, or the platform itself (a scheduled task or
    a command, which run outside any request)."""
    if api_key is not None:
        return api_key_label(api_key)
    if user is not None:
        return person_label(user)
    if user_id is not None:
        return gettext("a removed account")
    return gettext("someone not logged in") if has_context else gettext("system")


# A history model is made by pghistory at start-up (``<Model>History``), so it is not a class the type
# checker knows: its fields are the tracked model's plus pghistory's ``pgh_*``.
HistoryModel = type[Any]


def history_model(model: type[models.Model]) -> HistoryModel | None:
    """The table of ``model``'s history, if it is tracked."""
    found = event_models(tracks_model=model)
    return found[0] if found else None


def tracked_models() -> list[type[models.Model]]:
    """Every model whose changes are kept, by name."""
    histories: list[HistoryModel] = event_models()
    tracked = {history.pgh_tracked_model for history in histories if hasattr(history, "pgh_obj")}
    return sorted(tracked, key=lambda model: str(model._meta.verbose_name))


def tracked_model(label: str) -> type[models.Model] | None:
    """A tracked model by its ``app_label.model_name``; None for anything else."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if history_model(model) is not None else None


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    who: str
    organisation: str
    url: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class ObjectHistory:
    page: Page
    entries: list[HistoryEntry]


def object_history(model: type[models.Model], pk: object, page_number: str | int | None) -> ObjectHistory:
    """A page of the history of ``model`` row ``pk`` (which may be deleted), newest first."""
    event_model = history_model(model)
    if event_model is None:
        raise ValueError(f"{model._meta.label} is not tracked")
    rows = event_model.objects.filter(pgh_obj_id=pk).select_related("pgh_context").order_by("-pgh_id")
    page = Paginator(rows, PER_PAGE).get_page(page_number)
    events = list(page.object_list)
    before_page = rows.filter(pgh_id__lt=events[-1].pgh_id).first() if events else None
    return ObjectHistory(page=page, entries=_entries(event_model, events, before_page))


def _entries(event_model: HistoryModel, events: list[Event], before_page: Event | None) -> list[HistoryEntry]:
    pk_name = event_model.pgh_tracked_model._meta.pk.name
    fields = [f for f in event_model._meta.concrete_fields if not f.name.startswith("pgh_") and f.name != pk_name]
    olders = [*events[1:], before_page]
    diffs = [_diff(fields, event, older) for event, older in zip(events, olders, strict=True)]
    contexts = [event.pgh_context.metadata if event.pgh_context else None for event in events]  # type: ignore[attr-defined]
    actors = _Actors(contexts)
    names = _related_names(f_value for diff in diffs for f_value in diff)
    return [
        HistoryEntry(
            at=event.pgh_created_at,
            action=action_label(event.pgh_label),
            who=actors.who(context),
            organisation=actors.organisation(context),
            url=(context or {}).get("url") or "",
            changes=[
                FieldChange(str(f.verbose_name), _display(f, before, names), _display(f, after, names))
                for f, before, after in diff
            ],
        )
        for event, context, diff in zip(events, contexts, diffs, strict=True)
    ]


Diff = list[tuple[models.Field, Any, Any]]


def _diff(fields: list[models.Field], event: Event, older: Event | None) -> Diff:
    """The fields this event changed. A creation shows what was filled in; a deletion what was removed
    (its row holds the values it had)."""
    now = {f: f.value_from_object(event) for f in fields}
    if event.pgh_label == "delete":
        return [(f, value, None) for f, value in now.items() if not _empty(value)]
    if event.pgh_label == "insert" or older is None:
        return [(f, None, value) for f, value in now.items() if not _empty(value)]
    return [(f, f.value_from_object(older), value) for f, value in now.items() if f.value_from_object(older) != value]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


RelatedNames = Mapping[tuple[type[models.Model], Any], str]


def names_of(model: type[models.Model], pks: Iterable[Any]) -> dict[Any, str]:
    """The names of ``model``'s rows ``pks`` (those that still exist), in one query: the references a
    name is made of (a membership's person and organisation) are read in the same query."""
    references = [f.name for f in model._meta.concrete_fields if f.is_relation]
    rows = model._base_manager.select_related(*references).in_bulk(set(pks))
    return {pk: str(obj) for pk, obj in rows.items()}


def _related_names(values: Iterable[tuple[models.Field, Any, Any]]) -> RelatedNames:
    """The names of the rows the changed references point to: one query per kind of row."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for f, before, after in values:
        if f.is_relation and f.related_model is not None:
            wanted[f.related_model] |= {value for value in (before, after) if value is not None}
    return {(model, pk): name for model, pks in wanted.items() for pk, name in names_of(model, pks).items()}


def _display(f: models.Field, value: Any, names: RelatedNames) -> str:
    if _empty(value):
        return NO_VALUE
    if f.name in HIDDEN_FIELDS:
        return gettext("(not shown)")
    if f.is_relation and f.related_model is not None:
        related: type[models.Model] = f.related_model
        return names.get((related, value)) or gettext("%(kind)s %(pk)s (no longer exists)") % {
            "kind": related._meta.verbose_name,
            "pk": value,
        }
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return _display_plain(value)


def _display_plain(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return formats.localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, date):
        return formats.localize(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return Truncator(str(value)).chars(TEXT_LENGTH)


class _Actors:
    """The people, keys and organisations named in a page of contexts, loaded once each."""

    def __init__(self, contexts: list[dict[str, Any] | None]) -> None:
        def ids(key: str) -> set[Any]:
            return {context[key] for context in contexts if context and context.get(key) is not None}

        user_ids, key_ids, organisation_ids = ids("user"), ids("api_key"), ids("organisation")
        self.users = User.objects.in_bulk(user_ids) if user_ids else {}
        self.api_keys = ApiKey.objects.select_related("organisation").in_bulk(key_ids) if key_ids else {}
        self.organisations = Organisation.objects.in_bulk(organisation_ids) if organisation_ids else {}

    def who(self, context: dict[str, Any] | None) -> str:
        context = context or {}
        return actor_label(
            has_context=bool(context),
            user=self.users.get(context.get("user")),
            user_id=context.get("user"),
            api_key=self.api_keys.get(context.get("api_key")),
        )

    def organisation(self, context: dict[str, Any] | None) -> str:
        organisation = self.organisations.get((context or {}).get("organisation"))
        return str(organisation) if organisation else NO_VALUE
