"""Following initiatives, standards, themes and municipalities: the rows, the followers derived from
taking part, the pages, and privacy (nobody sees what someone else follows)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Follow, ParticipationStatus
from collaboration.selectors_follow import initiative_followers, standard_followers, user_follows
from collaboration.services.follow import follow, follow_set_frequency, unfollow
from initiatives.models import CollaborationRole
from samenorg.accounts.models import Frequency
from samenorg.events.models import Event
from standards.models import Standard, StandardStatus
from tests.factories import (
    FollowFactory,
    InitiativeFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalOrganisationFactory,
    OrganisationFactory,
    ParticipationFactory,
    StandardFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def followers(initiative) -> dict:
    return {user.email: user.frequency for user in initiative_followers(initiative)}


@pytest.fixture
def initiative():
    initiative = InitiativeFactory(published=True, owner__municipality__name="Zwolle")
    ParticipationFactory(initiative=initiative, organisation=initiative.owner, role=CollaborationRole.INITIATOR)
    return initiative


@pytest.fixture
def partner_member(initiative):
    """A member of a partner taking part in ``initiative``, with the default "daily"."""
    participation = ParticipationFactory(initiative=initiative, organisation=OrganisationFactory(name="Open Stad"))
    return MembershipFactory(organisation=participation.organisation).user


# The rows ---------------------------------------------------------------------------------------


def test_the_database_refuses_a_follow_of_nothing():
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=UserFactory(), frequency=Frequency.DAILY)


def test_the_database_refuses_a_follow_of_two_things(initiative):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(
            user=UserFactory(), initiative=initiative, theme=ThemeFactory(), frequency=Frequency.DAILY
        )


def test_the_database_refuses_following_the_same_thing_twice(initiative):
    user = UserFactory()
    FollowFactory(user=user, initiative=initiative)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowFactory(user=user, initiative=initiative)


def test_each_follow_keeps_its_own_frequency(initiative):
    user = UserFactory()
    theme, municipality = ThemeFactory(), MunicipalityFactory()
    follow(user=user, target=initiative, frequency=Frequency.IMMEDIATELY)
    follow(user=user, target=theme, frequency=Frequency.WEEKLY)
    follow(user=user, target=municipality)

    follow_set_frequency(user=user, target=theme, frequency=Frequency.DAILY)

    stored = {(row.initiative_id, row.theme_id, row.municipality_id): row.frequency for row in user.follows.all()}
    assert stored == {
        (initiative.pk, None, None): Frequency.IMMEDIATELY,
        (None, theme.pk, None): Frequency.DAILY,
        (None, None, municipality.pk): Frequency.DAILY,
    }


def test_a_new_follow_takes_the_frequency_from_the_users_settings(initiative):
    user = UserFactory(follow_frequency=Frequency.WEEKLY)

    follow(user=user, target=initiative)

    assert user.follows.get().frequency == Frequency.WEEKLY


def test_a_default_of_off_still_makes_a_click_on_follow_follow(initiative):
    user = UserFactory(follow_frequency=Frequency.OFF)

    follow(user=user, target=initiative)

    assert user.follows.get().frequency == Frequency.DAILY


def test_the_default_set_in_the_profile_is_what_a_new_follow_takes(client, initiative):
    user = UserFactory()
    client.force_login(user)

    client.post(
        reverse("accounts:profile"),
        {"name": user.name, "job_title": "", "language": "nl", "follow_frequency": "immediately"},
    )
    client.post(reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug}), {"action": "follow"})

    user.refresh_from_db()
    assert user.follow_frequency == Frequency.IMMEDIATELY
    assert user.follows.get(initiative=initiative).frequency == Frequency.IMMEDIATELY


def test_the_profile_form_without_the_frequency_keeps_the_setting(client):
    user = UserFactory(follow_frequency=Frequency.WEEKLY)
    client.force_login(user)

    client.post(reverse("accounts:profile"), {"name": user.name, "job_title": "", "language": "nl"})

    user.refresh_from_db()
    assert user.follow_frequency == Frequency.WEEKLY


def test_following_again_changes_nothing_unless_a_frequency_is_given(initiative):
    user = UserFactory()
    first = follow(user=user, target=initiative, frequency=Frequency.WEEKLY)

    again = follow(user=user, target=initiative)
    assert (again.pk, again.frequency) == (first.pk, Frequency.WEEKLY)

    follow(user=user, target=initiative, frequency=Frequency.IMMEDIATELY)
    assert user.follows.get().frequency == Frequency.IMMEDIATELY


def test_unfollowing_removes_the_row(initiative):
    user = UserFactory()
    follow(user=user, target=initiative)

    unfollow(user=user, target=initiative)
    unfollow(user=user, target=initiative)

    assert not Follow.objects.exists()


def test_a_frequency_for_what_one_does_not_follow_is_refused(initiative):
    with pytest.raises(ValidationError):
        follow_set_frequency(user=UserFactory(), target=initiative, frequency=Frequency.WEEKLY)
    assert not Follow.objects.exists()


@pytest.mark.parametrize("frequency", ["hourly", Frequency.OFF])
def test_following_at_a_frequency_that_is_not_one_is_refused(initiative, frequency):
    with pytest.raises(ValidationError):
        follow(user=UserFactory(), target=initiative, frequency=frequency)
    assert not Follow.objects.exists()


def test_a_draft_cannot_be_followed_by_who_may_not_see_it():
    draft = InitiativeFactory()
    with pytest.raises(PermissionDenied):
        follow(user=UserFactory(), target=draft)

    editor = MembershipFactory(organisation=draft.owner).user
    follow(user=editor, target=draft)
    assert editor.follows.get().initiative == draft


def test_a_theme_no_longer_in_use_cannot_be_followed_but_can_be_left():
    theme = ThemeFactory()
    user = UserFactory()
    follow(user=user, target=theme)
    theme.is_active = False
    theme.save()

    with pytest.raises(ValidationError):
        follow(user=UserFactory(), target=theme)
    unfollow(user=user, target=theme)
    assert not Follow.objects.exists()


def test_a_merged_municipality_cannot_be_followed():
    successor = MunicipalityFactory(name="Nieuwegemeente")
    merged = MunicipalityFactory(dissolved_on=timezone.localdate(), successor=successor)

    with pytest.raises(ValidationError, match="Nieuwegemeente"):
        follow(user=UserFactory(), target=merged)


def test_following_records_no_event(initiative, partner_member):
    before = Event.objects.count()
    user = UserFactory()
    follow(user=user, target=initiative)
    follow_set_frequency(user=user, target=initiative, frequency=Frequency.WEEKLY)
    unfollow(user=user, target=initiative)
    unfollow(user=partner_member, target=initiative)
    assert Event.objects.count() == before


# Who follows an initiative ----------------------------------------------------------------------


def test_members_of_participating_organisations_follow_without_a_row(initiative, partner_member):
    owner_member = MembershipFactory(organisation=initiative.owner, user__follow_frequency=Frequency.WEEKLY).user

    assert followers(initiative) == {partner_member.email: Frequency.DAILY, owner_member.email: Frequency.WEEKLY}
    assert not Follow.objects.exists()


def test_an_organisation_that_only_asked_to_join_brings_no_followers(initiative):
    participation = ParticipationFactory(initiative=initiative, requested=True)
    MembershipFactory(organisation=participation.organisation)

    assert followers(initiative) == {}


def test_leaving_stops_it(initiative, partner_member):
    participation = partner_member.memberships.get().organisation.participations.get()
    participation.status = ParticipationStatus.LEFT
    participation.ended_at = timezone.now()
    participation.save()

    assert followers(initiative) == {}
    assert user_follows(partner_member) == []


def test_leaving_the_organisation_stops_it(initiative, partner_member):
    partner_member.memberships.all().delete()

    assert followers(initiative) == {}


def test_a_member_who_unfollows_keeps_a_row_saying_off(initiative, partner_member):
    unfollow(user=partner_member, target=initiative)

    assert partner_member.follows.get().frequency == Frequency.OFF
    assert followers(initiative) == {}


def test_the_opt_out_silences_the_initiative_even_through_a_followed_theme(initiative, partner_member):
    theme = ThemeFactory()
    initiative.themes.add(theme)
    follow(user=partner_member, target=theme, frequency=Frequency.IMMEDIATELY)
    unfollow(user=partner_member, target=initiative)

    assert followers(initiative) == {}


def test_following_again_after_the_opt_out_follows_through_the_organisation_again(initiative, partner_member):
    unfollow(user=partner_member, target=initiative)

    assert follow(user=partner_member, target=initiative) is None
    assert not Follow.objects.exists()
    assert followers(initiative) == {partner_member.email: Frequency.DAILY}


def test_a_member_sets_their_own_frequency_for_the_initiative(initiative, partner_member):
    follow_set_frequency(user=partner_member, target=initiative, frequency=Frequency.IMMEDIATELY)

    assert followers(initiative) == {partner_member.email: Frequency.IMMEDIATELY}


def test_a_member_whose_default_is_off_follows_nothing_through_the_organisation(initiative):
    MembershipFactory(organisation=initiative.owner, user__follow_frequency=Frequency.OFF)

    assert followers(initiative) == {}


def test_followers_of_its_themes_and_of_the_owners_municipality_follow_it(initiative):
    theme, other_theme = ThemeFactory(), ThemeFactory()
    initiative.themes.add(theme)
    by_theme = FollowFactory(theme=theme, frequency=Frequency.WEEKLY).user
    by_municipality = FollowFactory(municipality=initiative.owner.municipality, frequency=Frequency.IMMEDIATELY).user
    FollowFactory(theme=other_theme, frequency=Frequency.IMMEDIATELY)
    FollowFactory(municipality=MunicipalityFactory(), frequency=Frequency.IMMEDIATELY)
    FollowFactory(theme=theme, frequency=Frequency.OFF)

    assert followers(initiative) == {by_theme.email: Frequency.WEEKLY, by_municipality.email: Frequency.IMMEDIATELY}


def test_whoever_matches_several_ways_hears_at_the_most_frequent(initiative, partner_member):
    first, second = ThemeFactory(), ThemeFactory()
    initiative.themes.add(first, second)
    FollowFactory(user=partner_member, theme=first, frequency=Frequency.WEEKLY)
    FollowFactory(user=partner_member, theme=second, frequency=Frequency.IMMEDIATELY)
    weekly_reader = UserFactory()
    FollowFactory(user=weekly_reader, initiative=initiative, frequency=Frequency.WEEKLY)
    FollowFactory(user=weekly_reader, municipality=initiative.owner.municipality, frequency=Frequency.DAILY)

    assert followers(initiative) == {partner_member.email: Frequency.IMMEDIATELY, weekly_reader.email: Frequency.DAILY}


def test_deactivated_accounts_follow_nothing(initiative, partner_member):
    reader = FollowFactory(initiative=initiative).user
    for user in (reader, partner_member):
        user.is_active = False
        user.save()

    assert followers(initiative) == {}


def test_a_drafts_followers_are_only_who_may_see_it():
    draft = InitiativeFactory()
    theme = ThemeFactory()
    draft.themes.add(theme)
    editor = MembershipFactory(organisation=draft.owner).user
    FollowFactory(user=editor, theme=theme)
    FollowFactory(theme=theme)
    FollowFactory(municipality=draft.owner.municipality)

    assert followers(draft) == {editor.email: Frequency.DAILY}


def test_the_followers_are_one_query(django_assert_num_queries, initiative, partner_member):
    theme = ThemeFactory()
    initiative.themes.add(theme)
    for _ in range(3):
        FollowFactory(theme=theme)
        FollowFactory(initiative=initiative)
        MembershipFactory(organisation=initiative.owner)

    with django_assert_num_queries(1):
        assert len(followers(initiative)) == 10


# "My follows" -----------------------------------------------------------------------------------


def test_my_follows_lists_rows_and_initiatives_followed_through_an_organisation(initiative, partner_member):
    theme = ThemeFactory(name="Dienstverlening")
    follow(user=partner_member, target=theme, frequency=Frequency.WEEKLY)
    other = InitiativeFactory(published=True)
    follow(user=partner_member, target=other, frequency=Frequency.IMMEDIATELY)

    entries = {(entry.kind, entry.target.pk): entry for entry in user_follows(partner_member)}

    assert set(entries) == {("initiative", initiative.pk), ("initiative", other.pk), ("theme", theme.pk)}
    derived = entries[("initiative", initiative.pk)]
    assert (derived.frequency, [org.name for org in derived.via]) == (Frequency.DAILY, ["Open Stad"])
    assert entries[("initiative", other.pk)].via == []
    assert entries[("theme", theme.pk)].frequency == Frequency.WEEKLY


def test_the_overview_shows_my_follows_through_my_organisation(client, initiative, partner_member):
    client.force_login(partner_member)

    page = client.get(reverse("accounts:overview")).content.decode()

    assert "Wat ik volg" in page
    assert initiative.title in page
    assert "via Open Stad" in page


def test_the_overview_costs_the_same_queries_for_one_or_many_follows(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:overview")).status_code == 200
        return len(queries)

    follow(user=user, target=ThemeFactory())
    participation = ParticipationFactory()
    MembershipFactory(user=user, organisation=participation.organisation)
    one = count_queries()
    for _ in range(4):
        follow(user=user, target=ThemeFactory())
        follow(user=user, target=InitiativeFactory(published=True))
        follow(user=user, target=MunicipalityFactory())
        ParticipationFactory(organisation=participation.organisation)

    assert len(user_follows(user)) == 18
    assert count_queries() == one


# Pages ------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, initiative):
    url = reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug})

    response = client.post(url, {"action": "follow"})

    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "follow-initiative",
        "follow-initiative-frequency",
        "follow-theme-frequency",
        "follow-municipality",
        "follow-standard",
        "follow-standard-frequency",
    ],
)
def test_the_actions_answer_only_a_post(client, initiative, name):
    slug = {
        "initiative": initiative.slug,
        "theme": ThemeFactory().slug,
        "municipality": initiative.owner.slug,
        "standard": StandardFactory().slug,
    }
    client.force_login(UserFactory())

    response = client.get(reverse(f"collaboration:{name}", kwargs={"slug": slug[name.split("-")[1]]}))

    assert response.status_code == 405


def test_a_draft_one_may_not_see_is_not_found(client):
    draft = InitiativeFactory()
    client.force_login(UserFactory())

    for name in ("follow-initiative", "follow-initiative-frequency"):
        response = client.post(
            reverse(f"collaboration:{name}", kwargs={"slug": draft.slug}), {"action": "follow", "frequency": "daily"}
        )
        assert response.status_code == 404
    assert not Follow.objects.exists()


def test_following_from_the_initiative_page_and_back(client, initiative):
    user = UserFactory()
    client.force_login(user)
    url = reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug})

    page = client.get(initiative.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page

    response = client.post(url, {"action": "follow", "frequency": "weekly", "next": initiative.get_absolute_url()})
    assert response.status_code == 302
    assert response.url == initiative.get_absolute_url()
    assert user.follows.get().frequency == Frequency.WEEKLY

    page = client.get(response.url).content.decode()
    assert f"Je volgt {initiative.title} nu." in page
    assert "Je volgt dit." in page
    assert "Niet meer volgen" in page

    client.post(url, {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_a_double_submit_of_follow_does_not_undo_it(client, initiative):
    user = UserFactory()
    client.force_login(user)
    url = reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug})

    client.post(url, {"action": "follow"})
    client.post(url, {"action": "follow"})

    assert user.follows.count() == 1


def test_the_initiative_page_says_when_one_follows_through_an_organisation(client, initiative, partner_member):
    client.force_login(partner_member)

    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Je volgt dit via Open Stad." in page

    client.post(reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug}), {"action": "unfollow"})
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Je bent gestopt met volgen; via Open Stad zou je dit volgen." in page
    assert "Weer volgen" in page


def test_anonymous_visitors_see_a_link_to_log_in_to_follow(client, initiative):
    page = client.get(initiative.get_absolute_url()).content.decode()

    assert "Log in om te volgen" in page
    assert reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug}) not in page


def test_the_frequency_changes_from_my_overview(client, initiative):
    user = UserFactory()
    follow(user=user, target=initiative)
    client.force_login(user)
    overview = reverse("accounts:overview")

    response = client.post(
        reverse("collaboration:follow-initiative-frequency", kwargs={"slug": initiative.slug}),
        {"frequency": "immediately", "next": overview},
    )

    assert response.url == overview
    assert user.follows.get().frequency == Frequency.IMMEDIATELY


def test_a_refused_frequency_shows_a_message_and_changes_nothing(client, initiative):
    user = UserFactory()
    follow(user=user, target=initiative, frequency=Frequency.WEEKLY)
    client.force_login(user)

    response = client.post(
        reverse("collaboration:follow-initiative-frequency", kwargs={"slug": initiative.slug}),
        {"frequency": "hourly"},
        follow=True,
    )

    assert "Kies hoe vaak je erover wilt horen." in response.content.decode()
    assert user.follows.get().frequency == Frequency.WEEKLY


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "http://testserver.evil/"]
)
def test_only_a_safe_next_is_followed(client, initiative, next_url):
    client.force_login(UserFactory())

    response = client.post(
        reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug}),
        {"action": "follow", "next": next_url},
    )

    assert response.url == initiative.get_absolute_url()


def test_htmx_gets_the_toggle_back(client, initiative):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("collaboration:follow-initiative", kwargs={"slug": initiative.slug}),
        {"action": "follow", "next": initiative.get_absolute_url()},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div class="samenorg-follow" id="follow-initiative-')
    assert f"Je volgt {initiative.title} nu." in content
    assert "Niet meer volgen" in content
    assert f'name="next" value="{initiative.get_absolute_url()}"' in content
    assert "<html" not in content


def test_following_a_municipality_from_its_page(client):
    organisation = MunicipalOrganisationFactory(municipality__name="Houten")
    user = UserFactory()
    client.force_login(user)
    page_url = organisation.municipality.get_absolute_url()

    assert "Volgen" in client.get(page_url).content.decode()
    response = client.post(
        reverse("collaboration:follow-municipality", kwargs={"slug": organisation.municipality.slug}),
        {"action": "follow", "frequency": "weekly"},
    )

    assert response.url == page_url
    assert user.follows.get().municipality == organisation.municipality
    assert "Je volgt dit." in client.get(page_url).content.decode()


def test_the_themes_page_lists_active_themes_with_links_and_toggles(client):
    theme = ThemeFactory(name="Klimaatadaptatie")
    retired = ThemeFactory(name="Oud thema", is_active=False)
    InitiativeFactory(published=True).themes.add(theme)
    InitiativeFactory().themes.add(theme)  # a draft does not count

    page = client.get(reverse("collaboration:themes")).content.decode()
    assert f'href="{reverse("initiatives:list")}?theme={theme.slug}"' in page
    assert "1 gepubliceerd initiatief" in page
    assert retired.name not in page
    assert "Log in om thema's te volgen" in page

    user = UserFactory()
    client.force_login(user)
    client.post(reverse("collaboration:follow-theme", kwargs={"slug": theme.slug}), {"action": "follow"})
    page = client.get(reverse("collaboration:themes")).content.decode()
    assert user.follows.get().theme == theme
    assert "Je volgt dit." in page


def test_the_main_navigation_links_to_the_themes(client):
    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("collaboration:themes")}"' in page


def test_the_themes_page_costs_the_same_queries_for_few_or_many_follows(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("collaboration:themes"))
    for theme in [ThemeFactory() for _ in range(5)]:
        follow(user=user, target=theme)

    with django_assert_max_num_queries(8):
        client.get(reverse("collaboration:themes"))


# Privacy ----------------------------------------------------------------------------------------


def test_nobody_sees_what_someone_else_follows(client, initiative, partner_member):
    theme = ThemeFactory(name="Privacy en data-ethiek")
    initiative.themes.add(theme)
    standard = StandardFactory(name="Zaakgericht werken")
    follower = UserFactory()
    for target in (initiative, theme, initiative.owner.municipality, standard):
        follow(user=follower, target=target, frequency=Frequency.IMMEDIATELY)
    unfollow(user=partner_member, target=initiative)
    someone_else = UserFactory()
    client.force_login(someone_else)

    pages = [
        client.get(url).content.decode()
        for url in (
            initiative.get_absolute_url(),
            reverse("collaboration:themes"),
            initiative.owner.get_absolute_url(),
            standard.get_absolute_url(),
            reverse("accounts:overview"),
        )
    ]

    for page in pages:
        assert "Je volgt dit" not in page
        assert "Je bent gestopt met volgen" not in page
        assert follower.name not in page
        assert follower.email not in page
        assert partner_member.name not in page
    assert user_follows(someone_else) == []
    assert "Je volgt nog niets." in pages[-1]


# Demo -------------------------------------------------------------------------------------------


def test_the_demo_follows_vary_and_a_second_run_changes_nothing(municipalities):
    from django.core.management import call_command

    from collaboration.demo.follows import seed_demo_follows
    from standards.demo import seed_demo_standard_follows

    columns = ("user__email", "initiative", "theme", "municipality", "standard", "frequency")
    call_command("seed_demo")
    rows = set(Follow.objects.values_list(*columns))
    seed_demo_follows()
    seed_demo_standard_follows()

    assert set(Follow.objects.values_list(*columns)) == rows
    kinds = {
        ("initiative" if i else "theme" if t else "municipality" if m else "standard") for _, i, t, m, _, _ in rows
    }
    assert kinds == {"initiative", "theme", "municipality", "standard"}
    assert {frequency for *_, frequency in rows} == {"immediately", "daily", "weekly", "off"}


# Standards --------------------------------------------------------------------------------------


@pytest.fixture
def standard():
    return StandardFactory(name="Zaakgericht werken")


def withdrawn(standard):
    standard.status = StandardStatus.WITHDRAWN
    standard.save()
    return standard


def test_a_standard_is_followed_at_its_own_frequency_and_unfollowed(standard):
    user = UserFactory(follow_frequency=Frequency.WEEKLY)

    follow(user=user, target=standard)
    assert user.follows.get(standard=standard).frequency == Frequency.WEEKLY

    follow_set_frequency(user=user, target=standard, frequency=Frequency.IMMEDIATELY)
    assert user.follows.get(standard=standard).frequency == Frequency.IMMEDIATELY

    unfollow(user=user, target=standard)
    assert not Follow.objects.exists()


def test_a_withdrawn_standard_cannot_be_followed_but_can_be_unfollowed(standard):
    user = UserFactory()
    follow(user=user, target=standard)
    withdrawn(standard)

    with pytest.raises(ValidationError) as refused:
        follow(user=UserFactory(), target=standard)
    assert refused.value.messages == [
        "De standaard Zaakgericht werken is ingetrokken: er komen geen nieuwe versies meer, "
        "dus je kunt hem niet meer volgen."
    ]
    follow_set_frequency(user=user, target=standard, frequency=Frequency.WEEKLY)
    unfollow(user=user, target=standard)
    assert not Follow.objects.exists()


def test_a_standard_withdrawn_since_the_page_was_loaded_is_still_refused(standard):
    stale = Standard.objects.get(pk=standard.pk)
    withdrawn(standard)

    with pytest.raises(ValidationError):
        follow(user=UserFactory(), target=stale)
    assert not Follow.objects.exists()


def test_following_a_standard_records_no_event(standard):
    before = Event.objects.count()
    user = UserFactory()
    follow(user=user, target=standard)
    follow_set_frequency(user=user, target=standard, frequency=Frequency.WEEKLY)
    unfollow(user=user, target=standard)
    assert Event.objects.count() == before


def test_my_follows_lists_a_followed_standard_with_its_frequency_after_initiatives(initiative, standard):
    user = UserFactory()
    follow(user=user, target=MunicipalityFactory(name="Houten"), frequency=Frequency.DAILY)
    follow(user=user, target=ThemeFactory(name="Archief"), frequency=Frequency.DAILY)
    follow(user=user, target=standard, frequency=Frequency.WEEKLY)
    follow(user=user, target=initiative, frequency=Frequency.IMMEDIATELY)

    entries = user_follows(user)

    assert [entry.kind for entry in entries] == ["initiative", "standard", "theme", "municipality"]
    assert (entries[1].target, entries[1].frequency, entries[1].via) == (standard, Frequency.WEEKLY, [])


def test_the_standards_followers_are_the_active_users_who_follow_it(django_assert_num_queries, standard):
    theme = ThemeFactory()
    standard.themes.add(theme)
    at_once = FollowFactory(standard=standard, frequency=Frequency.IMMEDIATELY).user
    weekly = FollowFactory(standard=standard, frequency=Frequency.WEEKLY).user
    FollowFactory(standard=standard, frequency=Frequency.OFF)
    FollowFactory(standard=StandardFactory(), frequency=Frequency.IMMEDIATELY)
    FollowFactory(theme=theme, frequency=Frequency.IMMEDIATELY)  # a theme brings its initiatives, not standards
    gone = FollowFactory(standard=standard, frequency=Frequency.DAILY).user
    gone.is_active = False
    gone.save()
    FollowFactory(user=weekly, theme=theme, frequency=Frequency.DAILY)  # no second row for a second follow

    with django_assert_num_queries(1):
        found = {user.email: user.frequency for user in standard_followers(standard)}

    assert found == {at_once.email: Frequency.IMMEDIATELY, weekly.email: Frequency.WEEKLY}


def test_a_withdrawn_standard_keeps_its_followers(standard):
    reader = FollowFactory(standard=standard, frequency=Frequency.DAILY).user
    withdrawn(standard)

    assert [user.email for user in standard_followers(standard)] == [reader.email]


def test_following_a_standard_from_its_page_and_back(client, standard):
    user = UserFactory()
    client.force_login(user)
    url = reverse("collaboration:follow-standard", kwargs={"slug": standard.slug})
    page_url = standard.get_absolute_url()

    assert f'action="{url}"' in client.get(page_url).content.decode()
    response = client.post(url, {"action": "follow", "frequency": "weekly"})
    assert response.url == page_url
    assert user.follows.get(standard=standard).frequency == Frequency.WEEKLY

    page = client.get(page_url).content.decode()
    assert "Je volgt Zaakgericht werken nu." in page
    assert "Je volgt dit." in page

    client.post(
        reverse("collaboration:follow-standard-frequency", kwargs={"slug": standard.slug}),
        {"frequency": "immediately", "next": page_url},
    )
    assert user.follows.get(standard=standard).frequency == Frequency.IMMEDIATELY

    client.post(url, {"action": "unfollow", "next": page_url})
    assert not Follow.objects.exists()


def test_htmx_gets_the_standards_toggle_back(client, standard):
    client.force_login(UserFactory())

    response = client.post(
        reverse("collaboration:follow-standard", kwargs={"slug": standard.slug}),
        {"action": "follow", "next": standard.get_absolute_url()},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert content.lstrip().startswith(f'<div class="samenorg-follow" id="follow-standard-{standard.pk}"')
    assert "Je volgt Zaakgericht werken nu." in content
    assert "<html" not in content


def test_anonymous_visitors_of_a_standard_see_a_link_to_log_in_to_follow(client, standard):
    page = client.get(standard.get_absolute_url()).content.decode()

    assert "Volg deze standaard om te horen over nieuwe versies." in page
    assert "Log in om te volgen" in page
    assert reverse("collaboration:follow-standard", kwargs={"slug": standard.slug}) not in page


def test_anonymous_visitors_cannot_follow_a_standard(client, standard):
    response = client.post(
        reverse("collaboration:follow-standard", kwargs={"slug": standard.slug}), {"action": "follow"}
    )

    assert reverse("account_login") in response.url
    assert not Follow.objects.exists()


def test_an_unknown_standard_is_not_found(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("collaboration:follow-standard", kwargs={"slug": "bestaat-niet"}), {"action": "follow"}
    )

    assert response.status_code == 404


def test_a_withdrawn_standards_page_offers_only_stopping(client, standard):
    reader = UserFactory()
    follow(user=reader, target=standard)
    withdrawn(standard)
    url = reverse("collaboration:follow-standard", kwargs={"slug": standard.slug})

    for visitor in (None, UserFactory()):
        client.logout()
        if visitor:
            client.force_login(visitor)
        page = client.get(standard.get_absolute_url()).content.decode()
        assert url not in page
        assert "Log in om te volgen" not in page

    client.force_login(reader)
    page = client.get(standard.get_absolute_url()).content.decode()
    assert "Niet meer volgen" in page


def test_following_a_withdrawn_standard_shows_why_and_changes_nothing(client, standard):
    withdrawn(standard)
    client.force_login(UserFactory())

    response = client.post(
        reverse("collaboration:follow-standard", kwargs={"slug": standard.slug}), {"action": "follow"}, follow=True
    )

    assert "De standaard Zaakgericht werken is ingetrokken" in response.content.decode()
    assert not Follow.objects.exists()


def test_the_overview_lists_a_followed_standard(client, standard):
    user = UserFactory()
    follow(user=user, target=standard, frequency=Frequency.WEEKLY)
    client.force_login(user)

    page = client.get(reverse("accounts:overview")).content.decode()

    assert f'href="{standard.get_absolute_url()}">Zaakgericht werken</a>' in page
    assert '<td class="utrecht-table__cell">standaard</td>' in page
    assert reverse("collaboration:follow-standard-frequency", kwargs={"slug": standard.slug}) in page


def test_the_standard_page_costs_the_same_queries_whether_one_follows_it_or_not(client, standard):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(standard.get_absolute_url()).status_code == 200
        return len(queries)

    user = UserFactory()
    client.force_login(user)
    count_queries()  # the map is built and cached once
    before = count_queries()
    follow(user=user, target=standard)

    assert count_queries() == before
