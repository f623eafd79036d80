"""The second factor: an authenticator app (TOTP) with recovery codes, which the admin asks of everyone
it lets in, and which anyone may turn on. Logins go through the real forms; ``log_in_with_second_factor``
stands for them in the tests of other pages."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext

from samenorg.accounts.adapter import MFAAdapter
from samenorg.accounts.admin_site import SecondFactorAdminSite
from samenorg.accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.second_factor import activate_authenticator, authenticator_code, log_in_with_second_factor, totp_code

pytestmark = pytest.mark.django_db

ADMIN = "/beheer/"


def facilitator() -> User:
    return UserFactory(facilitator=True)


def superuser() -> User:
    user = User.objects.create_superuser(email="root@vng.nl", password=PASSWORD, name="Root")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in_with_password(client, user) -> str:
    """The login form; returns where it sends the person next."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response.url


def confirm_password(client) -> None:
    """allauth asks for the password again before a change to how the person logs in."""
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302


def test_the_admin_is_the_site_that_asks_for_the_second_factor():
    assert isinstance(admin.site, SecondFactorAdminSite)


@pytest.mark.parametrize("make_user", [facilitator, superuser], ids=["facilitator", "superuser"])
def test_the_admin_opens_after_the_password_and_a_code_from_the_app(client, make_user):
    user = make_user()
    authenticator = activate_authenticator(user)

    after_password = log_in_with_password(client, user)
    assert after_password == reverse("mfa_authenticate")
    assert client.get(ADMIN).status_code == 302, "the password alone is no login yet"
    response = client.post(reverse("mfa_authenticate"), {"code": authenticator_code(authenticator)})

    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


@pytest.mark.parametrize("make_user", [facilitator, superuser], ids=["facilitator", "superuser"])
def test_without_an_authenticator_app_the_admin_explains_how_to_set_it_up(client, make_user):
    user = make_user()
    assert log_in_with_password(client, user) == reverse("accounts:overview"), "no code asked: there is no app"

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second-factor-required"))
    page = response.content.decode()
    assert gettext("The admin asks for your authenticator app") in page
    assert f'href="{reverse("mfa_activate_totp")}"' in page


def test_a_session_without_the_code_is_sent_to_give_it_and_then_on_to_the_page_it_asked_for(client):
    """As after a login through an identity provider, or a login from before the app was set up."""
    user = facilitator()
    authenticator = activate_authenticator(user)
    client.force_login(user)
    wanted = reverse("admin:accounts_user_changelist")

    response = client.get(wanted, follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('mfa_reauthenticate')}?next={wanted}"
    response = client.post(
        reverse("mfa_reauthenticate") + f"?next={wanted}", {"code": authenticator_code(authenticator)}
    )
    assert response.status_code == 302
    assert response.url == wanted
    assert client.get(wanted).status_code == 200


def test_a_recovery_code_counts_as_the_second_factor(client):
    user = facilitator()
    activate_authenticator(user)
    recovery_code = RecoveryCodes.activate(user).get_unused_codes()[0]
    client.force_login(user)

    client.post(reverse("mfa_reauthenticate"), {"code": recovery_code})

    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_opens_nothing(client):
    user = facilitator()
    activate_authenticator(user)
    client.force_login(user)

    response = client.post(reverse("mfa_reauthenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_the_test_helper_passes_and_a_bare_login_does_not(client):
    user = facilitator()
    client.force_login(user)
    activate_authenticator(user)
    assert client.get(ADMIN).status_code == 302

    log_in_with_second_factor(client, user)

    assert client.get(ADMIN).status_code == 200


def test_the_code_of_another_persons_login_in_the_same_browser_does_not_count(client):
    """allauth keeps the login steps per person: a session that changed hands starts without a code."""
    first = facilitator()
    log_in_with_second_factor(client, first)
    second = facilitator()
    activate_authenticator(second)
    client.force_login(second)

    assert client.get(ADMIN).status_code == 302


def test_an_app_removed_after_the_login_no_longer_opens_the_admin(client):
    user = facilitator()
    log_in_with_second_factor(client, user)

    Authenticator.objects.filter(user=user).delete()

    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second-factor-required"))


def test_the_admin_login_page_has_no_form_and_sends_visitors_to_the_site_login(client):
    response = client.get(reverse("admin:login") + "?next=/beheer/accounts/user/")

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/beheer/accounts/user/"


def test_the_admin_login_page_does_not_log_anyone_in(client):
    """Django's own admin login would take a password without the code: it is not there."""
    user = facilitator()
    activate_authenticator(user)

    response = client.post(reverse("admin:login"), {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_login_page_sends_only_to_admin_pages(client):
    user = facilitator()
    log_in_with_second_factor(client, user)

    response = client.get(reverse("admin:login") + "?next=https://evil.example/beheer/")

    assert response.status_code == 302
    assert response.url == ADMIN


def test_people_who_may_not_use_the_admin_are_refused_at_its_login_page(client):
    client.force_login(UserFactory())

    assert client.get(ADMIN).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


def test_the_explanation_page_is_for_logged_in_people(client):
    response = client.get(reverse("accounts:second-factor-required"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anyone_may_set_up_the_app_and_gets_recovery_codes(client):
    member = UserFactory()
    log_in_with_password(client, member)
    assert client.get(reverse("mfa_activate_totp")).url.startswith(reverse("account_reauthenticate"))
    confirm_password(client)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page, "the QR code, as an image the CSP allows"
    secret = response.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    codes_page = client.get(response.url)
    assert codes_page.status_code == 200
    codes = RecoveryCodes(Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES))
    assert all(code in codes_page.content.decode() for code in codes.get_unused_codes())


def test_a_member_may_turn_the_app_off_again(client):
    member = UserFactory()
    log_in_with_second_factor(client, member)
    confirm_password(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member).exists()


@pytest.mark.parametrize("make_user", [facilitator, superuser], ids=["facilitator", "superuser"])
def test_who_works_in_the_admin_cannot_turn_the_app_off(client, make_user):
    user = make_user()
    log_in_with_second_factor(client, user)
    confirm_password(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [MFAAdapter.error_messages["cannot_delete_authenticator"]]
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
