"""Abuse limits (``samenorg.core.ratelimits``): per person or API key, only successful writes count, a
refusal changes nothing and says when to try again, and the window ends. Applied to join requests (page
and API), API key creation and webhook registration; membership requests are in
tests/accounts/test_abuse_limits.py.

django-ratelimit counts in fixed windows; the tests hold its clock still, so no window ends by chance
during a test, and move it on by hand."""

from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from api.models import ApiKey
from collaboration.models import Participation
from samenorg.core.actors import Actor
from samenorg.core.ratelimits import RateLimitedError, rate_limit
from samenorg.events.models import Event
from tests.api.conftest import Api, assert_problem, make_key
from tests.factories import ApiKeyFactory, InitiativeFactory, MembershipFactory, UserFactory
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

HOUR = 3600
MOTIVATION = "Wij willen dit ook invoeren."
PUBLIC_URL = "https://93.184.216.34/samenorg"
REFUSED_IN_DUTCH = "het maximum om misbruik te voorkomen. Probeer het na"


def limit(settings, name: str, rate: str) -> None:
    settings.SAMENORG_RATE_LIMITS = {**settings.SAMENORG_RATE_LIMITS, name: rate}


# -- the module ------------------------------------------------------------------------------------


def test_only_writes_that_succeed_are_counted(settings, clock):
    limit(settings, "join_request", "2/h")
    person = UserFactory()
    with rate_limit("join_request", person):
        pass
    with pytest.raises(ValidationError, match="de motivatie"), rate_limit("join_request", person):
        raise ValidationError("Vul de motivatie in.")  # the write itself failed: not counted
    with rate_limit("join_request", person):
        pass

    ran = False
    with pytest.raises(RateLimitedError) as refused, rate_limit("join_request", person):
        ran = True

    assert not ran, "a refused write does not run"
    assert refused.value.code == "rate_limited"
    assert 0 < refused.value.retry_after <= HOUR


def test_a_person_and_an_api_key_are_counted_apart(settings, clock):
    limit(settings, "join_request", "1/h")
    membership = MembershipFactory()
    person = Actor(organisation=membership.organisation, user=membership.user)
    key = Actor(organisation=membership.organisation, api_key=ApiKeyFactory(organisation=membership.organisation))
    with rate_limit("join_request", person):
        pass

    with rate_limit("join_request", key):
        pass
    with pytest.raises(RateLimitedError), rate_limit("join_request", membership.user):
        pass  # the same person, as a user rather than an actor


def test_each_limit_counts_on_its_own(settings, clock):
    settings.SAMENORG_RATE_LIMITS = {**settings.SAMENORG_RATE_LIMITS, "join_request": "1/h", "webhook_create": "1/h"}
    person = UserFactory()
    with rate_limit("join_request", person):
        pass

    with rate_limit("webhook_create", person):
        pass


def test_an_empty_rate_switches_a_limit_off(settings, clock):
    limit(settings, "join_request", "")
    person = UserFactory()

    for _ in range(3):
        with rate_limit("join_request", person):
            pass


def test_an_unknown_limit_is_a_programming_error(clock):
    with pytest.raises(KeyError), rate_limit("no_such_limit", UserFactory()):
        pass


# -- join requests ---------------------------------------------------------------------------------


@pytest.fixture
def zwolle():
    return MembershipFactory(organisation__municipality__name="Zwolle")


@pytest.fixture
def initiatives():
    """A published initiative of another organisation each time, so each request can be a new one."""
    numbers = count()
    return lambda: InitiativeFactory(published=True, title=f"Wijkdashboard {next(numbers)}")


def join_on_the_page(client, initiative, motivation=MOTIVATION):
    url = reverse("collaboration:participation-join", kwargs={"slug": initiative.slug})
    return client.post(url, {"join-role": "participant", "join-motivation": motivation})


def test_a_join_request_over_the_limit_is_refused_on_the_page_and_changes_nothing(
    client, settings, clock, zwolle, initiatives
):
    limit(settings, "join_request", "2/h")
    client.force_login(zwolle.user)
    for _ in range(2):
        assert join_on_the_page(client, initiatives()).status_code == 302
    third = initiatives()

    response = join_on_the_page(client, third, motivation="Onze derde vraag vandaag.")

    body = response.content.decode()
    assert response.status_code == 200
    assert REFUSED_IN_DUTCH in body
    assert "Onze derde vraag vandaag." in body, "the form is kept"
    assert not Participation.objects.filter(initiative=third).exists()
    assert Event.objects.filter(type="participation.requested").count() == 2


def test_the_join_limit_is_per_person_and_ends_with_its_window(client, settings, clock, zwolle, initiatives):
    limit(settings, "join_request", "1/h")
    client.force_login(zwolle.user)
    assert join_on_the_page(client, initiatives()).status_code == 302
    assert join_on_the_page(client, initiatives()).status_code == 200

    colleague = MembershipFactory(organisation=zwolle.organisation).user
    client.force_login(colleague)
    assert join_on_the_page(client, initiatives()).status_code == 302, "another person is not held back"

    client.force_login(zwolle.user)
    clock.advance(HOUR)
    assert join_on_the_page(client, initiatives()).status_code == 302
    assert Participation.objects.filter(organisation=zwolle.organisation).count() == 3


