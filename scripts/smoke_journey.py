"""Smoke test of the real production topology: ``.venv/bin/python scripts/smoke_journey.py``.

On a fresh database ``smoke_<random>`` of the PostgreSQL server ``SMOKE_DATABASE_SERVER`` (default
postgres://postgres@127.0.0.1:5432/postgres) and the Redis databases 12 (broker) and 13 (cache) of
``SMOKE_REDIS_URL`` (default redis://127.0.0.1:6379; each emptied with FLUSHDB before and after), with an SMTP
server of its own that keeps what it receives, it:

1. does what the operator does: migrate, ``load_municipalities``, ``createsuperuser``, and registers the e-mail
   domains of two municipalities as a facilitator would in the admin (scripts/smoke_operator.py);
2. starts scripts/run_production_topology.sh (production settings, DEBUG off: gunicorn, three Celery workers
   by queue group, beat);
3. drives a journey over HTTP like a browser behind the TLS proxy: person A of municipality 1 registers,
   confirms by the link in the mail that arrived, logs in, is a member by domain, chooses immediate e-mails,
   creates and publishes an initiative; person B of municipality 2 registers the same way and asks to join in
   the role of knowledge partner; A gets that by e-mail (through the events and mail workers), follows the
   link and accepts; B's daily notification of it goes out as a daily digest through the digests worker;
4. checks the pages are no DEBUG pages, the security headers, the http-to-https redirect, static files;
5. stops the topology with SIGTERM, which must exit 0 within its grace time leaving no process behind.

The client plays the TLS-terminating proxy: it speaks plain http to gunicorn with ``X-Forwarded-Proto: https``,
as docs/operations.md asks of the proxy, so SSL redirect, HSTS and the Secure cookies stay as in production;
``SAMENORG_SITE_URL`` is https://127.0.0.1:<port>, and links in e-mails are followed through the same client.

Prints a line per step with its duration; exit code 0 when all passed, 1 naming the step that failed. The
database, the two Redis databases and every process started are cleaned up whatever happens."""

import email.policy
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urljoin, urlsplit

