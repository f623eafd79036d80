"""Objects by id through the API: what the permission matrix (test_api_permission_matrix.py) leaves out.

The matrix checks each caller's status and that a refused write records no event. Here a refused
write is checked to write nothing at all, in any table (PostgreSQL's counters of the transaction),
and an object another organisation's key may not see answers exactly as one that does not exist:
same status, same problem document, so ids and slugs cannot be probed.
"""

import uuid
from typing import Any

import pytest
from django.urls import reverse

from tests.api.test_api_permission_matrix import (
    CALLERS,
    OWNER_ONLY,
    READS,
    WRITES,
    MatrixWorld,
    caller_api,
    matrix,
    path_for,
)
from tests.security.support import nothing_written

__all__ = ["matrix"]  # the matrix's world, as a fixture here

NOT_EXISTING_INT = 2_000_000_000


def missing_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same parameters naming nothing."""
    return {
        key: NOT_EXISTING_INT if isinstance(value, int) else f"bestaat-niet-{uuid.uuid4().hex[:8]}"
        for key, value in kwargs.items()
    }


def problem(response: Any) -> dict[str, Any]:
    """The problem document without the member that repeats the request's path."""
    return {key: value for key, value in response.json().items() if key != "instance"}


def record_key_use(w: MatrixWorld) -> None:
    """Each key's first request notes when it was used (one UPDATE a minute): done before measuring."""
    for caller in CALLERS:
        caller_api(w, caller).get(reverse("api:themes"))


@pytest.mark.parametrize("row", sorted(WRITES))
def test_a_refused_write_writes_nothing(matrix, row):
    write = WRITES[row]
    record_key_use(matrix)
    for caller in CALLERS:
        if write.expected[caller] < 400:
            continue
        path = path_for(row, write.kwargs(matrix) if write.kwargs else None)
        with nothing_written(f"{write.method.upper()} {path} as {caller}"):
            response = caller_api(matrix, caller).send(write.method, path, write.body(matrix))
        assert response.status_code == write.expected[caller], response.content


HIDDEN_READS = sorted(row for row, (_kwargs, expected) in READS.items() if expected == OWNER_ONLY)


@pytest.mark.parametrize("row", HIDDEN_READS)
@pytest.mark.parametrize("caller", ["anonymous", "other_write_key"])
def test_a_hidden_object_answers_as_one_that_does_not_exist(matrix, row, caller):
    kwargs_for, _expected = READS[row]
    kwargs = kwargs_for(matrix)
    api = caller_api(matrix, caller)
    hidden = api.get(path_for(row, kwargs))
    missing = api.get(path_for(row, missing_kwargs(kwargs)))
    assert hidden.status_code == missing.status_code == 404
    assert problem(hidden) == problem(missing)


@pytest.mark.parametrize(
    "row", sorted(row for row, write in WRITES.items() if write.expected["other_write_key"] == 404)
)
def test_a_write_to_a_hidden_object_answers_as_to_one_that_does_not_exist(matrix, row):
    write = WRITES[row]
    api = caller_api(matrix, "other_write_key")
    kwargs = write.kwargs(matrix)
    hidden = api.send(write.method, path_for(row, kwargs), write.body(matrix))
    missing = api.send(write.method, path_for(row, missing_kwargs(kwargs)), write.body(matrix))
    assert hidden.status_code == missing.status_code == 404
    assert problem(hidden) == problem(missing)


def test_another_organisations_draft_is_hidden_from_every_other_key(matrix):
    """Zwolle's draft, by slug and in the lists, for Utrecht's keys and the partner's."""
    draft = matrix.initiatives["zwolle_draft"]
    for key in ("utrecht_read", "utrecht_write", "partner_write"):
        api = matrix.api(key)
        assert api.get(reverse("api:initiative", kwargs={"slug": draft.slug})).status_code == 404, key
        listed = api.get(reverse("api:initiatives"), organisation=matrix.zwolle.slug).json()["results"]
        assert draft.slug not in {initiative["slug"] for initiative in listed}, key
    own = matrix.api("zwolle_write").get(reverse("api:initiative", kwargs={"slug": draft.slug}))
    assert own.status_code == 200
