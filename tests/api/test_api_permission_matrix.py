"""Every endpoint of the REST API, called by the four kinds of partner caller, answers as these tables say.

The callers: nobody (``anonymous``), a read key of the owner organisation (``read_key``), a write key
of another municipality (``other_write_key``) and a write key of the owner (``owner_write_key``). The
owner is Utrecht; the other is Zwolle; a third organisation (the partner) has asked to take part.

Reads are a GET per URL pattern (an action's URL answers a GET with 405). Writes are every method a
view supports; each caller acts on a fresh object, so one caller's success does not change what the
next one finds. A foreign organisation's resource it may see is a 403 when it tries to change it;
one it may not see (a draft, another's request) is a 404, as for a GET. A URL pattern or write
method without a row fails the test, so no endpoint can be added without deciding who may use it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import pytest
from django.db.models import Max
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from api.models import ApiKey
from samenorg.events.models import Event
from standards.models import Adoption
from tests.api.conftest import PROBLEM, Api, World
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    MilestoneFactory,
    NominationFactory,
    ParticipationFactory,
    StandardFactory,
    StandardVersionFactory,
)
from tests.test_permission_matrix import served_url_names

CALLERS = ("anonymous", "read_key", "other_write_key", "owner_write_key")
KEY_OF_CALLER = {"read_key": "utrecht_read", "other_write_key": "zwolle_write", "owner_write_key": "utrecht_write"}
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass
class MatrixWorld(World):
    """The conftest's world with the objects the rows act on, by name."""

    objects: dict[str, Any] = field(default_factory=dict)


Kwargs = Callable[[MatrixWorld], dict[str, Any]] | None


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


def statuses(anonymous: int, read_key: int, other_write_key: int, owner_write_key: int) -> dict[str, int]:
    return dict(zip(CALLERS, (anonymous, read_key, other_write_key, owner_write_key), strict=True))


# What only the owner organisation sees (a draft and what hangs under it, a request to join).
OWNER_ONLY = statuses(404, 200, 404, 200)


@pytest.fixture
def matrix(world: World) -> MatrixWorld:
    """The conftest's world plus one of each thing the API serves, around Utrecht's initiatives."""
    extended = MatrixWorld(**{each.name: getattr(world, each.name) for each in fields(world)})
    published, draft = extended.initiatives["published"], extended.initiatives["draft"]
    extended.initiatives["nominated"] = NominationFactory(initiative__owner=extended.utrecht).initiative
    standard = StandardFactory(name="Afvalkalender-standaard")
    version = StandardVersionFactory(standard=standard, major=1)
    extended.objects = {
        "request": ParticipationFactory(initiative=published, organisation=extended.partner, requested=True),
        "milestone": MilestoneFactory(initiative=published),
        "draft_milestone": MilestoneFactory(initiative=draft),
        "comment": CommentFactory(initiative=published, author=extended.member, organisation=extended.utrecht),
        "standard": standard,
        "adoption": Adoption.objects.create(
            organisation=extended.utrecht, standard=standard, status="in_use", version=version, since="2026-01-05"
        ),
        "nomination": extended.initiatives["nominated"].nominations.get(),
    }
    return extended


def slug_of(name: str) -> Callable[[MatrixWorld], dict[str, Any]]:
    return lambda w: {"slug": w.initiatives[name].slug}


def pk_of(name: str) -> Callable[[MatrixWorld], dict[str, Any]]:
    return lambda w: {"pk": w.objects[name].pk}


READS: dict[str, tuple[Kwargs, dict[str, int]]] = {
    **{
        f"api:{name}": (kwargs, everyone(200))
        for name, kwargs in (
            ("openapi", None),
            ("reference", None),
            ("municipalities", None),
            ("municipality", lambda w: {"slug": w.utrecht.municipality.slug}),
            ("organisations", None),
            ("organisation", lambda w: {"slug": w.partner.slug}),
            ("themes", None),
            ("theme", lambda w: {"slug": w.theme.slug}),
            ("initiatives", None),
            ("initiative[published]", slug_of("published")),
            ("initiative-participations[published]", slug_of("published")),
            ("initiative-milestones[published]", slug_of("published")),
            ("initiative-comments[published]", slug_of("published")),
            ("milestone[published]", pk_of("milestone")),
            ("standards", None),
            ("standard", lambda w: {"slug": w.objects["standard"].slug}),
            ("standard-versions", lambda w: {"slug": w.objects["standard"].slug}),
            ("standard-adoptions", lambda w: {"slug": w.objects["standard"].slug}),
            ("standard-adoption-figures", lambda w: {"slug": w.objects["standard"].slug}),
            ("adoption-figures", None),
            ("nominations", None),
            ("nomination", pk_of("nomination")),
            ("events", None),
        )
    },
    **{
        f"api:{name}": (kwargs, OWNER_ONLY)
        for name, kwargs in (
            ("initiative[draft]", slug_of("draft")),
            ("initiative-participations[draft]", slug_of("draft")),
            ("initiative-milestones[draft]", slug_of("draft")),
            ("initiative-comments[draft]", slug_of("draft")),
            ("milestone[draft]", pk_of("draft_milestone")),
            # A request to join: the asking organisation and the initiator only.
            ("participation[requested]", pk_of("request")),
        )
    },
    # Actions are POSTs only.
    **{
        f"api:{name}": (kwargs, everyone(405))
        for name, kwargs in (
            ("initiative-publish", slug_of("draft")),
            ("initiative-phase", slug_of("published")),
            ("participation-decision", pk_of("request")),
            ("milestone-achievement", pk_of("milestone")),
        )
    },
}


