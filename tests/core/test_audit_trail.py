"""The audit trail: facilitators read who changed what, when, on behalf of which organisation, and each
field before and after; nobody changes it, and nobody but facilitators reads it."""

import json
import secrets
from datetime import timedelta

import pghistory
import pytest
from django.apps import apps
from django.contrib.admin.utils import quote
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from initiatives.models import Initiative, InitiativeStatus, Theme
from samenorg.audit.reader import PER_PAGE, object_history
from samenorg.core.actors import Actor
from tests.factories import (
    ApiKeyFactory,
    InitiativeFactory,
    MembershipFactory,
    MunicipalOrganisationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db

TRAIL = "admin:audit_auditevent_changelist"
THEME_HISTORY = apps.get_model("initiatives", "ThemeHistory")


@pytest.fixture
def facilitator(client):
    user = UserFactory(facilitator=True, name="Fien Facilitator", email="fien@vng.nl")
    log_in_with_second_factor(client, user)
    return user


def history_url(obj) -> str:
    """The object's history, as the "History" button of its admin page leads to it."""
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[quote(obj.pk)])


def trail_object_url(obj) -> str:
    return reverse("admin:audit_auditevent_object", kwargs={"label": obj._meta.label_lower, "pk": obj.pk})


def entries(response) -> list:
    assert response.status_code == 200, response.content[:500]
    return response.context["entries"]


def changes(entry) -> dict[str, tuple[str, str]]:
    return {change.name: (change.before, change.after) for change in entry.changes}


def label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


STATUS_PUBLISHED = (str(InitiativeStatus.DRAFT.label), str(InitiativeStatus.PUBLISHED.label))


def test_a_members_change_through_a_service_shows_who_the_organisation_and_before_and_after(client, facilitator):
    utrecht = MunicipalOrganisationFactory(municipality__name="Utrecht")
    member = MembershipFactory(organisation=utrecht, user__name="Mila Lid", user__email="mila@utrecht.nl").user
    initiative = InitiativeFactory(owner=utrecht)
    author = Client()
    author.force_login(member)

    response = author.post(reverse("initiatives:publish", kwargs={"slug": initiative.slug}))

    assert response.status_code == 302
    newest = entries(client.get(history_url(initiative)))[0]
    assert newest.who == "Mila Lid <mila@utrecht.nl>"
    assert newest.organisation == "Gemeente Utrecht"
    assert newest.action == gettext("changed")
    assert changes(newest)[label(Initiative, "status")] == STATUS_PUBLISHED
    assert newest.url == reverse("initiatives:publish", kwargs={"slug": initiative.slug})
    page = client.get(history_url(initiative)).content.decode()
    assert "Mila Lid &lt;mila@utrecht.nl&gt;" in page
    assert "Gemeente Utrecht" in page


def test_the_creation_shows_what_was_filled_in_and_the_factory_write_shows_the_system(client, facilitator):
    initiative = InitiativeFactory(title="Afvalkalender")

    first = entries(client.get(history_url(initiative)))[-1]

    assert first.action == gettext("created")
    assert first.who == gettext("system")  # written outside any request, as a task or command would
    assert first.organisation == "—"
    assert changes(first)[label(Initiative, "title")] == ("—", "Afvalkalender")
    assert changes(first)[label(Initiative, "owner")] == ("—", str(initiative.owner))  # a reference by its name


def test_a_facilitators_change_in_the_admin_shows_the_facilitator_and_no_organisation(client, facilitator):
    theme = ThemeFactory(name="Wonen")

    response = client.post(
        reverse("admin:initiatives_theme_change", args=[theme.pk]),
        {"name": "Wonen en leefomgeving", "slug": theme.slug, "is_active": "on"},
    )

    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Wonen en leefomgeving"
    newest = entries(client.get(history_url(theme)))[0]
    assert newest.who == "Fien Facilitator <fien@vng.nl>"
    assert newest.organisation == "—"
    assert changes(newest)[label(Theme, "name")] == ("Wonen", "Wonen en leefomgeving")


def test_a_write_through_an_api_key_shows_the_key_and_its_organisation(client, facilitator):
    zwolle = MunicipalOrganisationFactory(municipality__name="Zwolle")
    secret = f"sok_{secrets.token_urlsafe(32)}"
    ApiKeyFactory(key=secret, organisation=zwolle, write=True)
    initiative = InitiativeFactory(owner=zwolle, summary="Lang verhaal.")

    response = Client().patch(
        f"/api/v1/initiatives/{initiative.slug}",
        json.dumps({"summary": "Korter."}),
        content_type="application/json",
        headers={"X-Api-Key": secret},
    )

    assert response.status_code == 200, response.content
    newest = entries(client.get(history_url(initiative)))[0]
    expected = gettext("API key %(prefix)s of %(organisation)s") % {"prefix": secret[:12], "organisation": zwolle}
    assert newest.who == expected
    assert newest.organisation == "Gemeente Zwolle"
    assert changes(newest)[label(Initiative, "summary")] == ("Lang verhaal.", "Korter.")


