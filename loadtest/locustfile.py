"""The load scenario: anonymous visitors browsing and searching, members logged in through the site who
follow, comment, ask to join and edit their own initiatives, and partner systems reading the API.

Run by ``loadtest/run.py`` (``locust --headless``), never imported by Django or pytest: locust patches
the standard library with gevent. ``LOADTEST_DATA`` names the JSON that ``loadtest/seed.py`` wrote;
``LOADTEST_TIMINGS`` where the response times go, by kind (the part of a request's name before the colon).

Every request's name is ``kind: what``; the kinds are ``browse`` and ``search`` (anonymous), ``member`` (pages
of a logged-in person), ``write`` (every request of a write: the form's page, the post; logging in and out)
and ``api``. A request fails when its answer is not the one a person would get
after a successful action: a page that is not 200, a write that is not answered by its redirect, a form
that is missing. A refusal (a rate limit, a flood guard) therefore counts as an error too: the scenario
stays under the platform's limits by itself (below), so a refusal would be a finding.

How it stays under the limits without weakening them:
- each simulated person comes from an address of its own on the loopback range (127.0.0.10 to .249), as
  real visitors do: the per-address limits (logins, anonymous API calls) apply to each as to one visitor;
- a member makes at most ``WRITES_PER_SESSION`` writes, then logs out and logs in with the next of the
  seeded accounts, so no account comes near the comment flood guard (5 a minute, 30 an hour) or the join
  request limit (20 an hour) while hundreds of accounts last for the run."""

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, events, task
from locust.clients import LocustHttpAdapter
from urllib3 import PoolManager

from loadtest.forms import Form, form_with_action, form_with_field, forms_of

DATA = json.loads(Path(os.environ["LOADTEST_DATA"]).read_text())
WRITES_PER_SESSION = 4
FIRST_ADDRESS, ADDRESSES = 10, 240  # 127.0.0.10 ... 127.0.0.249
COMMENTS = [
    "Goed initiatief! Wij werken aan iets vergelijkbaars en delen graag onze ervaringen.",
    "Hoe hebben jullie de privacytoets aangepakt? Dat is bij ons nog een knelpunt.",
    "Mooie resultaten. Is de aanbesteding ook bruikbaar voor kleinere gemeenten?",
    "We nemen dit mee naar ons regio-overleg van volgende maand.",
    "Kunnen we een keer langskomen om te zien hoe het in de praktijk werkt?",
]
MOTIVATIONS = [
    "Wij willen deze aanpak ook invoeren en brengen onze ervaring met de uitvoering mee.",
    "Onze gemeente zoekt een oplossing voor hetzelfde vraagstuk en wil graag meedenken.",
]
UPDATED = re.compile(r" \(bijgewerkt [0-9:]+\)$")

rng = random.Random()  # noqa: S311 (which page to visit next, not a secret)
_people = itertools.count()
_follows = itertools.count()
_accounts = itertools.cycle(DATA["accounts"])
_timings: dict[str, list[float]] = defaultdict(list)


@events.request.add_listener
def _remember(name: str, response_time: float, **_kwargs: object) -> None:
    _timings[name.split(":")[0]].append(response_time)


@events.quitting.add_listener
def _write_timings(**_kwargs: object) -> None:
    if os.environ.get("LOADTEST_TIMINGS"):
        Path(os.environ["LOADTEST_TIMINGS"]).write_text(json.dumps(_timings))


