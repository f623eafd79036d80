"""Cross-site scripting: payloads in every text field people fill are shown as text, never run.

Every character and text field of the platform's models (found by looking at the models, so a new field
is covered without a change here) is filled with script payloads, straight in the database, as if any
form, API call or import had let them through. Then every page of the permission matrix that a role may
open, every admin page, and the e-mails are read as a browser would parse them: no script element,
event handler attribute or ``javascript:`` link may carry a payload. URL fields hold a valid address
that tries to break out of its attribute; ``javascript:`` addresses are refused where they are typed.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pghistory.models
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.postgres.fields import ArrayField
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from collaboration.forms import MilestoneAchieveForm
from collaboration.models import Comment
from collaboration.services.follow import follow
from collaboration.services.milestone import milestone_plan
from initiatives.forms import LinkFormSet
from initiatives.models import InitiativeLink
from initiatives.services.initiative import initiative_update
from municipalities.forms import OrganisationRequestForm
from municipalities.services.membership import membership_request
from samenorg.accounts.models import Frequency
from samenorg.core.actors import Actor
from samenorg.events.models import Event, EventDelivery
from samenorg.notifications import emails
from samenorg.notifications.digests import digests_send, period_end_for
from samenorg.notifications.fanout import fan_out_event
from samenorg.notifications.models import Notification
from standards.models import NominationTransition, StandardDocument
from tests import test_permission_matrix as matrix
from tests.factories import ApiKeyFactory, MembershipFactory, MilestoneFactory, StandardVersionFactory, UserFactory
from tests.second_factor import log_in_with_second_factor
from tests.test_permission_matrix import MATRIX, ROLES, World
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.services.endpoints import webhook_register

pytestmark = pytest.mark.django_db
world = matrix.world  # one of everything, as the permission matrix builds it (a fixture)

MARK = "__xss"
SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror="window.__xss=1">'
SVG = "<svg onload=window.__xss=1>"
PAYLOAD = f"{SCRIPT}{ATTRIBUTE_BREAK}{SVG}"
# Text fields may be Markdown: links and images with script addresses, and raw HTML, which Markdown keeps out.
MARKDOWN_PAYLOAD = (
    f"{PAYLOAD}\n\n[klik](javascript:window.__xss=1) ![beeld](javascript:window.__xss=1) "
    '<a href="javascript:window.__xss=1">a</a> <iframe src="javascript:window.__xss=1"></iframe>\n\n'
    "[ref]\n\n[ref]: javascript:window.__xss=1\n"
)
# A URL that a URL validator lets through (no spaces), trying to leave the href attribute it lands in.
URL_PAYLOAD = f"https://example.nl/{ATTRIBUTE_BREAK}{SVG}"
# Fields that people do not fill: identifiers, secrets and what the platform itself writes; and an
# organisation's e-mail domain, which a database constraint keeps a lowercase host name.
NOT_TYPED = {
    "password",
    "slug",
    "code",
    "prefix",
    "key_hash",
    "secret",
    "webhook_id",
    "content_type",
    "type",
    "consumer",
}
NOT_TYPED |= {"domain"}
PROJECT_APPS = {"accounts", "events", "notifications", "municipalities", "initiatives", "collaboration", "standards"}
PROJECT_APPS |= {"api", "webhooks"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}


class ScriptFinder(HTMLParser):
    """What a browser would run of a payload: script elements, event handlers and script addresses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith(("javascript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and MARK in data:
            self.found.append(f"<script>{data}</script>")


def scripts_in(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.found


@pytest.mark.parametrize("payload", [SCRIPT, ATTRIBUTE_BREAK, SVG, '<a href=" JavaScript:window.__xss=1">x</a>'])
def test_the_finder_sees_a_payload_that_would_run(payload):
    assert scripts_in(f"<p>{payload}</p>")
    escaped = payload.replace("<", "&lt;").replace('"', "&quot;")
    assert not scripts_in(f"<p>{escaped}</p>")


def payload_for(field: models.Field, pk: int) -> str:
    """A payload that fits the field, unique per row (some fields are unique)."""
    if isinstance(field, models.URLField):
        candidates = [URL_PAYLOAD]
    elif isinstance(field, models.TextField):
        candidates = [MARKDOWN_PAYLOAD, PAYLOAD]
    else:
        candidates = [PAYLOAD, ATTRIBUTE_BREAK, SVG]
    suffix = f" #{pk}"
    limit = field.max_length or 100_000
    return next(candidate + suffix for candidate in candidates if len(candidate + suffix) <= limit)


def typed_text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.EmailField)
        and not field.choices
        and field.name not in NOT_TYPED
    ]


def project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and model._meta.managed
        and not model._meta.proxy
        and not issubclass(model, pghistory.models.Event)
    ]


