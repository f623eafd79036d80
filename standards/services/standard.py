"""Facilitators keep the standards: release versions, and withdraw a standard that no longer serves."""

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from samenorg.core.actors import Actor
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record
from standards.models import Standard, StandardDocument, StandardStatus, StandardVersion

SEMVER = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")


def parse_version(number: str) -> tuple[int, int, int]:
    match = SEMVER.match(number.strip())
    if match is None:
        raise ValidationError({"number": _("Write the version as three numbers, for example 1.4.0.")})
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


@transaction.atomic
def standard_release_version(
    *,
    actor: Actor,
    standard: Standard,
    number: str,
    changelog: str,
    released_on: datetime.date,
    documents: Iterable[tuple[str, str]] = (),
) -> StandardVersion:
    """A new version, numbered higher than every earlier one; its adopters of older versions see that
    an update is available."""
    _require_facilitator(actor)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status == StandardStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn standard gets no new versions."))
    key = parse_version(number)
    latest = standard.versions.order_by("-major", "-minor", "-patch").first()
    if latest is not None and key <= latest.key:
        raise ValidationError(
            {"number": _("The new version must be higher than %(latest)s.") % {"latest": latest.number}}
        )
    if not changelog.strip():
        raise ValidationError({"changelog": _("Say what changed in this version.")})
    documents = [(title.strip(), url.strip()) for title, url in documents]
    validate = URLValidator(schemes=["http", "https"])
    for title, url in documents:
        if not title:
            raise ValidationError({"documents": _("Give every document a title.")})
        validate(url)
    version = StandardVersion.objects.create(
        standard=standard,
        major=key[0],
        minor=key[1],
        patch=key[2],
        changelog=changelog.strip(),
        released_on=released_on,
    )
    StandardDocument.objects.bulk_create(StandardDocument(version=version, title=t, url=u) for t, u in documents)
    event_record(
        event_type="standard.version_released",
        actor=actor,
        audience=EventAudience.PUBLIC,
        payload={"standard": standard.pk, "slug": standard.slug, "version": version.number},
        standard=standard,
    )
    return version


@transaction.atomic
def standard_withdraw(*, actor: Actor, standard: Standard, reason: str) -> Standard:
    _require_facilitator(actor)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status == StandardStatus.WITHDRAWN:
        raise ValidationError(_("This standard is withdrawn already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the standard is withdrawn; it is published.")})
    standard.status = StandardStatus.WITHDRAWN
    standard.save(update_fields=["status", "updated_at"])
    event_record(
        event_type="standard.withdrawn",
        actor=actor,
        audience=EventAudience.PUBLIC,
        payload={"standard": standard.pk, "slug": standard.slug, "reason": reason.strip()},
        standard=standard,
    )
    return standard


def _require_facilitator(actor: Actor) -> None:
    if actor.user is None or not actor.user.is_facilitator:
        raise PermissionDenied(_("Only facilitators maintain standards."))


@transaction.atomic
def standard_update(
    *, actor: Actor, standard: Standard, name: str, description: str, themes: Iterable[object], revising: bool
) -> Standard:
    """Facilitators keep a standard's text and themes, and mark it under revision or active again.
    Withdrawing is its own step (``standard_withdraw``), with a published reason."""
    _require_facilitator(actor)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status == StandardStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn standard is kept as it was."))
    name, description = name.strip(), description.strip()
    if not name or not description:
        raise ValidationError(_("A standard needs a name and a description."))
    status = StandardStatus.UNDER_REVISION if revising else StandardStatus.ACTIVE
    before = (standard.name, standard.description, standard.status, set(standard.themes.values_list("pk", flat=True)))
    standard.name, standard.description, standard.status = name, description, status
    standard.save()
    standard.themes.set(themes)  # type: ignore[arg-type]
    after = (name, description, status, set(standard.themes.values_list("pk", flat=True)))
    changed = [
        field
        for field, old, new in zip(("name", "description", "status", "themes"), before, after, strict=True)
        if old != new
    ]
    if changed:
        event_record(
            event_type="standard.updated",
            actor=actor,
            audience=EventAudience.PUBLIC,
            payload={"standard": standard.pk, "slug": standard.slug, "status": status, "fields": changed},
            standard=standard,
        )
    return standard
