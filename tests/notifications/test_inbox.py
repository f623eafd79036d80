"""The inbox: one's own notifications only, read one or all (twice changes nothing more), the unread count in
the header, and "my overview" showing what is new. Pages cost a fixed number of queries."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from samenorg.core.actors import moderator_actor
from samenorg.events.models import Event
from samenorg.notifications.context_processors import unread_notifications
from samenorg.notifications.models import Notification
from samenorg.notifications.services import notification_mark_all_read, notification_mark_read
from standards.services.adoption import adoption_record
from standards.services.standard import standard_release_version
from tests.factories import MembershipFactory, NotificationFactory, StandardFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
READ_ALL = reverse("notifications:read-all")
HTMX = {"HX-Request": "true"}


def notify(user, events, **kwargs):
    return [NotificationFactory(user=user, event=event, **kwargs) for event in events]


def header_link(html: str) -> str:
    """The header's inbox link as a person reads it (tags dropped, spaces collapsed)."""
    match = re.search(r'<a id="samenorg-notifications-link"[^>]*>(.*?)</a>', html, re.S)
    assert match, "the header has no link to the notifications"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@pytest.fixture
def reader(story, utrecht):
    """Utrecht's member has a notification of each event of the published initiative."""
    return utrecht.user, notify(utrecht.user, Event.objects.filter(initiative=story["published"]).order_by("pk"))


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    for response in (
        client.get(INBOX),
        client.post(READ_ALL),
        client.get(reverse("notifications:open", kwargs={"pk": 1})),
        client.post(reverse("notifications:read", kwargs={"pk": 1})),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_inbox_lists_ones_own_notifications_newest_first_and_nobody_elses(client, story, reader, zwolle):
    user, mine = reader
    theirs = NotificationFactory(user=zwolle.user, event=Event.objects.get(type="initiative.published"))
    client.force_login(user)

    html = client.get(INBOX).content.decode()

    shown = [int(pk) for pk in re.findall(r'id="notification-(\d+)"', html)]
    assert shown == [notification.pk for notification in reversed(mine)]
    assert theirs.pk not in shown
    assert "Wijkdashboard" in html
    assert html.count("samenorg-inbox__item--unread") == len(mine)


def test_opening_a_notification_marks_it_read_and_goes_to_its_subject(client, story, reader):
    user, (first, *others) = reader
    client.force_login(user)

    response = client.get(reverse("notifications:open", kwargs={"pk": first.pk}))

    assert response.status_code == 302
    assert response.url == story["published"].get_absolute_url()
    first.refresh_from_db()
    assert first.read_at is not None
    assert unread(user) == len(others)


def test_another_persons_notification_is_a_404_and_stays_unread(client, reader, zwolle):
    _user, (notification, *_rest) = reader
    client.force_login(zwolle.user)

    assert client.get(reverse("notifications:open", kwargs={"pk": notification.pk})).status_code == 404
    assert client.post(reverse("notifications:read", kwargs={"pk": notification.pk})).status_code == 404
    assert client.post(reverse("notifications:read", kwargs={"pk": notification.pk}), headers=HTMX).status_code == 404

    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_services_refuse_another_persons_notification_and_read_all_touches_only_ones_own(reader, zwolle):
    user, mine = reader
    with pytest.raises(PermissionDenied):
        notification_mark_read(user=zwolle.user, notification=mine[0])
    theirs = NotificationFactory(user=zwolle.user, event=mine[0].event)

    assert notification_mark_all_read(user=user) == len(mine)

    assert unread(user) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_twice_keeps_the_first_moment(client, reader):
    user, (notification, *_rest) = reader
    client.force_login(user)
    url = reverse("notifications:read", kwargs={"pk": notification.pk})

    assert client.post(url).status_code == 302
    notification.refresh_from_db()
    first = notification.read_at
    assert first is not None

    assert client.post(url).status_code == 302
    notification_mark_read(user=user, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at == first


def test_mark_all_read_twice_reads_everything_once(client, story, reader):
    user, _mine = reader
    draft_created = Event.objects.get(initiative=story["draft"])
    read_before = NotificationFactory(user=user, event=draft_created, read=True)
    Notification.objects.filter(pk=read_before.pk).update(read_at=timezone.now() - timezone.timedelta(days=3))
    client.force_login(user)

    first = client.post(READ_ALL, follow=True)
    moments = dict(Notification.objects.filter(user=user).values_list("pk", "read_at"))
    second = client.post(READ_ALL, follow=True)

    assert first.redirect_chain == [(INBOX, 302)]
    assert unread(user) == 0
    assert dict(Notification.objects.filter(user=user).values_list("pk", "read_at")) == moments
    assert moments[read_before.pk] < timezone.now() - timezone.timedelta(days=2)
    assert [str(m) for m in first.context["messages"]] != [str(m) for m in second.context["messages"]]


def test_with_htmx_marking_read_answers_with_the_item_and_the_header_count(client, reader):
    user, mine = reader
    client.force_login(user)

    response = client.post(reverse("notifications:read", kwargs={"pk": mine[0].pk}), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{mine[0].pk}"' in html
    assert "samenorg-inbox__item--unread" not in html
    assert 'hx-swap-oob="true"' in html
    assert f"({len(mine) - 1}" in header_link(html)
    assert "HX-Request" in response["Vary"]


def test_with_htmx_mark_all_read_answers_with_the_inbox_and_a_header_without_a_count(client, reader):
    user, mine = reader
    client.force_login(user)

    html = client.post(READ_ALL + "?page=1", headers=HTMX).content.decode()

    assert 'id="inbox"' in html
    assert html.count('id="notification-') == len(mine)
    assert "samenorg-inbox__item--unread" not in html
    assert "(" not in header_link(html)


def test_the_header_shows_the_unread_count_and_it_goes_down_when_one_is_read(client, reader):
    user, mine = reader
    client.force_login(user)

    assert f"({len(mine)}" in header_link(client.get(reverse("home")).content.decode())
    client.get(reverse("notifications:open", kwargs={"pk": mine[0].pk}))
    assert f"({len(mine) - 1}" in header_link(client.get(reverse("home")).content.decode())
    client.post(READ_ALL)
    assert "(" not in header_link(client.get(reverse("home")).content.decode())


def test_the_header_count_is_one_query_for_a_person_and_none_for_a_visitor(reader, django_assert_num_queries):
    user, mine = reader
    request = RequestFactory().get("/")

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert not unread_notifications(request)["unread_notifications"]

    request.user = user
    context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert str(context["unread_notifications"]) == str(len(mine))
        assert str(context["unread_notifications"]) == str(len(mine))  # counted once per page


def test_an_anonymous_page_has_no_notifications_link(client):
    assert 'id="samenorg-notifications-link"' not in client.get(reverse("home")).content.decode()


def test_the_unread_count_can_use_the_partial_index(reader):
    user, _mine = reader
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the table is tiny here; ask whether the index fits
    plan = Notification.objects.filter(user=user, read_at__isnull=True).explain()
    assert "notification_unread" in plan


@pytest.fixture
def many_kinds(story, utrecht):
    """Events of every shape the inbox describes: an initiative's, a join request, a version, an adoption."""
    facilitator = UserFactory(facilitator=True)
    MembershipFactory(user=facilitator)
    standard = StandardFactory(name="Open raadsinformatie")
    version = standard_release_version(
        actor=moderator_actor(facilitator),
        standard=standard,
        number="1.0.0",
        changelog="Eerste.",
        released_on=timezone.localdate(),
    )
    adoption_record(actor=utrecht, standard=standard, status="in_use", since=timezone.localdate(), version=version)
    return list(Event.objects.order_by("pk"))


@pytest.mark.parametrize("extra", [0, 40])
def test_an_inbox_page_costs_the_same_queries_for_a_few_or_many(
    client, utrecht, many_kinds, extra, django_assert_num_queries
):
    notify(utrecht.user, many_kinds)
    achieved = Event.objects.bulk_create(
        Event(
            type="milestone.achieved",
            organisation=utrecht.organisation,
            initiative=many_kinds[0].initiative,
            audience="public",
            payload={"title": f"Stap {number}"},
        )
        for number in range(extra)
    )
    Notification.objects.bulk_create(
        Notification(user=utrecht.user, event=event, reason="follower", frequency="daily") for event in achieved
    )
    client.force_login(utrecht.user)

    # the session, the user, the page's count and rows, the header's unread count
    with django_assert_num_queries(5):
        response = client.get(INBOX)
    assert response.status_code == 200
    assert response.content.decode().count('id="notification-') == min(len(many_kinds) + extra, 25)


def test_the_overview_shows_the_newest_unread_and_links_to_the_inbox(client, reader):
    user, mine = reader
    mine[0].read_at = timezone.now()
    mine[0].save()
    client.force_login(user)

    html = client.get(reverse("accounts:overview")).content.decode()

    section = html[html.index('id="my-notifications"') :]
    section = section[: section.index("</section>")]
    for notification in mine[1:]:
        assert reverse("notifications:open", kwargs={"pk": notification.pk}) in section
    assert reverse("notifications:open", kwargs={"pk": mine[0].pk}) not in section
    assert f'href="{INBOX}"' in section
    assert f"({len(mine) - 1}" in section
