"""Schemathesis against the served OpenAPI document: for every operation, generated requests (valid and
invalid) get no server error, and every answer conforms to the document (status, content type,
headers, body). Reads run anonymously; every operation runs again with a write key."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from rest_framework.settings import api_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import World

EXAMPLES = 12
# "Schema-valid data is accepted" cannot hold for an API with rules beyond its schema: an unknown theme
# slug, publishing what is published already, a date in the future are 400s with a reason, as they should.
EXCLUDED = [positive_data_acceptance]
BASE_URL = "http://localhost/api/v1"
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# Loaded once, through the WSGI application: the document exactly as it is served (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _as_the_test_client_does():
    """Requests through the WSGI application inside the test's transaction: the connection stays open
    at the end of a request (as Django's test client arranges), and no rate limits (hundreds of requests
    in seconds; the limits have their own tests)."""
    rates = {"anonymous": "100000/min", "apiKey": "100000/min", "user": "100000/min"}
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with override_settings(REST_FRAMEWORK={**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": rates}):
            yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@HYPOTHESIS
def test_reads_conform_to_the_document_anonymously(case, world: World):
    case.call_and_validate(base_url=BASE_URL, excluded_checks=EXCLUDED)


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_every_operation_conforms_with_a_write_key(case, world):
    case.call_and_validate(
        base_url=BASE_URL, headers={"X-Api-Key": world.keys["utrecht_write"]}, excluded_checks=EXCLUDED
    )
