"""A municipal civil servant registers an initiative, publishes it, and anyone finds it by search,
in a real browser; the form, detail and list pages meet WCAG 2.1 AA."""

import pytest
from django.urls import reverse

from tests.browser.checks import assert_accessible
from tests.factories import MembershipFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_publish_and_find_an_initiative(page, console, log_in):
    ThemeFactory(name="Dienstverlening")
    member = MembershipFactory(organisation__municipality__name="Zwolle").user
    log_in(member)

    page.goto(reverse("initiatives:create"))
    assert_accessible(page, console)
    page.fill("input[name=title]", "Eén loket voor alle vergunningen")
    page.fill("textarea[name=summary]", "Inwoners vragen hun vergunningen op één plek aan.")
    page.fill("textarea[name=description]", "## Aanpak\n\nWe bundelen de **formulieren** van alle afdelingen.")
    page.get_by_label("Dienstverlening").check()
    page.get_by_role("button", name="Opslaan als concept").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Eén loket voor alle vergunningen"
    assert page.locator("main h2", has_text="Aanpak").count() == 1
    assert_accessible(page, console)
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_load_state()
    assert "iedereen kan het nu vinden" in page.locator("main").inner_text()

    page.context.clear_cookies()
    page.goto(reverse("initiatives:list"))
    page.fill("input[name=q]", "vergunning")
    page.locator("main form[role=search] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Eén loket voor alle vergunningen").count() == 1
    assert_accessible(page, console)
