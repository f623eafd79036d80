"""Who may register, change, publish, move and archive initiatives; what each write records."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError

from initiatives.models import Initiative
from initiatives.services.initiative import (
    initiative_archive,
    initiative_change_phase,
    initiative_create,
    initiative_publish,
    initiative_update,
)
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from samenorg.events.services import event_record
from tests.factories import (
    ApiKeyFactory,
    InitiativeFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    membership = MembershipFactory(organisation__municipality__name="Utrecht")
    return Actor(organisation=membership.organisation, user=membership.user)


@pytest.fixture
def draft(editor):
    return initiative_create(
        actor=editor,
        title="Digitale balie voor vergunningen",
        summary="Inwoners vragen hun vergunning online aan.",
        description="Werkt met **Open Formulieren**.",
        tags=["Omgevingswet", " omgevingswet ", "balie"],
        roles_sought=["funder", "co_developer"],
        themes=[ThemeFactory(name="Dienstverlening")],
    )


def actors(editor):
    """Everyone who is not an editor of the editor's organisation."""
    other = MembershipFactory()
    facilitator = UserFactory(facilitator=True)
    return {
        "member of another organisation": Actor(organisation=other.organisation, user=other.user),
        "stranger claiming the organisation": Actor(organisation=editor.organisation, user=UserFactory()),
        "facilitator": Actor(organisation=MembershipFactory(user=facilitator).organisation, user=facilitator),
        "member acting for another organisation": Actor(organisation=other.organisation, user=editor.user),
    }


def test_a_member_registers_a_draft_with_its_first_phase_and_a_private_event(draft, editor):
    assert draft.status == "draft"
    assert draft.owner == editor.organisation
    assert draft.slug == "digitale-balie-voor-vergunningen"
    assert draft.tags == ["omgevingswet", "balie"]
    assert draft.roles_sought == ["co_developer", "funder"]
    assert list(draft.phase_changes.values_list("from_phase", "to_phase")) == [("", "idea")]
    event = Event.objects.get()
    assert (event.type, event.audience, event.organisation, event.actor_user) == (
        "initiative.created",
        "participants",
        editor.organisation,
        editor.user,
    )
    assert event.initiative == draft
    assert event.payload["title"] == draft.title
    assert editor.user.email not in str(event.payload), "payloads carry no personal data"


def test_only_members_of_the_organisation_they_act_for_register_initiatives(editor):
    for name, actor in actors(editor).items():
        if name in {"member of another organisation", "facilitator"}:
            continue  # each acts for an organisation they belong to, which is allowed
        with pytest.raises(PermissionDenied):
            initiative_create(actor=actor, title="X", summary="Y")
    assert not Initiative.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, initiative: initiative_update(actor=actor, initiative=initiative, title="Nieuw"),
        lambda actor, initiative: initiative_publish(actor=actor, initiative=initiative),
        lambda actor, initiative: initiative_change_phase(actor=actor, initiative=initiative, phase="pilot"),
    ],
    ids=["update", "publish", "change phase"],
)
def test_only_editors_change_publish_or_move_an_initiative(draft, editor, write):
    for actor in actors(editor).values():
        with pytest.raises(PermissionDenied):
            write(actor, draft)
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.phase) == ("Digitale balie voor vergunningen", "draft", "idea")
    assert Event.objects.count() == 1

    write(editor, draft)
    assert Event.objects.count() == 2


def test_publishing_makes_the_initiative_and_its_later_events_public(draft, editor):
    initiative_publish(actor=editor, initiative=draft)
    initiative_change_phase(actor=editor, initiative=draft, phase="pilot")

    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None
    assert list(Event.objects.values_list("type", "audience")) == [
        ("initiative.created", "participants"),
        ("initiative.published", "public"),
        ("initiative.phase_changed", "public"),
    ]
    assert Event.objects.last().payload | {"from_phase": "idea", "to_phase": "pilot"} == Event.objects.last().payload
    assert list(draft.phase_changes.values_list("from_phase", "to_phase")) == [("", "idea"), ("idea", "pilot")]
    with pytest.raises(ValidationError):
        initiative_publish(actor=editor, initiative=draft)


def test_an_update_records_which_fields_changed_and_nothing_when_nothing_did(draft, editor):
    initiative_update(actor=editor, initiative=draft, title=draft.title, summary="Een nieuwe samenvatting.")
    initiative_update(actor=editor, initiative=draft, summary="Een nieuwe samenvatting.")

    updates = Event.objects.filter(type="initiative.updated")
    assert [event.payload["fields"] for event in updates] == [["summary"]]


def test_invalid_content_is_refused_with_field_errors_and_nothing_changes(draft, editor):
    with pytest.raises(ValidationError) as error:
        initiative_update(
            actor=editor, initiative=draft, title="", roles_sought=["dictator"], contact_email="geen-adres"
        )

    assert {"title", "roles_sought", "contact_email"} <= set(error.value.message_dict)
    draft.refresh_from_db()
    assert draft.title == "Digitale balie voor vergunningen"
    assert Event.objects.count() == 1