def fresh_initiative(w: MatrixWorld, **extra: Any) -> Any:
    initiative = InitiativeFactory(owner=w.utrecht, **extra)
    initiative.themes.add(w.theme)
    return initiative


def fresh_published(w: MatrixWorld) -> dict[str, Any]:
    return {"slug": fresh_initiative(w, published=True).slug}


def fresh_draft(w: MatrixWorld) -> dict[str, Any]:
    return {"slug": fresh_initiative(w).slug}


def fresh_request(w: MatrixWorld) -> dict[str, Any]:
    initiative = fresh_initiative(w, published=True)
    return {"pk": ParticipationFactory(initiative=initiative, organisation=w.partner, requested=True).pk}


def fresh_milestone(w: MatrixWorld) -> dict[str, Any]:
    return {"pk": MilestoneFactory(initiative=fresh_initiative(w, published=True)).pk}


def fresh_standard(w: MatrixWorld) -> dict[str, Any]:
    return {"slug": StandardVersionFactory(standard=StandardFactory(), major=1).standard.slug}


NEW_INITIATIVE = {
    "title": "Afvalkalender in de app",
    "summary": "Inwoners zien wanneer welk afval wordt opgehaald.",
    "themes": ["dienstverlening"],
    "rolesSought": ["co_developer"],
}
ADOPTION = {"status": "in_use", "since": "2026-02-01", "version": "1.0.0"}


@dataclass(frozen=True)
class Write:
    method: str
    kwargs: Kwargs  # called once per caller: a fresh object to act on
    body: Callable[[MatrixWorld], dict[str, Any] | None]
    expected: dict[str, int]


WRITES: dict[str, Write] = {
    "api:initiatives[post]": Write("post", None, lambda w: NEW_INITIATIVE, statuses(401, 403, 201, 201)),
    # A key never acts for another organisation.
    "api:initiatives[post for the owner]": Write(
        "post", None, lambda w: NEW_INITIATIVE | {"organisation": w.utrecht.slug}, statuses(401, 403, 403, 201)
    ),
    "api:initiative[patch published]": Write(
        "patch", fresh_published, lambda w: {"summary": "Korter."}, statuses(401, 403, 403, 200)
    ),
    "api:initiative[patch draft]": Write(
        "patch", fresh_draft, lambda w: {"summary": "Korter."}, statuses(401, 403, 404, 200)
    ),
    "api:initiative-publish[post]": Write("post", fresh_draft, lambda w: None, statuses(401, 403, 404, 200)),
    "api:initiative-phase[post]": Write(
        "post", fresh_published, lambda w: {"phase": "pilot"}, statuses(401, 403, 403, 200)
    ),
    # Another organisation asks to take part; the initiator is a participant already (a 400, not a refusal).
    "api:initiative-participations[post published]": Write(
        "post",
        fresh_published,
        lambda w: {"role": "co_developer", "motivation": "Wij bouwen hetzelfde."},
        statuses(401, 403, 201, 400),
    ),
    "api:initiative-participations[post draft]": Write(
        "post",
        fresh_draft,
        lambda w: {"role": "co_developer", "motivation": "Wij bouwen hetzelfde."},
        statuses(401, 403, 404, 400),
    ),
    "api:participation-decision[post]": Write(
        "post", fresh_request, lambda w: {"accept": True}, statuses(401, 403, 404, 200)
    ),
    "api:initiative-milestones[post published]": Write(
        "post",
        fresh_published,
        lambda w: {"title": "Livegang", "targetDate": "2026-09-01"},
        statuses(401, 403, 403, 201),
    ),
    "api:initiative-milestones[post draft]": Write(
        "post", fresh_draft, lambda w: {"title": "Livegang", "targetDate": "2026-09-01"}, statuses(401, 403, 404, 201)
    ),
    "api:milestone-achievement[post]": Write(
        "post",
        fresh_milestone,
        lambda w: {"achievedOn": timezone.localdate().isoformat(), "achievement": "Live in drie wijken."},
        statuses(401, 403, 403, 200),
    ),
    # Each municipality records its own adoption; none records another's.
    "api:standard-adoptions[post]": Write("post", fresh_standard, lambda w: ADOPTION, statuses(401, 403, 200, 200)),
    "api:standard-adoptions[post for the owner]": Write(
        "post", fresh_standard, lambda w: ADOPTION | {"organisation": w.utrecht.slug}, statuses(401, 403, 403, 200)
    ),
}


