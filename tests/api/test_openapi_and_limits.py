"""The OpenAPI document (anonymous, with CORS), the rate limits, and when a key was last used."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.settings import api_settings

from api.models import ApiKey
from tests.api.conftest import Api, assert_problem

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_served_anonymously_with_cors(world):
    response = Client().get("/api/v1/openapi.json", headers={"Origin": "https://partner.example"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "API-Version" in response["Access-Control-Expose-Headers"]
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1.0.0"
    assert set(document["info"]["contact"]) == {"name", "email", "url"}
    assert document["servers"][0]["url"].endswith("/api/v1")
    assert not [path for path in document["paths"] if path.endswith("/")]
    parameters = {
        p["name"] for item in document["paths"].values() for op in item.values() for p in op.get("parameters", [])
    }
    assert {"pageSize", "rolesSought", "takingPart", "after"} <= parameters


def test_a_cors_preflight_for_a_key_is_allowed(world):
    response = Client().options(
        "/api/v1/initiatives",
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-api-key, content-type",
        },
    )
    assert response.status_code == 200
    assert "x-api-key" in response["Access-Control-Allow-Headers"]


def test_no_cors_outside_the_api(world):
    response = Client().get("/", headers={"Origin": "https://partner.example"})
    assert "Access-Control-Allow-Origin" not in response


def _rates(**rates: str) -> dict:
    return {**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": rates}


def test_anonymous_callers_are_limited_per_address_and_keys_per_key(world):
    with override_settings(REST_FRAMEWORK=_rates(anonymous="2/hour", apiKey="3/hour", user="3/hour")):
        anonymous = Api()
        assert [anonymous.get("/api/v1/themes").status_code for _ in range(2)] == [200, 200]
        limited = anonymous.get("/api/v1/themes")
        assert_problem(limited, 429)
        assert 1 <= int(limited["Retry-After"]) <= 3600  # the rest of the hour
        keyed = world.api("utrecht_read")
        assert [keyed.get("/api/v1/themes").status_code for _ in range(3)] == [200, 200, 200]
        assert_problem(keyed.get("/api/v1/themes"), 429)
        assert world.api("zwolle_write").get("/api/v1/themes").status_code == 200  # its own budget


def test_last_used_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    key = ApiKey.objects.get(prefix=world.keys["utrecht_read"][:12])
    assert key.last_used_at is None
    world.api("utrecht_read").get("/api/v1/themes")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    with django_assert_num_queries(2):  # the key and the themes: no write within the minute
        world.api("utrecht_read").get("/api/v1/themes")
    key.refresh_from_db()
    assert key.last_used_at == first
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    world.api("utrecht_read").get("/api/v1/themes")
    key.refresh_from_db()
    assert key.last_used_at > first


def test_the_reference_page_renders_without_scripts(world):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/initiatives" in html
    assert 'id="problem-invalid-input"' in html
    assert "<script>" not in html
    assert "style=" not in html
