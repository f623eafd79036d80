"""Registering and maintaining initiatives. Each write checks who acts, writes, and records its
event in one transaction; a draft's events are for its organisation only."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Func, TextField, Value
from django.db.models.expressions import CombinedExpression
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from collaboration.services.participation import participation_start_as_initiator
from initiatives.models import (
    Initiative,
    InitiativeLink,
    InitiativePhase,
    InitiativePhaseChange,
    InitiativeStatus,
    Theme,
)
from samenorg.core.actors import Actor
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record

MAX_TAGS = 15
MAX_LINKS = 10
LINK_TITLE_MAX, LINK_URL_MAX = 200, 500  # as InitiativeLink's columns
CONTENT_FIELDS = (
    "title",
    "summary",
    "description",
    "contact_name",
    "contact_email",
    "contact_phone",
    "results",
    "organisations_using",
    "inhabitants_reached",
    "cost_eur",
    "savings_eur",
    "roles_sought",
    "tags",
)


def initiative_create(
    *,
    actor: Actor,
    title: str,
    summary: str,
    themes: Iterable[Theme] = (),
    links: Iterable[tuple[str, str]] = (),
    **content: Any,
) -> Initiative:
    """A member registers an initiative for the organisation they act for; it starts as a draft, with
    that organisation taking part as its initiator."""
    if not actor.is_member:
        raise PermissionDenied(
            _("Only members of %(organisation)s register its initiatives.") % {"organisation": actor.organisation}
        )
    initiative = Initiative(owner=actor.organisation, phase=content.pop("phase", InitiativePhase.IDEA))
    _apply_content(initiative, {"title": title, "summary": summary, **content})
    links = _clean_links(links)
    with transaction.atomic():
        _save_with_unique_slug(initiative)
        _set_themes(initiative, themes)
        InitiativeLink.objects.bulk_create(InitiativeLink(initiative=initiative, title=t, url=u) for t, u in links)
        InitiativePhaseChange.objects.create(
            initiative=initiative, to_phase=initiative.phase, changed_by=actor.user, organisation=actor.organisation
        )
        participation_start_as_initiator(actor=actor, initiative=initiative)
        _refresh_search_vector(initiative)
        record(actor, initiative, "initiative.created")
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor: Actor,
    initiative: Initiative,
    themes: Iterable[Theme] | None = None,
    links: Iterable[tuple[str, str]] | None = None,
    **content: Any,
) -> Initiative:
    """An editor changes the content; the event names the fields that changed."""
    initiative = lock_for_editor(actor, initiative)
    before = {field: getattr(initiative, field) for field in content}
    _apply_content(initiative, content)
    changed = sorted(field for field in content if getattr(initiative, field) != before[field])
    if themes is not None:
        old_themes = set(initiative.themes.values_list("pk", flat=True))
        _set_themes(initiative, themes)
        if old_themes != {theme.pk for theme in themes}:
            changed.append("themes")
    if links is not None and _replace_links(initiative, _clean_links(links)):
        changed.append("links")
    if not changed:
        return initiative
    initiative.save()
    _refresh_search_vector(initiative)
    record(actor, initiative, "initiative.updated", fields=changed)
    return initiative


@transaction.atomic
def initiative_publish(*, actor: Actor, initiative: Initiative) -> Initiative:
    initiative = lock_for_editor(actor, initiative)
    if initiative.status != InitiativeStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    initiative.status = InitiativeStatus.PUBLISHED
    initiative.published_at = timezone.now()
    initiative.save(update_fields=["status", "published_at", "updated_at"])
    record(actor, initiative, "initiative.published")
    return initiative


@transaction.atomic
def initiative_change_phase(*, actor: Actor, initiative: Initiative, phase: str) -> Initiative:
    initiative = lock_for_editor(actor, initiative)
    if phase not in InitiativePhase.values:
        raise ValidationError({"phase": _("Choose one of the phases.")})
    if phase == initiative.phase:
        raise ValidationError({"phase": _("The initiative is in this phase already.")})
    if initiative.status == InitiativeStatus.ARCHIVED:
        raise ValidationError(_("An archived initiative keeps the phase it ended in."))
    previous = initiative.phase
    initiative.phase = phase
    initiative.save(update_fields=["phase", "updated_at"])
    InitiativePhaseChange.objects.create(
        initiative=initiative,
        from_phase=previous,
        to_phase=phase,
        changed_by=actor.user,
        organisation=actor.organisation,
    )
    record(actor, initiative, "initiative.phase_changed", from_phase=previous, to_phase=phase)
    return initiative


@transaction.atomic
def initiative_archive(*, actor: Actor, initiative: Initiative) -> Initiative:
    """Editors archive their initiative; facilitators may archive any (moderation). It stays readable."""
    moderating = actor.user is not None and actor.user.is_facilitator
    initiative = _lock(initiative) if moderating else lock_for_editor(actor, initiative)
    if initiative.status == InitiativeStatus.ARCHIVED:
        raise ValidationError(_("This initiative is archived already."))
    if initiative.status == InitiativeStatus.DRAFT:
        raise ValidationError(_("Only a published initiative can be archived."))
    initiative.status = InitiativeStatus.ARCHIVED
    initiative.archived_at = timezone.now()
    initiative.save(update_fields=["status", "archived_at", "updated_at"])
    record(actor, initiative, "initiative.archived", moderation=moderating)
    return initiative


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update(of=("self",)).select_related("owner").get(pk=initiative.pk)


def lock_for_editor(actor: Actor, initiative: Initiative) -> Initiative:
    """Editors act for an organisation that edits the initiative, as its member or its write key."""
    allowed = actor.is_member and Initiative.objects.edited_for(actor.organisation).filter(pk=initiative.pk).exists()
    if not allowed:
        raise PermissionDenied(_("Only members of the organisations that develop this initiative may change it."))
    return _lock(initiative)


def _apply_content(initiative: Initiative, content: dict[str, Any]) -> None:
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not content fields: {sorted(unknown)}")
    for field, value in content.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(initiative, field, value)
    initiative.tags = _clean_tags(initiative.tags)
    initiative.roles_sought = sorted(set(initiative.roles_sought))
    for money in ("cost_eur", "savings_eur"):
        if getattr(initiative, money) is not None:
            setattr(initiative, money, Decimal(getattr(initiative, money)))
    initiative.full_clean(exclude=["slug", "owner", "search_vector"], validate_unique=False)


def _clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split()).lower()
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("Use at most %(max)d tags.") % {"max": MAX_TAGS}})
    return cleaned


def _clean_links(links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Titled web addresses, http(s) only: a ``javascript:`` or ``data:`` link never reaches a page."""
    cleaned = [(" ".join(title.split()), url.strip()) for title, url in links]
    if len(cleaned) > MAX_LINKS:
        raise ValidationError({"links": _("Add at most %(max)d links.") % {"max": MAX_LINKS}})
    validate = URLValidator(schemes=["http", "https"])
    for title, url in cleaned:
        if not title or len(title) > LINK_TITLE_MAX:
            raise ValidationError({"links": _("Give every link a title of at most 200 characters.")})
        try:
            validate(url)
        except ValidationError:
            raise ValidationError(
                {"links": _("%(url)s is not a web address that starts with https:// or http://.") % {"url": url}}
            ) from None
        if len(url) > LINK_URL_MAX:
            raise ValidationError({"links": _("Web addresses may be at most 500 characters long.")})
    return cleaned


