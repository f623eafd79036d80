"""Security headers on every kind of response: pages, errors, redirects, the API (answers, problems,
CORS preflight), the OpenAPI document, static files served by WhiteNoise, attachment downloads and the
health checks. Each must forbid MIME sniffing, keep the full address out of other sites' Referer,
and forbid framing in both ways browsers understand (X-Frame-Options and CSP frame-ancestors)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from initiatives.models import InitiativeAttachment
from samenorg.urls import urlpatterns as site_urlpatterns
from tests.factories import ApiKeyFactory, InitiativeFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_security_headers")]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, to see the headers of a server error")


# The site's URLs, plus a view with a bug on a page address and an API address.
urlpatterns = [path("kapot", broken_view), path("api/v1/kapot", broken_view), *site_urlpatterns]


def csp_directive(response: HttpResponse, name: str) -> str:
    for part in response.get("Content-Security-Policy", "").split(";"):
        directive, _, sources = part.strip().partition(" ")
        if directive == name:
            return sources
    return ""


def assert_security_headers(response: HttpResponse) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert csp_directive(response, "frame-ancestors") == "'none'", response.get("Content-Security-Policy")


@pytest.fixture
def world():
    member = MembershipFactory()
    initiative = InitiativeFactory(owner=member.organisation, published=True)
    key = "sok_security-headers-test-key-0123456789abcdef"
    ApiKeyFactory(key=key, organisation=member.organisation)
    return {"member": member, "initiative": initiative, "key": key}


def preflight(client: Client, _world) -> HttpResponse:
    return client.options(
        "/api/v1/initiatives",
        HTTP_ORIGIN="https://zaaksysteem.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key, content-type",
    )


def attachment_download(client: Client, world) -> HttpResponse:
    initiative = world["initiative"]
    client.force_login(world["member"].user)
    client.post(
        reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
        {"file": SimpleUploadedFile("plan.pdf", PDF)},
    )
    attachment = InitiativeAttachment.objects.get()
    return client.get(reverse("initiatives:attachment", kwargs={"slug": initiative.slug, "uuid": attachment.uuid}))


REQUESTS = {
    "page": (200, lambda client, world: client.get("/")),
    "initiative page": (200, lambda client, world: client.get(world["initiative"].get_absolute_url())),
    "page not found": (404, lambda client, world: client.get("/deze-pagina-bestaat-niet")),
    "server error": (500, lambda client, world: client.get("/kapot")),
    "redirect to login": (302, lambda client, world: client.get("/initiatieven/nieuw")),
    "method not allowed": (405, lambda client, world: client.post("/healthz")),
    "bad host": (400, lambda client, world: client.get("/", HTTP_HOST="evil.example")),
    "refused CSRF": (403, lambda client, world: Client(enforce_csrf_checks=True).post("/taal", {"language": "en"})),
    "admin login": (302, lambda client, world: client.get("/beheer/login/")),
    "API list": (200, lambda client, world: client.get("/api/v1/initiatives")),
    "API with key": (200, lambda client, world: client.get("/api/v1/initiatives", HTTP_X_API_KEY=world["key"])),
    "API unauthorised": (401, lambda client, world: client.post("/api/v1/initiatives", {}, "application/json")),
    "API not found": (404, lambda client, world: client.get("/api/v1/initiatives/bestaat-niet")),
    "API no such path": (404, lambda client, world: client.get("/api/v1/bestaat-niet")),
    "API trailing slash": (404, lambda client, world: client.get("/api/v1/initiatives/")),
    "API server error": (500, lambda client, world: client.get("/api/v1/kapot")),
    "API CORS preflight": (200, preflight),
    "OpenAPI document": (200, lambda client, world: client.get("/api/v1/openapi.json")),
    "API reference": (200, lambda client, world: client.get("/api/v1/docs")),
    "static file": (200, lambda client, world: client.get("/static/css/samenorg.css")),
    "attachment download": (200, attachment_download),
    "healthz": (200, lambda client, world: client.get("/healthz")),
    "readyz": (200, lambda client, world: client.get("/readyz")),
}


@pytest.mark.parametrize("kind", REQUESTS)
def test_every_kind_of_response_carries_the_security_headers(world, kind):
    status, send = REQUESTS[kind]
    client = Client(raise_request_exception=False)

    response = send(client, world)

    assert response.status_code == status
    assert_security_headers(response)


def test_the_static_file_came_from_whitenoise(world):
    response = Client().get("/static/css/samenorg.css")

    assert response.__class__.__name__ == "WhiteNoiseFileResponse"