class Person(HttpUser):
    """One visitor: its own loopback address, and the cookies a browser keeps."""

    abstract = True
    wait_time = between(1, 3)

    def on_start(self) -> None:
        address = f"127.0.0.{FIRST_ADDRESS + next(_people) % ADDRESSES}"
        self.client.mount("http://", LocustHttpAdapter(pool_manager=PoolManager(source_address=(address, 0))))
        self.origin = self.host.rstrip("/")

    def page(self, path: str, name: str, must_show: str = "") -> str:
        """GET a page that must answer 200 and show ``must_show`` (a form's action, say); its text, or ""."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            self._keep_cookies()
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path} (Location {response.headers.get('Location')})")
                return ""
            if must_show not in response.text:
                response.failure(f"{path} does not show {must_show!r}")
                return ""
            return response.text

    def post(self, path: str, data: list[tuple[str, str]], name: str, expect: str = "") -> str | None:
        """POST a form as a browser does (Origin, the CSRF token in the form); it must answer with a redirect
        whose Location contains ``expect``. Returns the Location, or None when the write was not done."""
        headers = {"Origin": self.origin, "Referer": f"{self.origin}{path}"}
        with self.client.post(
            path, data=data, headers=headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            self._keep_cookies()
            location = response.headers.get("Location", "")
            if response.status_code != 302 or expect not in location:
                problem = _problem(response.text)
                response.failure(f"{response.status_code} for {path} (Location {location!r}): {problem}")
                return None
            return location

    def _keep_cookies(self) -> None:
        """The site sets its cookies Secure, as it sits behind a TLS proxy in production; this client talks
        plain HTTP on loopback in its place, so it keeps sending them as the browser behind the proxy would."""
        for cookie in self.client.cookies:
            cookie.secure = False


def _problem(html: str) -> str:
    """The first error a refused form shows, for the failure report."""
    found = re.search(r'class="[^"]*(?:errorlist|alert|feedback--error)[^"]*"[^>]*>(.{0,300}?)</', html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else html[:120]


def _path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Visitor(Person):
    """Someone not logged in: the home page, the initiatives with facets and pages, an initiative, the
    municipalities, the standards; and searches with words from the initiatives' titles."""

    weight = 5

    @task(2)
    def home(self) -> None:
        self.page("/", "browse: home")

    @task(3)
    def initiatives(self) -> None:
        self.page("/initiatieven", "browse: initiatives")

    @task(4)
    def initiatives_with_facets(self) -> None:
        query = [("theme", slug) for slug in rng.sample(DATA["themes"], rng.randint(1, 2))]
        if rng.random() < 0.5:
            query.append(("phase", rng.choice(DATA["phases"])))
        if rng.random() < 0.4:
            query.append(("province", rng.choice(DATA["provinces"])))
        query.append(("sort", rng.choice(["newest", "updated", "title"])))
        self.page(f"/initiatieven?{urlencode(query)}", "browse: initiatives with facets")

    @task(3)
    def initiatives_page(self) -> None:
        self.page(f"/initiatieven?page={rng.randint(2, 40)}", "browse: initiatives page")

    @task(6)
    def initiative(self) -> None:
        self.page(f"/initiatieven/{rng.choice(DATA['initiatives'])}", "browse: initiative")

    @task(2)
    def municipalities(self) -> None:
        query = f"?province={rng.choice(DATA['provinces'])}" if rng.random() < 0.5 else ""
        self.page(f"/gemeenten{query}", "browse: municipalities")

    @task(2)
    def municipality(self) -> None:
        self.page(f"/gemeenten/{rng.choice(DATA['municipalities'])}", "browse: municipality")

    @task(1)
    def standards(self) -> None:
        self.page("/standaarden", "browse: standards")

    @task(2)
    def standard(self) -> None:
        self.page(f"/standaarden/{rng.choice(DATA['standards'])}", "browse: standard")

    @task(1)
    def themes(self) -> None:
        self.page("/themas", "browse: themes")

    @task(5)
    def search(self) -> None:
        words = " ".join(rng.sample(DATA["search_words"], rng.choice([1, 1, 2])))
        self.page(f"/initiatieven?{urlencode({'q': words})}", "search: initiatives")

    @task(2)
    def search_with_facets(self) -> None:
        query = {"q": rng.choice(DATA["search_words"]), "theme": rng.choice(DATA["themes"])}
        query["sort"] = "relevance"
        self.page(f"/initiatieven?{urlencode(query)}", "search: initiatives with facets")


