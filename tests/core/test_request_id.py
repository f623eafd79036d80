"""Every response carries a request id: the caller's when it is a sane token, a new one otherwise."""

import re

import pytest
from django.test import Client

NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.mark.django_db
def test_a_sane_request_id_is_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-42.Abc_9")

    assert response["X-Request-ID"] == "proxy-42.Abc_9"


@pytest.mark.django_db
def test_without_one_a_new_request_id_is_made_for_every_request(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert NEW_ID.fullmatch(first)
    assert NEW_ID.fullmatch(second)
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given",
    ["a" * 65, "with space", "<script>", 'quote"d', "line\\nbreak", "ünïcode", "a/b"],
)
def test_an_unsafe_request_id_is_replaced(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)

    assert NEW_ID.fullmatch(response["X-Request-ID"])


@pytest.mark.django_db
def test_the_longest_sane_request_id_is_kept(client):
    given = "x" * 64

    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/initiatives", 200),
        ("/api/v1/bestaat-niet", 404),  # a problem+json made by the API's middleware
        ("/deze-pagina-bestaat-niet", 404),
    ],
)
def test_api_responses_and_errors_carry_it_too(path, status):
    response = Client().get(path, HTTP_X_REQUEST_ID="trace-1")

    assert response.status_code == status
    assert response["X-Request-ID"] == "trace-1"


@pytest.mark.django_db
def test_a_refused_host_still_gets_an_id():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example", HTTP_X_REQUEST_ID="trace-2")

    assert response.status_code == 400
    assert response["X-Request-ID"] == "trace-2"
