"""The participation pages: the section on the initiative page, joining (plain and htmx), deciding,
another role, withdrawing and leaving through the UI, "my overview" and the municipality page."""

import pytest
from django.urls import reverse

from collaboration.models import Participation
from collaboration.services.participation import participation_decide, participation_request
from collaboration.views.participation import initiative_section
from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MOTIVATION = "Wij willen dit ook invoeren in Zwolle."


@pytest.fixture
def utrecht():
    return MembershipFactory(organisation__municipality__name="Utrecht")


@pytest.fixture
def zwolle():
    return MembershipFactory(organisation__municipality__name="Zwolle")


@pytest.fixture
def initiative(utrecht):
    actor = Actor(organisation=utrecht.organisation, user=utrecht.user)
    draft = initiative_create(actor=actor, title="Wijkdashboard", summary="Cijfers per wijk, voor iedereen.")
    return initiative_publish(actor=actor, initiative=draft)


def ask(membership, initiative, role="participant"):
    actor = Actor(organisation=membership.organisation, user=membership.user)
    return participation_request(actor=actor, initiative=initiative, role=role, motivation=MOTIVATION)


def accept(membership, row):
    actor = Actor(organisation=membership.organisation, user=membership.user)
    return participation_decide(actor=actor, participation=row, accept=True)


