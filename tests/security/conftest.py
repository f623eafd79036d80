"""The attack tests act in the permission matrix's world, with one more attacker: a coordinator of
another municipality (Zwolle), who may manage its own organisation and so gets furthest."""

import pytest

from tests.factories import MembershipFactory
from tests.test_permission_matrix import World, world, zwolle_of

__all__ = ["world"]  # the permission matrix's fixture, for the tests here


@pytest.fixture
def attack_world(world: World) -> World:
    world.users["other_coordinator"] = MembershipFactory(organisation=zwolle_of(world), coordinator=True).user
    return world
