"""Coordinators manage their organisation's webhook endpoints: register, change, enable again, new secret,
delete. Each checks who acts and what is asked before it writes; bad input changes nothing."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenorg.core.actors import Actor
from samenorg.core.queue import publish_on_commit
from samenorg.core.ratelimits import rate_limit
from samenorg.events.describe import SENTENCES

from ..models import DeliveryState, WebhookEndpoint, organisations_managed_by
from ..signing import secret_new
from ..targets import TargetRefusedError, target_resolve

URL_MAX_LENGTH = 500


def known_event_types() -> list[str]:
    """Every event type the platform records (each has its sentence in ``describe``)."""
    return sorted(SENTENCES)


def _require_coordinator(actor: Actor, endpoint: WebhookEndpoint | None = None) -> None:
    if endpoint is not None and endpoint.organisation_id != actor.organisation.pk:
        raise PermissionDenied(_("This webhook belongs to another organisation."))
    if actor.user is None or not organisations_managed_by(actor.user).filter(pk=actor.organisation.pk).exists():
        raise PermissionDenied(
            _("Only coordinators of %(organisation)s manage its webhooks.") % {"organisation": actor.organisation}
        )


def _validated(url: str, event_types: Iterable[str]) -> tuple[str, list[str]]:
    """The URL and event types as they will be stored, or a ValidationError naming each bad field."""
    url, types = url.strip(), sorted(set(event_types))
    errors: dict[str, str] = {}
    if len(url) > URL_MAX_LENGTH:
        errors["url"] = _("The address is longer than %(length)d characters.") % {"length": URL_MAX_LENGTH}
    else:
        try:
            target_resolve(url)
        except TargetRefusedError as refused:
            errors["url"] = str(refused)
    unknown = sorted(set(types) - set(known_event_types()))
    if unknown:
        errors["event_types"] = _("Unknown event types: %(types)s.") % {"types": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    return url, types


def webhook_register(*, actor: Actor, url: str, event_types: Iterable[str], description: str = "") -> WebhookEndpoint:
    """A new endpoint of the actor's organisation, with a fresh secret. No event types means all of them.
    One person makes at most the ``webhook_create`` rate of endpoints (``SAMENORG_RATE_LIMITS``)."""
    _require_coordinator(actor)
    url, types = _validated(url, event_types)
    with rate_limit("webhook_create", actor):
        return WebhookEndpoint.objects.create(
            organisation=actor.organisation,
            url=url,
            event_types=types,
            description=description.strip(),
            secret=secret_new(),
            created_by=actor.user,
        )


def webhook_update(
    *, actor: Actor, endpoint: WebhookEndpoint, url: str, event_types: Iterable[str], description: str = ""
) -> WebhookEndpoint:
    """Change where messages go and which; deliveries already waiting go to the new URL."""
    _require_coordinator(actor, endpoint)
    url, types = _validated(url, event_types)
    endpoint.url, endpoint.event_types, endpoint.description = url, types, description.strip()
    endpoint.save(update_fields=["url", "event_types", "description"])
    return endpoint


def webhook_enable(*, actor: Actor, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Switch a disabled endpoint on again: its failure count starts over and what waited is sent now."""
    from ..tasks import deliver_due_webhooks  # the tasks call the services

    _require_coordinator(actor, endpoint)
    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.disabled_at, endpoint.disabled_reason, endpoint.disabled_notified_at = None, "", None
        endpoint.consecutive_failures, endpoint.paused_until = 0, None
        endpoint.save(
            update_fields=[
                "disabled_at",
                "disabled_reason",
                "disabled_notified_at",
                "consecutive_failures",
                "paused_until",
            ]
        )
        endpoint.deliveries.filter(state=DeliveryState.PENDING).update(next_attempt_at=now)
        publish_on_commit(deliver_due_webhooks)
    return endpoint


def webhook_rotate_secret(*, actor: Actor, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new signing secret, used from the next attempt on; the old one stops working at once."""
    _require_coordinator(actor, endpoint)
    endpoint.secret = secret_new()
    endpoint.save(update_fields=["secret"])
    return endpoint


def webhook_delete(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint with its deliveries and their log; nothing more is sent to it."""
    _require_coordinator(actor, endpoint)
    endpoint.delete()