def page(client, initiative, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# -- the section on the initiative page -----------------------------------------------------------


def test_the_page_lists_who_takes_part_grouped_by_role(client, initiative, utrecht, zwolle):
    accept(utrecht, ask(zwolle, initiative, role="co_developer"))
    funder = MembershipFactory(organisation=OrganisationFactory(name="Fonds Slimme Stad"))
    accept(utrecht, ask(funder, initiative, role="funder"))

    html = page(client, initiative)

    assert "Wie doen er mee" in html
    initiator_at, co_developer_at, funder_at = (
        html.index("Initiatiefnemer"),
        html.index("Mede-ontwikkelaar"),
        html.index("Financier"),
    )
    assert initiator_at < co_developer_at < funder_at, "in the order of the roles"
    assert html.index("Gemeente Utrecht", initiator_at) < co_developer_at
    assert html.index("Gemeente Zwolle", co_developer_at) < funder_at
    assert "Fonds Slimme Stad" in html[funder_at:]


def test_a_request_is_seen_by_the_initiator_and_the_asking_organisation_only(client, initiative, utrecht, zwolle):
    ask(zwolle, initiative)
    stranger = MembershipFactory()
    facilitator = MembershipFactory(user=UserFactory(facilitator=True))

    for user in (None, stranger.user):
        assert "Gemeente Zwolle" not in page(client, initiative, user)
    # Facilitators see every event, the request too, in the activity feed (Event.objects.visible_to);
    # the participation section still keeps it between the two organisations.
    facilitator_view = page(client, initiative, facilitator.user)
    participation_section = facilitator_view[facilitator_view.index('id="participation"') :]
    assert "Gemeente Zwolle" not in participation_section[: participation_section.index("</section>")]
    decider_view = page(client, initiative, utrecht.user)
    assert "Gemeente Zwolle vraagt om mee te doen als deelnemer" in decider_view
    assert reverse("collaboration:participation-decide", kwargs={"pk": Participation.objects.last().pk}) in (
        decider_view
    )
    asker_view = page(client, initiative, zwolle.user)
    assert "de initiatiefnemer heeft nog niet besloten" in asker_view
    assert "Verzoek intrekken" in asker_view
    assert "/besluiten" not in asker_view


def test_a_pending_role_change_is_seen_by_the_two_organisations_only(client, initiative, utrecht, zwolle):
    row = accept(utrecht, ask(zwolle, initiative))
    from collaboration.services.participation import participation_request_role

    participation_request_role(
        actor=Actor(organisation=zwolle.organisation, user=zwolle.user),
        participation=row,
        role="funder",
        motivation="Wij hebben budget.",
    )

    assert "financier te worden" not in page(client, initiative)
    assert "financier te worden" not in page(client, initiative, MembershipFactory().user)
    assert "Gemeente Zwolle vraagt om financier te worden in plaats van deelnemer" in page(
        client, initiative, utrecht.user
    )
    assert "Vroeg om financier te worden" in page(client, initiative, zwolle.user)


def test_anonymous_visitors_are_invited_to_log_in_and_members_of_the_owner_see_no_join_form(
    client, initiative, utrecht
):
    assert "Log in om namens je organisatie mee te doen" in page(client, initiative)
    assert "Vraag om mee te doen" not in page(client, initiative, utrecht.user)
    assert "Vraag om mee te doen" in page(client, initiative, MembershipFactory().user)


def test_the_join_form_offers_only_organisations_that_may_still_ask(client, initiative, utrecht, zwolle):
    ask(zwolle, initiative)
    second = MembershipFactory(user=zwolle.user, organisation=OrganisationFactory(name="Regio IJsselland"))
    third = MembershipFactory(user=zwolle.user, organisation=OrganisationFactory(name="Nog Niet B.V.", requested=True))

    section = initiative_section(_request(zwolle.user), initiative)

    assert section["participation_may_ask"] == [second.organisation]
    assert third.organisation not in section["participation_may_ask"]


# -- joining ---------------------------------------------------------------------------------------


def test_joining_with_a_plain_form_posts_and_comes_back_to_the_page(client, initiative, zwolle):
    client.force_login(zwolle.user)
    url = reverse("collaboration:participation-join", kwargs={"slug": initiative.slug})

    response = client.post(url, {"join-role": "knowledge_partner", "join-motivation": MOTIVATION}, follow=True)

    assert response.redirect_chain[-1][0] == f"{initiative.get_absolute_url()}#participation"
    assert "Je verzoek is verstuurd" in response.content.decode()
    row = Participation.objects.get(organisation=zwolle.organisation)
    assert (row.status, row.role, row.motivation, row.requested_by) == (
        "requested",
        "knowledge_partner",
        MOTIVATION,
        zwolle.user,
    )


def test_joining_with_htmx_answers_with_the_section(client, initiative, zwolle):
    client.force_login(zwolle.user)
    url = reverse("collaboration:participation-join", kwargs={"slug": initiative.slug})

    response = client.post(
        url, {"join-role": "participant", "join-motivation": MOTIVATION}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section") or '<section class="samenorg-participation" id="participation"' in html
    assert "<html" not in html
    assert "Je verzoek is verstuurd" in html
    assert "Verzoek intrekken" in html
    assert Participation.objects.filter(organisation=zwolle.organisation, status="requested").exists()


def test_a_join_form_with_errors_keeps_what_was_typed_and_changes_nothing(client, initiative, zwolle):
    client.force_login(zwolle.user)
    url = reverse("collaboration:participation-join", kwargs={"slug": initiative.slug})
    before = Participation.objects.count()

    plain = client.post(url, {"join-role": "initiator", "join-motivation": MOTIVATION})
    htmx = client.post(url, {"join-role": "participant", "join-motivation": ""}, headers={"HX-Request": "true"})

    assert plain.status_code == 200
    assert MOTIVATION in plain.content.decode()
    assert "Selecteer een geldige keuze" in plain.content.decode()
    assert htmx.status_code == 200
    assert "Dit veld is verplicht" in htmx.content.decode()
    assert Participation.objects.count() == before


def test_joining_twice_gets_a_clear_refusal_and_changes_nothing(client, initiative, zwolle):
    ask(zwolle, initiative)
    client.force_login(zwolle.user)
    url = reverse("collaboration:participation-join", kwargs={"slug": initiative.slug})
    before = (Participation.objects.count(), Event.objects.count())

    response = client.post(url, {"join-role": "funder", "join-motivation": MOTIVATION})
    htmx = client.post(url, {"join-role": "funder", "join-motivation": MOTIVATION}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Geen van je organisaties kan vragen om mee te doen" in response.content.decode()
    assert "Geen van je organisaties kan vragen om mee te doen" in htmx.content.decode()
    assert (Participation.objects.count(), Event.objects.count()) == before


def test_the_join_page_of_a_draft_is_not_found_for_others(client, utrecht, zwolle):
    draft = InitiativeFactory(owner=utrecht.organisation)
    client.force_login(zwolle.user)

    response = client.post(
        reverse("collaboration:participation-join", kwargs={"slug": draft.slug}),
        {"join-role": "participant", "join-motivation": MOTIVATION},
    )

    assert response.status_code == 404
    assert not Participation.objects.filter(initiative=draft).exists()


# -- deciding --------------------------------------------------------------------------------------


def test_the_initiator_accepts_a_request_on_the_decide_page(client, initiative, utrecht, zwolle):
    row = ask(zwolle, initiative, role="co_developer")
    client.force_login(utrecht.user)
    url = reverse("collaboration:participation-decide", kwargs={"pk": row.pk})

    shown = client.get(url).content.decode()
    response = client.post(url, {"decision": "accept"}, follow=True)

    assert MOTIVATION in shown
    assert "Gemeente Zwolle kan je besluit lezen" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.decided_by) == ("active", utrecht.user)


def test_declining_on_the_page_needs_a_reason(client, initiative, utrecht, zwolle):
    row = ask(zwolle, initiative)
    client.force_login(utrecht.user)
    url = reverse("collaboration:participation-decide", kwargs={"pk": row.pk})

    refused = client.post(url, {"decision": "decline", "reason": ""})
    declined = client.post(url, {"decision": "decline", "reason": "Wij zoeken nu alleen leveranciers."})

    assert "Geef een reden als je afwijst" in refused.content.decode()
    assert declined.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.decision_reason) == ("declined", "Wij zoeken nu alleen leveranciers.")


def test_deciding_twice_on_the_page_gets_a_clear_refusal(client, initiative, utrecht, zwolle):
    row = accept(utrecht, ask(zwolle, initiative))
    client.force_login(utrecht.user)
    before = Event.objects.count()

    response = client.post(
        reverse("collaboration:participation-decide", kwargs={"pk": row.pk}), {"decision": "decline", "reason": "x"}
    )

    assert response.status_code == 200
    assert "Over dit verzoek is al besloten" in response.content.decode()
    row.refresh_from_db()
    assert row.status == "active"
    assert Event.objects.count() == before


def test_deciding_a_request_one_may_not_decide_is_not_found(client, initiative, utrecht, zwolle):
    row = ask(zwolle, initiative)
    url = reverse("collaboration:participation-decide", kwargs={"pk": row.pk})
    for user in (zwolle.user, MembershipFactory().user, MembershipFactory(user=UserFactory(facilitator=True)).user):
        client.force_login(user)
        assert client.post(url, {"decision": "accept"}).status_code == 404
    row.refresh_from_db()
    assert row.status == "requested"


# -- another role, withdrawing, leaving ------------------------------------------------------------


def test_asking_for_another_role_from_the_page(client, initiative, utrecht, zwolle):
    row = accept(utrecht, ask(zwolle, initiative))
    client.force_login(zwolle.user)
    url = reverse("collaboration:participation-role", kwargs={"pk": row.pk})

    assert "Vraag om een andere rol" in client.get(url).content.decode()
    response = client.post(url, {"other-role": "supplier", "other-motivation": "Wij leveren."})

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.role, row.requested_role, row.requested_role_motivation) == ("participant", "supplier", "Wij leveren.")


