"""In a real browser, the data rights: a coordinator downloads their data, is warned on the delete page that
their organisation loses its only coordinator, mistypes the password, then deletes the account and lands on
the home page with the confirmation. Every page on the way meets WCAG 2.1 AA and the CSP. Leaves
var/screenshots/data-rights-*.png to look at."""

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from samenorg.accounts.models import User
from tests.browser.checks import assert_accessible
from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_downloads_their_data_then_deletes_the_account(page, console, log_in, screenshot_dir):
    membership = MembershipFactory(coordinator=True, organisation__name="Gemeente Utrecht")
    MembershipFactory(organisation=membership.organisation)
    person = membership.user
    log_in(person)

    page.goto(reverse("privacy"))
    assert_accessible(page, console)

    page.goto(reverse("accounts:my-data"))
    assert_accessible(page, console)
    page.screenshot(path=str(screenshot_dir / "data-rights-my-data.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Mijn gegevens downloaden (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("samenorg-mijn-gegevens-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == person.email

    page.goto(reverse("accounts:delete"))
    assert page.get_by_role("link", name="Gemeente Utrecht").is_visible()
    assert_accessible(page, console)
    page.get_by_label("Je wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Dat is niet je wachtwoord.").is_visible()
    assert_accessible(page, console)
    page.screenshot(path=str(screenshot_dir / "data-rights-delete-error.png"), full_page=True)

    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path == reverse("home")
    assert page.get_by_text("Je account is verwijderd.").is_visible()
    assert_accessible(page, console)
    page.screenshot(path=str(screenshot_dir / "data-rights-deleted.png"), full_page=True)
    assert not User.objects.filter(pk=person.pk).exists()
