"""The initiative page costs the same number of queries with 200 participants, 50 milestones and 500
comments as with two of each: every section reads its rows in a fixed number of queries, and the
comments come 25 to a page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from collaboration.models import Comment, CommentReport, Milestone
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    MunicipalOrganisationFactory,
    OrganisationFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db

# Pinned: a change in these numbers is a change in how the page reads its data; look before updating.
# The activity feed costs its count and its rows (no rows here: no events, so one query); a logged-in
# reader adds the header's unread count.
QUERIES = {"anonymous": 9, "editor": 22, "commenter": 22}


def busy_initiative(owner, *, participants: int, milestones: int, comments: int, reader):
    initiative = InitiativeFactory(owner=owner, published=True)
    for _ in range(participants):
        # Partners, not municipalities: the factory's municipality codes run out after a thousand a session.
        ParticipationFactory(initiative=initiative, organisation=OrganisationFactory())
    Milestone.objects.bulk_create(
        Milestone(
            initiative=initiative,
            planned_for=owner,
            title=f"Mijlpaal {number}",
            target_date=timezone.localdate() + timedelta(days=number),
            **(
                {"achieved_on": timezone.localdate() - timedelta(days=number), "achievement": "Gedaan."}
                if number % 2
                else {}
            ),
        )
        for number in range(milestones)
    )
    authors = [MembershipFactory(organisation=OrganisationFactory()) for _ in range(min(comments, 5))]
    now = timezone.now()
    created = Comment.objects.bulk_create(
        Comment(
            initiative=initiative,
            author=authors[number % len(authors)].user,
            organisation=authors[number % len(authors)].organisation,
            body=f"Reactie {number} met **Markdown**.",
            **({"hidden_at": now, "hidden_reason": "Reclame."} if number % 7 == 3 else {}),
        )
        for number in range(comments)
    )
    CommentReport.objects.bulk_create(
        CommentReport(comment=comment, reporter=reader, reason="Twijfel.") for comment in created[::2]
    )
    return initiative


@pytest.fixture
def readers():
    owner = MunicipalOrganisationFactory()
    editor = MembershipFactory(organisation=owner).user
    commenter = MembershipFactory(organisation=OrganisationFactory()).user
    return owner, {"anonymous": None, "editor": editor, "commenter": commenter}


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("reader", sorted(QUERIES))
def test_the_initiative_page_costs_the_same_queries_for_two_or_hundreds(
    client, django_assert_num_queries, readers, reader
):
    owner, users = readers
    small = busy_initiative(owner, participants=2, milestones=2, comments=2, reader=users["commenter"])
    large = busy_initiative(owner, participants=200, milestones=50, comments=500, reader=users["commenter"])
    login(client, users[reader])

    for initiative, params in [(small, {}), (large, {}), (large, {"reacties": 20})]:
        with django_assert_num_queries(QUERIES[reader]):
            response = client.get(initiative.get_absolute_url(), params)
        assert response.status_code == 200

    page = client.get(large.get_absolute_url()).content.decode()
    assert page.count("samenorg-timeline__item--achieved") == 25
    if users[reader] is not None:
        assert page.count('<li class="samenorg-comment') == 25
        assert "Pagina 1 van 20" in page
