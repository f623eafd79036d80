"""The adoption register: each municipality records, for itself, where it stands on a standard."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenorg.core.actors import Actor
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record
from standards.models import Adoption, AdoptionStatus, Standard, StandardStatus, StandardVersion

USING = {AdoptionStatus.IMPLEMENTING, AdoptionStatus.IN_USE}


@transaction.atomic
def adoption_record(
    *,
    actor: Actor,
    standard: Standard,
    status: str,
    since: datetime.date,
    reason: str = "",
    version: StandardVersion | None = None,
) -> Adoption:
    """Members of a municipality (or its write key) record its adoption; nobody records another's."""
    organisation = actor.organisation
    if not organisation.is_municipality or not actor.is_member:
        raise PermissionDenied(_("Only members of a municipality record that municipality's adoption."))
    if status not in AdoptionStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    reason = reason.strip()
    if status == AdoptionStatus.EXPLAIN and not reason:
        raise ValidationError({"reason": _("Explain why your municipality does not adopt this standard.")})
    # Recording serialises on the standard: two first records of one municipality cannot both insert.
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if since > timezone.localdate():
        raise ValidationError({"since": _("The date cannot be in the future.")})
    if version is not None and version.standard_id != standard.pk:
        raise ValidationError({"version": _("Choose a version of this standard.")})
    if standard.status == StandardStatus.WITHDRAWN and status in {AdoptionStatus.PLANNED, *USING}:
        raise ValidationError({"status": _("This standard is withdrawn; it can only be phased out or explained.")})
    if status not in USING:
        version = None  # a version is what one implements or uses
    adoption = Adoption.objects.select_for_update().filter(organisation=organisation, standard=standard).first()
    previous = adoption.status if adoption else ""
    if adoption is None:
        adoption = Adoption(organisation=organisation, standard=standard)
    elif (adoption.status, adoption.reason, adoption.version_id, adoption.since) == (
        status,
        reason,
        version.pk if version else None,
        since,
    ):
        return adoption
    adoption.status, adoption.reason, adoption.version, adoption.since = status, reason, version, since
    adoption.updated_by = actor.user
    adoption.save()
    event_record(
        event_type="adoption.changed",
        actor=actor,
        audience=EventAudience.PUBLIC,
        payload={
            "adoption": adoption.pk,
            "standard": standard.pk,
            "municipality": organisation.municipality_id,
            "organisation": organisation.pk,
            "from_status": previous,
            "status": status,
            "version": version.number if version else None,
        },
        standard=standard,
        adoption=adoption,
    )
    return adoption
