"""Fixtures of the inbox, feed and settings tests: events recorded by the real services. (The fan-out and digest
tests bring their own; a fixture of the same name in a test module wins over these.)"""

import pytest

from collaboration.services.participation import participation_request
from initiatives.services.initiative import initiative_create, initiative_publish
from tests.factories import member_actor


@pytest.fixture
def utrecht():
    return member_actor("Utrecht")


@pytest.fixture
def zwolle():
    return member_actor("Zwolle")


@pytest.fixture
def story(utrecht, zwolle):
    """Utrecht drafts one initiative and publishes another; Zwolle asks to join the published one."""
    draft = initiative_create(actor=utrecht, title="Concept", summary="Nog niet af.")
    published = initiative_publish(
        actor=utrecht, initiative=initiative_create(actor=utrecht, title="Wijkdashboard", summary="Cijfers.")
    )
    request = participation_request(actor=zwolle, initiative=published, role="funder", motivation="Wij betalen mee.")
    return {"draft": draft, "published": published, "request": request}
