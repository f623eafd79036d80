"""The partner's example in docs/api.md works against a running server: it reads every event in order,
and resumes after the position it stored without repeating or missing one."""

import importlib.util
from pathlib import Path

import pytest

from samenorg.core.actors import Actor
from samenorg.events.dispatch import assign_positions
from tests.api.conftest import make_key
from tests.factories import InitiativeFactory, MembershipFactory, MunicipalOrganisationFactory

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "sync_events_example.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("sync_events_example", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_example_partner_syncs_and_resumes(live_server):
    from initiatives.services.initiative import initiative_change_phase, initiative_publish

    example = _load_script()
    organisation = MunicipalOrganisationFactory()
    actor = Actor(organisation=organisation, user=MembershipFactory(organisation=organisation).user)
    initiative = InitiativeFactory(owner=organisation)
    key = make_key(organisation)
    initiative_publish(actor=actor, initiative=initiative)
    initiative_change_phase(actor=actor, initiative=initiative, phase="pilot")
    assign_positions()

    seen = []
    last = example.sync(live_server.url, 0, seen.append, api_key=key)
    assert [event["type"] for event in seen] == ["initiative.published", "initiative.phase_changed"]
    assert last == seen[-1]["position"]

    initiative_change_phase(actor=actor, initiative=initiative, phase="implementation")
    assign_positions()
    more = []
    assert example.sync(live_server.url, last, more.append) > last  # anonymously: public events only
    assert [event["payload"]["toPhase"] for event in more] == ["implementation"]
    assert example.sync(live_server.url, more[-1]["position"], more.append) == more[-1]["position"]
