"""Browser tests: a real Chromium driven by Playwright against pytest-django's ``live_server``.

Chromium comes from the system (``apt-get install chromium``), never from ``playwright install``:
set ``CHROMIUM_PATH`` if it is not at ``/usr/bin/chromium``. Without it these tests are skipped,
unless ``SAMENORG_REQUIRE_ALL=1`` (CI), where a missing browser is a failure.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import REQUIRE_ALL

# Playwright's sync API runs an asyncio event loop in the test's thread; Django would otherwise
# refuse the ORM calls that factories and fixtures make from that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (SAMENORG_REQUIRE_ALL=1, so browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    executable = CHROMIUM_PATH if Path(CHROMIUM_PATH).is_file() else shutil.which(CHROMIUM_PATH)
    if not executable:
        _unavailable(f"Chromium not found at {CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: install the dev requirements (requirements-dev.lock)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class ConsoleLog:
    """What a page reported while a test used it: console errors, script errors, CSP violations."""

    errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


# Reports Content-Security-Policy violations into the page, as a second witness next to the console.
# It runs through the DevTools protocol (an init script), so the page's own CSP does not apply to it.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def browser_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.add_init_script(_CSP_LISTENER)
    yield context
    context.close()


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser_context, console):
    page = browser_context.new_page()

    def on_console(message) -> None:
        if message.type == "error":
            console.errors.append(message.text)
            if "Content Security Policy" in message.text:
                console.csp_violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: console.errors.append(f"uncaught: {error}"))
    yield page
    page.close()


def csp_violations(page, console: ConsoleLog) -> list[str]:
    """Every CSP violation the page saw, from the console and from the page's own event listener."""
    seen = page.evaluate("window.__cspViolations || []")
    return [*console.csp_violations, *seen]


@pytest.fixture
def log_in(browser_context, live_server):
    """``log_in(user)``: the browser is logged in as ``user``, with a session cookie from Django's test client."""

    def log_in_as(user) -> None:
        client = Client()
        # An explicit backend: the first one configured (django-axes) cannot load a user from a session.
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie.value, "url": live_server.url}]
        )

    return log_in_as


def log_in_through_form(page, email: str, password: str) -> None:
    """Log in the way a person does: through the login form (``account_login``)."""
    from django.urls import reverse

    page.goto(reverse("account_login"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.fixture
def screenshot_dir() -> Path:
    """var/screenshots/ (ignored by git, like all of var/): where tests leave screenshots to look at."""
    folder = Path(settings.BASE_DIR) / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
