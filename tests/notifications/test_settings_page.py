"""The settings page: every follow with its frequency (those through an organisation too), and the default
for new ones. A change is one plain form; bad input is refused with a message and changes nothing."""

import pytest
from django.urls import reverse

from collaboration.models import Follow
from samenorg.accounts.models import Frequency
from tests.factories import (
    FollowFactory,
    InitiativeFactory,
    ParticipationFactory,
    StandardFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")


@pytest.fixture
def follows(utrecht):
    """Utrecht's member follows a theme and a standard, and (without a row) an initiative Utrecht takes part in."""
    user = utrecht.user
    theme = FollowFactory(user=user, theme=ThemeFactory(name="Klimaat en energie"), frequency=Frequency.WEEKLY).theme
    standard = FollowFactory(user=user, standard=StandardFactory(name="Open raadsinformatie")).standard
    taking_part = ParticipationFactory(organisation=utrecht.organisation, initiative__title="Warmtenet").initiative
    return {"theme": theme, "standard": standard, "initiative": taking_part}


def post(client, target, frequency):
    response = client.post(SETTINGS, {"target": target, "frequency": frequency}, follow=True)
    assert response.redirect_chain == [(SETTINGS, 302)]
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def rows(user):
    return set(Follow.objects.filter(user=user).values_list("theme_id", "standard_id", "initiative_id", "frequency"))


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    for response in (client.get(SETTINGS), client.post(SETTINGS, {"target": "default", "frequency": "daily"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_page_lists_every_follow_with_its_frequency_including_those_through_an_organisation(
    client, utrecht, follows
):
    client.force_login(utrecht.user)

    html = client.get(SETTINGS).content.decode()

    for kind, target in follows.items():
        assert f'value="{kind}:{target.pk}"' in html
        assert str(target) in html
    assert 'id="follow-theme-{}-frequency"'.format(follows["theme"].pk) in html
    theme_select = html[html.index(f'id="follow-theme-{follows["theme"].pk}-frequency"') :]
    assert theme_select.index('value="weekly" selected') < theme_select.index("</select>")
    assert "Gemeente Utrecht" in html  # the initiative is followed via the organisation


def test_changing_a_follows_frequency_stores_it(client, utrecht, follows):
    client.force_login(utrecht.user)

    messages = post(client, f"theme:{follows['theme'].pk}", "immediately")

    assert Follow.objects.get(user=utrecht.user, theme=follows["theme"]).frequency == Frequency.IMMEDIATELY
    assert [level for level, _text in messages] == ["success"]
    assert "Klimaat en energie" in messages[0][1]


def test_changing_a_follow_through_an_organisation_stores_the_persons_own_row(client, utrecht, follows):
    client.force_login(utrecht.user)
    assert not Follow.objects.filter(user=utrecht.user, initiative=follows["initiative"]).exists()

    post(client, f"initiative:{follows['initiative'].pk}", "off")

    assert Follow.objects.get(user=utrecht.user, initiative=follows["initiative"]).frequency == Frequency.OFF
    utrecht.user.refresh_from_db()
    assert utrecht.user.follow_frequency == Frequency.DAILY  # the default stays


def test_changing_the_default_frequency_stores_it_on_the_person(client, utrecht, follows):
    client.force_login(utrecht.user)
    before = rows(utrecht.user)

    messages = post(client, "default", "weekly")

    utrecht.user.refresh_from_db()
    assert utrecht.user.follow_frequency == Frequency.WEEKLY
    assert rows(utrecht.user) == before
    assert [level for level, _text in messages] == ["success"]
    assert (
        'value="weekly" selected' in client.get(SETTINGS).content.decode().split('id="settings-default-frequency"')[1]
    )


@pytest.mark.parametrize("frequency", ["hourly", "", "DAILY"])
def test_an_unknown_frequency_is_refused_and_changes_nothing(client, utrecht, follows, frequency):
    client.force_login(utrecht.user)
    before = rows(utrecht.user)

    for target in (f"theme:{follows['theme'].pk}", "default"):
        messages = post(client, target, frequency)
        assert [level for level, _text in messages] == ["error"]

    assert rows(utrecht.user) == before
    utrecht.user.refresh_from_db()
    assert utrecht.user.follow_frequency == Frequency.DAILY


def test_a_target_one_may_not_see_or_does_not_follow_is_refused_and_changes_nothing(client, utrecht, zwolle, follows):
    someone_elses_draft = InitiativeFactory(owner=zwolle.organisation)
    FollowFactory(user=zwolle.user, initiative=someone_elses_draft)
    not_followed = ThemeFactory(name="Sociaal domein")
    client.force_login(utrecht.user)
    before = rows(utrecht.user)

    for target in (
        f"initiative:{someone_elses_draft.pk}",
        f"theme:{not_followed.pk}",
        f"standard:{follows['standard'].pk + 1000}",
        "organisation:1",
        "theme:abc",
        "",
    ):
        messages = post(client, target, "daily")
        assert [level for level, _text in messages] == ["error"], target

    assert rows(utrecht.user) == before
    assert Follow.objects.get(user=zwolle.user, initiative=someone_elses_draft).frequency == Frequency.DAILY


def test_the_settings_page_costs_the_same_queries_for_few_or_many_follows(
    client, utrecht, follows, django_assert_max_num_queries
):
    client.force_login(utrecht.user)
    with django_assert_max_num_queries(8) as few:
        client.get(SETTINGS)
    for number in range(20):
        FollowFactory(user=utrecht.user, theme=ThemeFactory(name=f"Thema {number}"))
        ParticipationFactory(organisation=utrecht.organisation)

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(SETTINGS).content.decode()
    assert html.count('name="target"') == 1 + 3 + 40