def test_a_service_run_outside_a_request_records_nothing_extra_and_shows_the_system(client, facilitator):
    """A task or command has no request: the organisation cannot be named, and nothing breaks."""
    from initiatives.services.initiative import initiative_publish

    membership = MembershipFactory()
    initiative = InitiativeFactory(owner=membership.organisation)

    initiative_publish(actor=Actor(organisation=membership.organisation, user=membership.user), initiative=initiative)

    newest = entries(client.get(history_url(initiative)))[0]
    assert newest.who == gettext("system")
    assert newest.organisation == "—"
    assert changes(newest)[label(Initiative, "status")] == STATUS_PUBLISHED


def test_a_deleted_object_keeps_its_history_in_the_trail(client, facilitator):
    theme = ThemeFactory(name="Tijdelijk")
    url = trail_object_url(theme)
    theme.delete()

    shown = entries(client.get(url))

    assert [entry.action for entry in shown] == [gettext("deleted"), gettext("created")]
    assert changes(shown[0])[label(Theme, "name")] == ("Tijdelijk", "—")


def test_a_history_page_costs_the_same_queries_for_one_change_as_for_a_full_page(
    client, facilitator, django_assert_num_queries
):
    short, long = InitiativeFactory(), InitiativeFactory()
    members = [MembershipFactory(organisation=organisation) for organisation in (short.owner, long.owner, long.owner)]
    for number, initiative in [(0, short), *((number, long) for number in range(PER_PAGE + 5))]:
        membership = members[number % 3] if initiative == long else members[0]
        # as a request of a member makes it: the middleware names the person, the service the organisation
        with pghistory.context(user=membership.user.pk, organisation=membership.organisation.pk):
            owner = members[number % 2].organisation if initiative == long else initiative.owner
            Initiative.objects.filter(pk=initiative.pk).update(summary=f"Versie {number}", owner=owner)

    # count, rows, the row before them; the people, the organisations, the names of the references (owner)
    with django_assert_num_queries(6):
        assert len(object_history(Initiative, short.pk, 1).entries) == 2
    with django_assert_num_queries(6):
        assert len(object_history(Initiative, long.pk, 1).entries) == PER_PAGE
    # and the page around it costs the same too
    client.get(history_url(short))
    with CaptureQueriesContext(connection) as for_short:
        entries(client.get(history_url(short)))
    with CaptureQueriesContext(connection) as for_long:
        assert len(entries(client.get(history_url(long)))) == PER_PAGE
    assert len(for_short) == len(for_long)
    assert len(entries(client.get(history_url(long) + "?p=2"))) == 6