import psutil
import psycopg
import redis
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from celery import Celery
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TOPOLOGY = ROOT / "scripts" / "run_production_topology.sh"
DATABASE_SERVER = os.environ.get("SMOKE_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_SERVER = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
BROKER_DB, CACHE_DB = 12, 13
WAIT = 180  # seconds before a wait gives up; every wait ends on its condition, this is only the limit
GRACE = 60  # seconds the topology gets to stop: gunicorn's graceful timeout (30) plus the workers' warm shutdown
# Two municipalities (CBS codes) and the e-mail domains the facilitator registers for them.
DOMAINS = {"utrecht.smoke.example": "GM0344", "zwolle.smoke.example": "GM0193"}
DEBUG_PAGE_MARKERS = ("DEBUG = True", "Traceback (most recent call last)", 'id="traceback"', "technical_500")


T = TypeVar("T")


class SmokeError(Exception):
    """A step did not do what it should; the message says what."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise SmokeError(message)


def found(value: T | None, message: str) -> T:
    """``value``, which must be there."""
    if value is None:
        raise SmokeError(message)
    return value


def wait_for(condition: Callable[[], T], what: str, seconds: float = WAIT) -> T:
    """Poll ``condition`` until it returns something true; that is returned."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise SmokeError(f"gave up waiting {seconds} s for {what}")
        time.sleep(0.2)
    return result


def say(line: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    stream.write(line + "\n")
    stream.flush()


# -- the step log ----------------------------------------------------------------------------------


class Steps:
    """Runs the steps in order, printing each with its duration; a failure names its step."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.current = ""

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.current = name
        began = time.monotonic()
        yield
        say(f"[smoke] {time.monotonic() - began:6.1f} s  ok  {name}")

    def total(self) -> float:
        return time.monotonic() - self.started


# -- the mail server -------------------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts, with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        content = envelope.original_content or envelope.content or b""
        message = message_from_bytes(
            content if isinstance(content, bytes) else content.encode(), policy=email.policy.default
        )
        self.messages.append((list(envelope.rcpt_tos), cast(EmailMessage, message)))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for recipients, message in self.messages if address in recipients]

    def wait(self, address: str, subject_part: str) -> EmailMessage:
        """The first message to ``address`` whose subject contains ``subject_part``, once it arrived."""

        def arrived() -> EmailMessage | None:
            return next((m for m in self.to(address) if subject_part in str(m["Subject"])), None)

        return cast(EmailMessage, wait_for(arrived, f"a mail to {address} with {subject_part!r} in its subject"))


def text_of(message: EmailMessage) -> str:
    body = found(message.get_body(preferencelist=("plain",)), f"the mail {message['Subject']!r} has no text part")
    return str(cast(EmailMessage, body).get_content())


def links_in(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text_of(message))


# -- a browser behind the TLS proxy ----------------------------------------------------------------


class ThroughTheProxy(HTTPAdapter):
    """The TLS-terminating proxy in front of gunicorn: a request for https://127.0.0.1:<port> goes to gunicorn
    over plain http with ``X-Forwarded-Proto: https``. The session sees only https addresses, so it keeps and
    sends the Secure cookies, and follows redirects, as a browser would."""

    def __init__(self, site: str, backend: str) -> None:
        super().__init__()
        self.site, self.backend = site, backend

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        public = str(request.url)
        request.url = self.backend + public.removeprefix(self.site)
        request.headers["X-Forwarded-Proto"] = "https"
        try:
            response = super().send(request, *args, **kwargs)
        finally:
            request.url = public  # the session records the cookies for the address it asked for
        response.url = public
        return response


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser would send untouched
    choices: dict[str, list[str]] = field(default_factory=dict)  # the values of radios, checkboxes, options

    def filled(self, **values: str | list[str]) -> list[tuple[str, str]]:
        """The fields as sent, with ``values`` replacing the defaults (a list for several checkboxes)."""
        data = [(name, value) for name, value in self.fields if name not in values]
        for name, value in values.items():
            for one in [value] if isinstance(value, str) else value:
                if name in self.choices:
                    check(one in self.choices[name], f"{name} offers no {one!r} (only {self.choices[name]})")
                data.append((name, one))
        return data


class FormParser(HTMLParser):
    """The forms of a page, each with the values a browser sends when nothing is changed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attributes}
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form, name = self.forms[-1], attrs.get("name", "")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                form.choices.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                form.fields.append((name, attrs.get("value", "")))
        elif tag == "select":
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select is not None:
            form = self.forms[-1]
            form.choices[self.select] = [value for value, _selected in self.options]
            chosen = [value for value, selected in self.options if selected] or [v for v, _ in self.options[:1]]
            form.fields.extend((self.select, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.forms[-1].fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


class Browser:
    """A requests session that behaves as a browser reaching the site through the TLS proxy; form posts carry
    Origin and Referer, as a browser's do (Django checks them on https)."""

    def __init__(self, site: str, backend: str) -> None:
        self.site = site
        self.session = requests.Session()
        self.session.mount(site + "/", ThroughTheProxy(site, backend))
        self.session.headers.update({"Accept-Language": "nl"})

    def url(self, link: str) -> str:
        """A path, or a link (one in a mail) that must be on the site's public address."""
        if link.startswith("/"):
            return self.site + link
        check(link.startswith(self.site + "/"), f"{link} is not an address of the site {self.site}")
        return link

    def get(self, link: str, expect: int = 200) -> requests.Response:
        response = self.session.get(self.url(link), timeout=60)
        return self._checked(response, "GET", link, expect)

    def submit(self, link: str, form: Form, **values: str | list[str]) -> requests.Response:
        """Post ``form`` of the page at ``link`` (already fetched) with ``values`` changed; follows the redirect."""
        target = urljoin(self.site + urlsplit(link).path, form.action or urlsplit(link).path)
        headers = {"Origin": self.site, "Referer": self.site + urlsplit(link).path}
        response = self.session.post(self.url(target), data=form.filled(**values), headers=headers, timeout=60)
        return self._checked(response, "POST", target, 200)

    def form(self, link: str, action_part: str, field_name: str | None = None) -> Form:
        """Fetch the page at ``link`` and return its form posting to an address containing ``action_part``."""
        page = self.get(link).text
        parser = FormParser()
        parser.feed(page)
        for form in parser.forms:
            posts_there = form.method == "post" and action_part in (form.action or urlsplit(link).path)
            names = {name for name, _value in form.fields} | set(form.choices)
            if posts_there and (field_name is None or field_name in names):
                return form
        raise SmokeError(f"{link} has no form posting to {action_part!r}; it says:\n{main_text(page)}")

    def _checked(self, response: requests.Response, method: str, link: str, expect: int) -> requests.Response:
        not_a_debug_page(response, f"{method} {link}")
        check(
            response.status_code == expect,
            f"{method} {link} answered {response.status_code} (expected {expect}) at {response.url}",
        )
        return response


def main_text(page: str) -> str:
    """The words of a page's main part, for a failure message."""
    main = re.search(r"<main.*?</main>", page, re.S)
    words = re.sub(r"<[^>]+>", " ", main.group(0) if main else page)
    return " ".join(words.split())[:1000]


def not_a_debug_page(response: requests.Response, what: str) -> None:
    check(response.status_code < 500, f"{what} answered {response.status_code}:\n{response.text[:2000]}")
    for marker in DEBUG_PAGE_MARKERS:
        check(marker not in response.text, f"{what} shows a DEBUG page ({marker!r} in it)")


# -- the surroundings: database, Redis, processes --------------------------------------------------


@dataclass
class Run:
    """What one smoke run made, for the steps and for the clean-up."""

    marker: str = field(default_factory=lambda: secrets.token_hex(6))
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="smoke_")))
    port: int = 0
    database: str = ""
    mailbox: Mailbox = field(default_factory=Mailbox)
    smtp: Controller | None = None
    topology: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def site(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def backend(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / "topology.log"

    def browser(self) -> Browser:
        return Browser(self.site, self.backend)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(name: str) -> str:
    return urlsplit(DATABASE_SERVER)._replace(path=f"/{name}").geturl()


def create_database(run: Run) -> None:
    run.database = f"smoke_{run.marker}"
    with psycopg.connect(DATABASE_SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{run.database}"')


def drop_database(run: Run) -> None:
    if run.database:
        with psycopg.connect(DATABASE_SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{run.database}" WITH (FORCE)')


def flush_redis() -> None:
    """Empty the smoke test's own two databases; the other databases of the server are left alone."""
    for number in (BROKER_DB, CACHE_DB):
        redis.Redis.from_url(f"{REDIS_SERVER}/{number}", socket_connect_timeout=5).flushdb()


def start_smtp(run: Run) -> None:
    run.smtp = Controller(run.mailbox, hostname="127.0.0.1", port=free_port())
    run.smtp.start()


# Variables of the platform the caller may have set (CI exports some); the smoke test sets its own.
PLATFORM_PREFIXES = ("DJANGO_", "SAMENORG_", "CELERY_", "GUNICORN_", "EMAIL_", "DATABASE_", "CACHE_", "AXES_")


def production_environment(run: Run) -> dict[str, str]:
    """The topology's environment: production settings on the smoke test's database, Redis and SMTP, with
    every other variable of the platform at its production default. Fewer processes than the defaults
    (2 gunicorn workers; 1, 2 and 1 Celery processes) for a busy 2-CPU machine."""
    run.port = free_port()
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith(PLATFORM_PREFIXES)},
        "SMOKE_RUN": run.marker,  # finds every process this run started, however it was reparented
        "DJANGO_SETTINGS_MODULE": "samenorg.settings.production",
        "DATABASE_URL": database_url(run.database),
        "CELERY_BROKER_URL": f"{REDIS_SERVER}/{BROKER_DB}",
        "CACHE_URL": f"{REDIS_SERVER}/{CACHE_DB}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(run.smtp.port if run.smtp else 0),
        "SAMENORG_SITE_URL": run.site,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SAMENORG_VAR_DIR": str(run.folder / "var"),
        "GUNICORN_BIND": f"127.0.0.1:{run.port}",
        "GUNICORN_WORKERS": "2",
        "CELERY_EVENTS_CONCURRENCY": "1",
        "CELERY_MAIL_CONCURRENCY": "2",
        "CELERY_DIGESTS_CONCURRENCY": "1",
    }


def manage(run: Run, *arguments: str, env: dict[str, str] | None = None) -> str:
    """Run ``manage.py`` with the production environment; its output, or a failure with it."""
    done = subprocess.run(  # noqa: S603 (the project's own manage.py)
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env={**run.env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    check(done.returncode == 0, f"manage.py {arguments[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def operator(run: Run, call: str) -> dict:
    """Call a function of scripts/smoke_operator.py in ``manage.py shell``; it prints one JSON line."""
    output = manage(run, "shell", "-c", f"from scripts.smoke_operator import *; {call}")
    return json.loads(output.strip().splitlines()[-1])


def processes_of(run: Run) -> list[psutil.Process]:
    """The live processes started by this run: they carry its marker in their environment."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("SMOKE_RUN") == run.marker and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def stop_everything(run: Run) -> None:
    """Clean-up after a failure: SIGTERM to the topology, then SIGKILL to whatever of this run is left."""
    if run.topology is not None and run.topology.poll() is None:
        run.topology.terminate()
        with suppress(subprocess.TimeoutExpired):
            run.topology.wait(GRACE)
    for process in processes_of(run):
        try:
            process.kill()
        except psutil.NoSuchProcess:
            continue
    if run.topology is not None and run.topology.poll() is None:
        run.topology.kill()
        run.topology.wait(10)


# -- the steps -------------------------------------------------------------------------------------


@dataclass
class Person:
    email: str
    name: str
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    browser: Browser | None = None

    @property
    def web(self) -> Browser:
        return found(self.browser, f"{self.name} has not logged in")


def prepare_as_operator(run: Run) -> dict[str, dict[str, str]]:
    """migrate, load_municipalities, createsuperuser, and the facilitator registers two e-mail domains."""
    manage(run, "migrate", "--no-input")
    manage(run, "load_municipalities")
    facilitator = "facilitator@vng.smoke.example"
    superuser_env = {"DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(18), "DJANGO_SUPERUSER_NAME": "Fenna"}
    manage(run, "createsuperuser", "--no-input", "--email", facilitator, env=superuser_env)
    return operator(run, f"register_domains({facilitator!r}, {DOMAINS!r})")


def start_topology(run: Run) -> None:
    run.port = free_port()  # chosen as late as possible: the port stays free until gunicorn takes it
    run.env.update({"SAMENORG_SITE_URL": run.site, "GUNICORN_BIND": f"127.0.0.1:{run.port}"})
    with run.log.open("w") as output:
        topology = run.topology = subprocess.Popen(  # noqa: S603 (the project's own script)
            [str(TOPOLOGY)], cwd=ROOT, env=run.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )

    def ready() -> bool:
        check(topology.poll() is None, f"the topology ended early:\n{run.log.read_text()[-4000:]}")
        try:
            return requests.get(f"{run.backend}/readyz", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    wait_for(ready, "/readyz to answer 200")
    workers: set[str] = set()
    # Celery lets a CELERY_BROKER_URL in this process's environment (CI exports one) win over the broker named
    # here, and would then ask the workers of another Redis database.
    os.environ.pop("CELERY_BROKER_URL", None)
    with Celery(set_as_current=False, broker=run.env["CELERY_BROKER_URL"]) as app:

        def answered() -> bool:
            """The three workers answered (one busy starting may miss an inspection and answer the next)."""
            workers.update(name.split("@")[0] for name in (app.control.inspect(timeout=1).ping() or {}))
            return workers == {"events", "mail", "digests"}

        wait_for(answered, "the three Celery workers to answer")
    wait_for(lambda: "beat: Starting..." in run.log.read_text(), "beat to start")


def register(run: Run, person: Person, organisation: str) -> None:
    """Sign up, confirm by the link in the mail that arrived (which makes the person a member of the
    ``organisation`` of their e-mail domain), log in in a fresh browser."""
    browser = run.browser()
    signup = browser.form("/account/registreren", "/account/registreren", "email")
    done = browser.submit(
        "/account/registreren",
        signup,
        email=person.email,
        name=person.name,
        password1=person.password,
        password2=person.password,
    )
    check(done.url.endswith("/account/bevestig-e-mail"), f"sign-up ended at {done.url}, not the 'check your mail' page")
    mail = run.mailbox.wait(person.email, "e-mailadres")
    link = found(
        next((link for link in links_in(mail) if "/account/bevestig-e-mail/" in link), None),
        f"the verification mail has no confirmation link:\n{text_of(mail)}",
    )
    check(link.startswith(run.site + "/"), f"the confirmation link {link} is not on {run.site}")
    # The page's form posts to a key signed anew as it renders (allauth's HMAC key carries a timestamp).
    confirmed = browser.submit(urlsplit(link).path, browser.form(link, "/account/bevestig-e-mail/"))
    check("/account/bevestig-e-mail" not in confirmed.url, f"confirming ended at {confirmed.url}")
    check(
        f"Je bent nu lid van {organisation}." in confirmed.text, f"confirming did not make a member of {organisation}"
    )

    person.browser = run.browser()  # a fresh browser: logging in is part of the journey
    login = person.web.form("/account/inloggen", "/account/inloggen", "login")
    logged_in = person.web.submit("/account/inloggen", login, login=person.email, password=person.password)
    check(logged_in.url.endswith("/mijn-overzicht"), f"logging in ended at {logged_in.url}")


def check_member_by_domain(person: Person, organisation: dict[str, str]) -> None:
    form = person.web.form("/initiatieven/nieuw", "/initiatieven/nieuw", "title")
    offered = form.choices.get("organisation", [])
    sent = dict(form.fields).get("organisation", "")
    check(sent and sent in offered, f"{person.email} may not register initiatives: no organisation offered")
    page = person.web.get("/initiatieven/nieuw").text
    check(organisation["name"] in page, f"{person.email} is not a member of {organisation['name']}")


def choose_immediate_mails(person: Person) -> None:
    form = person.web.form("/account/profiel", "/account/profiel", "name")
    saved = person.web.submit("/account/profiel", form, follow_frequency="immediately")
    check(saved.url.endswith("/account/profiel"), f"saving the profile ended at {saved.url}")
    selected = dict(person.web.form("/account/profiel", "/account/profiel", "name").fields)
    check(selected.get("follow_frequency") == "immediately", "the profile did not keep 'immediately'")


def create_and_publish_initiative(person: Person, title: str) -> str:
    form = person.web.form("/initiatieven/nieuw", "/initiatieven/nieuw", "title")
    themes = form.choices.get("themes", [])
    check(themes, "the initiative form offers no themes")
    created = person.web.submit(
        "/initiatieven/nieuw",
        form,
        title=title,
        summary="Inwoners melden een kapotte lantaarnpaal met één foto; de melding gaat direct naar de aannemer.",
        description="Gebouwd met **open source** componenten; we zoeken gemeenten die kennis willen delen.",
        themes=themes[:1],
        roles_sought=["knowledge_partner"],
    )
    path = urlsplit(created.url).path
    check(re.fullmatch(r"/initiatieven/[-\w]+", path), f"creating the initiative ended at {created.url}")
    publish = person.web.form(path, "/publiceren")
    published = person.web.submit(path, publish)
    check(urlsplit(published.url).path == path, f"publishing ended at {published.url}")
    check("gepubliceerd" in published.text, "the initiative page does not say it is published")
    return path


def check_public(run: Run, path: str, title: str) -> None:
    visitor = run.browser()
    check(title in visitor.get(path).text, f"an anonymous visitor does not see {title!r} at {path}")
    check("342" in visitor.get("/gemeenten").text, "/gemeenten does not list the 342 municipalities")


def ask_to_join(person: Person, initiative: str) -> None:
    join = f"{initiative}/meedoen"
    form = person.web.form(join, "/meedoen", "join-motivation")
    asked = person.web.submit(
        join, form, **{"join-role": "knowledge_partner", "join-motivation": "Wij bouwden iets vergelijkbaars."}
    )
    check(urlsplit(asked.url).path == initiative, f"asking to join ended at {asked.url}")


def accept_by_the_mail(run: Run, person: Person, initiative: str, title: str, asking: str) -> EmailMessage:
    """The initiator's immediate e-mail of the request; its link leads to the page where A accepts."""
    mail = run.mailbox.wait(person.email, title)
    subject = f"[Samen Organiseren] {title}: {asking} vraagt om mee te doen als kennispartner."
    check(mail["Subject"] == subject, f"the request mail's subject is {mail['Subject']!r}, not {subject!r}")
    link = found(
        next((link for link in links_in(mail) if urlsplit(link).path == initiative), None),
        f"the request mail has no link to {initiative}:\n{text_of(mail)}",
    )
    page = person.web.get(link).text
    decide = re.search(r'href="(/deelnames/\d+/besluiten)"', page)
    path = found(decide, f"the initiative page offers {person.email} no request to decide on").group(1)
    decided = person.web.submit(path, person.web.form(path, path, "reason"), decision="accept")
    check(urlsplit(decided.url).path == initiative, f"accepting ended at {decided.url}")
    return mail


def wait_for_inbox(person: Person, text: str) -> None:
    """The fan-out (events worker) wrote the person's notification: it shows in the inbox."""
    wait_for(lambda: text in person.web.get("/meldingen").text, f"{text!r} in the inbox of {person.email}")


def digest_arrives(run: Run, person: Person, initiative: str, title: str, news: str) -> EmailMessage:
    """The night passes (scripts/smoke_operator.py) and the digests worker sends the daily digest."""
    night = operator(run, "night_passes()")
    check(night["published"], "the digest task could not be published to the broker")
    check(night["moved"] == 1, f"one daily notification should wait for the digest: {night}")
    mail = run.mailbox.wait(person.email, "Je dagelijkse overzicht")
    body = text_of(mail)
    check(title in body and news in body, f"the digest does not tell {title!r}: {news!r}:\n{body}")
    check(run.site + initiative in links_in(mail), f"the digest has no link to {initiative}:\n{body}")
    return mail


def check_links_work(run: Run, mail: EmailMessage, reader: Browser) -> None:
    """Every link of a mail is on the public address and opens (for its recipient) without an error."""
    links = links_in(mail)
    check(links, f"the mail {mail['Subject']!r} has no links")
    for link in links:
        reader.get(link)


def check_mails(run: Run, a: Person, b: Person) -> None:
    """Who got what: exactly these mails, from the configured sender, with the subject prefix."""
    subjects = {address: sorted(str(m["Subject"]) for m in run.mailbox.to(address)) for address in (a.email, b.email)}
    check(len(subjects[a.email]) == 2, f"A should have the verification mail and the request mail: {subjects}")
    check(len(subjects[b.email]) == 2, f"B should have the verification mail and the digest: {subjects}")
    for recipients, message in run.mailbox.messages:
        say(f"[smoke]         mail to {', '.join(recipients)}: {message['Subject']}")
        check(str(message["Subject"]).startswith("[Samen Organiseren] "), f"subject {message['Subject']!r}")
        check("noreply@samenorganiseren.example" in str(message["From"]), f"sender {message['From']!r}")


def check_security(run: Run) -> None:
    """Plain http is sent to https; over https the security headers and cookie flags are as in production;
    a missing page is the site's own 404; static files are served, compressed names and far-future caching."""
    plain = requests.get(f"{run.backend}/", allow_redirects=False, timeout=30)
    check(plain.status_code == 301, f"plain http answered {plain.status_code}, not a redirect")
    check(plain.headers.get("Location", "").startswith("https://"), f"plain http went to {plain.headers}")
    browser = run.browser()
    home = browser.get("/")
    expected = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for header, value in expected.items():
        check(home.headers.get(header) == value, f"{header} is {home.headers.get(header)!r}, not {value!r}")
    policy = home.headers.get("Content-Security-Policy", "")
    check("default-src 'self'" in policy and "frame-ancestors 'none'" in policy, f"CSP is {policy!r}")
    login = browser.get("/account/inloggen")
    cookies = login.headers.get("Set-Cookie", "")
    check("csrftoken=" in cookies and "Secure" in cookies and "HttpOnly" in cookies, f"cookies: {cookies!r}")
    missing = browser.get("/bestaat-niet-smoke", expect=404)
    check("<html" in missing.text.lower(), "the 404 page is not the site's page")
    stylesheet = found(re.search(r'href="(/static/[^"]+\.css)"', home.text), "the home page links no stylesheet")
    css = browser.get(stylesheet.group(1))
    check("max-age=315360000" in css.headers.get("Cache-Control", ""), f"static caching: {css.headers}")


def stop_topology(run: Run) -> None:
    """SIGTERM: the script must stop everything gracefully, exit 0 within GRACE, and leave no process."""
    topology = found(run.topology, "the topology was not started")
    check(topology.poll() is None, "the topology is not running")
    children = psutil.Process(topology.pid).children(recursive=True)
    check(len(children) >= 10, f"only {len(children)} processes under the topology")
    began = time.monotonic()
    topology.send_signal(signal.SIGTERM)
    try:
        code = topology.wait(GRACE)
    except subprocess.TimeoutExpired:
        raise SmokeError(f"the topology did not stop within {GRACE} s") from None
    output = run.log.read_text()
    check(code == 0, f"the topology exited {code}:\n{output[-4000:]}")
    left = [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] + processes_of(run)
    check(not left, f"processes left after the stop: {left}")
    for name in ("web", "events", "mail", "digests", "beat"):
        check(re.search(rf"^\[topology\] {name} \(pid \d+\) stopped with code 0$", output, re.M), f"{name} not clean")
    say(f"[smoke]         stopped in {time.monotonic() - began:.1f} s")


def check_no_errors_logged(run: Run) -> None:
    """No process of the topology logged a traceback or an error, and Django and the platform no warning
    (a refused CSRF check, a suspicious request, a failed mail would be one) during the journey."""
    bad = []
    for line in run.log.read_text().splitlines():
        _name, _space, text = line.partition(" ")
        try:
            entry = json.loads(text)
        except ValueError:
            entry = {}
        level, logger = (entry.get("level", ""), entry.get("logger", "")) if isinstance(entry, dict) else ("", "")
        ours = logger.startswith(("django", "samenorg")) and level == "WARNING"
        if "Traceback" in line or level in ("ERROR", "CRITICAL") or ours:
            bad.append(line)
    check(not bad, "the topology logged errors or warnings:\n" + "\n".join(bad[:20]))


# -- main ------------------------------------------------------------------------------------------


def journey(run: Run, steps: Steps) -> None:
    with steps.step("set up: database, Redis databases 12 and 13, SMTP server"):
        create_database(run)
        flush_redis()
        start_smtp(run)
        run.env = production_environment(run)
    with steps.step("operator: migrate, load_municipalities, createsuperuser, register two e-mail domains"):
        organisations = prepare_as_operator(run)
    with steps.step("start the production topology (gunicorn, 3 workers, beat) and wait until ready"):
        start_topology(run)
    domain_a, domain_b = DOMAINS
    a = Person(f"anna.{run.marker}@{domain_a}", "Anna de Vries")
    b = Person(f"bram.{run.marker}@{domain_b}", "Bram Jansen")
    title = f"Lantaarnpaal melden {run.marker}"
    with steps.step("A registers, confirms by the mail that arrived, logs in"):
        register(run, a, organisations[domain_a]["name"])
    with steps.step("A is a member of municipality 1 by domain and chooses immediate e-mails"):
        check_member_by_domain(a, organisations[domain_a])
        choose_immediate_mails(a)
    with steps.step("A creates and publishes an initiative; anyone can read it"):
        initiative = create_and_publish_initiative(a, title)
        check_public(run, initiative, title)
    with steps.step("B registers, confirms by mail, logs in, is a member of municipality 2"):
        register(run, b, organisations[domain_b]["name"])
        check_member_by_domain(b, organisations[domain_b])
    with steps.step("B asks to join as knowledge partner"):
        ask_to_join(b, initiative)
    with steps.step("A gets the request by e-mail (events and mail workers), follows its link and accepts"):
        request_mail = accept_by_the_mail(run, a, initiative, title, organisations[domain_b]["name"])
        check_links_work(run, request_mail, a.web)
    with steps.step("B's daily notification of the acceptance is in the inbox"):
        accepted = f"{organisations[domain_b]['name']} doet nu mee als kennispartner."
        wait_for_inbox(b, accepted)
    with steps.step("the night passes: the digests worker sends B the daily digest"):
        digest = digest_arrives(run, b, initiative, title, accepted)
        check_links_work(run, digest, b.web)
    with steps.step("mails: recipients, subjects, sender"):
        check_mails(run, a, b)
    with steps.step("security: https redirect, headers, cookies, 404 page, static files"):
        check_security(run)
    with steps.step("no errors in the topology's log"):
        check_no_errors_logged(run)
    with steps.step("SIGTERM: the topology exits 0 within its grace time, no process left"):
        stop_topology(run)


def clean_up(run: Run) -> list[str]:
    """Everything this run made goes, whatever happened; returns what could not be cleaned."""
    problems = []
    for what, action in (
        ("processes", lambda: stop_everything(run)),
        ("SMTP server", lambda: run.smtp.stop() if run.smtp else None),
        ("database", lambda: drop_database(run)),
        ("Redis databases", flush_redis),
    ):
        try:
            action()
        except Exception as error:  # each clean-up is tried, whatever another raised
            problems.append(f"{what}: {error}")
    return problems


def main() -> int:
    run, steps = Run(), Steps()
    failure = ""
    try:
        journey(run, steps)
    except SmokeError as error:
        failure = f"step '{steps.current}' failed: {error}"
    except Exception:  # any surprise fails the step it happened in
        failure = f"step '{steps.current}' failed with an exception:\n{traceback.format_exc()}"
    finally:
        problems = clean_up(run)
    if failure and run.log.exists():
        say("[smoke] the topology's last lines:\n" + "\n".join(run.log.read_text().splitlines()[-60:]))
        say(f"[smoke] its whole log: {run.log}")
    else:
        shutil.rmtree(run.folder, ignore_errors=True)
    for problem in problems:
        say(f"[smoke] clean-up: {problem}", error=True)
    if failure:
        say(f"[smoke] FAILED after {steps.total():.1f} s: {failure}", error=True)
        return 1
    say(f"[smoke] passed in {steps.total():.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
