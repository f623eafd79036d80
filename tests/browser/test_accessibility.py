"""Every type of page, in a real browser: WCAG 2.1 A/AA (axe-core), no CSP violations, keyboard basics."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from playwright.sync_api import Page, Response

from tests.browser.conftest import csp_violations, log_in_through_form
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    MembershipRequestFactory,
    MunicipalityFactory,
    MunicipalOrganisationFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@dataclass
class Sample:
    user: object
    municipality: object
    partner: object
    coordinator: object
    membership_request: object
    requested: object
    dissolved: object


@pytest.fixture
def sample() -> Sample:
    municipality = MunicipalOrganisationFactory()
    partner = OrganisationFactory()
    user = UserFactory(job_title="Beleidsadviseur")
    MembershipFactory(user=user, organisation=municipality)
    # A coordinator of another municipality, with a request from someone else to decide on.
    coordination = MembershipFactory(coordinator=True)
    membership_request = MembershipRequestFactory(organisation=coordination.organisation)
    # A partner organisation ``user`` asked for, still waiting for a facilitator.
    requested = OrganisationFactory(requested=True, requested_by=user)
    # A municipality merged into another one: its page stays, and names the successor.
    dissolved = MunicipalOrganisationFactory(
        municipality=MunicipalityFactory(dissolved_on=date(2023, 1, 1), successor=MunicipalityFactory())
    )
    return Sample(
        user=user,
        municipality=municipality,
        partner=partner,
        coordinator=coordination.user,
        membership_request=membership_request,
        requested=requested,
        dissolved=dissolved,
    )


def submit_empty(page: Page) -> Response:
    """Send the page's form as it is: the forms have ``novalidate``, so the server answers with its errors."""
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").first.click()
    return navigation.value


def decline_without_reason(page: Page) -> Response:
    page.check("input[name=decision][value=decline]")
    return submit_empty(page)


def profile_without_name(page: Page) -> Response:
    page.fill("input[name=name]", "")
    return submit_empty(page)


def lock_out(page: Page) -> Response:
    """Wrong passwords for an existing account, AXES_FAILURE_LIMIT (5) times: django-axes shows the lockout page."""
    user = UserFactory()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", "not-the-password")
        response = submit_empty(page)
    return response


@dataclass(frozen=True)
class PageType:
    url: Callable[[Sample], str]
    logged_in: bool = False
    # Who is logged in, when ``logged_in``: by default the sample's member of a municipality.
    user: Callable[[Sample], object] = lambda s: s.user
    status: int = 200
    # What a person does on the page first (submit a form, say); the page it leads to is checked.
    then: Callable[[Page], Response] | None = None
    # A CSS selector the checked page must match, to be sure it is the state the row is about.
    shows: str | None = None


# A field the server marked as wrong (templates/django/forms/field.html).
INVALID_FIELD = ".utrecht-form-field--invalid"


PAGE_TYPES = {
    "home": PageType(lambda s: reverse("home")),
    "accessibility": PageType(lambda s: reverse("accessibility")),
    "privacy": PageType(lambda s: reverse("privacy")),
    "not-found": PageType(lambda s: "/deze-pagina-bestaat-niet", status=404),
    "municipality-list": PageType(lambda s: reverse("municipalities:list")),
    "municipality-detail": PageType(
        lambda s: reverse("municipalities:detail", kwargs={"slug": s.municipality.municipality.slug})
    ),
    "organisation-list": PageType(lambda s: reverse("municipalities:organisation-list")),
    "organisation-detail": PageType(
        lambda s: reverse("municipalities:organisation-detail", kwargs={"slug": s.partner.slug})
    ),
    "login": PageType(lambda s: reverse("account_login")),
    "signup": PageType(lambda s: reverse("account_signup")),
    "password-reset": PageType(lambda s: reverse("account_reset_password")),
    "overview": PageType(lambda s: reverse("accounts:overview"), logged_in=True),
    "profile": PageType(lambda s: reverse("accounts:profile"), logged_in=True),
    "profile-invalid": PageType(
        lambda s: reverse("accounts:profile"), logged_in=True, then=profile_without_name, shows=INVALID_FIELD
    ),
    "membership-request": PageType(
        lambda s: reverse("accounts:membership-request", kwargs={"slug": s.partner.slug}), logged_in=True
    ),
    "membership-request-invalid": PageType(
        lambda s: reverse("accounts:membership-request", kwargs={"slug": s.partner.slug}),
        logged_in=True,
        then=submit_empty,
        shows=INVALID_FIELD,
    ),
    "membership-decide": PageType(
        lambda s: reverse("accounts:membership-decide", kwargs={"pk": s.membership_request.pk}),
        logged_in=True,
        user=lambda s: s.coordinator,
    ),
    "membership-decide-invalid": PageType(
        lambda s: reverse("accounts:membership-decide", kwargs={"pk": s.membership_request.pk}),
        logged_in=True,
        user=lambda s: s.coordinator,
        then=decline_without_reason,
        shows=INVALID_FIELD,
    ),
    "organisation-request": PageType(lambda s: reverse("municipalities:organisation-request"), logged_in=True),
    "organisation-request-invalid": PageType(
        lambda s: reverse("municipalities:organisation-request"), logged_in=True, then=submit_empty, shows=INVALID_FIELD
    ),
    "organisation-detail-requested": PageType(
        lambda s: reverse("municipalities:organisation-detail", kwargs={"slug": s.requested.slug}), logged_in=True
    ),
    "municipality-detail-dissolved": PageType(
        lambda s: reverse("municipalities:detail", kwargs={"slug": s.dissolved.municipality.slug})
    ),
    "email": PageType(lambda s: reverse("account_email"), logged_in=True),
    "change-password": PageType(lambda s: reverse("account_change_password"), logged_in=True),
    "email-verification-sent": PageType(lambda s: reverse("account_email_verification_sent")),
    "confirm-email-bad-key": PageType(lambda s: reverse("account_confirm_email", kwargs={"key": "bogus-key"})),
    "password-reset-bad-token": PageType(
        lambda s: reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bogus-key"})
    ),
    "password-reset-done": PageType(lambda s: reverse("account_reset_password_done")),
    "logout": PageType(lambda s: reverse("account_logout"), logged_in=True),
    "lockout": PageType(lambda s: reverse("account_login"), status=429, then=lock_out),
    "notification-inbox": PageType(lambda s: reverse("notifications:inbox"), logged_in=True),
    "notification-settings": PageType(lambda s: reverse("notifications:settings"), logged_in=True),
    "api-reference": PageType(lambda s: reverse("api:reference")),
    "api-keys": PageType(
        lambda s: reverse("api_keys:list", kwargs={"slug": s.coordinator.memberships.get().organisation.slug}),
        logged_in=True,
        user=lambda s: s.coordinator,
    ),
    "webhooks": PageType(
        lambda s: reverse("webhooks:list", kwargs={"slug": s.coordinator.memberships.get().organisation.slug}),
        logged_in=True,
        user=lambda s: s.coordinator,
    ),
    "two-step-verification": PageType(lambda s: reverse("mfa_index"), logged_in=True),
    "second-factor-required": PageType(lambda s: reverse("accounts:second-factor-required"), logged_in=True),
    "sessions": PageType(lambda s: reverse("usersessions_list"), logged_in=True),
    "my-data": PageType(lambda s: reverse("accounts:my-data"), logged_in=True),
    "delete-account": PageType(lambda s: reverse("accounts:delete"), logged_in=True),
    "delete-account-invalid": PageType(
        lambda s: reverse("accounts:delete"), logged_in=True, then=submit_empty, shows=INVALID_FIELD
    ),
    "webhook-new": PageType(
        lambda s: reverse("webhooks:create", kwargs={"slug": s.coordinator.memberships.get().organisation.slug}),
        logged_in=True,
        user=lambda s: s.coordinator,
    ),
}


