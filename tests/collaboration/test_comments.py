"""The conversation on an initiative: who may read, post, edit, report and hide, and what each records."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Comment, CommentReport
from collaboration.services.comment import (
    comment_edit,
    comment_hide,
    comment_post,
    comment_report,
    comment_report_handle,
)
from samenorg.core.actors import Actor, moderator_actor
from samenorg.events.models import Event, EventAudience
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return InitiativeFactory(published=True, owner__municipality__name="Utrecht")


@pytest.fixture
def commenter():
    """A member of another municipality, who comments on its behalf."""
    membership = MembershipFactory(organisation__municipality__name="Zwolle")
    return Actor(organisation=membership.organisation, user=membership.user)


@pytest.fixture
def facilitator():
    user = UserFactory(facilitator=True)
    MembershipFactory(user=user, organisation=OrganisationFactory(name="VNG"))
    return user


@pytest.fixture
def posted(commenter, initiative):
    return comment_post(actor=commenter, initiative=initiative, body="Wij gebruiken dit ook, **werkt goed**.")


def age(comment, **delta):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(**delta))
    comment.refresh_from_db()
    return comment


def parsed(html):
    """Every start tag in ``html`` with its attributes, as the browser would see them."""
    tags = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Collector().feed(html)
    return tags


def thread_url(initiative):
    return initiative.get_absolute_url()


# Posting


def test_a_member_posts_for_their_organisation_and_the_event_holds_ids_only(commenter, initiative, posted):
    assert (posted.author, posted.organisation, posted.initiative) == (
        commenter.user,
        commenter.organisation,
        initiative,
    )
    event = Event.objects.get(type="comment.posted")
    assert event.audience == EventAudience.PUBLIC
    assert (event.comment, event.initiative, event.organisation) == (posted, initiative, commenter.organisation)
    assert event.payload == {"initiative": initiative.pk, "comment": posted.pk}


def test_a_comment_on_a_draft_is_for_its_participants(commenter):
    draft = InitiativeFactory(owner=commenter.organisation)

    comment_post(actor=commenter, initiative=draft, body="Intern overleg.")

    assert Event.objects.get(type="comment.posted").audience == EventAudience.PARTICIPANTS


def test_someone_without_an_organisation_or_acting_for_another_cannot_post(commenter, initiative):
    loner = UserFactory()
    other = MembershipFactory().organisation

    with pytest.raises(PermissionDenied, match="Word eerst lid van je organisatie"):
        comment_post(actor=Actor(organisation=other, user=loner), initiative=initiative, body="Hallo")
    with pytest.raises(PermissionDenied):
        comment_post(actor=Actor(organisation=other, user=commenter.user), initiative=initiative, body="Hallo")
    with pytest.raises(PermissionDenied):
        comment_post(actor=Actor(organisation=commenter.organisation), initiative=initiative, body="Hallo")

    assert not Comment.objects.exists()
    assert not Event.objects.exists()


def test_a_draft_of_another_organisation_cannot_be_commented_on(commenter):
    draft = InitiativeFactory()

    with pytest.raises(PermissionDenied):
        comment_post(actor=commenter, initiative=draft, body="Gluren")

    assert not Comment.objects.exists()


def test_an_archived_initiative_takes_no_new_comments(commenter):
    archived = InitiativeFactory(archived=True)

    with pytest.raises(ValidationError, match="gesprek is gesloten"):
        comment_post(actor=commenter, initiative=archived, body="Te laat")

    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 5001])
def test_an_empty_or_too_long_comment_is_refused(commenter, initiative, body):
    with pytest.raises(ValidationError) as refused:
        comment_post(actor=commenter, initiative=initiative, body=body)

    assert "body" in refused.value.message_dict
    assert not Comment.objects.exists()


def test_a_flood_is_refused_after_five_comments_in_a_minute(commenter, initiative):
    for number in range(5):
        comment_post(actor=commenter, initiative=initiative, body=f"Reactie {number}")

    with pytest.raises(ValidationError, match="Wacht een minuut"):
        comment_post(actor=commenter, initiative=initiative, body="Nummer zes")

    assert Comment.objects.count() == 5
    assert Event.objects.count() == 5


def test_at_most_thirty_comments_an_hour(commenter, initiative):
    for number in range(30):
        age(comment_post(actor=commenter, initiative=initiative, body=f"Reactie {number}"), minutes=2 + number)

    with pytest.raises(ValidationError, match="afgelopen uur 30 reacties"):
        comment_post(actor=commenter, initiative=initiative, body="Nummer 31")

    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    comment_post(actor=commenter, initiative=initiative, body="Een uur later mag het weer")
    assert Comment.objects.count() == 31


def test_the_flood_limit_counts_per_author(commenter, initiative):
    for number in range(5):
        comment_post(actor=commenter, initiative=initiative, body=f"Reactie {number}")
    colleague = MembershipFactory(organisation=commenter.organisation).user

    comment_post(actor=Actor(organisation=commenter.organisation, user=colleague), initiative=initiative, body="Ik")

    assert Comment.objects.count() == 6


# Editing


def test_the_author_edits_within_fifteen_minutes_without_an_event(commenter, posted):
    comment_edit(user=commenter.user, comment=age(posted, minutes=14), body="Verbeterde tekst.")

    posted.refresh_from_db()
    assert posted.body == "Verbeterde tekst."
    assert posted.edited_at is not None
    assert list(Event.objects.values_list("type", flat=True)) == ["comment.posted"]


def test_editing_after_fifteen_minutes_is_refused_and_changes_nothing(commenter, posted):
    age(posted, minutes=16)

    with pytest.raises(ValidationError, match="15 minuten"):
        comment_edit(user=commenter.user, comment=posted, body="Te laat")

    posted.refresh_from_db()
    assert (posted.body, posted.edited_at) == ("Wij gebruiken dit ook, **werkt goed**.", None)


def test_only_the_author_edits(posted, facilitator):
    for user in (MembershipFactory(organisation=posted.organisation).user, facilitator):
        with pytest.raises(PermissionDenied):
            comment_edit(user=user, comment=posted, body="Overgenomen")

    posted.refresh_from_db()
    assert posted.edited_at is None


def test_a_hidden_comment_cannot_be_edited(commenter, posted, facilitator):
    comment_hide(actor=moderator_actor(facilitator), comment=posted, reason="Reclame.")

    with pytest.raises(ValidationError, match="verborgen"):
        comment_edit(user=commenter.user, comment=posted, body="Toch")


# Hiding


def test_a_facilitator_hides_with_a_reason_for_facilitators_only(posted, facilitator):
    CommentReport.objects.create(comment=posted, reporter=UserFactory(), reason="Reclame.")

    comment_hide(actor=moderator_actor(facilitator), comment=posted, reason="Bevat een telefoonnummer.")

    posted.refresh_from_db()
    assert (posted.is_hidden, posted.hidden_by, posted.hidden_reason) == (
        True,
        facilitator,
        "Bevat een telefoonnummer.",
    )
    event = Event.objects.get(type="comment.hidden")
    assert event.audience == EventAudience.FACILITATORS
    assert event.payload == {"initiative": posted.initiative_id, "comment": posted.pk}
    assert not CommentReport.objects.filter(handled_at__isnull=True).exists()


def test_only_facilitators_hide_and_only_with_a_reason(commenter, posted, facilitator):
    owner_member = MembershipFactory(organisation=posted.initiative.owner)
    for actor in (commenter, Actor(organisation=owner_member.organisation, user=owner_member.user)):
        with pytest.raises(PermissionDenied):
            comment_hide(actor=actor, comment=posted, reason="Niet leuk")
    with pytest.raises(ValidationError):
        comment_hide(actor=moderator_actor(facilitator), comment=posted, reason="  ")

    posted.refresh_from_db()
    assert not posted.is_hidden
    assert not Event.objects.filter(type="comment.hidden").exists()


def test_a_comment_is_hidden_once(posted, facilitator):
    comment_hide(actor=moderator_actor(facilitator), comment=posted, reason="Reclame.")

    with pytest.raises(ValidationError, match="al verborgen"):
        comment_hide(actor=moderator_actor(facilitator), comment=posted, reason="Nog eens")

    assert Event.objects.filter(type="comment.hidden").count() == 1


# Reporting


def test_anyone_logged_in_reports_a_comment_once(posted):
    reader = UserFactory()  # no organisation needed to report

    comment_report(reporter=reader, comment=posted, reason="Dit is reclame.")
    with pytest.raises(ValidationError, match="al gemeld"):
        comment_report(reporter=reader, comment=posted, reason="Echt waar.")

    assert CommentReport.objects.get().reason == "Dit is reclame."


def test_reporting_ones_own_or_a_hidden_comment_is_refused(commenter, posted, facilitator):
    with pytest.raises(ValidationError, match="eigen reactie"):
        comment_report(reporter=commenter.user, comment=posted, reason="Oeps")
    comment_hide(actor=moderator_actor(facilitator), comment=posted, reason="Reclame.")
    with pytest.raises(ValidationError, match="al verborgen"):
        comment_report(reporter=UserFactory(), comment=posted, reason="Ook")

    assert not CommentReport.objects.exists()


def test_a_report_needs_a_reason_and_a_visible_initiative(commenter):
    draft_comment = CommentFactory(initiative=InitiativeFactory())
    with pytest.raises(PermissionDenied):
        comment_report(reporter=commenter.user, comment=draft_comment, reason="Gezien?")
    with pytest.raises(ValidationError):
        comment_report(reporter=commenter.user, comment=CommentFactory(), reason=" ")

    assert not CommentReport.objects.exists()


def test_only_facilitators_mark_a_report_handled(posted, facilitator):
    report = comment_report(reporter=UserFactory(), comment=posted, reason="Reclame.")

    with pytest.raises(PermissionDenied):
        comment_report_handle(user=UserFactory(), report=report)
    comment_report_handle(user=facilitator, report=report)

    report.refresh_from_db()
    assert report.handled_at is not None


# The thread on the initiative page


def test_anonymous_visitors_are_asked_to_log_in_and_see_no_comments(client, posted):
    page = client.get(thread_url(posted.initiative)).content.decode()

    assert "Log in om het gesprek te lezen en mee te praten" in page
    assert "werkt goed" not in page


def test_an_anonymous_post_is_sent_to_log_in_and_changes_nothing(client, initiative):
    response = client.post(reverse("collaboration:comment-post", kwargs={"slug": initiative.slug}), {"body": "Hoi"})

    assert response.status_code == 302
    assert "inloggen" in response.url or "login" in response.url
    assert not Comment.objects.exists()


def test_a_member_posts_through_the_page_and_lands_on_their_comment(client, commenter, initiative):
    client.force_login(commenter.user)
    page = client.get(thread_url(initiative)).content.decode()
    assert "Nog geen reacties" in page
    assert 'action="{}"'.format(reverse("collaboration:comment-post", kwargs={"slug": initiative.slug})) in page

    response = client.post(
        reverse("collaboration:comment-post", kwargs={"slug": initiative.slug}), {"body": "Mooi initiatief!"}
    )

    comment = Comment.objects.get()
    assert response.url == f"{initiative.get_absolute_url()}?reacties=1#reactie-{comment.pk}"
    assert comment.organisation == commenter.organisation
    page = client.get(response.url).content.decode()
    assert "Mooi initiatief!" in page
    assert commenter.organisation.name in page


def test_a_member_of_several_organisations_chooses_one_and_only_their_own(client, commenter, initiative):
    second = MembershipFactory(user=commenter.user, organisation=OrganisationFactory(name="Aaa Advies"))
    stranger = OrganisationFactory(name="Niet van mij")
    client.force_login(commenter.user)
    url = reverse("collaboration:comment-post", kwargs={"slug": initiative.slug})

    page = client.get(thread_url(initiative)).content.decode()
    assert "Namens" in page
    response = client.post(url, {"body": "Als vreemde", "organisation": stranger.pk})
    assert response.status_code == 200
    assert not Comment.objects.exists()

    client.post(url, {"body": "Namens het adviesbureau", "organisation": second.organisation.pk})
    assert Comment.objects.get().organisation == second.organisation


def test_without_an_organisation_the_page_says_join_first(client, initiative):
    client.force_login(UserFactory())

    page = client.get(thread_url(initiative)).content.decode()
    response = client.post(
        reverse("collaboration:comment-post", kwargs={"slug": initiative.slug}), {"body": "Hoi"}, follow=True
    )

    assert "Word eerst lid van je organisatie" in page
    assert "Word eerst lid van je organisatie; daarna kun je meepraten." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_flood_is_refused_on_the_page_in_dutch_keeping_the_text(client, commenter, initiative):
    for number in range(5):
        comment_post(actor=commenter, initiative=initiative, body=f"Reactie {number}")
    client.force_login(commenter.user)

    response = client.post(
        reverse("collaboration:comment-post", kwargs={"slug": initiative.slug}), {"body": "Mijn zesde gedachte"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Je plaatst erg snel reacties" in body
    assert "Mijn zesde gedachte" in body
    assert Comment.objects.count() == 5


def test_markdown_in_comments_is_sanitised(client, commenter, initiative):
    comment_post(
        actor=commenter,
        initiative=initiative,
        body=(
            '<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n'
            "[klik](javascript:alert(1)) en [bron](https://example.org) en **vet**"
        ),
    )
    client.force_login(UserFactory())

    page = client.get(thread_url(initiative)).content.decode()
    thread = page[page.index('id="reacties"') :]

    tags = parsed(thread)
    assert not [tag for tag, _ in tags if tag in {"script", "img"}]
    assert not [attrs for _, attrs in tags if any(name.startswith("on") for name, _ in attrs)]
    assert not [attrs for _, attrs in tags if any((value or "").startswith("javascript:") for _, value in attrs)]
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">bron</a>' in thread
    assert "<strong>vet</strong>" in thread


def test_the_author_edits_through_the_page_and_the_thread_says_edited(client, commenter, posted):
    client.force_login(commenter.user)
    url = reverse("collaboration:comment-edit", kwargs={"slug": posted.initiative.slug, "pk": posted.pk})

    assert url in client.get(thread_url(posted.initiative)).content.decode()
    response = client.post(url, {"body": "Wij gebruiken dit ook."}, follow=True)

    page = response.content.decode()
    assert "Je reactie is gewijzigd." in page
    assert "bewerkt" in page


def test_editing_after_fifteen_minutes_is_refused_on_the_page(client, commenter, posted):
    age(posted, minutes=20)
    client.force_login(commenter.user)
    url = reverse("collaboration:comment-edit", kwargs={"slug": posted.initiative.slug, "pk": posted.pk})

    assert url not in client.get(thread_url(posted.initiative)).content.decode()
    response = client.post(url, {"body": "Te laat"}, follow=True)

    assert "15 minuten na het plaatsen" in response.content.decode()
    posted.refresh_from_db()
    assert posted.edited_at is None


def test_someone_elses_comment_has_no_edit_page(client, posted):
    client.force_login(MembershipFactory(organisation=posted.organisation).user)

    response = client.post(
        reverse("collaboration:comment-edit", kwargs={"slug": posted.initiative.slug, "pk": posted.pk}),
        {"body": "Overgenomen"},
    )

    assert response.status_code == 404
    posted.refresh_from_db()
    assert posted.edited_at is None


def test_a_comment_of_another_initiative_is_not_found_through_this_one(client, facilitator, posted):
    other = InitiativeFactory(published=True)
    client.force_login(facilitator)

    response = client.post(
        reverse("collaboration:comment-hide", kwargs={"slug": other.slug, "pk": posted.pk}), {"reason": "Weg"}
    )

    assert response.status_code == 404
    posted.refresh_from_db()
    assert not posted.is_hidden


def test_reporting_through_the_page_once(client, posted):
    reader = UserFactory()
    client.force_login(reader)
    url = reverse("collaboration:comment-report", kwargs={"slug": posted.initiative.slug, "pk": posted.pk})

    assert url in client.get(thread_url(posted.initiative)).content.decode()
    first = client.post(url, {"reason": "Reclame voor een bedrijf."}, follow=True)
    second = client.post(url, {"reason": "Nogmaals."}, follow=True)

    assert "de facilitatoren kijken naar deze reactie" in first.content.decode()
    assert "Je hebt deze reactie al gemeld" in second.content.decode()
    assert "Je hebt deze reactie gemeld" in client.get(thread_url(posted.initiative)).content.decode()
    assert CommentReport.objects.count() == 1


def test_a_hidden_comment_shows_a_notice_to_all_and_its_reason_to_author_and_facilitators(
    client, commenter, posted, facilitator
):
    client.force_login(facilitator)
    client.post(
        reverse("collaboration:comment-hide", kwargs={"slug": posted.initiative.slug, "pk": posted.pk}),
        {"reason": "Bevat persoonsgegevens."},
    )
    posted.refresh_from_db()
    assert posted.is_hidden

    pages = {}
    for name, user in {"reader": UserFactory(), "author": commenter.user, "facilitator": facilitator}.items():
        client.force_login(user)
        page = client.get(thread_url(posted.initiative)).content.decode()
        pages[name] = page[page.index('id="reacties"') :]

    for page in pages.values():
        assert "Deze reactie is verborgen door een facilitator." in page
    assert "werkt goed" not in pages["reader"]
    assert "Bevat persoonsgegevens." not in pages["reader"]
    assert "Bevat persoonsgegevens." in pages["author"]
    assert "Bevat persoonsgegevens." in pages["facilitator"]


def test_the_hide_page_does_not_exist_for_others(client, posted):
    client.force_login(MembershipFactory(organisation=posted.initiative.owner).user)

    response = client.post(
        reverse("collaboration:comment-hide", kwargs={"slug": posted.initiative.slug, "pk": posted.pk}),
        {"reason": "Weg ermee"},
    )

    assert response.status_code == 404
    posted.refresh_from_db()
    assert not posted.is_hidden


def test_comments_are_paginated_oldest_first(client, initiative):
    author = MembershipFactory()
    comments = [
        CommentFactory(
            initiative=initiative, author=author.user, organisation=author.organisation, body=f"Bericht {n:02d}"
        )
        for n in range(30)
    ]
    client.force_login(UserFactory())

    first = client.get(thread_url(initiative)).content.decode()
    second = client.get(thread_url(initiative), {"reacties": 2}).content.decode()

    assert "Bericht 00" in first
    assert "Bericht 24" in first
    assert "Bericht 25" not in first
    assert "Pagina 1 van 2" in first
    assert "Bericht 25" in second
    assert "Bericht 29" in second
    assert "Bericht 00" not in second
    assert f'id="reactie-{comments[-1].pk}"' in second


# The admin


def test_facilitators_find_reported_comments_and_hide_them_with_a_reason(client, posted, facilitator):
    CommentReport.objects.create(comment=posted, reporter=UserFactory(), reason="Reclame.")
    quiet = CommentFactory(initiative=posted.initiative, body="Rustige reactie")
    log_in_with_second_factor(client, facilitator)
    changelist = reverse("admin:collaboration_comment_changelist")

    reported = client.get(changelist, {"gemeld": "ja"}).content.decode()
    assert "werkt goed" in reported
    assert "Rustige reactie" not in reported

    data = {"action": "hide_selected", "_selected_action": [posted.pk]}
    asked = client.post(changelist, data)
    assert asked.status_code == 200
    assert "Deze reacties worden verborgen." in asked.content.decode()
    posted.refresh_from_db()
    assert not posted.is_hidden

    done = client.post(changelist, {**data, "reason": "Reclame voor een bedrijf."})
    assert done.status_code == 302
    posted.refresh_from_db()
    quiet.refresh_from_db()
    assert (posted.is_hidden, posted.hidden_reason, quiet.is_hidden) == (True, "Reclame voor een bedrijf.", False)
    assert Event.objects.filter(type="comment.hidden", comment=posted).count() == 1
    hidden = client.get(changelist, {"verborgen": "ja"}).content.decode()
    assert "werkt goed" in hidden


def test_facilitators_mark_reports_handled_in_the_admin(client, posted, facilitator):
    report = CommentReport.objects.create(comment=posted, reporter=UserFactory(), reason="Twijfel.")
    log_in_with_second_factor(client, facilitator)

    response = client.post(
        reverse("admin:collaboration_commentreport_changelist"),
        {"action": "mark_handled", "_selected_action": [report.pk]},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.handled_at is not None
    assert not Comment.objects.get().is_hidden


# The demo


def test_the_demo_conversations_and_milestones_are_realistic_and_seeded_once(municipalities):
    from django.core.management import call_command

    from collaboration.models import Milestone

    call_command("seed_demo")
    first = (Comment.objects.count(), CommentReport.objects.count(), Milestone.objects.count())
    call_command("seed_demo")

    assert (Comment.objects.count(), CommentReport.objects.count(), Milestone.objects.count()) == first
    assert Comment.objects.values("initiative").distinct().count() >= 24
    hidden = Comment.objects.get(hidden_at__isnull=False)
    assert hidden.hidden_reason
    assert CommentReport.objects.filter(handled_at__isnull=True).count() == 1
    assert Milestone.objects.filter(achieved_on__isnull=False).exists()
    assert Milestone.objects.filter(achieved_on__isnull=True).exists()
    assert not Milestone.objects.filter(initiative__phase__in=["idea", "exploration"]).exists()
    assert not Milestone.objects.filter(achieved_on__gt=timezone.localdate()).exists()
    questions = Comment.objects.exclude(organisation=models.F("initiative__owner"))
    assert questions.count() > Comment.objects.filter(organisation=models.F("initiative__owner")).count()
