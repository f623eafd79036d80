"""The cached initiative list: exact after every kind of write (the database keeps a data version that
every write changes as it commits), never shared between visitors who see different rows, cheaper when
warm, and read through the indexes meant for it."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives import search
from initiatives.filtersets import InitiativeFilterSet
from initiatives.models import Initiative, InitiativeStatus
from initiatives.services.initiative import initiative_publish
from samenorg.core.actors import Actor
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalOrganisationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db
LIST = reverse("initiatives:list")


def shown(response):
    """The total and the facet counts as the page shows them: {"phase:pilot": 2, "theme:...": 1, ...}."""
    html = response.content.decode()
    checkboxes = re.findall(r'for="facet-([A-Za-z]+)-([\w-]+)">[^<]*\((\d+)\)</label>', html)
    options = re.findall(r'<option value="([\w-]+)"(?: selected)?>[^<]*\((\d+)\)</option>', html)
    counts = {f"{facet}:{value}": int(count) for facet, value, count in checkboxes}
    counts |= {f"municipality:{value}": int(count) for value, count in options}
    return shown_total(html), counts


def shown_total(html):
    return int(re.search(r'id="initiative-count" role="status"[^>]*>\s*(\d+)', html).group(1))


def main(response):
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def climate():
    return ThemeFactory(name="Klimaat en energie", slug="klimaat-en-energie")


@pytest.fixture
def owner():
    return MunicipalOrganisationFactory(municipality=MunicipalityFactory(name="Zwolle", slug="zwolle"))


@pytest.fixture
def editor(owner):
    return MembershipFactory(organisation=owner).user


@pytest.fixture
def listed(owner, climate):
    """One published initiative and one draft of the same organisation, both about the climate."""
    published = InitiativeFactory(published=True, owner=owner, phase="idea", title="Zonnedaken")
    draft = InitiativeFactory(owner=owner, phase="pilot", title="Concept warmtenet")
    for initiative in (published, draft):
        initiative.themes.set([climate])
    return {"published": published, "draft": draft}


def test_a_write_through_a_service_makes_a_new_version_and_the_next_list_counts_it(client, listed, editor):
    total, counts = shown(client.get(LIST))
    assert total == 1
    assert counts["theme:klimaat-en-energie"] == counts["phase:idea"] == counts["municipality:zwolle"] == 1
    before = search.listing_version()

    initiative_publish(actor=Actor(organisation=listed["draft"].owner, user=editor), initiative=listed["draft"])

    assert search.listing_version() != before
    total, counts = shown(client.get(LIST))
    assert total == 2
    assert counts["theme:klimaat-en-energie"] == 2
    assert counts["phase:pilot"] == 1
    assert "Concept warmtenet" in client.get(LIST).content.decode()


def test_an_orm_update_and_a_bulk_create_make_new_versions(client, listed, owner):
    shown(client.get(LIST))
    before = search.listing_version()

    Initiative.objects.filter(pk=listed["published"].pk).update(phase="pilot")

    after_update = search.listing_version()
    assert after_update != before
    assert shown(client.get(LIST))[1]["phase:pilot"] == 1

    Initiative.objects.bulk_create(
        [
            Initiative(
                title="Bulk", slug="bulk", summary="-", owner=owner, status="published", published_at=timezone.now()
            )
        ],
    )

    assert search.listing_version() != after_update
    assert shown(client.get(LIST))[0] == 2


def test_raw_sql_on_the_initiatives_and_on_the_names_makes_new_versions(client, listed, climate):
    shown(client.get(LIST))

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE initiatives_initiative SET phase = 'proven_practice' WHERE id = %s", [listed["published"].pk]
        )
    assert shown(client.get(LIST))[1]["phase:proven_practice"] == 1

    with connection.cursor() as cursor:
        cursor.execute("UPDATE municipalities_municipality SET name = 'Zwolle-Stad' WHERE slug = 'zwolle'")
        cursor.execute("UPDATE initiatives_theme SET name = 'Energie' WHERE id = %s", [climate.pk])
    html = client.get(LIST).content.decode()
    assert "Zwolle-Stad (1)" in html
    assert "Energie (1)" in html


def test_a_theme_renamed_in_the_admin_is_shown_by_the_next_list(client, listed, climate):
    shown(client.get(LIST))
    facilitator = Client()
    log_in_with_second_factor(facilitator, UserFactory(facilitator=True))

    response = facilitator.post(
        reverse("admin:initiatives_theme_change", args=[climate.pk]),
        {"name": "Klimaat", "slug": climate.slug, "description": "", "is_active": "on"},
    )

    assert response.status_code == 302
    assert "Klimaat (1)" in client.get(LIST).content.decode()


def test_the_bulk_loader_makes_a_new_version(client, municipalities):
    assert shown(client.get(LIST))[0] == 0
    before = search.listing_version()

    call_command("generate_scale_data", "--initiatives=12", "--partners=1", "--users=2", "--batch=8")

    assert search.listing_version() != before
    public = Initiative.objects.filter(status__in=[InitiativeStatus.PUBLISHED, InitiativeStatus.ARCHIVED]).count()
    assert shown(client.get(LIST))[0] == public


def test_a_rolled_back_write_never_lends_its_version_to_the_next_one(listed):
    with transaction.atomic():
        Initiative.objects.filter(pk=listed["published"].pk).update(phase="pilot")
        rolled_back = search.listing_version()
        transaction.set_rollback(True)

    Initiative.objects.filter(pk=listed["published"].pk).update(phase="implementation")

    again = search.listing_version()
    assert again.split("-")[0] == rolled_back.split("-")[0]  # the counter is the same number again...
    assert again != rolled_back  # ...but the version is not


@pytest.mark.parametrize("first", ["editor", "anonymous"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_draft_editor_and_an_anonymous_visitor_never_share_an_entry(listed, editor, first, htmx):
    anonymous, editing = Client(), Client()
    editing.force_login(editor)
    headers = {"HX-Request": "true"} if htmx else {}
    order = [editing, anonymous] if first == "editor" else [anonymous, editing]

    for _ in range(2):  # cold, then warm
        responses = {id(c): c.get(LIST, {"phase": ["idea", "pilot"]}, headers=headers) for c in order}
        seen_anonymously = responses[id(anonymous)].content.decode()
        seen_editing = responses[id(editing)].content.decode()
        assert "Concept warmtenet" not in seen_anonymously
        assert shown_total(seen_anonymously) == 1
        assert "Concept warmtenet" in seen_editing
        assert shown_total(seen_editing) == 2
    assert Initiative.objects.visibility_key(editor) != Initiative.objects.visibility_key(AnonymousUser())


def test_members_without_drafts_share_the_public_entries(listed):
    member = MembershipFactory().user

    assert Initiative.objects.visibility_key(member) == "public"
    assert Initiative.objects.visibility_key(AnonymousUser()) == "public"


def test_the_visibility_key_follows_the_drafts_a_user_sees(listed, editor):
    key = Initiative.objects.visibility_key(editor)
    InitiativeFactory(owner=listed["draft"].owner)

    assert key.startswith("drafts-")
    assert Initiative.objects.visibility_key(editor) != key


@pytest.mark.parametrize("params", [{}, {"phase": "idea", "sort": "title"}, {"q": "zonnedaken", "pageSize": "10"}])
def test_a_warm_request_costs_one_query_and_answers_the_same_page(client, listed, params, django_assert_num_queries):
    cold = client.get(LIST, params)

    with django_assert_num_queries(1):  # the data version
        warm = client.get(LIST, params)

    assert warm.status_code == 200
    assert main(warm) == main(cold)
    assert shown(warm) == shown(cold)


def test_the_full_page_and_the_htmx_answer_are_cached_apart(client, listed):
    page = client.get(LIST, {"phase": "idea"})
    fragment = client.get(LIST, {"phase": "idea"}, headers={"HX-Request": "true"})
    page_again = client.get(LIST, {"phase": "idea"})

    assert "<html" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    assert 'hx-swap-oob="true"' in fragment.content.decode()
    assert page_again.content.decode().count("<html") == 1


def test_other_pages_and_sort_orders_of_a_state_reuse_its_facet_counts(client, listed, django_assert_num_queries):
    client.get(LIST, {"phase": "idea"})

    with django_assert_num_queries(2):  # the data version, the page of rows: the counts come from the cache
        response = client.get(LIST, {"phase": "idea", "sort": "title", "page": "2"})
    assert shown(response)[0] == 1


def test_labels_in_another_language_are_cached_apart(client, listed):
    dutch = client.get(LIST).content.decode()
    client.cookies["samenorg_language"] = "en"
    english = client.get(LIST).content.decode()

    assert ">Thema</legend>" in dutch
    assert ">Theme</legend>" in english


def test_the_list_still_answers_when_the_cache_is_down(client, listed):
    with (
        mock.patch.object(cache, "get", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("down")),
    ):
        response = client.get(LIST)

    assert response.status_code == 200
    assert shown(response)[0] == 1


def test_the_default_public_first_page_reads_the_partial_index(owner):
    now = timezone.now()
    Initiative.objects.bulk_create(
        Initiative(
            title=f"Initiatief {n}",
            slug=f"initiatief-{n}",
            summary="-",
            owner=owner,
            status="draft" if n % 10 == 0 else "published",
            published_at=None if n % 10 == 0 else now - timezone.timedelta(hours=n),
        )
        for n in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")
    filterset = InitiativeFilterSet(None, queryset=Initiative.objects.visible_to(AnonymousUser()))
    sql, params = search.page_rows(filterset.qs)[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan using initiative_public_newest" in plan
    assert "published_at DESC" not in plan  # no sort of the visible rows