class Member(Person):
    """A member of a municipality or partner, logged in through the site's login page: reads their own
    pages, follows and stops following, comments, asks to join and withdraws, and edits their own
    initiatives. After ``WRITES_PER_SESSION`` writes they log out, and the next account logs in."""

    weight = 3

    def on_start(self) -> None:
        super().on_start()
        self.csrf_form: Form | None = None
        self.log_in()

    def on_stop(self) -> None:
        self.log_out()

    def log_in(self) -> None:
        self.account = next(_accounts)
        self.writes = 0
        form = form_with_field(self.page("/account/inloggen", "write: login page", 'name="login"'), "login")
        if form is not None:
            data = form.data(login=self.account["email"], password=DATA["password"])
            self.post("/account/inloggen", data, "write: login", "/mijn-overzicht")

    def log_out(self) -> None:
        if self.csrf_form is not None:
            token = self.csrf_form.value("csrfmiddlewaretoken") or ""
            self.post("/account/uitloggen", [("csrfmiddlewaretoken", token)], "write: logout")
        self.csrf_form = None

    def wrote(self) -> None:
        self.writes += 1
        if self.writes >= WRITES_PER_SESSION:
            self.log_out()
            self.log_in()

    def initiative_page(self, slug: str, must_show: str = "") -> str:
        html = self.page(f"/initiatieven/{slug}", "member: initiative", must_show)
        self.csrf_form = next((form for form in forms_of(html) if form.value("csrfmiddlewaretoken")), None)
        return html

    @task(2)
    def overview(self) -> None:
        self.page("/mijn-overzicht", "member: overview")

    @task(1)
    def notifications(self) -> None:
        self.page("/meldingen", "member: notifications")

    @task(2)
    def my_initiatives(self) -> None:
        self.page("/initiatieven/mijn", "member: my initiatives")

    @task(3)
    def initiative(self) -> None:
        self.initiative_page(rng.choice(DATA["initiatives"]))

    @task(3)
    def follow(self) -> None:
        """Follow an initiative (or stop, where the person follows it already); every other time stop
        following it again at once, as people try the button. The page after following must then offer to
        stop, or the follow did not take."""
        form = form_with_action(self.initiative_page(rng.choice(DATA["initiatives"]), "/volgen"), "/volgen")
        if form is None:
            return
        action = form.value("action")
        done = self.post(form.action, form.data(), f"write: {action}")
        if done is None:
            return
        writes = 1
        if action == "follow" and next(_follows) % 2:
            page = self.page(_path(done), "member: initiative", 'name="action" value="unfollow"')
            again = form_with_action(page, "/volgen")
            if again is not None and self.post(again.action, again.data(), "write: unfollow") is not None:
                writes += 1
        for _write in range(writes):  # after both: a new session in between would not follow it
            self.wrote()

    @task(2)
    def comment(self) -> None:
        slug = rng.choice(DATA["initiatives"])
        form = form_with_action(self.initiative_page(slug, "/reacties/nieuw"), "/reacties/nieuw")
        if form is None:
            return
        if self.post(form.action, form.data(body=rng.choice(COMMENTS)), "write: comment", "#reactie-"):
            self.wrote()

    @task(2)
    def join_and_withdraw(self) -> None:
        """Ask to join an initiative for my organisation, then withdraw the request (the data set stays
        as it was, and the initiator's coordinators are notified twice)."""
        slug = rng.choice(DATA["initiatives"])
        form = form_with_action(self.initiative_page(slug), "/meedoen")
        if form is None:  # my organisation owns it or takes part already
            return
        done = self.post(form.action, form.data(join__motivation=rng.choice(MOTIVATIONS)), "write: join")
        if done is None:
            return
        withdraw = form_with_action(self.page(_path(done), "member: initiative", "/intrekken"), "/intrekken")
        if withdraw is None:
            return
        self.post(withdraw.action, withdraw.data(), "write: withdraw", "#participation")
        self.wrote()

    @task(2)
    def edit_own_initiative(self) -> None:
        if not self.account["own_initiatives"]:
            return
        slug = rng.choice(self.account["own_initiatives"])
        html = self.page(f"/initiatieven/{slug}/bewerken", "write: edit form", 'name="summary"')
        form = form_with_field(html, "summary")
        if form is None:
            return
        self.csrf_form = form
        summary = UPDATED.sub("", form.value("summary") or "") + f" (bijgewerkt {time.strftime('%H:%M:%S')})"
        if self.post(f"/initiatieven/{slug}/bewerken", form.data(summary=summary), "write: edit", f"/{slug}"):
            self.wrote()


class PartnerSystem(Person):
    """A partner system or a curious developer reading the API, anonymously or with an organisation's key."""

    weight = 2

    def on_start(self) -> None:
        super().on_start()
        self.key = rng.choice(DATA["api_keys"])

    def api(self, path: str, name: str, keyed: bool) -> None:
        headers = {"Accept": "application/json"} | ({"X-Api-Key": self.key} if keyed else {})
        with self.client.get(f"/api/v1/{path}", name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}: {response.text[:200]}")
            elif not isinstance(response.json(), dict | list):
                response.failure(f"no JSON for {path}")

    @task(3)
    def initiatives(self) -> None:
        self.api(f"initiatives?page={rng.randint(1, 20)}", "api: initiatives", keyed=False)

    @task(3)
    def initiatives_keyed(self) -> None:
        theme = rng.choice(DATA["themes"])
        self.api(f"initiatives?theme={theme}&page={rng.randint(1, 5)}", "api: initiatives [key]", keyed=True)

    @task(3)
    def initiative(self) -> None:
        self.api(f"initiatives/{rng.choice(DATA['initiatives'])}", "api: initiative", keyed=False)

    @task(3)
    def initiative_keyed(self) -> None:
        self.api(f"initiatives/{rng.choice(DATA['initiatives'])}", "api: initiative [key]", keyed=True)

    @task(2)
    def municipality(self) -> None:
        self.api(f"municipalities/{rng.choice(DATA['municipalities'])}", "api: municipality", keyed=False)

    @task(1)
    def standards(self) -> None:
        self.api("standards", "api: standards", keyed=False)

    @task(1)
    def standard(self) -> None:
        self.api(f"standards/{rng.choice(DATA['standards'])}", "api: standard [key]", keyed=True)

    @task(2)
    def events(self) -> None:
        self.api("events", "api: events [key]", keyed=True)
