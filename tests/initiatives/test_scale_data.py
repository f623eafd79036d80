import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.core.management.base import CommandError

from initiatives.models import Initiative, InitiativePhase, InitiativeStatus
from municipalities.models import Membership, Organisation
from municipalities.models.organisation import PARTNER_KINDS
from samenorg.accounts.models import User
from samenorg.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def generate(**counts):
    options = {"initiatives": 200, "partners": 20, "users": 50, "batch": 64, **counts}
    call_command("generate_scale_data", *[f"--{key}={value}" for key, value in options.items()])


def test_creates_the_requested_counts(municipalities, capsys):
    generate()

    assert Initiative.objects.count() == 200
    assert Organisation.objects.partners().count() == 20
    assert User.objects.count() == 50
    assert Membership.objects.count() >= 50
    assert "[####################] 200/200" in capsys.readouterr().err  # the progress bar
    initiatives = Initiative.objects.all()
    assert set(initiatives.values_list("phase", flat=True)) == set(InitiativePhase.values)
    assert set(initiatives.values_list("status", flat=True)) == set(InitiativeStatus.values)
    assert not initiatives.filter(themes__isnull=True).exists()
    assert initiatives.values("owner").distinct().count() > 50
    assert initiatives.filter(owner__kind__in=PARTNER_KINDS).exists()
    assert initiatives.exclude(roles_sought=[]).exists()
    assert all(initiative.phase_changes.count() == 1 for initiative in initiatives[:20])


def test_users_share_one_password_that_works(municipalities):
    generate(initiatives=0, users=5)

    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert User.objects.first().check_password(DEMO_PASSWORD)


def test_the_search_vector_is_filled_for_dutch_search(municipalities):
    generate()

    assert not Initiative.objects.filter(search_vector__isnull=True).exists()
    found = Initiative.objects.filter(search_vector=SearchQuery("gemeenten", config="dutch"))
    assert found.exists()
    assert found.count() < Initiative.objects.count()


def test_running_again_adds_another_set(municipalities):
    generate(initiatives=10, partners=3, users=4)
    generate(initiatives=10, partners=3, users=4)

    assert Initiative.objects.count() == 20
    assert User.objects.count() == 8


def test_refused_where_demo_is_switched_off(settings, municipalities):
    settings.SAMENORG_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="SAMENORG_ALLOW_DEMO"):
        generate()
    assert not Initiative.objects.exists()


def test_needs_the_municipalities_first():
    with pytest.raises(CommandError, match="load_municipalities"):
        generate()
