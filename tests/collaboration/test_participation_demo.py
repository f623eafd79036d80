"""The demo participations: realistic, through the services, and written once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from collaboration.demo.participations import SCENARIOS, seed_demo_participations
from collaboration.models import Participation
from samenorg.accounts.models import User
from samenorg.core.demo import DEMO_LOGIN
from samenorg.events.models import Event

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_kind_of_participation_and_a_second_run_adds_nothing(client, municipalities):
    call_command("seed_demo")
    rows = Participation.objects.exclude(role="initiator")
    counts = (Participation.objects.count(), Event.objects.filter(participation__isnull=False).count())

    assert seed_demo_participations() == 0
    call_command("seed_demo")

    assert (Participation.objects.count(), Event.objects.filter(participation__isnull=False).count()) == counts
    assert rows.count() == len(SCENARIOS), "every scenario found its initiative and people"
    assert set(rows.values_list("status", flat=True)) == {"requested", "active", "declined", "left"}
    assert rows.filter(organisation__kind="municipality").exists()
    assert rows.exclude(organisation__kind="municipality").exists()
    assert not rows.filter(status="declined", decision_reason="").exists()
    assert Event.objects.filter(type="participation.role_changed").count() == 1
    assert rows.active().exclude(requested_role="").exists()
    assert Participation.objects.filter(role="initiator", status="active").count() == (
        Participation.objects.values("initiative").distinct().count()
    ), "every demo initiative has its initiator"

    client.force_login(User.objects.get(email=DEMO_LOGIN))
    overview = client.get(reverse("accounts:overview"))
    to_decide = overview.context["participations_to_decide"]
    assert {row.status for row in to_decide} == {"requested", "active"}, "a request to join and one for a role"
    assert all(row.initiative.owner.slug == "utrecht" for row in to_decide)
    elsewhere = [row for row in overview.context["participations_of_mine"] if row.status == "active"]
    assert len(elsewhere) >= 3, "Utrecht takes part in a few initiatives of others"