def _replace_links(initiative: Initiative, links: list[tuple[str, str]]) -> bool:
    """Replace the links when they differ; says whether they did."""
    if list(initiative.links.values_list("title", "url")) == links:
        return False
    initiative.links.all().delete()
    InitiativeLink.objects.bulk_create(InitiativeLink(initiative=initiative, title=t, url=u) for t, u in links)
    return True


def _set_themes(initiative: Initiative, themes: Iterable[Theme]) -> None:
    themes = list(themes)
    inactive = [theme for theme in themes if not theme.is_active]
    if inactive:
        raise ValidationError({"themes": _("%(theme)s is no longer offered.") % {"theme": inactive[0]}})
    initiative.themes.set(themes)


def _save_with_unique_slug(initiative: Initiative) -> None:
    base = slugify(initiative.title)[:200] or "initiatief"
    for number in range(1, 1000):
        initiative.slug = base if number == 1 else f"{base}-{number}"
        if Initiative.objects.filter(slug=initiative.slug).exists():
            continue
        try:
            with transaction.atomic():
                initiative.save()
        except IntegrityError:  # taken by a concurrent request between our check and our insert
            continue
        return
    raise ValidationError({"title": _("Too many initiatives have this title; choose another.")})


def initiative_search_vector() -> CombinedExpression:
    """The stored Dutch search vector: title weighs most (A), then summary (B), text (C), tags (D)."""
    tags = Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField())
    return (
        SearchVector("title", weight="A", config="dutch")
        + SearchVector("summary", weight="B", config="dutch")
        + SearchVector("description", "results", weight="C", config="dutch")
        + SearchVector(tags, weight="D", config="dutch")
    )


def _refresh_search_vector(initiative: Initiative) -> None:
    Initiative.objects.filter(pk=initiative.pk).update(search_vector=initiative_search_vector())


def record(actor: Actor, initiative: Initiative, event_type: str, **details: Any) -> None:
    public = initiative.status != InitiativeStatus.DRAFT
    payload = {
        "initiative": initiative.pk,
        "slug": initiative.slug,
        "title": initiative.title,
        "owner": initiative.owner_id,
        "status": initiative.status,
        "phase": initiative.phase,
        **details,
    }
    event_record(
        event_type=event_type,
        actor=actor,
        audience=EventAudience.PUBLIC if public else EventAudience.PARTICIPANTS,
        payload=payload,
        initiative=initiative,
    )
