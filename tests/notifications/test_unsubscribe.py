"""One-click unsubscribe (RFC 8058): a signed link stops a follow or a digest without logging in; a page
for people, a POST for mail clients; a bad token changes nothing."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from collaboration.models import Follow
from collaboration.services.follow import follow
from samenorg.accounts.models import Frequency, User
from samenorg.notifications.recipients import recipients
from samenorg.notifications.unsubscribe import (
    SETTINGS_PATH,
    immediate_stream,
    list_unsubscribe_headers,
    unsubscribe_token,
)
from tests.factories import ParticipationFactory, ThemeFactory, UserFactory

from .fanout_world import follower_of, last_event, member_of, published_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_client():
    """A mail client or a person with no session: CSRF checks on, as for any stranger's POST."""
    return Client(enforce_csrf_checks=True)


def path_of(headers: dict) -> str:
    url = headers["List-Unsubscribe"].strip("<>")
    return url[url.index("/afmelden/") :]


def one_click(client: Client, path: str):
    return client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")


def frequency_of(user: User, **target) -> str:
    return Follow.objects.get(user=user, **target).frequency


def test_the_headers_name_an_https_url_and_one_click_post(settings):
    settings.SITE_URL = "https://samen.example"
    initiative = published_initiative(member_of())
    user = follower_of(initiative)

    headers = list_unsubscribe_headers(user, target=initiative)

    assert headers["List-Unsubscribe"].startswith("<https://samen.example/afmelden/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_one_click_post_without_login_or_csrf_token_stops_the_follow(mail_client):
    initiative = published_initiative(member_of())
    user = follower_of(initiative, Frequency.IMMEDIATELY)

    response = one_click(mail_client, path_of(list_unsubscribe_headers(user, target=initiative)))

    assert response.status_code == 200
    assert frequency_of(user, initiative=initiative) == Frequency.OFF
    assert one_click(mail_client, path_of(list_unsubscribe_headers(user, target=initiative))).status_code == 200


def test_the_page_asks_first_and_links_to_the_settings_and_a_get_changes_nothing(mail_client):
    initiative = published_initiative(member_of(), title="Wijkdashboard")
    user = follower_of(initiative, Frequency.IMMEDIATELY)
    path = path_of(list_unsubscribe_headers(user, target=initiative))

    response = mail_client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html
    assert 'id="unsubscribe-confirm"' in html
    assert f'href="{SETTINGS_PATH}"' in html
    assert "Wijkdashboard" in html
    assert frequency_of(user, initiative=initiative) == Frequency.IMMEDIATELY


def test_the_settings_path_is_that_of_the_settings_page():
    assert reverse("notifications:settings") == SETTINGS_PATH


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(":")[0], signing.dumps({"u": 1}).split(":")[0]),
        lambda token: signing.dumps({"u": 1, "f": "daily"}),  # signed, but not for unsubscribing
        lambda token: "nonsense",
    ],
    ids=["signature", "payload", "other-salt", "garbage"],
)
def test_a_tampered_token_is_refused_with_a_clear_page_and_changes_nothing(mail_client, tamper):
    initiative = published_initiative(member_of())
    user = follower_of(initiative, Frequency.IMMEDIATELY)
    path = reverse("notifications:unsubscribe", args=[tamper(unsubscribe_token(user, target=initiative))])

    for response in (mail_client.get(path), one_click(mail_client, path)):
        assert response.status_code == 400
        assert 'id="unsubscribe-confirm"' not in response.content.decode()
    assert frequency_of(user, initiative=initiative) == Frequency.IMMEDIATELY


def test_a_token_for_what_no_longer_exists_is_refused():
    initiative = published_initiative(member_of())
    user = follower_of(initiative)
    token = unsubscribe_token(user, target=initiative)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert Client().get(reverse("notifications:unsubscribe", args=[token])).status_code == 400


def test_a_digest_token_stops_every_follow_at_that_frequency_and_the_default_when_it_is_that(mail_client):
    initiative, other = published_initiative(member_of(), title="Een"), published_initiative(member_of(), title="Twee")
    theme = ThemeFactory()
    user = UserFactory(follow_frequency=Frequency.DAILY)
    follow(user=user, target=initiative, frequency=Frequency.DAILY)
    follow(user=user, target=theme, frequency=Frequency.DAILY)
    follow(user=user, target=other, frequency=Frequency.WEEKLY)

    response = one_click(mail_client, path_of(list_unsubscribe_headers(user, frequency=Frequency.DAILY)))

    assert response.status_code == 200
    assert frequency_of(user, initiative=initiative) == Frequency.OFF
    assert frequency_of(user, theme=theme) == Frequency.OFF
    assert frequency_of(user, initiative=other) == Frequency.WEEKLY
    assert User.objects.get(pk=user.pk).follow_frequency == Frequency.OFF


def test_a_digest_token_leaves_a_different_default_alone(mail_client):
    user = UserFactory(follow_frequency=Frequency.IMMEDIATELY)

    one_click(mail_client, path_of(list_unsubscribe_headers(user, frequency=Frequency.WEEKLY)))

    assert User.objects.get(pk=user.pk).follow_frequency == Frequency.IMMEDIATELY


def test_unsubscribing_from_an_initiative_followed_through_ones_organisation_is_an_opt_out(mail_client):
    anna = member_of()
    initiative = published_initiative(anna)
    partner = ParticipationFactory(initiative=initiative).organisation
    colleague = member_of(partner, follow_frequency=Frequency.IMMEDIATELY).user
    event = last_event("initiative.published")
    assert immediate_stream(colleague, event).target == initiative
    assert colleague.pk in {row.user_id for row in recipients(event)}

    one_click(mail_client, path_of(list_unsubscribe_headers(colleague, target=initiative)))

    assert frequency_of(colleague, initiative=initiative) == Frequency.OFF
    assert colleague.pk not in {row.user_id for row in recipients(event)}


def test_an_email_brought_by_a_theme_unsubscribes_from_the_theme_and_a_duty_from_everything_immediate():
    theme = ThemeFactory()
    anna = member_of()
    published_initiative(anna, themes=[theme])
    theme_follower = follower_of(theme, Frequency.IMMEDIATELY)
    facilitator = UserFactory(facilitator=True, follow_frequency=Frequency.IMMEDIATELY)
    event = last_event("initiative.published")

    assert immediate_stream(theme_follower, event).target == theme
    by_role = immediate_stream(facilitator, event)
    assert (by_role.target, by_role.frequency) == (None, Frequency.IMMEDIATELY)
