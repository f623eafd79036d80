"""Abuse limits around accounts: registration and password reset per address (allauth's
ACCOUNT_RATE_LIMITS, as configured), requests to join an organisation per person (SAMENORG_RATE_LIMITS),
and answers that do not tell whether an account exists (ACCOUNT_PREVENT_ENUMERATION).

Both limiters count against a clock; the tests hold it still, so no window ends by chance, and move it
on by hand."""

import os
import re
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse

from municipalities.models import MembershipRequest
from samenorg.accounts.models import User
from tests.factories import PASSWORD, MunicipalOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.10"
OTHER_ADDRESS = "198.51.100.7"
PROXY = "10.0.0.2"
TOO_MANY_IN_DUTCH = "Je hebt dit in korte tijd te vaak geprobeerd."
REFUSED_IN_DUTCH = "het maximum om misbruik te voorkomen. Probeer het na"


def sign_up(client, email, address=ADDRESS):
    return client.post(
        reverse("account_signup"),
        {"email": email, "name": "Anna de Vries", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=address,
    )


def ask_reset(client, email, address=ADDRESS):
    return client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=address)


def without_tokens(html: str) -> str:
    """A page without what differs on every render (the CSRF tokens)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


# -- registration ----------------------------------------------------------------------------------


def test_registration_is_refused_in_dutch_after_the_limit_for_one_address_and_creates_no_account(
    client, settings, clock
):
    allowed = int(settings.ACCOUNT_RATE_LIMITS["signup"].split("/")[0])
    for number in range(allowed):
        assert sign_up(client, f"persoon{number}@example.org").status_code == 302

    refused = sign_up(client, "een-te-veel@example.org")

    assert refused.status_code == 429
    assert TOO_MANY_IN_DUTCH in refused.content.decode()
    assert not User.objects.filter(email="een-te-veel@example.org").exists()
    assert User.objects.count() == allowed


def test_the_registration_limit_is_per_address_and_ends_with_its_window(client, settings, clock):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    sign_up(client, "eerste@example.org")
    assert sign_up(client, "tweede@example.org").status_code == 429

    assert sign_up(client, "elders@example.org", address=OTHER_ADDRESS).status_code == 302

    clock.advance(60)
    assert sign_up(client, "tweede@example.org").status_code == 302
    assert User.objects.count() == 3


def test_behind_the_proxy_registrations_count_per_client_address_not_per_proxy(client, settings, clock):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def through_the_proxy(email, address):
        form = {"email": email, "name": "Anna de Vries", "password1": PASSWORD, "password2": PASSWORD}
        return client.post(reverse("account_signup"), form, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    assert through_the_proxy("eerste@example.org", ADDRESS).status_code == 302
    assert through_the_proxy("elders@example.org", OTHER_ADDRESS).status_code == 302
    assert through_the_proxy("tweede@example.org", ADDRESS).status_code == 429


def test_allauth_trusts_as_many_proxies_as_the_other_limits():
    settings_of = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    environment = {**os.environ, "AXES_PROXY_COUNT": "2", "DJANGO_SETTINGS_MODULE": "samenorg.settings.test"}

    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {settings_of}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    assert done.stdout.strip() == "2"


def test_registering_an_existing_address_looks_the_same_and_mails_its_owner(client, settings, clock):
    UserFactory(email="sanne@utrecht.nl", name="Sanne")

    existing = sign_up(client, "sanne@utrecht.nl")
    client.logout()
    new = sign_up(client, "nieuw@utrecht.nl")

    assert existing.status_code == new.status_code == 302
    assert existing.url == new.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="sanne@utrecht.nl").count() == 1
    (to_owner,) = [message for message in mail.outbox if message.to == ["sanne@utrecht.nl"]]
    assert "Account bestaat al" in to_owner.subject
    assert "/account/bevestig-e-mail/" not in to_owner.body, "no link that would confirm anything"


# -- password reset --------------------------------------------------------------------------------


def test_a_reset_for_an_unknown_address_gets_the_same_answer_and_page_as_for_a_known_one(client, clock):
    UserFactory(email="sanne@utrecht.nl")

    known = client.post(reverse("account_reset_password"), {"email": "sanne@utrecht.nl"}, follow=True)
    unknown = client.post(reverse("account_reset_password"), {"email": "niemand@utrecht.nl"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(reverse("account_reset_password_done"), 302)]
    assert without_tokens(known.content.decode()) == without_tokens(unknown.content.decode())
    to_owner, to_unknown = mail.outbox
    assert to_owner.to == ["sanne@utrecht.nl"]
    assert "/account/wachtwoord-vergeten/" in to_owner.body, "the owner gets a link to set a new password"
    assert to_unknown.to == ["niemand@utrecht.nl"]
    assert "/account/wachtwoord-vergeten/" not in to_unknown.body, "the unknown address is told it has no account"


def test_resets_for_one_address_are_limited_alike_whether_or_not_it_has_an_account(client, settings, clock):
    UserFactory(email="sanne@utrecht.nl")
    per_address = int(settings.ACCOUNT_RATE_LIMITS["reset_password"].split(",")[1].split("/")[0])
    for _ in range(per_address):
        assert ask_reset(client, "sanne@utrecht.nl").status_code == 302
        assert ask_reset(client, "niemand@utrecht.nl").status_code == 302

    known, unknown = ask_reset(client, "sanne@utrecht.nl"), ask_reset(client, "niemand@utrecht.nl")

    assert known.status_code == unknown.status_code == 429
    assert without_tokens(known.content.decode()) == without_tokens(unknown.content.decode())
    assert TOO_MANY_IN_DUTCH in known.content.decode()
    assert len(mail.outbox) == 2 * per_address, "no mail for the refused requests"


def test_one_client_address_asking_resets_for_many_accounts_is_stopped(client, settings, clock):
    allowed = int(settings.ACCOUNT_RATE_LIMITS["reset_password"].split(",")[0].split("/")[0])
    for number in range(allowed):
        assert ask_reset(client, f"persoon{number}@example.org").status_code == 302

    assert ask_reset(client, "nog-een@example.org").status_code == 429
    assert ask_reset(client, "nog-een@example.org", address=OTHER_ADDRESS).status_code == 302

    clock.advance(60)
    assert ask_reset(client, "nog-een@example.org").status_code == 302


# -- logging in ------------------------------------------------------------------------------------


def test_a_failed_login_reads_the_same_for_a_known_an_unverified_and_an_unknown_account(client, clock):
    UserFactory(email="anna@utrecht.nl")
    sign_up(client, "onbevestigd@utrecht.nl")
    client.logout()

    answers = [
        client.post(reverse("account_login"), {"login": email, "password": "fout-wachtwoord"}, REMOTE_ADDR=ADDRESS)
        for email in ("anna@utrecht.nl", "onbevestigd@utrecht.nl", "niemand@utrecht.nl")
    ]

    assert {answer.status_code for answer in answers} == {200}
    errors = [answer.context["form"].non_field_errors() for answer in answers]
    assert errors[0] == errors[1] == errors[2]
    assert errors[0], "the login was refused with a message"


# -- requests to join an organisation --------------------------------------------------------------


def ask_to_join(client, organisation, motivation="Ik werk in het team Omgevingswet."):
    url = reverse("accounts:membership-request", kwargs={"slug": organisation.slug})
    return client.post(url, {"motivation": motivation})


def test_a_membership_request_over_the_limit_is_refused_in_dutch_and_changes_nothing(
    client, settings, clock, django_capture_on_commit_callbacks
):
    settings.SAMENORG_RATE_LIMITS = {**settings.SAMENORG_RATE_LIMITS, "membership_request": "2/h"}
    person = UserFactory()
    client.force_login(person)
    for _ in range(2):
        assert ask_to_join(client, MunicipalOrganisationFactory()).status_code == 302
    third = MunicipalOrganisationFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = ask_to_join(client, third, motivation="Mijn derde verzoek vandaag.")

    body = response.content.decode()
    assert response.status_code == 200
    assert REFUSED_IN_DUTCH in body
    assert "Mijn derde verzoek vandaag." in body, "the form is kept"
    assert not MembershipRequest.objects.filter(organisation=third).exists()
    assert callbacks == [], "no mail to the coordinators is queued"
    assert mail.outbox == []


def test_the_membership_request_limit_is_per_person_and_ends_with_its_window(client, settings, clock):
    settings.SAMENORG_RATE_LIMITS = {**settings.SAMENORG_RATE_LIMITS, "membership_request": "1/h"}
    person = UserFactory()
    client.force_login(person)
    ask_to_join(client, MunicipalOrganisationFactory())
    later = MunicipalOrganisationFactory()
    assert ask_to_join(client, later).status_code == 200

    client.force_login(UserFactory())
    assert ask_to_join(client, later).status_code == 302, "another person is not held back"

    client.force_login(person)
    clock.advance(3600)
    assert ask_to_join(client, later).status_code == 302
    assert MembershipRequest.objects.filter(user=person).count() == 2
