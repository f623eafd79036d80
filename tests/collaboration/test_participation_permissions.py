"""Who may do what with a participation, through the pages: every action by every kind of visitor.
Whoever may not gets a login page, a "not found" or the form with its refusal, and nothing changes."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from collaboration.models import Participation
from samenorg.events.models import Event
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "staff of another organisation", "member of the asking organisation", "initiator", "facilitator")


@dataclass
class Cast:
    initiative: object
    asking: object  # Gemeente Zwolle, which asks or takes part
    users: dict


@pytest.fixture
def cast():
    utrecht = MembershipFactory(organisation__municipality__name="Utrecht")
    zwolle = MembershipFactory(organisation__municipality__name="Zwolle")
    initiative = InitiativeFactory(owner=utrecht.organisation, published=True)
    ParticipationFactory(initiative=initiative, organisation=utrecht.organisation, role="initiator")
    users = {
        "anonymous": None,
        "staff of another organisation": MembershipFactory(organisation__municipality__name="Tilburg").user,
        "member of the asking organisation": zwolle.user,
        "initiator": utrecht.user,
        "facilitator": MembershipFactory(user=UserFactory(facilitator=True), organisation=OrganisationFactory()).user,
    }
    return Cast(initiative, zwolle.organisation, users)


def join(cast):
    url = reverse("collaboration:participation-join", kwargs={"slug": cast.initiative.slug})
    data = {"join-organisation": cast.asking.pk, "join-role": "participant", "join-motivation": "Wij doen mee."}
    return url, data


def decide(cast):
    row = ParticipationFactory(initiative=cast.initiative, organisation=cast.asking, requested=True)
    return reverse("collaboration:participation-decide", kwargs={"pk": row.pk}), {"decision": "accept"}


def decline(cast):
    row = ParticipationFactory(initiative=cast.initiative, organisation=cast.asking, requested=True)
    url = reverse("collaboration:participation-decide", kwargs={"pk": row.pk})
    return url, {"decision": "decline", "reason": "Wij zoeken nu een leverancier."}


def other_role(cast):
    row = ParticipationFactory(initiative=cast.initiative, organisation=cast.asking)
    url = reverse("collaboration:participation-role", kwargs={"pk": row.pk})
    return url, {"other-role": "funder", "other-motivation": "Wij hebben budget."}


def withdraw(cast):
    row = ParticipationFactory(initiative=cast.initiative, organisation=cast.asking, requested=True)
    return reverse("collaboration:participation-withdraw", kwargs={"pk": row.pk}), {}


def leave(cast):
    row = ParticipationFactory(initiative=cast.initiative, organisation=cast.asking)
    return reverse("collaboration:participation-leave", kwargs={"pk": row.pk}), {}


ACTIONS = {
    "join": join,
    "accept": decide,
    "decline": decline,
    "other role": other_role,
    "withdraw": withdraw,
    "leave": leave,
}
REFUSED = {"anonymous": "login", "staff of another organisation": 404, "initiator": 404, "facilitator": 404}
# What each visitor gets: "done" (the change is made and they go back to the initiative), "login", or
# the status of the refusal. The join form offers only one's own organisations: asking for Zwolle as
# anyone else is a form error (200) that changes nothing.
EXPECTED = {
    "join": {
        "anonymous": "login",
        "staff of another organisation": 200,
        "member of the asking organisation": "done",
        "initiator": 200,
        "facilitator": 200,
    },
    "accept": {**REFUSED, "member of the asking organisation": 404, "initiator": "done"},
    "decline": {**REFUSED, "member of the asking organisation": 404, "initiator": "done"},
    "other role": {**REFUSED, "member of the asking organisation": "done"},
    "withdraw": {**REFUSED, "member of the asking organisation": "done"},
    "leave": {**REFUSED, "member of the asking organisation": "done"},
}


def snapshot():
    rows = Participation.objects.order_by("pk").values_list("pk", "status", "role", "requested_role")
    return list(rows), Event.objects.count()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix_of_every_participation_action(client, cast, action, who):
    url, data = ACTIONS[action](cast)
    if cast.users[who] is not None:
        client.force_login(cast.users[who])
    before = snapshot()

    response = client.post(url, data)

    expected = EXPECTED[action][who]
    if expected == "done":
        assert response.status_code == 302
        assert response.url == f"{cast.initiative.get_absolute_url()}#participation"
        assert snapshot() != before
        assert Event.objects.count() == before[1] + 1
    else:
        if expected == "login":
            assert response.status_code == 302
            assert "inloggen" in response.url
        else:
            assert response.status_code == expected
        assert snapshot() == before


def test_the_matrix_covers_every_action_and_visitor():
    from collaboration.views.participation import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == {
        "participation-join",
        "participation-decide",
        "participation-role",
        "participation-withdraw",
        "participation-leave",
    }
    assert all(set(row) == set(WHO) for row in EXPECTED.values())
