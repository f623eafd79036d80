import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, email, password, address="192.0.2.10"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, settings):
    UserFactory(email="anna@utrecht.nl")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "anna@utrecht.nl", "fout-wachtwoord").status_code == 200
    locked = attempt(client, "anna@utrecht.nl", "fout-wachtwoord")
    with_right_password = attempt(client, "anna@utrecht.nl", PASSWORD)

    assert locked.status_code == 429
    assert with_right_password.status_code == 429
    assert "15 minuten" in with_right_password.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off(client, settings):
    UserFactory(email="anna@utrecht.nl")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "anna@utrecht.nl", "fout-wachtwoord")
    assert attempt(client, "anna@utrecht.nl", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME)

    assert attempt(client, "anna@utrecht.nl", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_failures_for_one_account_do_not_lock_out_another(client, settings):
    UserFactory(email="anna@utrecht.nl")
    UserFactory(email="sanne@utrecht.nl")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "anna@utrecht.nl", "fout-wachtwoord")

    assert attempt(client, "sanne@utrecht.nl", PASSWORD).status_code == 302


def test_a_wrong_password_says_nothing_about_whether_the_account_exists(client):
    UserFactory(email="anna@utrecht.nl")

    known = attempt(client, "anna@utrecht.nl", "fout-wachtwoord").context["form"].non_field_errors()
    unknown = attempt(client, "niemand@utrecht.nl", "fout-wachtwoord").context["form"].non_field_errors()

    assert known == unknown


def test_changing_address_does_not_escape_the_lockout(client, settings):
    UserFactory(email="anna@utrecht.nl")

    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "anna@utrecht.nl", "fout-wachtwoord", address=f"198.51.100.{number}")
    from_a_new_address = attempt(client, "anna@utrecht.nl", PASSWORD, address="203.0.113.7")

    assert from_a_new_address.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_change_of_case_counts_as_the_same_account(client, settings):
    UserFactory(email="anna@utrecht.nl")

    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "Anna@Utrecht.NL" if number % 2 else "anna@utrecht.nl", "fout-wachtwoord")

    assert attempt(client, "anna@utrecht.nl", PASSWORD).status_code == 429


def test_one_address_trying_many_accounts_is_slowed_down(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/10m/ip"}
    UserFactory(email="sanne@utrecht.nl")

    for number in range(3):
        assert attempt(client, f"gok{number}@utrecht.nl", "fout-wachtwoord").status_code == 200
    sprayed = attempt(client, "sanne@utrecht.nl", PASSWORD)

    assert "_auth_user_id" not in client.session
    assert sprayed.status_code == 200
    assert "Te veel inlogpogingen. Probeer het later nogmaals." in sprayed.content.decode()
    assert attempt(client, "sanne@utrecht.nl", PASSWORD, address="192.0.2.99").status_code == 302
