import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command

from initiatives.demo import demo_plan
from initiatives.models import (
    Initiative,
    InitiativeLink,
    InitiativePhase,
    InitiativePhaseChange,
    InitiativeStatus,
    Theme,
)
from samenorg.accounts.models import User
from samenorg.events.models import Event

pytestmark = pytest.mark.django_db


def counts():
    return (
        Initiative.objects.count(),
        Event.objects.count(),
        InitiativePhaseChange.objects.count(),
        InitiativeLink.objects.count(),
        User.objects.count(),
    )


def test_the_plan_is_deterministic_with_unique_natural_titles():
    first, second = demo_plan(), demo_plan()

    assert first == second
    assert 140 <= len(first) <= 160
    assert len({item.slug for item in first}) == len(first)
    assert all(len(item.title) <= 200 and len(item.summary) <= 400 for item in first)


def test_seeding_writes_the_initiatives_through_the_services_once(municipalities):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    initiatives = Initiative.objects.all()
    assert initiatives.count() == len(demo_plan())
    assert set(Theme.objects.filter(initiatives__isnull=False).values_list("slug", flat=True)) == set(
        Theme.objects.values_list("slug", flat=True)
    )
    assert set(initiatives.values_list("phase", flat=True)) == set(InitiativePhase.values)
    statuses = {status: initiatives.filter(status=status).count() for status in InitiativeStatus.values}
    assert statuses["draft"] > 0
    assert statuses["archived"] > 0
    assert statuses["published"] > statuses["draft"] + statuses["archived"]
    assert initiatives.values("owner").distinct().count() > 60
    assert initiatives.filter(owner__municipality__isnull=True).exists(), "partners own some"
    assert initiatives.filter(owner__municipality__code="GM0344").count() >= 5


def test_each_initiative_has_its_events_phase_history_and_search_vector(municipalities):
    call_command("seed_demo")

    assert not Initiative.objects.filter(search_vector__isnull=True).exists()
    assert Event.objects.filter(type="initiative.created").count() == Initiative.objects.count()
    published = Initiative.objects.exclude(status=InitiativeStatus.DRAFT)
    assert Event.objects.filter(type="initiative.published").count() == published.count()
    assert Event.objects.filter(type="initiative.archived").count() == published.filter(status="archived").count()
    proven = Initiative.objects.filter(phase=InitiativePhase.PROVEN_PRACTICE).first()
    assert list(proven.phase_changes.values_list("to_phase", flat=True)) == InitiativePhase.values
    assert proven.results
    assert proven.organisations_using
    assert Initiative.objects.filter(search_vector=SearchQuery("schuldhulpverlening", config="dutch")).exists()


def test_demo_members_act_for_municipalities_without_one(municipalities):
    call_command("seed_demo")

    ede = Initiative.objects.filter(owner__municipality__code="GM0228").first()
    assert ede is not None
    creator = ede.events.get(type="initiative.created").actor_user
    assert creator.email == "demo@ede.demo.example"
    assert not creator.has_usable_password()
    utrecht = Initiative.objects.filter(owner__municipality__code="GM0344").first()
    assert utrecht.events.get(type="initiative.created").actor_user.email.endswith("@utrecht.nl")
