"""In a real browser, the in-app side of issue 6: a person with notifications reads the inbox (the header's
count goes down), marks all read, and changes how often they hear of a follow on the settings page. Every
page on the way meets WCAG 2.1 AA and the CSP. Leaves var/screenshots/notifications-*.png to look at."""

import re

import pytest
from django.urls import reverse

from collaboration.models import Follow
from collaboration.services.participation import participation_request
from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.accounts.models import Frequency
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from samenorg.notifications.models import Notification
from tests.browser.checks import assert_accessible
from tests.factories import FollowFactory, MembershipFactory, NotificationFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER_LINK = "#samenorg-notifications-link"


def header_count(page) -> int:
    """The unread count the header shows (0 when it shows none)."""
    match = re.search(r"\((\d+)", page.locator(HEADER_LINK).inner_text())
    return int(match.group(1)) if match else 0


def unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_a_person_reads_the_inbox_marks_all_read_and_changes_a_follows_frequency(page, console, log_in, screenshot_dir):
    utrecht = MembershipFactory(organisation__name="Gemeente Utrecht", organisation__municipality__name="Utrecht")
    zwolle = MembershipFactory(organisation__name="Gemeente Zwolle", organisation__municipality__name="Zwolle")
    reader = MembershipFactory(organisation=utrecht.organisation).user  # a colleague, not the one who acted
    actor = Actor(organisation=utrecht.organisation, user=utrecht.user)
    initiative = initiative_publish(
        actor=actor, initiative=initiative_create(actor=actor, title="Wijkdashboard", summary="Cijfers per wijk.")
    )
    participation_request(
        actor=Actor(organisation=zwolle.organisation, user=zwolle.user),
        initiative=initiative,
        role="funder",
        motivation="Wij betalen mee.",
    )
    for event in Event.objects.filter(initiative=initiative):
        NotificationFactory(user=reader, event=event)  # whatever the fan-out made already is reused
    theme = FollowFactory(user=reader, theme=ThemeFactory(name="Dienstverlening"), frequency=Frequency.WEEKLY).theme
    before = unread(reader)
    assert before >= 2

    log_in(reader)
    page.goto(reverse("notifications:inbox"))
    assert header_count(page) == before
    assert page.locator(".samenorg-inbox__item--unread").count() == before
    assert_accessible(page, console)
    page.screenshot(path=str(screenshot_dir / "notifications-inbox.png"), full_page=True)

    with page.expect_navigation():
        page.locator(".samenorg-inbox__subject a").first.click()
    assert page.url.endswith(initiative.get_absolute_url())
    assert header_count(page) == before - 1
    assert page.locator(".samenorg-activity__item").count() >= 2  # the feed, with the join request
    assert_accessible(page, console)

    page.goto(reverse("notifications:inbox"))
    assert page.locator(".samenorg-inbox__item--unread").count() == before - 1
    page.locator("#inbox-read-all").click()  # htmx: the list and the header change in place
    page.locator(".samenorg-inbox__item--unread").first.wait_for(state="detached")
    page.wait_for_function("!document.querySelector('#samenorg-notifications-link').textContent.includes('(')")
    assert unread(reader) == 0
    assert header_count(page) == 0
    assert page.locator("#inbox [role=status]").inner_text()
    assert_accessible(page, console)
    page.screenshot(path=str(screenshot_dir / "notifications-inbox-read.png"), full_page=True)

    page.goto(reverse("notifications:settings"))
    assert_accessible(page, console)
    page.screenshot(path=str(screenshot_dir / "notifications-settings.png"), full_page=True)
    row = page.locator(f"#follow-theme-{theme.pk}")
    row.locator("select").select_option(Frequency.IMMEDIATELY)
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert Follow.objects.get(user=reader, theme=theme).frequency == Frequency.IMMEDIATELY
    assert "Dienstverlening" in page.locator(".samenorg-messages").inner_text()
    assert page.locator(f"#follow-theme-{theme.pk}-frequency").input_value() == Frequency.IMMEDIATELY
    assert_accessible(page, console)
