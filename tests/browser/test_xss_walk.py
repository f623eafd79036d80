"""A real Chromium opens every page, the admin's too, with script payloads in every text field (see
tests/core/test_xss.py): no payload runs (``window.__xss`` stays unset, no dialog opens) and the Content
Security Policy has nothing to block, because nothing tried to run."""

import pytest
from django.conf import settings
from django.test import Client

from tests import test_permission_matrix as matrix
from tests.browser.conftest import csp_violations
from tests.core.test_xss import MARK, admin_pages, complete, pages_for, poison
from tests.factories import UserFactory
from tests.second_factor import log_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world = matrix.world  # one of everything, as the permission matrix builds it (a fixture)


@pytest.fixture
def poisoned(world):
    complete(world)
    poison()
    return world


def share_session(browser_context, live_server, client: Client) -> None:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    browser_context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def walk(page, console, urls: list[str]) -> dict[str, list[str]]:
    """Open each page; what ran or was blocked on it, by address."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems = {}
    for url in urls:
        response = page.goto(url)
        page.wait_for_load_state("load")
        ran = page.evaluate(f"window.{MARK}")
        blocked = csp_violations(page, console)
        found = [*(["window.__xss was set"] if ran is not None else []), *dialogs, *blocked, *console.errors]
        if response is None or response.status != 200:
            found.append(f"status {response.status if response else None}")
        if found:
            problems[url] = found
        dialogs.clear()
        console.errors.clear()
        console.csp_violations.clear()
    return problems


@pytest.mark.parametrize("role", ["anonymous", "member", "coordinator"])
def test_no_payload_runs_on_any_page(page, console, browser_context, live_server, poisoned, role):
    client = Client()
    if poisoned.users[role] is not None:
        client.force_login(poisoned.users[role], backend="django.contrib.auth.backends.ModelBackend")
        share_session(browser_context, live_server, client)
    urls = pages_for(poisoned, role)

    assert walk(page, console, urls) == {}
    assert len(urls) > 10
    page.goto(poisoned.objects["initiatives.initiative"].get_absolute_url())
    assert "<script>window.__xss=1</script>" in page.locator("main").inner_text()  # shown, as text


def test_no_payload_runs_in_the_admin(page, console, browser_context, live_server, poisoned):
    client = Client()
    log_in_with_second_factor(client, UserFactory(is_staff=True, is_superuser=True))
    share_session(browser_context, live_server, client)
    urls = admin_pages()

    assert walk(page, console, urls) == {}
    assert len(urls) > 40
