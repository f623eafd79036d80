"""Insecure direct object references: an id in a URL gives nobody more than the permission matrix allows.

The attackers: anonymous, a member of another municipality (Zwolle) and that municipality's
coordinator, who manages Zwolle's keys, webhooks and requests and so has the most to try. For every
row of the permission matrix whose URL names an object, and every action of its POST table:

- what a foreign visitor is refused by GET, they are refused by POST too, and the POST writes nothing;
- Zwolle's coordinator is refused where Zwolle's member is (no coordinator right reaches another
  organisation's objects);
- an id that exists but is not theirs answers exactly as an id that does not exist (no enumeration).

Then the URLs that name an object under a parent (a webhook under an organisation, a milestone under
an initiative) are called with the attacker's own parent and the victim's object.
"""

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse

from initiatives.models import Initiative, Theme
from municipalities.models import Municipality, Organisation
from standards.models import Standard
from tests.factories import ApiKeyFactory, CommentFactory, InitiativeFactory, MilestoneFactory
from tests.security.support import REFUSALS, WriteProbe, matrix_paths, nothing_written
from tests.test_permission_matrix import AWAY, LOGIN, MATRIX, POST_MATRIX, all_rows, outcome, url_for, zwolle_of

FOREIGN = ("anonymous", "other_member", "other_coordinator")
NOT_EXISTING_INT = 2_000_000_000


def expected_for(expected: dict[str, Any], role: str) -> Any:
    """Zwolle's coordinator is refused as Zwolle's member is."""
    return expected["other_member" if role == "other_coordinator" else role]