def describe_violations(violations: list[dict]) -> str:
    """axe's findings, one block per rule, with the offending elements: readable in a pytest failure."""
    lines = [f"{len(violations)} WCAG 2.1 A/AA violation(s):"]
    for violation in violations:
        lines.append(f"\n[{violation['impact']}] {violation['id']}: {violation['help']}\n  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}\n      {node['html'][:200]}")
            lines.extend(f"      {check['message']}" for check in node["any"] + node["all"] + node["none"])
    return "\n".join(lines)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_meets_wcag_21_aa_and_the_content_security_policy(page, console, log_in, sample, page_type):
    spec = PAGE_TYPES[page_type]
    if spec.logged_in:
        log_in(spec.user(sample))

    response = page.goto(spec.url(sample))
    if spec.then:
        response = spec.then(page)

    assert response.status == spec.status
    if spec.shows:
        assert page.locator(spec.shows).count() > 0, f"{page.url} shows {spec.shows}"
    assert csp_violations(page, console) == []
    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize(
    ("template", "heading"), [("500.html", "Er ging iets mis"), ("503.html", "Even niet bereikbaar")]
)
def test_server_error_pages_meet_wcag_21_aa(page, console, template, heading):
    # 500.html and 503.html are rendered with an empty Context; here each is shown on a page of the site,
    # so its plain /static/ links resolve and the site's CSP applies.
    page.goto(reverse("privacy"))
    page.set_content(get_template(template).render({}))

    assert page.locator("h1").inner_text() == heading
    assert "Noto Sans" in page.evaluate("getComputedStyle(document.body).fontFamily"), "the stylesheets load"
    assert csp_violations(page, console) == []
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, describe_violations(violations)


def test_language_switch_changes_the_page_to_english_and_back(page):
    page.goto(reverse("privacy"))
    assert page.locator("html").get_attribute("lang") == "nl"

    page.locator(".samenorg-language-switch button[value=en]").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(reverse("privacy")), "the switch keeps you on the same page"

    page.locator(".samenorg-language-switch button[value=nl]").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.url.endswith(reverse("privacy"))


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    page.goto(reverse("home"))

    page.keyboard.press("Tab")

    skip_link = page.locator(".utrecht-skip-link")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the focused skip link is on screen"
    assert box["width"] > 0
    assert box["height"] > 0

    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_use_the_vendored_nl_design_system_styles(page):
    page.goto(reverse("home"))

    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    heading_font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")

    assert "Noto Sans" in body_font, "the theme's font tokens apply"
    assert "Noto Serif" in heading_font
    assert page.evaluate("document.fonts.check('16px \"Noto Sans\"')"), "the vendored font loads"


def test_logging_in_through_the_form_and_out_again(page):
    user = UserFactory()

    log_in_through_form(page, user.email, PASSWORD)

    account_nav = page.locator(".samenorg-user-nav")
    assert account_nav.locator(f"a[href='{reverse('accounts:overview')}']").count() == 1

    account_nav.locator("button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(f".samenorg-user-nav a[href='{reverse('account_login')}']").count() == 1


def test_home_page_screenshots(page, screenshot_dir):
    """Leaves var/screenshots/home-*.png for a person to look at; checks only that the page fits the screen."""
    page.goto(reverse("home"))
    page.screenshot(path=str(screenshot_dir / "home-desktop.png"), full_page=True)

    page.set_viewport_size({"width": 320, "height": 640})
    page.screenshot(path=str(screenshot_dir / "home-mobile.png"), full_page=True)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "no horizontal scrolling at 320px wide (WCAG 1.4.10 reflow)"
