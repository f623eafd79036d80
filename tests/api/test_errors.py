"""Bad input and refusals: the right status as application/problem+json, and nothing changed."""

import pytest
from django.test import Client

from initiatives.models import Initiative
from samenorg.events.models import Event
from tests.api.conftest import Api, assert_problem, make_key

pytestmark = pytest.mark.django_db

VALID = {"title": "Nieuw initiatief", "summary": "Kort."}


@pytest.fixture
def unchanged(world):
    """Asserts, after the test, that no initiative and no event was written."""
    initiatives, events = Initiative.objects.count(), Event.objects.count()
    yield
    assert (Initiative.objects.count(), Event.objects.count()) == (initiatives, events)


def test_malformed_json_is_400(world, unchanged):
    body = assert_problem(world.api("utrecht_write").post("/api/v1/initiatives", raw='{"title": "x",'), 400)
    assert body["detail"]


def test_unknown_fields_are_refused_by_name(world, unchanged):
    response = world.api("utrecht_write").post("/api/v1/initiatives", VALID | {"colour": "red", "slug": "mine"})
    body = assert_problem(response, 400)
    assert sorted(param["name"] for param in body["invalidParams"]) == ["colour", "slug"]


def test_wrong_types_name_each_field_in_camel_case(world, unchanged):
    response = world.api("utrecht_write").post(
        "/api/v1/initiatives",
        {"title": 12, "summary": ["x"], "costEur": "veel", "rolesSought": "funder", "links": [{"title": "x"}]},
    )
    names = {param["name"] for param in assert_problem(response, 400)["invalidParams"]}
    assert {"summary", "costEur", "rolesSought", "links[0].url"} <= names


def test_a_body_that_is_not_an_object_is_400(world, unchanged):
    assert_problem(world.api("utrecht_write").post("/api/v1/initiatives", ["title"]), 400)


def test_service_validation_becomes_400_with_the_api_field_name(world, unchanged):
    response = world.api("utrecht_write").post(
        "/api/v1/initiatives", VALID | {"links": [{"title": "Kwaad", "url": "javascript:alert(1)"}]}
    )
    assert {param["name"] for param in assert_problem(response, 400)["invalidParams"]} == {"links[0].url"}
    response = world.api("utrecht_write").post("/api/v1/initiatives", VALID | {"contactEmail": "geen-adres"})
    assert [param["name"] for param in assert_problem(response, 400)["invalidParams"]] == ["contactEmail"]


def test_a_read_key_may_not_write(world, unchanged):
    body = assert_problem(world.api("utrecht_read").post("/api/v1/initiatives", VALID), 403)
    assert body["type"].endswith("#problem-forbidden")
    slug = world.initiatives["draft"].slug
    assert_problem(world.api("utrecht_read").post(f"/api/v1/initiatives/{slug}/publish"), 403)


def test_an_unknown_or_revoked_key_is_401_even_for_reading(world, unchanged):
    from django.utils import timezone

    revoked = make_key(world.utrecht, revoked_at=timezone.now())
    for key in ("sok_unknown", revoked):
        response = Api(key).get("/api/v1/initiatives")
        assert_problem(response, 401)
        assert response["WWW-Authenticate"] == 'ApiKey header="X-Api-Key"'
        assert_problem(Api(key).post("/api/v1/initiatives", VALID), 401)


def test_an_anonymous_write_is_401(world, unchanged):
    assert_problem(world.api().post("/api/v1/initiatives", VALID), 401)


def test_another_organisations_draft_is_404_and_its_published_initiative_403(world, unchanged):
    zwolle = world.api("zwolle_write")
    assert_problem(zwolle.post(f"/api/v1/initiatives/{world.initiatives['draft'].slug}/publish"), 404)
    assert_problem(zwolle.post(f"/api/v1/initiatives/{world.initiatives['published'].slug}/publish"), 403)


def test_a_service_refusal_is_400_and_changes_nothing(world, unchanged):
    slug = world.initiatives["published"].slug
    body = assert_problem(world.api("utrecht_write").post(f"/api/v1/initiatives/{slug}/publish"), 400)
    assert "invalidParams" not in body  # not about a field: the initiative is published already


def test_paths_with_a_trailing_slash_are_404_not_a_redirect(world):
    for path in (
        "/api/v1/initiatives/",
        "/api/v1/openapi.json/",
        f"/api/v1/initiatives/{world.initiatives['published'].slug}/",
    ):
        assert_problem(Client().get(path), 404)
    assert_problem(Client().get("/api/v2/initiatives"), 404)


def test_an_unknown_parameter_value_is_400_naming_it(world):
    body = assert_problem(world.api().get("/api/v1/initiatives", phase="moon", province="atlantis"), 400)
    assert {param["name"] for param in body["invalidParams"]} == {"phase", "province"}
    assert_problem(world.api().get("/api/v1/initiatives", pageSize=101), 400)
    assert_problem(world.api().get("/api/v1/events", after="-1"), 400)
    assert_problem(world.api().get("/api/v1/events", type="initiative.exploded"), 400)


def test_method_media_type_and_accept_errors(world, unchanged):
    api = world.api("utrecht_write")
    response = api.send("delete", f"/api/v1/initiatives/{world.initiatives['published'].slug}")
    assert_problem(response, 405)
    assert "PATCH" in response["Allow"]
    assert_problem(
        api.post("/api/v1/initiatives", raw="title=x", content_type="application/x-www-form-urlencoded"), 415
    )
    assert_problem(Client().get("/api/v1/initiatives", headers={"Accept": "text/html"}), 406)


def test_every_api_response_carries_the_api_version(world):
    for response in (
        world.api().get("/api/v1/initiatives"),
        world.api().get("/api/v1/nothing-here"),
        Client().get("/api/v1/openapi.json"),
        Client().get("/api/v1/docs"),
        world.api("utrecht_read").post("/api/v1/initiatives", VALID),
    ):
        assert response["API-Version"] == "1.0.0"
    assert "API-Version" not in Client().get("/")


def test_errors_come_in_the_callers_language(world):
    response = Client().get("/api/v1/nothing-here", headers={"Accept-Language": "en"})
    assert assert_problem(response, 404)["title"] == "Not found"
