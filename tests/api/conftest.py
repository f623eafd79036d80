"""A small world for the API: two municipalities and a partner, each with a read and a write key,
members, and initiatives in each state."""

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from api.models import ApiKeyScope
from tests.factories import (
    ApiKeyFactory,
    InitiativeFactory,
    MembershipFactory,
    MunicipalOrganisationFactory,
    OrganisationFactory,
    ThemeFactory,
)

PROBLEM = "application/problem+json"


def make_key(organisation: Any, scope: str = ApiKeyScope.WRITE, **extra: Any) -> str:
    """A key of ``organisation``; returns the secret to send."""
    secret = f"sok_{secrets.token_urlsafe(32)}"
    ApiKeyFactory(key=secret, organisation=organisation, scope=scope, **extra)
    return secret


class Api:
    """The test client with a key (or none) and JSON bodies."""

    def __init__(self, key: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"X-Api-Key": key} if key else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None, *, raw: str | None = None, **kwargs: Any) -> Any:
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        kwargs.setdefault("content_type", "application/json")
        return getattr(self.client, method)(path, data, headers=self.headers, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("post", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("patch", path, body, **kwargs)


@dataclass
class World:
    utrecht: Any
    zwolle: Any
    partner: Any
    member: Any
    theme: Any
    keys: dict[str, str] = field(default_factory=dict)
    initiatives: dict[str, Any] = field(default_factory=dict)

    def api(self, who: str | None = None) -> Api:
        return Api(self.keys[who] if who else None)


@pytest.fixture
def world(db) -> World:
    utrecht = MunicipalOrganisationFactory(municipality__name="Utrecht", municipality__code="GM0344")
    zwolle = MunicipalOrganisationFactory(municipality__name="Zwolle", municipality__code="GM0193")
    partner = OrganisationFactory(name="Open Stad Software")
    theme = ThemeFactory(name="Dienstverlening")
    world = World(
        utrecht=utrecht,
        zwolle=zwolle,
        partner=partner,
        member=MembershipFactory(organisation=utrecht).user,
        theme=theme,
    )
    world.keys = {
        "utrecht_read": make_key(utrecht, ApiKeyScope.READ),
        "utrecht_write": make_key(utrecht),
        "zwolle_write": make_key(zwolle),
        "partner_write": make_key(partner),
    }
    world.initiatives = {
        "published": InitiativeFactory(owner=utrecht, published=True, title="Digitale afvalkalender"),
        "draft": InitiativeFactory(owner=utrecht, title="Geheim plan"),
        "archived": InitiativeFactory(owner=zwolle, archived=True, title="Oude balie"),
        "zwolle_draft": InitiativeFactory(owner=zwolle, title="Zwols concept"),
    }
    for initiative in world.initiatives.values():
        initiative.themes.add(theme)
    return world


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """A problem+json answer with this status and the members the design rules ask for."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"]
    assert response["API-Version"]
    return body
