"""In a real browser: a member of Zwolle asks to join Utrecht's initiative, Utrecht decides, and the
pages on the way (the initiative page, the decide page with and without its error, my overview, the
municipality page) meet WCAG 2.1 AA and the content security policy."""

import pytest
from django.urls import reverse

from collaboration.models import Participation
from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.core.actors import Actor
from tests.browser.checks import assert_accessible
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_to_join_and_decide_in_the_browser(page, console, log_in, browser_context):
    utrecht = MembershipFactory(organisation__municipality__name="Utrecht")
    zwolle = MembershipFactory(organisation__municipality__name="Zwolle")
    actor = Actor(organisation=utrecht.organisation, user=utrecht.user)
    initiative = initiative_publish(
        actor=actor, initiative=initiative_create(actor=actor, title="Wijkdashboard", summary="Cijfers per wijk.")
    )

    log_in(zwolle.user)
    page.goto(initiative.get_absolute_url())
    assert_accessible(page, console)
    page.select_option("select[name=join-role]", "knowledge_partner")
    page.fill("textarea[name=join-motivation]", "Zwolle wil dit ook invoeren.")
    page.get_by_role("button", name="Vraag om mee te doen").click()
    page.get_by_text("Je verzoek is verstuurd").wait_for()
    assert page.get_by_role("button", name="Verzoek intrekken").count() == 1
    assert_accessible(page, console)

    browser_context.clear_cookies()
    log_in(utrecht.user)
    page.goto(reverse("accounts:overview"))
    assert_accessible(page, console)
    page.get_by_role("link", name="Besluit over Gemeente Zwolle").click()
    page.wait_for_load_state()
    assert_accessible(page, console)
    page.check("input[name=decision][value=decline]")
    page.get_by_role("button", name="Besluit opslaan").click()
    page.wait_for_load_state()
    assert page.locator(".utrecht-form-field--invalid, .errorlist").count() >= 1
    assert_accessible(page, console)
    page.check("input[name=decision][value=accept]")
    page.get_by_role("button", name="Besluit opslaan").click()
    page.get_by_text("Gemeente Zwolle kan je besluit lezen").wait_for()
    assert_accessible(page, console)
    assert Participation.objects.get(organisation=zwolle.organisation).status == "active"

    page.goto(zwolle.organisation.get_absolute_url())
    assert "Wijkdashboard" in page.locator("main").inner_text()
    assert_accessible(page, console)