def test_a_facilitator_archives_any_initiative_but_may_not_edit_it(draft, editor):
    initiative_publish(actor=editor, initiative=draft)
    facilitator = actors(editor)["facilitator"]

    with pytest.raises(PermissionDenied):
        initiative_update(actor=facilitator, initiative=draft, title="Moderator schreef dit")
    initiative_archive(actor=facilitator, initiative=draft)

    draft.refresh_from_db()
    assert draft.status == "archived"
    event = Event.objects.last()
    assert (event.type, event.payload["moderation"], event.actor_user) == (
        "initiative.archived",
        True,
        facilitator.user,
    )
    with pytest.raises(ValidationError):
        initiative_change_phase(actor=editor, initiative=draft, phase="pilot")


def test_a_draft_cannot_be_archived_only_a_published_initiative(draft, editor):
    with pytest.raises(ValidationError):
        initiative_archive(actor=editor, initiative=draft)

    draft.refresh_from_db()
    assert (draft.status, draft.archived_at, Event.objects.filter(type="initiative.archived").exists()) == (
        "draft",
        None,
        False,
    )


def test_an_inactive_theme_cannot_be_chosen(editor):
    with pytest.raises(ValidationError):
        initiative_create(actor=editor, title="X", summary="Y", themes=[ThemeFactory(is_active=False)])
    assert not Initiative.objects.exists()


def test_two_initiatives_with_one_title_get_different_slugs(editor):
    first = initiative_create(actor=editor, title="Slim parkeren", summary="A")
    second = initiative_create(actor=editor, title="Slim parkeren", summary="B")
    assert (first.slug, second.slug) == ("slim-parkeren", "slim-parkeren-2")


@pytest.mark.django_db(transaction=True)
def test_an_event_is_never_written_outside_the_transaction_of_its_change():
    membership = MembershipFactory()
    actor = Actor(organisation=membership.organisation, user=membership.user)

    with pytest.raises(RuntimeError):
        event_record(
            event_type="initiative.created",
            actor=actor,
            audience="public",
            payload={},
            initiative=InitiativeFactory(owner=membership.organisation),
        )
    assert not Event.objects.exists()


def test_every_change_keeps_its_history_with_before_and_after(draft, editor):
    initiative_update(actor=editor, initiative=draft, title="Digitale vergunningenbalie")

    titles = list(draft.history.order_by("pgh_id").values_list("pgh_label", "title"))
    assert titles[0] == ("insert", "Digitale balie voor vergunningen")
    assert titles[-1] == ("update", "Digitale vergunningenbalie")


def test_the_stored_search_vector_is_dutch_stemmed_and_weighted(draft):
    vector = Initiative.objects.filter(pk=draft.pk).values_list("search_vector", flat=True).get()

    # Positions carry their weight: A (title), B (summary), C (description, results); D is shown bare.
    assert "'vergunn':4A,8B" in vector, "stemmed: vergunningen and vergunning are one lexeme"
    assert "'inwoner':5B" in vector
    assert "'formulier':13C" in vector
    assert "'omgevingswet':14 " in vector, "tags weigh least (D)"
    stemmed = Initiative.objects.filter(search_vector=SearchQuery("vergunningen", config="dutch"))
    assert list(stemmed) == [draft]


def test_a_write_key_of_the_owner_acts_as_a_member_and_the_event_names_the_key(draft, editor):
    key = ApiKeyFactory(organisation=editor.organisation, write=True)
    initiative_publish(actor=Actor(organisation=editor.organisation, api_key=key), initiative=draft)
    event = Event.objects.get(type="initiative.published")
    assert (event.actor_api_key, event.actor_user, event.organisation) == (key, None, editor.organisation)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param({"write": False}, id="read-only key of the owner"),
        pytest.param({"write": True, "revoked": True}, id="revoked write key of the owner"),
        pytest.param({"write": True, "organisation": None}, id="write key of another organisation"),
    ],
)
def test_other_keys_change_nothing(draft, editor, key):
    if "organisation" not in key:
        key["organisation"] = editor.organisation
    elif key["organisation"] is None:
        del key["organisation"]
    api_key = ApiKeyFactory(**key)
    with pytest.raises(PermissionDenied):
        initiative_publish(actor=Actor(organisation=editor.organisation, api_key=api_key), initiative=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not Event.objects.filter(type="initiative.published").exists()


def test_links_are_kept_in_order_and_a_change_names_them(draft, editor):
    initiative_update(
        actor=editor,
        initiative=draft,
        links=[("Broncode", " https://github.com/gemeente/balie "), ("Verslag", "https://example.nl/verslag.pdf")],
    )
    assert list(draft.links.values_list("title", "url")) == [
        ("Broncode", "https://github.com/gemeente/balie"),
        ("Verslag", "https://example.nl/verslag.pdf"),
    ]
    assert Event.objects.filter(type="initiative.updated").get().payload["fields"] == ["links"]
    initiative_update(actor=editor, initiative=draft, links=[("Broncode", "https://github.com/gemeente/balie")])
    assert draft.links.count() == 1


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (("Klik", "javascript:alert(1)"), "is geen webadres"),
        (("Data", "data:text/html,<script>alert(1)</script>"), "is geen webadres"),
        (("", "https://example.nl"), "titel"),
    ],
)
def test_unsafe_or_untitled_links_are_refused_and_change_nothing(draft, editor, link, message):
    with pytest.raises(ValidationError) as refused:
        initiative_update(actor=editor, initiative=draft, links=[link])
    assert message in str(refused.value.message_dict["links"])
    assert not draft.links.exists()
    assert not Event.objects.filter(type="initiative.updated").exists()
