"""Coordinators make and revoke their organisation's keys: shown once, stored hashed, revoked at once."""

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiKey, ApiKeyScope
from api.services import api_key_create
from tests.api.conftest import Api, assert_problem
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(world):
    return MembershipFactory(organisation=world.utrecht, coordinator=True).user


def _browser(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_only_coordinators_of_the_organisation_see_the_key_page(world, coordinator):
    url = reverse("api_keys:list", kwargs={"slug": world.utrecht.slug})
    assert _browser(coordinator).get(url).status_code == 200
    assert _browser(world.member).get(url).status_code == 403
    other = MembershipFactory(organisation=world.zwolle, coordinator=True).user
    assert _browser(other).get(url).status_code == 403
    assert _browser(UserFactory(facilitator=True)).get(url).status_code == 403
    anonymous = _browser(None).get(url)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]


def test_the_organisation_page_links_to_the_keys_for_coordinators_only(world, coordinator):
    url = reverse("api_keys:list", kwargs={"slug": world.partner.slug})
    partner_coordinator = MembershipFactory(organisation=world.partner, coordinator=True).user
    page = world.partner.get_absolute_url()
    assert url in _browser(partner_coordinator).get(page).content.decode()
    plain = MembershipFactory(organisation=world.partner).user
    assert url not in _browser(plain).get(page).content.decode()


def test_a_new_key_is_shown_once_stored_hashed_and_works(world, coordinator):
    url = reverse("api_keys:list", kwargs={"slug": world.utrecht.slug})
    browser = _browser(coordinator)
    response = browser.post(url, {"name": "Zaaksysteem", "scope": ApiKeyScope.WRITE})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = html.split('id="api-key-secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith("sok_")
    assert len(secret) > 40
    key = ApiKey.objects.get(name="Zaaksysteem")
    assert key.key_hash == ApiKey.hash(secret)
    assert secret not in (key.prefix, key.key_hash)
    assert key.prefix == secret[:12]
    assert key.created_by == coordinator
    assert key.scope == "write"
    again = browser.get(url).content.decode()
    assert secret not in again
    assert key.prefix in again
    created = Api(secret).post("/api/v1/initiatives", {"title": "Via de nieuwe sleutel", "summary": "Kort."})
    assert created.status_code == 201


def test_a_revoked_key_stops_working(world, coordinator):
    key, secret = api_key_create(user=coordinator, organisation=world.utrecht, name="Intranet", scope="read")
    assert Api(secret).get("/api/v1/themes").status_code == 200
    revoke = reverse("api_keys:revoke", kwargs={"slug": world.utrecht.slug, "pk": key.pk})
    assert _browser(world.member).post(revoke).status_code == 403
    assert _browser(coordinator).get(revoke).status_code == 405
    response = _browser(coordinator).post(revoke)
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert_problem(Api(secret).get("/api/v1/themes"), 401)


def test_a_coordinator_cannot_revoke_another_organisations_key(world, coordinator):
    other = ApiKey.objects.filter(organisation=world.zwolle).first()
    revoke = reverse("api_keys:revoke", kwargs={"slug": world.utrecht.slug, "pk": other.pk})
    assert _browser(coordinator).post(revoke).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_key_needs_a_name(world, coordinator):
    url = reverse("api_keys:list", kwargs={"slug": world.utrecht.slug})
    count = ApiKey.objects.count()
    response = _browser(coordinator).post(url, {"name": "  ", "scope": "read"})
    assert response.status_code == 200
    assert 'id="api-key-secret"' not in response.content.decode()
    assert ApiKey.objects.count() == count
