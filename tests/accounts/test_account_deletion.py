"""Deleting an account: the person's data goes everywhere (the whole database is searched for their name,
addresses and job title afterwards); what their organisations did, and its history, stays."""

import json

import pghistory
import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Comment, CommentReport, Follow, Participation
from collaboration.services.comment import comment_post, comment_report
from collaboration.services.milestone import milestone_plan
from collaboration.services.participation import participation_decide, participation_request
from initiatives.models import Initiative
from initiatives.services.initiative import initiative_create, initiative_publish
from municipalities.models import Membership, MembershipRequest, Organisation
from municipalities.services.membership import membership_request, membership_request_decide
from samenorg.accounts.models import User
from samenorg.accounts.services_deletion import account_delete
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from samenorg.notifications.models import Digest, Notification
from tests.factories import (
    PASSWORD,
    ApiKeyFactory,
    CommentFactory,
    FollowFactory,
    InitiativeFactory,
    MembershipFactory,
    MunicipalOrganisationFactory,
    UserFactory,
    WebhookEndpointFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "zqxmarker"  # in the person's name, addresses and job title: found nowhere after the deletion
NAME = f"Anna {MARKER.capitalize()}"
EMAIL = f"anna.{MARKER}@gemeente-a.nl"
OTHER_EMAIL = f"{MARKER}.prive@example.org"
JOB_TITLE = f"Adviseur {MARKER}"
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def _tables_and_text_columns() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        tables: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            tables.setdefault(table, []).append(column)
    return tables


def _where_the_marker_is() -> list[str]:
    """Every table.column of the whole database (history, contexts, sessions, logs included) holding MARKER."""
    found = []
    with connection.cursor() as cursor:
        for table, columns in _tables_and_text_columns().items():
            for column in columns:
                quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
                cursor.execute(
                    f"SELECT count(*) FROM {quoted_table} WHERE {quoted_column}::text ILIKE %s",  # noqa: S608
                    [f"%{MARKER}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}")
    return found


def _references_to(user_pk: int) -> list[str]:
    """Every column pointing at a user (history tables keep foreign keys without a constraint) still
    holding ``user_pk``."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            points_at_users = field.is_relation and field.related_model is User
            if points_at_users and model._default_manager.filter(**{field.attname: user_pk}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.fixture
def person_with_a_history(client, settings, django_capture_on_commit_callbacks):
    """Someone who did a bit of everything, partly through the pages (so the history contexts name them)."""
    settings.SAMENORG_RATE_LIMITS = {**settings.SAMENORG_RATE_LIMITS, "membership_request": "100/h"}
    person = UserFactory(name=NAME, email=EMAIL, job_title=JOB_TITLE)
    person.emailaddress_set.create(email=OTHER_EMAIL, verified=False, primary=False)
    own = MembershipFactory(user=person, coordinator=True, organisation__name="Gemeente Aardam").organisation
    colleague = MembershipFactory(organisation=own).user
    actor = Actor(organisation=own, user=person)

    other = MunicipalOrganisationFactory(name="Gemeente Beekdam")
    other_coordinator = MembershipFactory(organisation=other, coordinator=True).user
    other_actor = Actor(organisation=other, user=other_coordinator)
    with pghistory.context(user=person.pk, url="/test"):
        initiative = initiative_create(
            actor=actor,
            title="Samen inkopen",
            summary="Gezamenlijk inkopen.",
            contact_name=NAME,
            contact_email=EMAIL,
            contact_phone="030 123 45 67",
        )
        initiative_publish(actor=actor, initiative=initiative)
        milestone_plan(actor=actor, initiative=initiative, title="Eerste bestelling")
        theirs = InitiativeFactory(owner=other, published=True)
        participation = participation_request(
            actor=actor, initiative=theirs, role="participant", motivation="Wij doen mee."
        )
        comment = comment_post(actor=actor, initiative=theirs, body="Goed plan, wij sluiten aan.")
        comment_report(reporter=person, comment=CommentFactory(initiative=theirs), reason="Off-topic")
        declined = membership_request(actor=person, organisation=other, motivation="Ik werk ook voor Beekdam.")
    participation_decide(actor=other_actor, participation=participation, accept=True)
    membership_request_decide(membership_request=declined, actor=other_coordinator, approve=False, reason="Nee.")
    FollowFactory(user=person, initiative=theirs)
    ApiKeyFactory(organisation=own, created_by=person)
    WebhookEndpointFactory(organisation=own, created_by=person)
    Notification.objects.create(
        user=person, event=Event.objects.filter(initiative=theirs).first(), reason="follower", frequency="daily"
    )
    Digest.objects.create(
        user=person,
        frequency="daily",
        period_start=timezone.now() - timezone.timedelta(days=1),
        period_end=timezone.now(),
    )
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    SocialAccount.objects.create(
        user=person, provider="openid_connect", uid=f"oidc-{MARKER}", extra_data={"email": EMAIL, "name": NAME}
    )
    AccessAttempt.objects.create(
        username=EMAIL.upper(),
        ip_address="10.0.0.1",
        user_agent="Firefox",
        failures_since_start=2,
        get_data="",
        post_data=f"login={EMAIL}",
        http_accept="*/*",
        path_info="/account/inloggen",
    )
    facilitator = UserFactory(facilitator=True)
    for obj in (person, comment, Membership.objects.get(user=person)):
        LogEntry.objects.create(
            user=facilitator,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message="[]",
        )
    LogEntry.objects.create(
        user=facilitator,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(own.pk),
        object_repr=str(own),
        action_flag=CHANGE,
        change_message=json.dumps([{"added": {"name": "membership", "object": f"{NAME} @ {own}"}}]),
    )
    # Through the pages: a profile change (history with the request's context) and a live session.
    client.force_login(person)
    client.post(reverse("accounts:profile"), {"name": NAME, "job_title": f"{JOB_TITLE} (nieuw)", "language": "nl"})
    # The session as allauth lists it after a login through the form; it says which browser.
    UserSession.objects.create(
        user=person, session_key=client.session.session_key, ip="10.0.0.1", user_agent=f"Browser of {MARKER}"
    )
    return {
        "person": person,
        "colleague": colleague,
        "organisation": own,
        "initiative": initiative,
        "theirs": theirs,
        "participation": participation,
        "comment": comment,
    }


def _delete_through_the_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:delete"), {"confirmation": PASSWORD})


def test_the_search_finds_the_person_before_the_deletion(person_with_a_history):
    """The search below finds what it looks for: before the deletion, the person is all over the place."""
    found = set(_where_the_marker_is())

    assert {
        "accounts_user.name",
        "accounts_user.email",
        "accounts_user.job_title",
        "accounts_userhistory.name",
        "account_emailaddress.email",
        "socialaccount_socialaccount.extra_data",
        "axes_accessattempt.username",
        "initiatives_initiative.contact_email",
        "initiatives_initiativehistory.contact_name",
        "django_admin_log.object_repr",
        "django_admin_log.change_message",
        "usersessions_usersession.user_agent",
    } <= found
    assert pghistory.models.Context.objects.filter(metadata__user=person_with_a_history["person"].pk).exists()


def test_a_deleted_account_leaves_no_personal_data_anywhere(
    client, person_with_a_history, django_capture_on_commit_callbacks
):
    person = person_with_a_history["person"]
    person_pk = person.pk
    contexts = pghistory.models.Context.objects.filter(metadata__user=person_pk)
    events_before = Event.objects.count()

    response = _delete_through_the_page(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert _where_the_marker_is() == []
    assert _references_to(person_pk) == []
    assert not contexts.exists()
    assert not User.objects.filter(pk=person_pk).exists()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert not AccessAttempt.objects.exists()
    assert not CommentReport.objects.exists()
    assert not Follow.objects.exists()
    assert Event.objects.count() == events_before


def test_what_the_organisations_did_stays_with_its_history(
    client, person_with_a_history, django_capture_on_commit_callbacks
):
    data = person_with_a_history
    initiative, participation, comment = data["initiative"], data["participation"], data["comment"]
    histories = [model.history.rel.related_model for model in (Initiative, Participation, Comment, Organisation)]
    history_before = {history: history.objects.count() for history in histories}

    _delete_through_the_page(client, django_capture_on_commit_callbacks)

    initiative.refresh_from_db()
    assert initiative.status == "published"
    assert initiative.contact_email == ""
    participation.refresh_from_db()
    assert participation.status == "active"
    assert participation.requested_by_id is None
    comment.refresh_from_db()
    assert comment.author is None
    assert comment.body == "Goed plan, wij sluiten aan."
    assert Organisation.objects.filter(pk=data["organisation"].pk).exists()
    assert Membership.objects.filter(user=data["colleague"]).exists()
    for history, before in history_before.items():
        assert history.objects.count() >= before, history
    assert Event.objects.filter(comment=comment, type="comment.posted", actor_user__isnull=True).exists()
    assert not MembershipRequest.objects.exists()


def test_the_comment_shows_as_a_former_user_on_the_page_and_in_the_api(
    client, person_with_a_history, django_capture_on_commit_callbacks
):
    theirs = person_with_a_history["theirs"]
    _delete_through_the_page(client, django_capture_on_commit_callbacks)
    reader = MembershipFactory().user
    client.force_login(reader)

    page = client.get(theirs.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/initiatives/{theirs.slug}/comments").json()

    assert "Voormalige gebruiker" in page
    authors = {row["body"]: row["authorName"] for row in api["results"]}
    assert authors["Goed plan, wij sluiten aan."] is None


def test_the_person_is_logged_out_and_told_by_e_mail(client, person_with_a_history, django_capture_on_commit_callbacks):
    mail.outbox.clear()

    response = _delete_through_the_page(client, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    home = client.get(reverse("home")).content.decode()
    assert "Je account is verwijderd" in home
    assert [message.to for message in mail.outbox if "verwijderd" in message.subject] == [[EMAIL]]
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_wrong_password_deletes_nothing(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post(reverse("accounts:delete"), {"confirmation": "not-my-password"})

    assert response.status_code == 200
    assert "Dat is niet je wachtwoord." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_an_account_without_a_password_confirms_with_its_address(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="oidc.gebruiker@gemeente-a.nl")
    person.set_unusable_password()
    person.save()
    client.force_login(person)

    page = client.get(reverse("accounts:delete")).content.decode()
    wrong = client.post(reverse("accounts:delete"), {"confirmation": "iemand.anders@gemeente-a.nl"})
    with django_capture_on_commit_callbacks(execute=True):
        right = client.post(reverse("accounts:delete"), {"confirmation": " OIDC.Gebruiker@gemeente-a.nl "})

    assert "Je e-mailadres" in page
    assert 'type="password"' not in page
    assert wrong.status_code == 200
    assert "Dat is niet het adres waarmee je inlogt." in wrong.content.decode()
    assert right.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_guessing_passwords_on_the_page_is_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reauthenticate": "3/m/user"}
    person = UserFactory()
    client.force_login(person)
    for _ in range(3):
        client.post(reverse("accounts:delete"), {"confirmation": "guess"})

    response = client.post(reverse("accounts:delete"), {"confirmation": PASSWORD})

    assert "Te veel pogingen" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_the_last_superuser_cannot_delete_themselves_while_another_can(client, django_capture_on_commit_callbacks):
    last = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(last)

    refused = client.post(reverse("accounts:delete"), {"confirmation": PASSWORD})

    assert refused.status_code == 200
    assert "laatste superuser" in refused.content.decode()
    assert User.objects.filter(pk=last.pk).exists()
    UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        allowed = client.post(reverse("accounts:delete"), {"confirmation": PASSWORD})
    assert allowed.status_code == 302
    assert not User.objects.filter(pk=last.pk).exists()


def test_the_only_coordinator_is_warned_which_organisations_lose_their_coordinator(client):
    coordinator = MembershipFactory(coordinator=True, organisation__name="Gemeente Alleen").user
    MembershipFactory(organisation=coordinator.memberships.get().organisation)
    shared = MembershipFactory(user=coordinator, coordinator=True, organisation__name="Gemeente Samen").organisation
    MembershipFactory(organisation=shared, coordinator=True)
    MembershipFactory(user=coordinator, coordinator=True, organisation__name="Gemeente Leeg")
    client.force_login(coordinator)

    page = client.get(reverse("accounts:delete")).content.decode()

    assert "Je bent de enige coördinator van deze organisaties, die nog andere leden hebben:" in page
    assert "Gemeente Alleen" in page
    assert "Gemeente Samen" not in page
    assert "Gemeente Leeg" not in page


def test_a_member_is_not_warned_about_coordinators(client):
    member = MembershipFactory().user
    client.force_login(member)

    page = client.get(reverse("accounts:delete")).content.decode()

    assert "enige coördinator" not in page


def test_the_service_deletes_without_mail_when_asked(django_capture_on_commit_callbacks):
    person = UserFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=person, notify=False)

    assert not User.objects.filter(pk=person.pk).exists()
    assert mail.outbox == []


def test_the_pages_need_a_login(client):
    for name in ("accounts:delete", "accounts:my-data"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
