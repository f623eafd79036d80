"""Every event the services record can be said in words, in the reader's language."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from collaboration.services.participation import participation_request
from initiatives.services.initiative import initiative_create, initiative_publish
from samenorg.core.actors import Actor
from samenorg.events.describe import DESCRIBED_RELATIONS, SENTENCES, describe
from samenorg.events.models import Event
from tests.factories import MembershipFactory

SERVICE_DIRS = ("initiatives/services", "collaboration/services", "standards/services")


def recorded_types():
    root = Path(settings.BASE_DIR)
    found = set()
    for folder in SERVICE_DIRS:
        for path in (root / folder).glob("*.py"):
            found |= set(
                re.findall(
                    r'"((?:initiative|participation|milestone|comment|nomination|standard|adoption)'
                    r'\.[a-z_]+)"',
                    path.read_text(),
                )
            )
    return found


def test_every_event_type_the_services_record_has_a_sentence():
    types = recorded_types()

    assert len(types) > 15
    assert types <= set(SENTENCES)


@pytest.mark.django_db
def test_a_join_request_is_described_with_the_organisation_and_the_role_in_dutch_and_english():
    owner, joiner = MembershipFactory(), MembershipFactory(organisation__name="Gemeente Zwolle")
    owner_actor = Actor(organisation=owner.organisation, user=owner.user)
    initiative = initiative_publish(
        actor=owner_actor, initiative=initiative_create(actor=owner_actor, title="Wijkdashboard", summary="Cijfers.")
    )
    participation_request(
        actor=Actor(organisation=joiner.organisation, user=joiner.user),
        initiative=initiative,
        role="funder",
        motivation="Wij betalen mee.",
    )
    event = Event.objects.select_related(*DESCRIBED_RELATIONS).get(type="participation.requested")

    with translation.override("nl"):
        dutch = describe(event)
    with translation.override("en"):
        english = describe(event)

    assert (dutch.subject, dutch.url) == ("Wijkdashboard", initiative.get_absolute_url())
    assert english.text == "Gemeente Zwolle asks to take part as funder."
    assert dutch.text == "Gemeente Zwolle vraagt om mee te doen als financier."
