"""In a real browser: a facilitator sets up the authenticator app the admin asks for, keeps the recovery
codes, logs in again with password and code, and reaches the admin. Each page of ours on the way meets
WCAG 2.1 AA and the CSP."""

import re
import time

import pytest
from django.urls import reverse

from samenorg.accounts.oidc_config import openid_connect_providers
from tests.browser.conftest import log_in_through_form
from tests.browser.test_standards_walk import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.second_factor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_of_the_app(secret: str) -> str:
    """What the app shows; like a person, wait for a fresh code when this one is about to expire."""
    seconds_left = 30 - time.time() % 30
    if seconds_left < 3:
        time.sleep(seconds_left + 0.1)
    return totp_code(secret)


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def test_a_facilitator_sets_up_the_app_and_reaches_the_admin_with_a_code(page, console):
    facilitator = UserFactory(facilitator=True)
    log_in_through_form(page, facilitator.email, PASSWORD)

    page.goto(reverse("admin:index"))
    assert page.url.endswith(reverse("accounts:second-factor-required") + "?next=/beheer/")
    assert_accessible(page, console)
    page.locator(f"main a[href='{reverse('mfa_activate_totp')}']").click()
    page.wait_for_load_state()
    assert reverse("account_reauthenticate") in page.url, "allauth asks for the password again first"
    assert_accessible(page, console)
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    assert page.url.endswith(reverse("mfa_activate_totp"))
    assert_accessible(page, console)
    assert page.locator("main img[src^='data:image/svg+xml;base64,']").count() == 1, "the QR code"
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", code_of_the_app(secret))
    submit(page)

    assert page.url.endswith(reverse("mfa_view_recovery_codes"))
    assert_accessible(page, console)
    recovery_codes = page.locator("#recovery_codes").input_value().split()
    assert len(recovery_codes) == 10
    page.goto(reverse("mfa_index"))
    assert_accessible(page, console)
    page.goto(reverse("admin:index"))
    assert page.url.endswith(reverse("mfa_reauthenticate") + "?next=/beheer/"), "a code of this login is missing"
    assert_accessible(page, console)
    page.goto(reverse("usersessions_list"))
    assert_accessible(page, console)

    page.locator(".samenorg-user-nav button[type=submit]").click()
    page.wait_for_load_state()
    log_in_through_form(page, facilitator.email, PASSWORD)
    assert page.url.endswith(reverse("mfa_authenticate"))
    assert_accessible(page, console)
    page.fill("input[name=code]", code_of_the_app(secret))
    submit(page)
    response = page.goto(reverse("admin:index"))

    assert response.status == 200
    assert page.url.endswith(reverse("admin:index"))
    assert page.locator("#site-name").inner_text() == "Samen Organiseren"


def test_the_pages_of_a_login_through_an_identity_provider_meet_wcag(page, console, log_in, settings):
    """The pages only; the login itself is tested against a provider in tests/accounts/test_oidc.py."""
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(
        server_url="https://login.vng.example", client_id="samen-organiseren", secret="secret", name="VNG-account"
    )
    page.goto(reverse("account_login"))
    assert page.get_by_role("button", name=re.compile("VNG-account")).count() == 1
    assert_accessible(page, console)

    page.goto(reverse("openid_connect_login", kwargs={"provider_id": "oidc"}))
    assert_accessible(page, console)  # the confirmation asked before a login started by a link

    log_in(UserFactory())
    page.goto(reverse("socialaccount_connections"))
    assert page.get_by_role("link", name="VNG-account").count() == 1
    assert_accessible(page, console)