def test_withdrawing_and_leaving_from_the_page(client, initiative, utrecht, zwolle):
    pending = ask(zwolle, initiative)
    client.force_login(zwolle.user)

    client.post(reverse("collaboration:participation-withdraw", kwargs={"pk": pending.pk}))
    active = accept(utrecht, ask(zwolle, initiative))
    response = client.post(
        reverse("collaboration:participation-leave", kwargs={"pk": active.pk}), headers={"HX-Request": "true"}
    )

    pending.refresh_from_db()
    active.refresh_from_db()
    assert (pending.status, active.status) == ("withdrawn", "left")
    assert "Je organisatie doet niet meer mee aan dit initiatief" in response.content.decode()


def test_the_initiator_leaving_gets_a_clear_refusal_and_changes_nothing(client, initiative, utrecht):
    row = Participation.objects.get(initiative=initiative, role="initiator")
    client.force_login(utrecht.user)

    response = client.post(reverse("collaboration:participation-leave", kwargs={"pk": row.pk}), follow=True)

    assert "De initiatiefnemer kan niet stoppen met zijn eigen initiatief" in response.content.decode()
    row.refresh_from_db()
    assert row.status == "active"


def test_acting_on_another_organisations_participation_is_not_found(client, initiative, utrecht, zwolle):
    row = accept(utrecht, ask(zwolle, initiative))
    client.force_login(utrecht.user)  # the initiator, but not the taking-part organisation

    for name in ("participation-leave", "participation-withdraw", "participation-role"):
        assert client.post(reverse(f"collaboration:{name}", kwargs={"pk": row.pk})).status_code == 404
    row.refresh_from_db()
    assert row.status == "active"


# -- co-developers edit ----------------------------------------------------------------------------


