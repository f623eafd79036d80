"""In a real browser, the road of issue 5: an editor nominates a proven practice, a facilitator takes
it through intake and consultation in the admin and adopts it, and a municipality records its
adoption and finds itself on the map. Every page of ours on the way meets WCAG 2.1 AA and the CSP."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Organisation
from standards.models import Adoption, Nomination, Standard
from tests.browser.checks import assert_accessible, assert_axe_clean
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory
from tests.second_factor import activate_authenticator, authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).first.click()


def test_from_proven_practice_to_a_standard_on_the_map(page, console, log_in, browser_context, municipalities):
    utrecht = Organisation.objects.get(municipality__code="GM0344")
    editor = MembershipFactory(organisation=utrecht)
    practice = InitiativeFactory(owner=utrecht, published=True, phase="proven_practice", title="Eén loket wonen")

    log_in(editor.user)
    page.goto(practice.get_absolute_url())
    page.get_by_role("link", name="Voordragen als standaard").click()
    page.wait_for_load_state()
    assert_accessible(page, console)
    page.fill("input[name=organisations_using]", "14")
    page.fill("textarea[name=results]", "Doorlooptijd van acht naar drie weken.")
    page.fill("textarea[name=costs_and_savings]", "Eenmalig € 15.000; besparing € 40.000 per jaar.")
    page.fill("textarea[name=reusability]", "Open source, met een invoeringshandleiding.")
    page.fill("textarea[name=documentation]", "https://example.nl/handleiding")
    submit(page, "Voordracht indienen")
    nomination = Nomination.objects.get()
    assert "Doorlooptijd van acht naar drie weken." in page.locator("main").inner_text()
    assert_accessible(page, console)

    browser_context.clear_cookies()
    facilitator = MembershipFactory(user=UserFactory(facilitator=True)).user
    authenticator = activate_authenticator(facilitator)
    log_in(facilitator)
    page.goto(reverse("admin:standards_nomination_changelist"))
    page.fill("input[name=code]", authenticator_code(authenticator))  # the admin asks for the app's code
    submit(page, "Bevestigen")
    page.get_by_role("link", name="Eén loket wonen").click()
    assert_axe_clean(page)  # Django's own admin pages: axe only (it sets a few inline styles the CSP blocks)
    page.get_by_role("link", name="Volgende stap zetten").click()
    page.wait_for_load_state()
    assert_axe_clean(page)
    page.select_option("select[name=to_stage]", "intake")
    page.fill("textarea[name=reason]", "Het dossier is compleet.")
    submit(page, "Opslaan")
    page.get_by_role("link", name="Volgende stap zetten").click()
    page.select_option("select[name=to_stage]", "consultation")
    page.fill("input[name=closes_on]", (timezone.localdate() + datetime.timedelta(days=21)).isoformat())
    submit(page, "Opslaan")
    # What Django's admin pages logged (their inline styles) is theirs; from here on it is our pages again.
    page.wait_for_load_state("networkidle")
    console.errors.clear()
    console.csp_violations.clear()
    page.goto(reverse("standards:nomination", kwargs={"pk": nomination.pk}))
    assert "Consultatie sluit op" in page.locator("main").inner_text()
    assert_accessible(page, console)
    page.goto(reverse("admin:standards_nomination_step", args=[nomination.pk]))
    page.select_option("select[name=to_stage]", "adopted")
    page.fill("textarea[name=reason]", "Bewezen in veertien gemeenten; de consultatie steunt het.")
    submit(page, "Opslaan")
    standard = Standard.objects.get()
    assert standard.nomination == nomination

    page.wait_for_load_state("networkidle")
    console.errors.clear()
    console.csp_violations.clear()
    browser_context.clear_cookies()
    zwolle = MembershipFactory(organisation=Organisation.objects.get(municipality__code="GM0193"))
    log_in(zwolle.user)
    page.goto(standard.get_absolute_url())
    assert_accessible(page, console)
    page.get_by_role("link", name="Onze overname vastleggen").click()
    page.wait_for_load_state()
    assert_accessible(page, console)
    page.check("input[name=status][value=implementing]")
    submit(page, "Opslaan")
    assert Adoption.objects.get().organisation == zwolle.organisation
    own_area = page.locator("svg path.samenorg-map__area--highlight")
    assert own_area.count() == 1
    assert "samenorg-map__area--implementing" in own_area.get_attribute("class")
    assert "Omlijnd: jouw gemeente, Zwolle" in page.locator("main").inner_text()
    assert_accessible(page, console)

    page.goto(reverse("standards:dashboard"))
    assert_accessible(page, console)
    page.goto(reverse("standards:list"))
    assert_accessible(page, console)