def ask_through_the_api(key, initiative):
    return Api(key).post(
        f"/api/v1/initiatives/{initiative.slug}/participations", {"role": "participant", "motivation": MOTIVATION}
    )


def test_a_join_request_over_the_limit_through_the_api_is_429_with_retry_after(settings, clock, initiatives):
    limit(settings, "join_request", "1/h")
    zwolle = MembershipFactory(organisation__municipality__name="Zwolle").organisation
    key = make_key(zwolle)
    assert ask_through_the_api(key, initiatives()).status_code == 201
    third = initiatives()

    response = ask_through_the_api(key, third)

    refused = assert_problem(response, 429)
    assert REFUSED_IN_DUTCH in refused["detail"]
    assert 0 < int(response["Retry-After"]) <= HOUR
    assert not Participation.objects.filter(initiative=third).exists()
    assert Event.objects.filter(type="participation.requested").count() == 1


def test_the_join_limit_through_the_api_is_per_key_and_ends_with_its_window(settings, clock, initiatives):
    limit(settings, "join_request", "1/h")
    zwolle = MembershipFactory(organisation__municipality__name="Zwolle").organisation
    key = make_key(zwolle)
    ask_through_the_api(key, initiatives())
    later = initiatives()
    assert ask_through_the_api(key, later).status_code == 429

    assert ask_through_the_api(make_key(zwolle), initiatives()).status_code == 201, "another key is not held back"
    clock.advance(HOUR)
    assert ask_through_the_api(key, later).status_code == 201


# -- API keys --------------------------------------------------------------------------------------


@pytest.fixture
def coordinator():
    return MembershipFactory(organisation__municipality__name="Utrecht", coordinator=True)


def make_key_on_the_page(client, organisation, name):
    url = reverse("api_keys:list", kwargs={"slug": organisation.slug})
    return client.post(url, {"name": name, "scope": "read"})


def test_an_api_key_over_the_limit_is_refused_on_the_page_and_none_is_made(client, settings, clock, coordinator):
    limit(settings, "api_key_create", "2/h")
    organisation = coordinator.organisation
    client.force_login(coordinator.user)
    for number in range(2):
        assert "api-key-secret" in make_key_on_the_page(client, organisation, f"Systeem {number}").content.decode()

    response = make_key_on_the_page(client, organisation, "Zaaksysteem drie")

    body = response.content.decode()
    assert response.status_code == 200
    assert REFUSED_IN_DUTCH in body
    assert 'value="Zaaksysteem drie"' in body, "the form is kept"
    assert "api-key-secret" not in body
    assert ApiKey.objects.filter(organisation=organisation).count() == 2


def test_the_key_limit_is_per_person_and_ends_with_its_window(client, settings, clock, coordinator):
    limit(settings, "api_key_create", "1/h")
    organisation = coordinator.organisation
    client.force_login(coordinator.user)
    make_key_on_the_page(client, organisation, "Eerste")
    assert REFUSED_IN_DUTCH in make_key_on_the_page(client, organisation, "Tweede").content.decode()

    other = MembershipFactory(organisation=organisation, coordinator=True).user
    client.force_login(other)
    assert "api-key-secret" in make_key_on_the_page(client, organisation, "Van een collega").content.decode()

    client.force_login(coordinator.user)
    clock.advance(HOUR)
    assert "api-key-secret" in make_key_on_the_page(client, organisation, "Een uur later").content.decode()
    assert ApiKey.objects.filter(organisation=organisation).count() == 3


# -- webhooks --------------------------------------------------------------------------------------


def register_on_the_page(client, organisation, description):
    url = reverse("webhooks:create", kwargs={"slug": organisation.slug})
    return client.post(url, {"url": PUBLIC_URL, "description": description})


def test_a_webhook_over_the_limit_is_refused_on_the_page_and_none_is_registered(client, settings, clock, coordinator):
    limit(settings, "webhook_create", "2/h")
    organisation = coordinator.organisation
    client.force_login(coordinator.user)
    for number in range(2):
        assert register_on_the_page(client, organisation, f"Systeem {number}").status_code == 302

    response = register_on_the_page(client, organisation, "Zaaksysteem drie")

    body = response.content.decode()
    assert response.status_code == 200
    assert REFUSED_IN_DUTCH in body
    assert 'value="Zaaksysteem drie"' in body, "the form is kept"
    assert WebhookEndpoint.objects.filter(organisation=organisation).count() == 2


def test_the_webhook_limit_is_per_person_and_ends_with_its_window(client, settings, clock, coordinator):
    limit(settings, "webhook_create", "1/h")
    organisation = coordinator.organisation
    client.force_login(coordinator.user)
    assert register_on_the_page(client, organisation, "Eerste").status_code == 302
    assert register_on_the_page(client, organisation, "Tweede").status_code == 200

    client.force_login(MembershipFactory(organisation=organisation, coordinator=True).user)
    assert register_on_the_page(client, organisation, "Van een collega").status_code == 302

    client.force_login(coordinator.user)
    clock.advance(HOUR)
    assert register_on_the_page(client, organisation, "Een uur later").status_code == 302
    assert WebhookEndpoint.objects.filter(organisation=organisation).count() == 3
