"""What every walk checks on each page it reaches: axe finds no WCAG 2.1 A/AA violation, and the page
broke no rule of the Content Security Policy and logged no error."""

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ConsoleLog, csp_violations
from tests.browser.test_accessibility import AXE_OPTIONS, describe_violations


def assert_axe_clean(page) -> None:
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{page.url}: {describe_violations(violations)}"


def assert_accessible(page, console: ConsoleLog) -> None:
    assert_axe_clean(page)
    assert not csp_violations(page, console)
    assert not console.errors
