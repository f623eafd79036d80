import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from municipalities.models import Membership, MembershipRequest, Organisation
from samenorg.accounts.models import User
from samenorg.core.demo import DEMO_LOGIN, DEMO_PASSWORD, FACILITATOR_EMAIL, FACILITATOR_TOTP_SECRET
from tests.second_factor import totp_code

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        MembershipRequest.objects.count(),
    )


def test_seeding_twice_changes_nothing(municipalities):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert first[0] >= 10


def test_the_printed_demo_logins_work(client, municipalities, capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert f"{DEMO_LOGIN} / {DEMO_PASSWORD}" in printed

    response = client.post(reverse("account_login"), {"login": DEMO_LOGIN, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    overview = client.get(reverse("accounts:overview"))
    assert "Gemeente Utrecht" in overview.content.decode()
    assert overview.context["requests_to_decide"], "the demo has a request for Utrecht's coordinator"

    client.logout()
    asked_for_code = client.post(reverse("account_login"), {"login": FACILITATOR_EMAIL, "password": DEMO_PASSWORD})
    assert asked_for_code["Location"] == reverse("mfa_authenticate")
    assert f"authenticator app secret {FACILITATOR_TOTP_SECRET}" in printed
    client.post(reverse("mfa_authenticate"), {"code": totp_code(FACILITATOR_TOTP_SECRET)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_demo_needs_the_municipalities_first():
    with pytest.raises(CommandError, match="load_municipalities"):
        call_command("seed_demo")


def test_the_demo_is_refused_where_it_is_switched_off(settings, municipalities):
    settings.SAMENORG_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="SAMENORG_ALLOW_DEMO"):
        call_command("seed_demo")
    assert not User.objects.exists()
