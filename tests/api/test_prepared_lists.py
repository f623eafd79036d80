"""The unfiltered list and the key lookup run SQL compiled once (``api.prepared``): each caller still
reads its own rows, fresh from the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.authentication import key_by_hash
from api.models import ApiKey
from api.prepared import PreparedQuery
from initiatives.models import CollaborationRole, Initiative
from tests.factories import InitiativeFactory, ParticipationFactory


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def test_the_same_compiled_list_gives_each_key_its_own_drafts_in_turn(world):
    utrecht_draft, zwolle_draft = world.initiatives["draft"].slug, world.initiatives["zwolle_draft"].slug
    for _ in range(2):  # Utrecht, Zwolle, Utrecht, Zwolle: the second round runs the SQL compiled in the first
        utrecht = slugs(world.api("utrecht_read").get("/api/v1/initiatives"))
        zwolle = slugs(world.api("zwolle_write").get("/api/v1/initiatives"))
        assert utrecht_draft in utrecht
        assert zwolle_draft not in utrecht
        assert zwolle_draft in zwolle
        assert utrecht_draft not in zwolle
        assert utrecht_draft not in slugs(world.api().get("/api/v1/initiatives"))


def test_a_keys_compiled_list_reads_fresh_rows_and_its_co_developed_drafts(world):
    world.api("partner_write").get("/api/v1/initiatives")  # compiled before the rows below exist
    co_developed = InitiativeFactory(owner=world.utrecht, title="Samen gebouwd")
    ParticipationFactory(initiative=co_developed, organisation=world.partner, role=CollaborationRole.CO_DEVELOPER)
    found = slugs(world.api("partner_write").get("/api/v1/initiatives"))
    assert co_developed.slug in found
    assert world.initiatives["draft"].slug not in found


def test_a_second_page_is_compiled_for_its_own_window(world):
    for number in range(3):
        InitiativeFactory(owner=world.zwolle, published=True, title=f"Openbaar {number}")
    first = world.api("utrecht_read").get("/api/v1/initiatives", pageSize=2).json()
    second = world.api("utrecht_read").get("/api/v1/initiatives", pageSize=2, page=2).json()
    assert first["next"]
    assert second["previous"]
    assert not {row["slug"] for row in first["results"]} & {row["slug"] for row in second["results"]}


def test_the_key_lookup_loads_the_organisation_in_one_query(world):
    with CaptureQueriesContext(connection) as queries:
        api_key = key_by_hash(ApiKey.hash(world.keys["zwolle_write"]))
        assert api_key is not None
        assert api_key.organisation == world.zwolle
        assert api_key.organisation.name == world.zwolle.name
    assert len(queries) == 1
    assert key_by_hash(ApiKey.hash("sok_unknown")) is None


def test_a_query_holding_a_moment_is_refused(db):
    with pytest.raises(ValueError, match="stale"):
        PreparedQuery.of(Initiative.objects.filter(created_at__lte=timezone.now()).values("pk"))
