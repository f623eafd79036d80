import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from samenorg.accounts.models import User
from tests.factories import UserFactory
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db


def change_form(user, **changes):
    data = {"email": user.email, "name": user.name, "job_title": "", "language": "nl", "is_active": "on"}
    data.update({"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_a_facilitator_edits_an_ordinary_profile_but_not_its_login_or_admin_rights(client):
    log_in_with_second_factor(client, UserFactory(facilitator=True))
    member = UserFactory(email="sanne@utrecht.nl")

    response = client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        change_form(member, name="Nieuwe Naam", email="attacker@example.org", is_staff="on", is_superuser="on"),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Nieuwe Naam"
    assert member.email == "sanne@utrecht.nl", "an address a facilitator chose could receive the password reset"
    assert not member.is_staff
    assert not member.is_superuser


def test_a_facilitator_cannot_redirect_anyones_verified_address(client):
    log_in_with_second_factor(client, UserFactory(facilitator=True))
    admin = User.objects.create_superuser(email="root@vng.nl", password="x" * 12, name="Root")
    address = EmailAddress.objects.create(user=admin, email="root@vng.nl", verified=True, primary=True)

    response = client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"user": admin.pk, "email": "attacker@example.org", "verified": "on", "primary": "on"},
    )

    assert response.status_code == 403
    address.refresh_from_db()
    assert address.email == "root@vng.nl"


def test_a_facilitator_cannot_change_a_superusers_address_to_take_the_account_over(client):
    log_in_with_second_factor(client, UserFactory(facilitator=True))
    admin = User.objects.create_superuser(email="root@vng.nl", password="x" * 12, name="Root")

    response = client.post(
        reverse("admin:accounts_user_change", args=[admin.pk]), change_form(admin, email="attacker@example.org")
    )

    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.email == "root@vng.nl"


def test_a_facilitator_cannot_set_anyones_password(client):
    log_in_with_second_factor(client, UserFactory(facilitator=True))
    member = UserFactory()

    response = client.post(
        reverse("admin:auth_user_password_change", args=[member.pk]),
        {"password1": "nieuw-wachtwoord-123", "password2": "nieuw-wachtwoord-123"},
    )

    assert response.status_code == 403
    member.refresh_from_db()
    assert not member.check_password("nieuw-wachtwoord-123")
