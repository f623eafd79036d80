"""The coordinators' webhook pages: who finds them, what they show, and bad input refused with a message."""

import pytest
from django.urls import reverse
from django.utils import translation

from samenorg.events.models import Event
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory, WebhookEndpointFactory
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

from .conftest import member_of

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://93.184.216.34/samenorg"


@pytest.fixture(autouse=True)
def _in_english(client):
    """Messages are asserted in English; the site speaks Dutch first."""
    client.cookies["samenorg_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def utrecht():
    return member_of("Utrecht", coordinator=True)


@pytest.fixture
def endpoint(utrecht):
    return WebhookEndpointFactory(organisation=utrecht.organisation, url=PUBLIC_URL)


def urls(endpoint):
    slug, pk = endpoint.organisation.slug, endpoint.pk
    return {
        "list": reverse("webhooks:list", kwargs={"slug": slug}),
        "create": reverse("webhooks:create", kwargs={"slug": slug}),
        "detail": reverse("webhooks:detail", kwargs={"slug": slug, "pk": pk}),
        "edit": reverse("webhooks:edit", kwargs={"slug": slug, "pk": pk}),
        "delete": reverse("webhooks:delete", kwargs={"slug": slug, "pk": pk}),
        "enable": reverse("webhooks:enable", kwargs={"slug": slug, "pk": pk}),
        "rotate-secret": reverse("webhooks:rotate-secret", kwargs={"slug": slug, "pk": pk}),
    }


def visitors(utrecht):
    """Everyone who is not a coordinator of Utrecht, by kind."""
    return {
        "member": MembershipFactory(organisation=utrecht.organisation).user,
        "other coordinator": member_of("Zwolle", coordinator=True).user,
        "facilitator": UserFactory(facilitator=True),
    }


@pytest.mark.parametrize("page", ["list", "create", "detail", "edit", "delete"])
def test_the_coordinator_opens_every_page(client, utrecht, endpoint, page):
    client.force_login(utrecht.user)

    assert client.get(urls(endpoint)[page]).status_code == 200


@pytest.mark.parametrize("page", ["list", "create", "detail", "edit", "delete"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, endpoint, page):
    response = client.get(urls(endpoint)[page])

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("page", ["list", "create", "detail", "edit", "delete"])
def test_anyone_but_a_coordinator_of_the_organisation_finds_no_page(client, utrecht, endpoint, page):
    for user in visitors(utrecht).values():
        client.force_login(user)
        assert client.get(urls(endpoint)[page]).status_code == 404


@pytest.mark.parametrize("action", ["enable", "rotate-secret", "delete"])
def test_anyone_but_a_coordinator_changes_nothing(client, utrecht, action):
    endpoint = WebhookEndpointFactory(organisation=utrecht.organisation, disabled=True)
    before = WebhookEndpoint.objects.values().get(pk=endpoint.pk)
    for user in visitors(utrecht).values():
        client.force_login(user)
        assert client.post(urls(endpoint)[action]).status_code == 404
    client.logout()
    assert client.post(urls(endpoint)[action]).status_code == 302  # to the login page

    assert WebhookEndpoint.objects.values().get(pk=endpoint.pk) == before


def test_an_endpoint_of_another_organisation_is_not_found_under_ones_own(client, utrecht):
    foreign = WebhookEndpointFactory()
    client.force_login(utrecht.user)

    response = client.get(reverse("webhooks:detail", kwargs={"slug": utrecht.organisation.slug, "pk": foreign.pk}))

    assert response.status_code == 404


def test_the_organisation_page_links_its_coordinators_to_the_webhooks(client, utrecht):
    member = MembershipFactory(organisation=utrecht.organisation).user
    webhooks_url = reverse("webhooks:list", kwargs={"slug": utrecht.organisation.slug})

    client.force_login(utrecht.user)
    assert webhooks_url in client.get(utrecht.organisation.get_absolute_url()).content.decode()
    client.force_login(member)
    assert webhooks_url not in client.get(utrecht.organisation.get_absolute_url()).content.decode()


def test_a_coordinator_registers_a_webhook_and_sees_its_secret(client, utrecht):
    client.force_login(utrecht.user)

    response = client.post(
        reverse("webhooks:create", kwargs={"slug": utrecht.organisation.slug}),
        {
            "url": PUBLIC_URL,
            "description": "Zaaksysteem",
            "event_types": ["initiative.published", "milestone.achieved"],
        },
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get()
    assert response.redirect_chain[-1][0] == endpoint.get_absolute_url()
    assert (endpoint.organisation, endpoint.url, endpoint.created_by) == (
        utrecht.organisation,
        PUBLIC_URL,
        utrecht.user,
    )
    assert endpoint.event_types == ["initiative.published", "milestone.achieved"]
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"url": "http://93.184.216.34/hook"}, "url", "Webhooks go to https addresses only."),
        ({"url": "https://10.0.0.8/hook"}, "url", "a private address"),
        ({"url": "https://127.0.0.1:8443/hook"}, "url", "a loopback address"),
        ({"url": "https://[fe80::1]/hook"}, "url", "a link-local address"),
        ({"url": "https://[::ffff:169.254.169.254]/hook"}, "url", "a link-local address"),
        ({"url": "not an address"}, "url", "Webhooks go to https addresses only."),
        ({"url": ""}, "url", "This field is required."),
        ({"url": PUBLIC_URL, "event_types": ["initiative.exploded"]}, "event_types", "initiative.exploded"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_registers_nothing(client, utrecht, data, field, message):
    client.force_login(utrecht.user)

    response = client.post(reverse("webhooks:create", kwargs={"slug": utrecht.organisation.slug}), data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not WebhookEndpoint.objects.exists()


def test_changing_the_address_to_a_private_one_is_refused_and_changes_nothing(client, utrecht, endpoint):
    client.force_login(utrecht.user)

    response = client.post(urls(endpoint)["edit"], {"url": "https://192.168.1.10/hook", "description": "intranet"})

    assert response.status_code == 200
    assert "a private address" in response.context["form"].errors["url"][0]
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description) == (PUBLIC_URL, "")


def test_a_coordinator_changes_the_address_and_the_types(client, utrecht, endpoint):
    client.force_login(utrecht.user)

    response = client.post(
        urls(endpoint)["edit"], {"url": "https://93.184.216.35/in", "event_types": ["comment.posted"]}
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.event_types) == ("https://93.184.216.35/in", ["comment.posted"])


def test_a_new_secret_replaces_the_old_one(client, utrecht, endpoint):
    old = endpoint.secret
    client.force_login(utrecht.user)

    client.post(urls(endpoint)["rotate-secret"])

    endpoint.refresh_from_db()
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret != old


def test_a_disabled_endpoint_says_why_and_is_switched_on_again(client, utrecht):
    endpoint = WebhookEndpointFactory(organisation=utrecht.organisation, disabled=True)
    client.force_login(utrecht.user)

    page = client.get(urls(endpoint)["detail"]).content.decode()
    assert "This webhook was switched off" in page
    assert "HTTP 503" in page
    assert urls(endpoint)["enable"] in page

    client.post(urls(endpoint)["enable"])

    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures, endpoint.disabled_reason) == (True, 0, "")


def test_deleting_removes_the_endpoint_with_its_log(client, utrecht, endpoint):
    client.force_login(utrecht.user)

    response = client.post(urls(endpoint)["delete"])

    assert response.url == urls(endpoint)["list"]
    assert not WebhookEndpoint.objects.exists()


def test_the_detail_page_shows_each_attempt_and_costs_the_same_queries_for_one_delivery_or_many(
    client, utrecht, endpoint, django_assert_max_num_queries
):
    client.force_login(utrecht.user)
    initiative = InitiativeFactory(owner=utrecht.organisation, published=True)

    def add_deliveries(count):
        for _ in range(count):
            event = Event.objects.create(
                type="initiative.updated", organisation=utrecht.organisation, initiative=initiative, audience="public"
            )
            delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, next_attempt_at=event.occurred_at)
            for status in (500, 502):
                WebhookAttempt.objects.create(
                    delivery=delivery,
                    attempted_at=event.occurred_at,
                    status_code=status,
                    succeeded=False,
                    error=f"HTTP {status}",
                    duration_ms=12,
                )

    add_deliveries(1)
    with django_assert_max_num_queries(20) as one:
        page = client.get(urls(endpoint)["detail"]).content.decode()
    assert "HTTP 502" in page
    add_deliveries(15)
    with django_assert_max_num_queries(20) as many:
        client.get(urls(endpoint)["detail"])
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_list_shows_each_endpoints_state_and_costs_the_same_queries_for_one_or_many(
    client, utrecht, endpoint, django_assert_max_num_queries
):
    client.force_login(utrecht.user)
    with django_assert_max_num_queries(20) as one:
        client.get(urls(endpoint)["list"])
    for _ in range(5):
        WebhookEndpointFactory(organisation=utrecht.organisation, disabled=True)
    with django_assert_max_num_queries(20) as many:
        page = client.get(urls(endpoint)["list"]).content.decode()

    assert len(many.captured_queries) == len(one.captured_queries)
    assert page.count("Disabled") == 5
    assert PUBLIC_URL in page
