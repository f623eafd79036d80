import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from municipalities.models import Membership
from samenorg.accounts.models import User
from tests.factories import PASSWORD, OrganisationDomainFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email, name="Anna de Vries", password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "name": name, "password1": password, "password2": password},
    )


def confirmation_link(message) -> str:
    match = re.search(r"http://[^/\s]+(/account/bevestig-e-mail/[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


def test_registration_verifies_email_and_links_the_municipality_by_domain(client):
    domain = OrganisationDomainFactory(domain="utrecht.nl")

    response = sign_up(client, "Anna.deVries@Utrecht.nl")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="anna.devries@utrecht.nl")
    assert user.name == "Anna de Vries"
    assert not Membership.objects.filter(user=user).exists(), "no membership before the address is verified"
    assert len(mail.outbox) == 1
    link = confirmation_link(mail.outbox[0])

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    confirmed = client.post(link, follow=True)

    assert confirmed.status_code == 200
    assert EmailAddress.objects.get(user=user).verified
    membership = Membership.objects.get(user=user)
    assert membership.organisation == domain.organisation
    assert membership.role == "member"
    assert confirmed.context["user"] == user, "confirming logs the new user in"
    assert domain.organisation.name in confirmed.content.decode()


def test_registration_with_an_unregistered_domain_grants_no_membership(client):
    OrganisationDomainFactory(domain="utrecht.nl")
    sign_up(client, "iemand@gmail.example")
    client.post(confirmation_link(mail.outbox[0]))

    user = User.objects.get(email="iemand@gmail.example")
    assert EmailAddress.objects.get(user=user).verified
    assert not Membership.objects.filter(user=user).exists()


def test_a_lookalike_domain_is_not_the_registered_one(client):
    OrganisationDomainFactory(domain="utrecht.nl")
    sign_up(client, "phisher@utrecht.nl.evil.example")
    client.post(confirmation_link(mail.outbox[0]))

    assert not Membership.objects.exists()


def test_an_unverified_account_cannot_log_in(client):
    sign_up(client, "nieuw@utrecht.nl")
    client.logout()

    response = client.post(reverse("account_login"), {"login": "nieuw@utrecht.nl", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_registration_errors_are_shown_in_dutch_and_nothing_is_created(client):
    UserFactory(email="bestaat@utrecht.nl")

    response = sign_up(client, "bestaat@utrecht.nl", password="kort")
    body = response.content.decode()

    assert response.status_code == 200
    assert 'lang="nl"' in body
    assert "Dit wachtwoord is te kort: gebruik minstens 10 tekens." in body
    assert User.objects.filter(email="bestaat@utrecht.nl").count() == 1


def test_registration_errors_are_shown_in_english_when_chosen(client):
    client.cookies["samenorg_language"] = "en"

    response = sign_up(client, "not-an-address", password=PASSWORD)

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not User.objects.exists()


def test_the_new_user_gets_mail_in_the_language_they_registered_in(client):
    client.cookies["samenorg_language"] = "en"
    sign_up(client, "newcomer@example.org")

    assert User.objects.get(email="newcomer@example.org").language == "en"


def test_password_reset_sends_a_working_link_without_revealing_unknown_accounts(client):
    UserFactory(email="sanne@utrecht.nl")

    known = client.post(reverse("account_reset_password"), {"email": "sanne@utrecht.nl"})
    unknown = client.post(reverse("account_reset_password"), {"email": "niemand@utrecht.nl"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    reset_mail = next(m for m in mail.outbox if m.to == ["sanne@utrecht.nl"])
    link = re.search(r"http://[^/\s]+(/account/wachtwoord-vergeten/[^\s]+)", reset_mail.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "een-heel-nieuw-wachtwoord-7"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    assert User.objects.get(email="sanne@utrecht.nl").check_password(new_password)


def test_login_and_logout_with_email_and_password(client):
    user = UserFactory(email="lotte@rotterdam.nl")

    response = client.post(reverse("account_login"), {"login": "lotte@rotterdam.nl", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
