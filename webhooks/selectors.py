"""Reads for the coordinators' webhook pages, each page a constant number of queries."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from samenorg.accounts.models import User

from .models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_list(*, organisation_id: int) -> QuerySet[WebhookEndpoint]:
    """The organisation's endpoints with how many messages wait and how their last attempt went."""
    last_attempt = WebhookAttempt.objects.filter(delivery__endpoint=OuterRef("pk")).order_by("-attempted_at", "-pk")
    return (
        WebhookEndpoint.objects.filter(organisation_id=organisation_id)
        .select_related("organisation")
        .annotate(
            waiting=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
            last_attempt_at=Subquery(last_attempt.values("attempted_at")[:1]),
            last_attempt_succeeded=Subquery(last_attempt.values("succeeded")[:1]),
        )
        .order_by("created_at", "pk")
    )


def endpoint_managed(*, user: User, slug: str, pk: int) -> WebhookEndpoint | None:
    return (
        WebhookEndpoint.objects.managed_by(user)
        .select_related("organisation", "created_by")
        .filter(organisation__slug=slug, pk=pk)
        .first()
    )


def endpoint_deliveries(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first, each with its event and the log of its attempts."""
    return (
        endpoint.deliveries.select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("attempted_at", "pk")))
        .order_by("-created_at", "-pk")
    )
