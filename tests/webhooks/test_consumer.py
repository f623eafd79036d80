"""The webhooks consumer of the spine: a delivery for each endpoint that wants the event and whose
organisation may see it, and for no other."""

import pytest

from collaboration.services.participation import participation_request
from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.events import dispatch
from samenorg.events.models import Event
from tests.factories import WebhookEndpointFactory
from webhooks.models import DeliveryState, WebhookDelivery
from webhooks.services.delivery import deliveries_for_event

from .conftest import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def utrecht():
    return member_of("Utrecht")


@pytest.fixture
def zwolle():
    return member_of("Zwolle")


@pytest.fixture
def deventer():
    return member_of("Deventer")


@pytest.fixture
def endpoints(utrecht, zwolle, deventer):
    return {
        actor.organisation.name: WebhookEndpointFactory(organisation=actor.organisation)
        for actor in (utrecht, zwolle, deventer)
    }


def handle(event):
    """What the spine does after the event commits, for this consumer only."""
    dispatch.deliver(event.pk, "webhooks")


def receivers(event):
    return sorted(WebhookDelivery.objects.filter(event=event).values_list("endpoint__organisation__name", flat=True))


def test_a_drafts_event_goes_only_to_its_own_organisations_endpoint(utrecht, endpoints):
    draft = initiative_create(actor=utrecht, title="Concept", summary="Nog niet af.")
    event = Event.objects.get(initiative=draft, type="initiative.created")

    handle(event)

    assert receivers(event) == ["Gemeente Utrecht"]


def test_a_published_initiatives_event_goes_to_every_endpoint(utrecht, endpoints):
    initiative = initiative_create(actor=utrecht, title="Wijkdashboard", summary="Cijfers.")
    initiative_publish(actor=utrecht, initiative=initiative)
    event = Event.objects.get(initiative=initiative, type="initiative.published")

    handle(event)

    assert receivers(event) == ["Gemeente Deventer", "Gemeente Utrecht", "Gemeente Zwolle"]
    delivery = WebhookDelivery.objects.filter(event=event).first()
    assert delivery.state == DeliveryState.PENDING
    assert delivery.next_attempt_at is not None
    assert delivery.webhook_id.startswith("msg_")


def test_a_join_request_goes_only_to_the_requesters_and_the_initiators_endpoints(utrecht, zwolle, endpoints):
    initiative = initiative_publish(
        actor=utrecht, initiative=initiative_create(actor=utrecht, title="Wijkdashboard", summary="Cijfers.")
    )
    request = participation_request(actor=zwolle, initiative=initiative, role="funder", motivation="Wij betalen.")
    event = Event.objects.get(participation=request, type="participation.requested")

    handle(event)

    assert receivers(event) == ["Gemeente Utrecht", "Gemeente Zwolle"]


def test_only_endpoints_that_asked_for_the_type_get_it(utrecht, zwolle):
    WebhookEndpointFactory(organisation=zwolle.organisation, event_types=["milestone.achieved"])
    wanting = WebhookEndpointFactory(organisation=zwolle.organisation, event_types=["initiative.published"])
    initiative = initiative_publish(
        actor=utrecht, initiative=initiative_create(actor=utrecht, title="Wijkdashboard", summary="Cijfers.")
    )
    event = Event.objects.get(initiative=initiative, type="initiative.published")

    handle(event)

    assert list(WebhookDelivery.objects.filter(event=event).values_list("endpoint", flat=True)) == [wanting.pk]


def test_a_disabled_endpoint_gets_no_new_deliveries(utrecht):
    WebhookEndpointFactory(organisation=utrecht.organisation, disabled=True)
    draft = initiative_create(actor=utrecht, title="Concept", summary="Nog niet af.")

    handle(Event.objects.get(initiative=draft))

    assert not WebhookDelivery.objects.exists()


def test_handling_an_event_twice_delivers_it_once_per_endpoint(utrecht, endpoints):
    draft = initiative_create(actor=utrecht, title="Concept", summary="Nog niet af.")
    event = Event.objects.get(initiative=draft)

    deliveries_for_event(event)
    deliveries_for_event(event)

    assert WebhookDelivery.objects.filter(event=event).count() == 1


def test_the_consumer_costs_the_same_queries_for_two_organisations_or_twenty(
    utrecht, django_assert_num_queries, django_capture_on_commit_callbacks
):
    initiative = initiative_publish(
        actor=utrecht, initiative=initiative_create(actor=utrecht, title="Wijkdashboard", summary="Cijfers.")
    )
    event = Event.objects.get(initiative=initiative, type="initiative.published")

    def queries_for(organisations):
        WebhookDelivery.objects.all().delete()
        for _ in range(organisations):
            WebhookEndpointFactory()
        with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(4) as counted:
            deliveries_for_event(event)
        return len(counted.captured_queries), WebhookDelivery.objects.filter(event=event).count()

    assert queries_for(2) == (4, 2)
    assert queries_for(18) == (4, 20)