def poison() -> int:
    """Fill every typed text field of every row with a payload; returns the number of fields filled. A field
    that a row's constraints want empty (an unachieved milestone says nothing of what was achieved) stays so."""
    filled = 0
    for model in project_models():
        fields = typed_text_fields(model)
        tag_fields = [f for f in model._meta.concrete_fields if isinstance(f, ArrayField) and f.name == "tags"]
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {field.name: payload_for(field, pk) for field in fields}
            values |= {field.name: [SVG, f"tag{pk}"] for field in tag_fields}
            for name, value in values.items():
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(**{name: value})
                    filled += 1
                except IntegrityError:
                    continue
    cache.clear()
    return filled


def complete(world: World) -> World:
    """Add to the matrix's world the rows it lacks, so that every model with typed text has one."""
    initiative = world.objects["initiatives.initiative"]
    utrecht = world.utrecht
    InitiativeLink.objects.create(initiative=initiative, title="Handleiding", url="https://example.nl/handleiding")
    version = StandardVersionFactory(standard=world.objects["standards.standard"])
    StandardDocument.objects.create(version=version, title="Specificatie", url="https://example.nl/spec")
    NominationTransition.objects.create(
        nomination=world.objects["standards.nomination"], to_stage="submitted", reason="Klaar.", organisation=utrecht
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=world.objects["webhook"],
        event=Event.objects.first(),
        state="failed",
        last_error="Time-out.",
    )
    WebhookAttempt.objects.create(
        delivery=delivery, attempted_at=timezone.now(), succeeded=False, status_code=500, duration_ms=12
    )
    Comment.objects.filter(pk=world.objects["collaboration.comment"].pk).update(hidden_reason="Off-topic.")
    ApiKeyFactory(organisation=utrecht)
    EventDelivery.objects.create(event=Event.objects.first(), consumer="xss-test", last_error="Time-out.")
    WebhookEndpoint.objects.filter(pk=world.objects["webhook"].pk).update(
        disabled_at=timezone.now(), disabled_reason="Tien keer mislukt."
    )
    MilestoneFactory(initiative=initiative, achieved_on=timezone.localdate(), achievement="Klaar.")
    return world


@pytest.fixture
def poisoned(world: World) -> World:
    complete(world)
    filled = poison()
    unfilled = [
        f"{model._meta.label}.{field.name}"
        for model in project_models()
        for field in typed_text_fields(model)
        if not model._base_manager.filter(**{f"{field.name}__contains": MARK}).exists()
    ]
    assert not unfilled, f"no row to fill: {unfilled}"
    assert filled > 60
    return world


def client_for(world: World, role: str) -> Client:
    client = Client()
    user = world.users[role]
    if role == "facilitator":
        log_in_with_second_factor(client, user)
    elif user is not None:
        client.force_login(user)
    return client


NOT_PAGES = {"healthz", "readyz", "initiatives:attachment", "initiatives:export-csv", "initiatives:export-json"}
NOT_PAGES |= {"standards:register-csv", "standards:register-json"}


def pages_for(world: World, role: str) -> list[str]:
    """Every HTML page of the permission matrix this role may open (the API's JSON is not HTML)."""
    urls = []
    for name, (kwargs, expected) in MATRIX.items():
        if expected.get(role) != 200 or name in NOT_PAGES or (name.startswith("api:") and name != "api:reference"):
            continue
        urls.append(reverse(name, kwargs=kwargs(world) if kwargs else None))
    return urls


def read_html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("text/html"), url
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_payloads_in_every_field_are_shown_as_text_on_every_page(poisoned, role):
    client = client_for(poisoned, role)
    found = {}
    pages = pages_for(poisoned, role)
    shown = 0
    for url in pages:
        html = read_html(client, url)
        shown += html.count(MARK)
        if scripts := scripts_in(html):
            found[url] = scripts

    assert found == {}
    assert len(pages) > 10
    assert shown > 20  # the payloads are on the pages, as text


def test_the_initiative_page_shows_every_field_of_it_as_text(poisoned):
    initiative = poisoned.objects["initiatives.initiative"]
    html = read_html(client_for(poisoned, "member"), initiative.get_absolute_url())

    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert scripts_in(html) == []