class TestTheTrail:
    @pytest.fixture
    def changes_made(self, db):
        utrecht = MunicipalOrganisationFactory(municipality__name="Utrecht")
        zwolle = MunicipalOrganisationFactory(municipality__name="Zwolle")
        mila = MembershipFactory(organisation=utrecht, user__email="mila@utrecht.nl").user
        ze = MembershipFactory(organisation=zwolle, user__email="ze@zwolle.nl").user
        made = {
            "theme": ThemeFactory(name="Mobiliteit"),
            "utrecht": InitiativeFactory(owner=utrecht, title="Initiatief van Utrecht"),
            "zwolle": InitiativeFactory(owner=zwolle, title="Initiatief van Zwolle"),
        }
        # The requests come last: the test's one transaction would carry a request's context on.
        for who, key in ((mila, "utrecht"), (ze, "zwolle")):
            author = Client()
            author.force_login(who)
            author.post(reverse("initiatives:publish", kwargs={"slug": made[key].slug}))
        return made

    def listed(self, client, **params) -> list:
        response = client.get(reverse(TRAIL), params)
        assert response.status_code == 200
        return list(response.context["cl"].result_list)

    def test_lists_every_change_newest_first_with_a_link_to_the_objects_history(
        self, client, facilitator, changes_made
    ):
        rows = self.listed(client)
        times = [row.pgh_created_at for row in rows]
        assert times == sorted(times, reverse=True)
        assert {"initiatives.Initiative", "initiatives.Theme"} <= {row.pgh_obj_model for row in rows}
        page = client.get(reverse(TRAIL)).content.decode()
        assert trail_object_url(changes_made["theme"]) in page
        assert "Mobiliteit" in page

    def test_filters_by_kind_of_object(self, client, facilitator, changes_made):
        assert {row.pgh_obj_model for row in self.listed(client, model="initiatives.theme")} == {"initiatives.Theme"}

    def test_filters_by_person(self, client, facilitator, changes_made):
        rows = self.listed(client, user="MILA@utrecht.nl")
        assert rows
        assert {row.pgh_obj_id for row in rows} == {str(changes_made["utrecht"].pk)}
        assert {row.user.email for row in rows} == {"mila@utrecht.nl"}

    def test_filters_by_organisation(self, client, facilitator, changes_made):
        zwolle = changes_made["zwolle"].owner
        rows = self.listed(client, organisation=zwolle.pk)
        assert rows
        assert {row.organisation for row in rows} == {zwolle}

    def test_filters_by_period(self, client, facilitator, changes_made):
        today = timezone.localdate()
        assert self.listed(client, since=today.isoformat(), until=today.isoformat())
        assert not self.listed(client, since=(today + timedelta(days=1)).isoformat())
        assert not self.listed(client, until=(today - timedelta(days=1)).isoformat())

    def test_a_wrong_filter_is_explained_and_filters_nothing(self, client, facilitator, changes_made):
        today = timezone.localdate()
        response = client.get(reverse(TRAIL), {"since": today.isoformat(), "until": "2000-01-01"})
        assert response.status_code == 200
        assert gettext("The end of the period comes before its start.") in response.content.decode()
        assert len(response.context["cl"].result_list) == len(self.listed(client))
        assert client.get(reverse(TRAIL), {"model": "auth.group", "since": "gisteren"}).status_code == 200

    def test_one_change_leads_to_its_objects_history(self, client, facilitator, changes_made):
        row = self.listed(client, model="initiatives.theme")[0]
        response = client.get(reverse("admin:audit_auditevent_change", args=[quote(row.pk)]))
        assert response.status_code == 302
        assert response.url == trail_object_url(changes_made["theme"])


def event_slug(theme: Theme) -> str:
    return quote(f"initiatives.ThemeHistory:{THEME_HISTORY.objects.get(pgh_obj_id=theme.pk).pgh_id}")


@pytest.mark.parametrize(
    "url",
    [
        lambda theme: reverse("admin:audit_auditevent_add"),
        lambda theme: reverse("admin:audit_auditevent_change", args=[event_slug(theme)]),
        lambda theme: reverse("admin:audit_auditevent_delete", args=[event_slug(theme)]),
        lambda theme: reverse("admin:audit_auditevent_history", args=[event_slug(theme)]),
        history_url,
        trail_object_url,
    ],
    ids=["add", "change", "delete", "event history", "object history", "trail object history"],
)
def test_nothing_in_the_trail_can_be_written(client, facilitator, url):
    theme = ThemeFactory(name="Vast")
    before = list(THEME_HISTORY.objects.values())

    response = client.post(url(theme), {"post": "yes", "name": "Overschreven"})

    assert response.status_code in {403, 405}
    assert list(THEME_HISTORY.objects.values()) == before
    theme.refresh_from_db()
    assert theme.name == "Vast"


def test_the_trail_offers_no_add_button_and_no_actions(client, facilitator):
    ThemeFactory()
    response = client.get(reverse(TRAIL))
    assert response.context["has_add_permission"] is False
    assert response.context["action_form"] is None
    assert reverse("admin:audit_auditevent_add") not in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_people_outside_the_admin_are_sent_to_its_login(client, who):
    theme = ThemeFactory()
    if who == "member":
        client.force_login(MembershipFactory().user)
    for url in (reverse(TRAIL), history_url(theme), trail_object_url(theme)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response.url


def test_staff_who_are_not_facilitators_may_not_read_it(client):
    theme = ThemeFactory()
    staff = UserFactory(is_staff=True)
    staff.groups.clear()  # staff, but not in the facilitators' group
    log_in_with_second_factor(client, staff)
    for url in (reverse(TRAIL), history_url(theme), trail_object_url(theme)):
        assert client.get(url).status_code == 403


def test_only_tracked_models_have_a_trail_page(client, facilitator):
    assert (
        client.get(reverse("admin:audit_auditevent_object", kwargs={"label": "auth.group", "pk": 1})).status_code == 404
    )
    theme_url = reverse("admin:audit_auditevent_object", kwargs={"label": "initiatives.theme", "pk": "niet-een-getal"})
    assert client.get(theme_url).status_code == 404