def client_as(world, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def is_public_slug(value: Any) -> bool:
    """A slug anyone can find on a public page: organisations, municipalities, themes, standards, and
    initiatives that are not drafts. Refusing another organisation's coordinator page by it reveals nothing."""
    return isinstance(value, str) and any(
        queryset.filter(slug=value).exists()
        for queryset in (
            Organisation.objects.all(),
            Municipality.objects.all(),
            Theme.objects.all(),
            Standard.objects.all(),
            Initiative.objects.exclude(status="draft"),
        )
    )


def not_existing(value: Any) -> Any:
    if isinstance(value, int):
        return NOT_EXISTING_INT
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    return "bestaat-niet-" + uuid.uuid4().hex[:8]


def url_parameters(path: str) -> dict[str, Any]:
    """The parameters in the URL's route (not the extra arguments a pattern passes to its view)."""
    match = resolve(path)
    return {key: value for key, value in match.kwargs.items() if f"<{key}>" in match.route or f":{key}>" in match.route}


def probes(name: str, path: str) -> dict[str, str]:
    """The URL with each identifier of a non-public object swapped for one that does not exist. A
    parameter that only takes listed values (the admin's app labels) names no object."""
    parameters = url_parameters(path)
    swapped = {}
    for key, value in parameters.items():
        if is_public_slug(value):
            continue
        try:
            swapped[key] = url_for(name, {**parameters, key: not_existing(value)})
        except NoReverseMatch:
            continue
    return swapped


def refused(expected: Any) -> bool:
    return expected in REFUSALS


# Actions (a GET answers 405) that the POST table of the permission matrix does not hold: what each
# foreign visitor gets when posting a valid form to them, on the world's objects (Utrecht's draft and
# its milestone, Zwolle's request to join Utrecht's initiative).
HIDDEN_DRAFT = {"anonymous": LOGIN, "other_member": 404}
FOREIGN_ACTIONS = {
    "initiatives:change-phase": (HIDDEN_DRAFT, {"phase": "pilot"}),
    "initiatives:attachment-add": (HIDDEN_DRAFT, {"title": "Plan"}),
    # The API with the browser's session: a problem+json 401 for nobody, 404 for a draft of others.
    "api:initiative-publish": ({"anonymous": 401, "other_member": 404}, {}),
    "api:initiative-phase": ({"anonymous": 401, "other_member": 404}, {"phase": "pilot"}),
    "api:milestone-achievement": (
        {"anonymous": 401, "other_member": 404},
        {"achievedOn": "2026-01-05", "achievement": "Live."},
    ),
    # Zwolle asked to join: its member cannot decide on its own request.
    "api:participation-decision": ({"anonymous": 401, "other_member": 403}, {"accept": True}),
}


def test_every_action_has_foreign_expectations():
    actions = {name for name, (_kwargs, expected) in MATRIX.items() if set(expected.values()) == {405}}
    missing = actions - set(POST_MATRIX) - set(FOREIGN_ACTIONS)
    assert not missing, f"actions without a row in POST_MATRIX (tests/test_permission_matrix.py): {sorted(missing)}"


@pytest.mark.parametrize("role", FOREIGN)
def test_a_foreign_visitor_cannot_read_nor_probe_by_id(attack_world, role):
    """GET: refused as the matrix says, and an id that does not exist answers the same."""
    client = client_as(attack_world, role)
    failures = {}
    for name, path in matrix_paths(attack_world).items():
        expected = expected_for(all_rows()[name][1], role)
        if not refused(expected) or expected == 405:
            continue
        for probe, probe_path in {"itself": path, **probes(name, path)}.items():
            actual = outcome(client.get(probe_path))
            if actual != expected:
                failures[f"{name} ({probe})"] = actual
    assert not failures, f"GET as {role}, expected as the matrix says: {failures}"


def foreign_posts(world) -> dict[str, tuple[Callable[[str], str], Callable[[str], dict], dict]]:
    """name -> (path for a role, form data for a role, expected per role), for every URL with an object."""
    posts = {}
    paths = matrix_paths(world)
    for name, path in paths.items():
        _kwargs, expected = all_rows()[name]
        if url_parameters(path) and name not in POST_MATRIX:
            expected, data = FOREIGN_ACTIONS.get(name, (expected, {}))
            posts[name] = (lambda role, path=path: path, lambda role, data=data: data, expected)
    for name, (kwargs_for, data_for, expected) in POST_MATRIX.items():
        posts[name] = (
            lambda role, name=name, kwargs_for=kwargs_for: reverse(
                name, kwargs=kwargs_for(world, role) if kwargs_for else None
            ),
            lambda role, data_for=data_for: data_for(world, role),
            expected,
        )
    return posts


# A page a visitor may not see refuses a POST as it refuses a GET, or by its method; the API refuses an
# anonymous write (401) before it looks at the method.
ALSO_REFUSING = (405, 401)


def post(client: Client, name: str, path: str, data: dict) -> Any:
    if name.startswith("api:"):
        return client.post(path, json.dumps(data), content_type="application/json")
    return client.post(path, data)


@pytest.mark.parametrize("role", FOREIGN)
def test_a_foreign_visitor_cannot_change_nor_probe_by_id(attack_world, role):
    """POST: refused (as by GET, or 405), nothing written, and an id that does not exist answers the same."""
    client = client_as(attack_world, role)
    failures = {}
    for name, (path_for, data_for, expected_by_role) in sorted(foreign_posts(attack_world).items()):
        expected = expected_for(expected_by_role, role)
        if not refused(expected):
            continue
        path, data = path_for(role), data_for(role)
        probe = WriteProbe()
        actual = outcome(post(client, name, path, data))
        written = probe.tables_written()
        if actual not in (expected, *ALSO_REFUSING) or written:
            failures[name] = (actual, sorted(written))
            continue
        if actual == 403:
            continue  # an object the visitor sees but may not change (their own request to join): no secret
        for swapped, probe_path in probes(name, path).items():
            if (answer := outcome(post(client, name, probe_path, data))) != actual:
                failures[f"{name} (no such {swapped})"] = (answer, actual)
    assert not failures, f"POST as {role}: {failures}"


# Under a parent: the attacker's own parent (where they have rights) with the victim's object.
def own_webhooks_page_with_utrechts_webhook(w) -> dict:
    return {"slug": zwolle_of(w).slug, "pk": w.objects["webhook"].pk}


def own_draft_with_utrechts_milestone(w) -> dict:
    return {"slug": InitiativeFactory(owner=zwolle_of(w)).slug, "pk": w.objects["collaboration.milestone"].pk}


def public_initiative_with_a_drafts_comment(w) -> dict:
    comment = CommentFactory(initiative=w.objects["draft"], author=w.users["member"], organisation=w.utrecht)
    return {"slug": w.objects["initiatives.initiative"].slug, "pk": comment.pk}


def public_initiative_with_a_drafts_attachment(w) -> dict:
    return {"slug": w.objects["initiatives.initiative"].slug, "uuid": w.objects["draft attachment"].uuid}


def own_comment_page_with_anothers_comment(w) -> dict:
    own = CommentFactory(initiative=w.objects["initiatives.initiative"], author=w.users["other_member"])
    return {"slug": own.initiative.slug, "pk": w.objects["collaboration.comment"].pk}


# name -> (attacker, kwargs, methods, answer). A milestone page sends its editor back to their own
# timeline with "this milestone does not belong to this initiative", as for a milestone that does not exist.
MIXED_PARENTS = {
    **{
        f"webhooks:{name}": ("other_coordinator", own_webhooks_page_with_utrechts_webhook, methods, 404)
        for name, methods in (
            ("detail", ("get",)),
            ("edit", ("get", "post")),
            ("enable", ("post",)),
            ("rotate-secret", ("post",)),
            ("delete", ("get", "post")),
        )
    },
    "api_keys:revoke": (
        "other_coordinator",
        lambda w: {"slug": zwolle_of(w).slug, "pk": ApiKeyFactory(organisation=w.utrecht).pk},
        ("post",),
        404,
    ),
    "collaboration:milestone-edit": ("other_coordinator", own_draft_with_utrechts_milestone, ("get", "post"), AWAY),
    "collaboration:milestone-achieve": ("other_coordinator", own_draft_with_utrechts_milestone, ("get", "post"), AWAY),
    "collaboration:comment-edit": ("other_member", own_comment_page_with_anothers_comment, ("get", "post"), 404),
    "collaboration:comment-report": ("other_member", public_initiative_with_a_drafts_comment, ("get", "post"), 404),
    "collaboration:comment-hide": ("facilitator", public_initiative_with_a_drafts_comment, ("get", "post"), 404),
    "initiatives:attachment": ("other_member", public_initiative_with_a_drafts_attachment, ("get",), 404),
}
# Two parameters that are not an object under a parent.
NOT_NESTED = {"account_reset_password_from_key"}  # a user's id and the signed key for it


def test_every_url_with_an_object_under_a_parent_has_a_row(world):
    nested = {
        name.split("[")[0]
        for name, path in matrix_paths(world).items()
        if len(url_parameters(path)) > 1 and not name.startswith("admin:")
    }
    missing = nested - set(MIXED_PARENTS) - NOT_NESTED
    assert not missing, f"URLs with an object under a parent, without a row in MIXED_PARENTS: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(MIXED_PARENTS))
def test_a_parent_of_ones_own_does_not_open_anothers_object(attack_world, name):
    """Refused, nothing written, and the same answer as for an object that does not exist."""
    role, kwargs_for, methods, answer = MIXED_PARENTS[name]
    client = client_as(attack_world, role)
    data = {"body": "Overschreven.", "title": "Overschreven", "reason": "Overschreven."}
    for method in methods:
        kwargs = kwargs_for(attack_world)
        path = reverse(name, kwargs=kwargs)
        with nothing_written(f"{method.upper()} {path} as {role}"):
            response = getattr(client, method)(path, data)
        assert outcome(response) == answer, f"{method.upper()} {path} as {role}: {response.status_code}"
        child = next(key for key in kwargs if key != "slug")
        missing = reverse(name, kwargs={**kwargs, child: not_existing(kwargs[child])})
        assert outcome(getattr(client, method)(missing, data)) == answer, f"{method.upper()} {missing}"


def test_the_attackers_have_rights_of_their_own(attack_world):
    """The mixed-parent rows mean something: Zwolle's coordinator does manage Zwolle's webhooks and its
    drafts' milestones, and the public initiative's page is open to the other member."""
    coordinator = client_as(attack_world, "other_coordinator")
    zwolle = zwolle_of(attack_world)
    assert coordinator.get(reverse("webhooks:list", kwargs={"slug": zwolle.slug})).status_code == 200
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=zwolle))
    edit = reverse("collaboration:milestone-edit", kwargs={"slug": milestone.initiative.slug, "pk": milestone.pk})
    assert coordinator.get(edit).status_code == 200
    public = reverse("initiatives:detail", kwargs={"slug": attack_world.objects["initiatives.initiative"].slug})
    assert client_as(attack_world, "other_member").get(public).status_code == 200