def test_an_accepted_co_developer_edits_the_initiative_through_the_page(client, initiative, utrecht, zwolle):
    row = ask(zwolle, initiative, role="co_developer")
    client.force_login(zwolle.user)
    edit = reverse("initiatives:edit", kwargs={"slug": initiative.slug})
    assert client.get(edit).status_code == 404

    accept(utrecht, row)
    form = client.get(edit)
    data = {
        "title": "Wijkdashboard voor de regio",
        "summary": initiative.summary,
        "themes": [ThemeFactory(name="Digitalisering").pk],
        "phase": initiative.phase,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    response = client.post(edit, data)

    assert form.status_code == 200
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative.refresh_from_db()
    assert initiative.title == "Wijkdashboard voor de regio"
    event = Event.objects.filter(type="initiative.updated").get()
    assert (event.organisation, event.actor_user) == (zwolle.organisation, zwolle.user)
    assert "Bewerken" in page(client, initiative, zwolle.user)


def test_a_participant_or_a_co_developer_that_left_does_not_edit(client, initiative, utrecht, zwolle):
    from collaboration.services.participation import participation_leave

    row = accept(utrecht, ask(zwolle, initiative, role="co_developer"))
    participation_leave(actor=Actor(organisation=zwolle.organisation, user=zwolle.user), participation=row)
    participant = MembershipFactory()
    accept(utrecht, ask(participant, initiative))
    edit = reverse("initiatives:edit", kwargs={"slug": initiative.slug})

    for user in (zwolle.user, participant.user):
        client.force_login(user)
        assert client.get(edit).status_code == 404


# -- my overview and the municipality page ---------------------------------------------------------


def test_my_overview_shows_requests_to_decide_and_where_my_organisations_take_part(client, initiative, utrecht, zwolle):
    ask(zwolle, initiative)
    elsewhere = InitiativeFactory(published=True, title="Afval scheiden in de wijk")
    ParticipationFactory(initiative=elsewhere, organisation=utrecht.organisation, role="funder")

    client.force_login(utrecht.user)
    html = client.get(reverse("accounts:overview")).content.decode()

    assert "Verzoeken om mee te doen aan je initiatieven" in html
    assert "Besluit over Gemeente Zwolle" in html
    assert "Afval scheiden in de wijk" in html
    assert "Financier" in html


def test_my_overview_shows_a_refusal_with_its_reason_to_the_asking_organisation(client, initiative, utrecht, zwolle):
    row = ask(zwolle, initiative)
    participation_decide(
        actor=Actor(organisation=utrecht.organisation, user=utrecht.user),
        participation=row,
        accept=False,
        reason="Wij zoeken nu alleen kennispartners.",
    )

    client.force_login(zwolle.user)
    html = client.get(reverse("accounts:overview")).content.decode()

    assert "Wij zoeken nu alleen kennispartners." in html
    client.force_login(MembershipFactory().user)
    assert "Wij zoeken nu alleen kennispartners." not in client.get(reverse("accounts:overview")).content.decode()


def test_the_municipality_page_shows_where_it_takes_part_in_visible_initiatives(client, initiative, utrecht, zwolle):
    accept(utrecht, ask(zwolle, initiative, role="knowledge_partner"))
    hidden = InitiativeFactory(title="Geheim concept")
    ParticipationFactory(initiative=hidden, organisation=zwolle.organisation)

    html = client.get(zwolle.organisation.get_absolute_url()).content.decode()

    assert "Doet mee aan" in html
    assert "Wijkdashboard" in html
    assert "kennispartner" in html
    assert "Geheim concept" not in html


# -- a fixed number of queries ---------------------------------------------------------------------


def add_participants(initiative, total):
    """Partners, not municipalities: the municipality factory's codes run out after a thousand."""
    existing = Participation.objects.filter(initiative=initiative, status="active").count()
    for _ in range(total - existing):
        ParticipationFactory(initiative=initiative, organisation=OrganisationFactory())


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("anonymous", [True, False])
def test_the_section_costs_the_same_queries_for_5_and_200_participants(
    django_assert_num_queries, initiative, utrecht, zwolle, anonymous
):
    ask(zwolle, initiative)
    user = None if anonymous else utrecht.user
    from django.contrib.auth.models import AnonymousUser

    for count in (5, 200):
        add_participants(initiative, count)
        with django_assert_num_queries(1 if anonymous else 2):
            section = initiative_section(_request(user or AnonymousUser()), initiative)
        assert section["participation_count"] == count


def test_the_initiative_page_costs_the_same_queries_for_5_and_200_participants(
    client, django_assert_num_queries, initiative, utrecht, zwolle
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ask(zwolle, initiative)
    client.force_login(utrecht.user)
    counts = []
    for count in (5, 200):
        add_participants(initiative, count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(initiative.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
