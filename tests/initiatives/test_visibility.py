"""Drafts are for their editors; published and archived initiatives are for everyone."""

import pytest

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiatives():
    draft = InitiativeFactory()
    return {
        "draft": draft,
        "published": InitiativeFactory(published=True, owner=draft.owner),
        "archived": InitiativeFactory(archived=True, owner=draft.owner),
        "someone else's draft": InitiativeFactory(),
    }


def titles(queryset):
    return {initiative.title for initiative in queryset}


def test_anonymous_visitors_see_published_and_archived_only(initiatives, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    visible = Initiative.objects.visible_to(AnonymousUser())

    assert titles(visible) == {initiatives["published"].title, initiatives["archived"].title}


@pytest.mark.parametrize("who", ["member of another organisation", "facilitator", "deactivated editor"])
def test_a_draft_stays_with_its_editors(initiatives, who):
    user = {
        "member of another organisation": lambda: MembershipFactory().user,
        "facilitator": lambda: UserFactory(facilitator=True),
        "deactivated editor": lambda: (
            MembershipFactory(organisation=initiatives["draft"].owner, user__is_active=False).user
        ),
    }[who]()

    assert initiatives["draft"] not in Initiative.objects.visible_to(user)
    assert not Initiative.objects.editable_by(user).exists()


def test_editors_see_their_own_drafts_and_not_others(initiatives):
    editor = MembershipFactory(organisation=initiatives["draft"].owner).user

    visible = titles(Initiative.objects.visible_to(editor))

    assert visible == {initiatives[name].title for name in ("draft", "published", "archived")}
    assert titles(Initiative.objects.editable_by(editor)) == visible


def test_visibility_costs_one_query_and_no_duplicates_for_members_of_many_organisations(
    initiatives, django_assert_num_queries
):
    editor = MembershipFactory(organisation=initiatives["draft"].owner).user
    for _ in range(3):
        MembershipFactory(user=editor)

    with django_assert_num_queries(1):
        rows = list(Initiative.objects.visible_to(editor))
    assert len(rows) == len({row.pk for row in rows}) == 3
