"""In a real browser, the collaboration walk of issue 4: staff of municipality A asks to join B's
initiative as co-developer, B accepts, A's staff can now edit it and plan a milestone, B marks the
milestone achieved; and the conversation pages. Every page on the way meets WCAG 2.1 AA and the CSP."""

import pytest
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Milestone, Participation
from collaboration.services.comment import comment_hide
from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.core.actors import Actor, moderator_actor
from tests.browser.checks import assert_accessible
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    MembershipFactory,
    MilestoneFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_co_developer_joins_edits_and_plans_and_the_initiator_celebrates(page, console, log_in, browser_context):
    ThemeFactory(name="Fysiek domein")
    b = MembershipFactory(organisation__municipality__name="Breda")
    a = MembershipFactory(organisation__municipality__name="Almere")
    actor = Actor(organisation=b.organisation, user=b.user)
    initiative = initiative_publish(
        actor=actor,
        initiative=initiative_create(actor=actor, title="Slimme afvalcontainers", summary="Sensoren melden vol."),
    )

    log_in(a.user)
    page.goto(initiative.get_absolute_url())
    assert_accessible(page, console)
    page.select_option("select[name=join-role]", "co_developer")
    page.fill("textarea[name=join-motivation]", "Almere bouwt de koppeling met de routeplanning.")
    page.get_by_role("button", name="Vraag om mee te doen").click()
    page.get_by_text("Je verzoek is verstuurd").wait_for()
    assert page.get_by_role("link", name="Bewerken").count() == 0, "not an editor before the decision"

    browser_context.clear_cookies()
    log_in(b.user)
    page.goto(reverse("accounts:overview"))
    page.get_by_role("link", name="Besluit over Gemeente Almere").click()
    page.wait_for_load_state()
    assert_accessible(page, console)
    page.check("input[name=decision][value=accept]")
    submit(page, "Besluit opslaan")
    assert Participation.objects.get(organisation=a.organisation).status == "active"

    browser_context.clear_cookies()
    log_in(a.user)
    page.goto(initiative.get_absolute_url())
    page.get_by_role("link", name="Bewerken").click()
    page.wait_for_load_state()
    assert_accessible(page, console)
    page.locator("input[name=themes]").first.check()  # created without a theme: the form asks for one
    page.fill("textarea[name=summary]", "Sensoren melden wanneer een container vol is; de route past zich aan.")
    submit(page, "Opslaan")
    assert "de route past zich aan" in page.locator("main").inner_text()

    page.get_by_role("link", name="Mijlpaal plannen").click()
    page.wait_for_load_state()
    assert_accessible(page, console)
    page.fill("input[name=title]", "Koppeling met de routeplanning live")
    page.fill("input[name=target_date]", timezone.localdate().isoformat())
    submit(page, "Mijlpaal plannen")
    milestone = Milestone.objects.get()
    assert milestone.planned_for == a.organisation
    assert_accessible(page, console)

    browser_context.clear_cookies()
    log_in(b.user)
    page.goto(reverse("collaboration:milestone-achieve", kwargs={"slug": initiative.slug, "pk": milestone.pk}))
    assert_accessible(page, console)
    page.fill("input[name=achieved_on]", timezone.localdate().isoformat())
    page.fill("textarea[name=achievement]", "Twaalf routes rijden nu op basis van de sensoren.")
    submit(page, "Markeren als bereikt")
    milestone.refresh_from_db()
    assert milestone.is_achieved
    assert "Twaalf routes rijden nu op basis van de sensoren." in page.locator("main").inner_text()
    assert_accessible(page, console)


def test_the_conversation_and_milestone_pages_meet_wcag_21_aa(page, console, log_in, browser_context):
    editor = MembershipFactory()
    facilitator = MembershipFactory(user=UserFactory(facilitator=True)).user
    initiative = InitiativeFactory(owner=editor.organisation, published=True)
    planned = MilestoneFactory(initiative=initiative, title="Opschalen", target_date=timezone.localdate())
    MilestoneFactory(initiative=initiative, achieved=True, evidence_url="https://example.org/rapport")
    colleague = MembershipFactory()
    hidden = CommentFactory(initiative=initiative, author=colleague.user, organisation=colleague.organisation)
    comment_hide(actor=moderator_actor(facilitator), comment=hidden, reason="Reclame.")
    CommentFactory(initiative=initiative, author=editor.user, organisation=editor.organisation, body="**Dank!**")
    other = CommentFactory(initiative=initiative, author=colleague.user, organisation=colleague.organisation)

    def check(path, *, submit_empty=False):
        response = page.goto(path)
        if submit_empty:
            with page.expect_navigation() as navigation:
                page.locator("main form button[type=submit]").first.click()
            response = navigation.value
        assert response.status == 200, path
        assert_accessible(page, console)

    log_in(editor.user)
    check(initiative.get_absolute_url())
    check(reverse("collaboration:milestone-plan", kwargs={"slug": initiative.slug}), submit_empty=True)
    check(
        reverse("collaboration:milestone-achieve", kwargs={"slug": initiative.slug, "pk": planned.pk}),
        submit_empty=True,
    )
    check(reverse("collaboration:comment-post", kwargs={"slug": initiative.slug}), submit_empty=True)
    check(reverse("collaboration:comment-report", kwargs={"slug": initiative.slug, "pk": other.pk}), submit_empty=True)
    browser_context.clear_cookies()
    log_in(facilitator)
    check(initiative.get_absolute_url())
    check(reverse("collaboration:comment-hide", kwargs={"slug": initiative.slug, "pk": other.pk}), submit_empty=True)