def url_name(row: str) -> str:
    return row.split("[")[0]


def api_patterns() -> dict[str, URLPattern]:
    _prefix, resolver = get_resolver().namespace_dict["api"]
    return {f"api:{pattern.name}": pattern for pattern in resolver.url_patterns}


def supported_writes() -> set[tuple[str, str]]:
    """(URL name, method) for every write method a view of the API implements."""
    supported = set()
    for name, pattern in api_patterns().items():
        view_class = getattr(pattern.callback, "view_class", None)
        for method in WRITE_METHODS:
            if view_class is not None and method in view_class.http_method_names and hasattr(view_class, method):
                supported.add((name, method))
    return supported


def caller_api(w: MatrixWorld, caller: str) -> Api:
    return w.api(KEY_OF_CALLER.get(caller))


def key_of(w: MatrixWorld, caller: str) -> ApiKey:
    return ApiKey.objects.get(key_hash=ApiKey.hash(w.keys[KEY_OF_CALLER[caller]]))


def path_for(row: str, kwargs: dict[str, Any] | None) -> str:
    return reverse(url_name(row), kwargs=kwargs)


def assert_answer(response: Any, status: int, request: str) -> None:
    assert response.status_code == status, f"{request}: {response.status_code} {response.content[:300]!r}"
    if status >= 400:
        assert response["Content-Type"].startswith(PROBLEM), request
        assert response.json()["status"] == status, request


def test_every_api_url_pattern_has_a_read_row():
    served = {name for name in served_url_names() if name.startswith("api:")}
    assert served == set(api_patterns())
    missing = served - {url_name(row) for row in READS}
    assert not missing, f"API URL patterns without a row in the matrix: {sorted(missing)}"
    stale = {url_name(row) for row in READS} - served
    assert not stale, f"Rows for API URL patterns that no longer exist: {sorted(stale)}"


def test_every_write_method_has_a_row():
    rows = {(url_name(row), write.method) for row, write in WRITES.items()}
    assert supported_writes() == rows


@pytest.mark.parametrize("row", sorted(READS))
def test_read_matrix(matrix, row):
    kwargs_for, expected = READS[row]
    path = path_for(row, kwargs_for(matrix) if kwargs_for else None)
    for caller in CALLERS:
        assert_answer(caller_api(matrix, caller).get(path), expected[caller], f"GET {path} as {caller}")


@pytest.mark.parametrize("row", sorted(WRITES))
def test_write_matrix(matrix, row):
    """Each caller on its own fresh object: the status, and an event by the key only when it succeeded."""
    write = WRITES[row]
    for caller in CALLERS:
        path = path_for(row, write.kwargs(matrix) if write.kwargs else None)
        body = write.body(matrix)
        request = f"{write.method.upper()} {path} {body} as {caller}"
        last_event = Event.objects.aggregate(last=Max("pk"))["last"] or 0
        response = caller_api(matrix, caller).send(write.method, path, body)
        assert_answer(response, write.expected[caller], request)
        events = list(Event.objects.filter(pk__gt=last_event))
        if response.status_code < 300:
            assert events, request
            assert {event.actor_api_key for event in events} == {key_of(matrix, caller)}, request
        else:
            assert not events, request


@pytest.mark.parametrize("row", sorted(row for row in READS if "[draft]" not in row))
@pytest.mark.parametrize("method", ["put", "delete"])
def test_methods_without_a_row_are_not_allowed(matrix, row, method):
    """The owner's write key (which passes every permission) gets 405 for a method no view implements."""
    kwargs_for, _expected = READS[row]
    path = path_for(row, kwargs_for(matrix) if kwargs_for else None)
    response = caller_api(matrix, "owner_write_key").send(method, path, {})
    assert_answer(response, 405, f"{method.upper()} {path} as owner_write_key")


def test_the_world_is_as_the_rows_assume(matrix):
    """The fixtures the rows rely on: an owner's draft, a third organisation's request, an adoption."""
    assert matrix.objects["request"].organisation not in (matrix.utrecht, matrix.zwolle)
    assert matrix.objects["request"].status == "requested"
    assert matrix.initiatives["draft"].status == "draft"
