"""Signatures checked by the reference implementation: the standardwebhooks library verifies what a
real receiver got."""

import json

import pytest
from standardwebhooks.webhooks import Webhook

from webhooks.services.delivery import deliver_due

from .test_delivery import endpoint, publish_event, utrecht  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_standard_webhooks_library_verifies_a_delivered_message(utrecht, endpoint, receiver):  # noqa: F811
    publish_event(utrecht)
    deliver_due()

    [request] = receiver.received
    assert Webhook(endpoint.secret).verify(request.body, request.headers) == json.loads(request.body)