REFLECTED = [
    ("initiatives:list", {"q": PAYLOAD, "tags": PAYLOAD, "municipality": PAYLOAD, "sort": PAYLOAD}),
    ("municipalities:list", {"q": PAYLOAD}),
    ("municipalities:organisation-list", {"q": PAYLOAD}),
    ("standards:list", {"q": PAYLOAD}),
    ("standards:dashboard", {"q": PAYLOAD}),
    ("account_login", {"next": f"javascript:window.{MARK}=1"}),
    ("account_login", {"next": PAYLOAD}),
]


@pytest.mark.parametrize(("name", "query"), REFLECTED)
def test_payloads_in_the_address_are_not_reflected_as_script(poisoned, name, query):
    response = Client().get(reverse(name), query)

    assert response.status_code == 200
    assert scripts_in(response.content.decode()) == []


def admin_pages() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            for page in ("change", "history"):
                try:
                    urls.append(reverse("admin:{}_{}_{}".format(*info, page), args=[first.pk]))
                except NoReverseMatch:
                    continue
    return urls


def test_payloads_are_shown_as_text_in_the_admin(poisoned):
    client = Client()
    log_in_with_second_factor(client, UserFactory(is_staff=True, is_superuser=True))
    found = {}
    pages = admin_pages()
    for url in pages:
        html = read_html(client, url)
        if scripts := scripts_in(html):
            found[url] = scripts

    assert found == {}
    assert len(pages) > 40


def test_payloads_are_shown_as_text_in_the_e_mails(poisoned, django_capture_on_commit_callbacks):
    """Immediate notifications, a daily digest and the mail to coordinators about a membership request."""
    initiative = poisoned.objects["initiatives.initiative"]
    editor = Actor(user=poisoned.users["member"], organisation=poisoned.utrecht)
    immediate = MembershipFactory(user__name=PAYLOAD).user
    daily = MembershipFactory(user__name=PAYLOAD).user
    follow(user=immediate, target=initiative, frequency=Frequency.IMMEDIATELY)
    follow(user=daily, target=initiative, frequency=Frequency.DAILY)
    initiative.refresh_from_db()
    before = Event.objects.latest("pk").pk
    initiative_update(actor=editor, initiative=initiative, summary=PAYLOAD)
    milestone_plan(actor=editor, initiative=initiative, title=PAYLOAD[:200], description=MARKDOWN_PAYLOAD)
    for event in Event.objects.filter(pk__gt=before):
        fan_out_event(event)
    emails.send_pending()
    period_end = period_end_for("daily", timezone.now())
    Notification.objects.filter(user=daily).update(created_at=period_end - timedelta(hours=1))
    digests_send(frequency="daily", period_end=period_end)
    with django_capture_on_commit_callbacks(execute=True):
        membership_request(
            actor=UserFactory(name=PAYLOAD, job_title=PAYLOAD), organisation=poisoned.utrecht, motivation=PAYLOAD
        )

    html_parts = [
        (message.to[0], message.subject, content)
        for message in mail.outbox
        for content, kind in getattr(message, "alternatives", [])
        if kind == "text/html"
    ]
    recipients = {to for to, _subject, _content in html_parts}
    assert {immediate.email, daily.email} <= recipients, [message.subject for message in mail.outbox]
    assert len(html_parts) >= 4, [message.subject for message in mail.outbox]
    assert all(MARK in content for _to, _subject, content in html_parts)  # the payloads are there, as text
    assert {subject: scripts_in(content) for _to, subject, content in html_parts if scripts_in(content)} == {}
    assert all('href="javascript:' not in content.lower() for _to, _subject, content in html_parts)
    assert all(MARK not in message.subject or "\n" not in message.subject for message in mail.outbox)


@pytest.mark.parametrize(
    "address", ["javascript:window.__xss=1", "data:text/html,<script>alert(1)</script>", "vbscript:x"]
)
def test_script_addresses_are_refused_where_addresses_are_typed(world, address):
    organisation = OrganisationRequestForm(data={"name": "Open Stad", "kind": "company", "website": address})
    milestone = MilestoneAchieveForm(data={"achievement": "Klaar.", "evidence_url": address})
    links = LinkFormSet(
        data={
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-title": "Handleiding",
            "links-0-url": address,
        },
        prefix="links",
    )
    coordinator = Actor(user=world.users["coordinator"], organisation=world.utrecht)
    with pytest.raises(ValidationError):
        webhook_register(actor=coordinator, url=address, event_types=[])

    assert "website" in organisation.errors
    assert "evidence_url" in milestone.errors
    assert not links.is_valid()
