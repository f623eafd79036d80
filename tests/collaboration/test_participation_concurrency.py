"""Two members of one organisation ask at the same moment: the database keeps one live row, and the
other request gets the same clear refusal as asking twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from collaboration.models import Participation
from collaboration.services import participation as services
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from tests.factories import InitiativeFactory, MembershipFactory

REFUSAL = "Je organisatie doet al mee aan dit initiatief of heeft al gevraagd om mee te doen."


def ask_at_once(actors, initiative):
    """Each actor asks from its own thread, on its own database connection; returns what each got."""
    start = threading.Barrier(len(actors))
    outcomes: list[object] = []

    def ask(actor: Actor) -> None:
        try:
            start.wait(timeout=10)
            services.participation_request(
                actor=actor, initiative=initiative, role="participant", motivation="Wij doen graag mee."
            )
            outcomes.append("created")
        except Exception as error:  # the test asserts on it
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def two_members():
    first = MembershipFactory(organisation__municipality__name="Zwolle")
    second = MembershipFactory(organisation=first.organisation)
    return [Actor(organisation=m.organisation, user=m.user) for m in (first, second)]


def assert_one_row_and_one_clear_refusal(outcomes, initiative, organisation):
    assert len(outcomes) == 2
    assert outcomes.count("created") == 1, outcomes
    refusal = next(outcome for outcome in outcomes if outcome != "created")
    assert isinstance(refusal, ValidationError), refusal
    assert refusal.messages == [REFUSAL]
    assert Participation.objects.live().filter(initiative=initiative, organisation=organisation).count() == 1
    assert Event.objects.filter(type="participation.requested", initiative=initiative).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_past_the_check_at_once_leave_one_live_row_and_one_clear_refusal(monkeypatch, two_members):
    """Both requests find no row yet (they wait for each other after the look-up), so both insert:
    the unique constraint decides, and the loser's IntegrityError becomes the usual refusal."""
    initiative = InitiativeFactory(published=True)
    both_looked = threading.Barrier(2)
    look_up = services.takes_part_or_asked

    def look_up_then_wait(*args):
        found = look_up(*args)
        both_looked.wait(timeout=10)
        return found

    monkeypatch.setattr(services, "takes_part_or_asked", look_up_then_wait)

    outcomes = ask_at_once(two_members, initiative)

    assert_one_row_and_one_clear_refusal(outcomes, initiative, two_members[0].organisation)


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_leave_one_live_row_and_one_clear_refusal(two_members):
    initiative = InitiativeFactory(published=True)

    outcomes = ask_at_once(two_members, initiative)

    assert_one_row_and_one_clear_refusal(outcomes, initiative, two_members[0].organisation)
