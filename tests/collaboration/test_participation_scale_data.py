"""generate_scale_data writes the participations in bulk: every initiative's owner as its initiator,
and on public initiatives other organisations in the other roles."""

import pytest
from django.core.management import call_command
from django.db.models import F

from collaboration.models import Participation
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_scale_data_has_an_initiator_for_every_initiative_and_participants_on_public_ones(municipalities):
    call_command("generate_scale_data", "--initiatives=300", "--partners=20", "--users=10", "--batch=64")

    initiators = Participation.objects.filter(role="initiator", status="active")
    assert initiators.count() == Initiative.objects.count() == 300
    assert initiators.filter(organisation=F("initiative__owner")).count() == 300
    others = Participation.objects.exclude(role="initiator")
    assert others.count() > 100
    assert not others.filter(initiative__status="draft").exists()
    assert not others.filter(organisation=F("initiative__owner")).exists()
    assert set(others.values_list("status", flat=True)) == {"requested", "active", "declined", "withdrawn", "left"}
    assert others.exclude(organisation__kind="municipality").exists()
    assert not others.filter(status="requested").exclude(initiative__status="published").exists()
