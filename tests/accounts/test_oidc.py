"""Login through the identity provider of a municipality or of VNG (OpenID Connect, SAMENORG_OIDC_*).

The provider is a real HTTP server on a free local port (discovery, token, userinfo, JWKS), with an
RS256-signed ID token: allauth talks to it as to any provider, nothing inside allauth is replaced.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from samenorg.accounts.models import User
from samenorg.accounts.oidc_config import openid_connect_providers, openid_connect_providers_from_environment
from samenorg.env import ConfigurationError
from tests.factories import PASSWORD, OrganisationDomainFactory, UserFactory
from tests.second_factor import activate_authenticator, authenticator_code

pytestmark = pytest.mark.django_db

CLIENT_ID = "samen-organiseren"
CLIENT_SECRET = "client-secret-at-the-provider"
PROVIDER_NAME = "VNG-account"
KEY_ID = "test-key-1"


class FakeIdentityProvider:
    """Just enough of an OpenID Connect provider for the authorization code flow with PKCE."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict = {}
        self.token_status = 200
        self.token_requests: list[dict] = []
        self._grants: dict[str, dict] = {}  # code -> what the authorization request asked
        self._access_tokens: set[str] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorize(self, authorization_url: str) -> tuple[str, str]:
        """The person logs in at the provider, which sends them back with a code: (code, state)."""
        url = urlparse(authorization_url)
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{self.issuer}/authorize"
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        assert query["client_id"] == CLIENT_ID
        assert query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256", "PKCE"
        code = secrets.token_urlsafe(16)
        self._grants[code] = query
        return code, query["state"]

    def id_token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **self.claims}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def _token(self, form: dict) -> tuple[int, dict]:
        self.token_requests.append(form)
        grant = self._grants.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (
            self.token_status != 200
            or grant is None
            or form.get("redirect_uri") != grant["redirect_uri"]
            or (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET)
            or challenge != grant["code_challenge"]
        ):
            return 400, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(16)
        self._access_tokens.add(access_token)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(),
        }

    def _get(self, path: str, authorization: str) -> tuple[int, dict]:
        if path == "/.well-known/openid-configuration":
            return 200, {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
            }
        if path == "/jwks":
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return 200, {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}
        if path == "/userinfo" and authorization.removeprefix("Bearer ") in self._access_tokens:
            return 200, self.claims
        return 404, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer(*provider._get(urlparse(self.path).path, self.headers.get("Authorization", "")))

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = {name: values[0] for name, values in parse_qs(body).items()}
                self._answer(*(provider._token(form) if self.path == "/token" else (404, {})))

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def idp(settings) -> Iterator[FakeIdentityProvider]:
    provider = FakeIdentityProvider()
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(
        server_url=provider.issuer, client_id=CLIENT_ID, secret=CLIENT_SECRET, name=PROVIDER_NAME
    )
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def log_in_through(client: Client, idp: FakeIdentityProvider, **claims: object):
    """The login button, the provider's login page, and back: the response of the callback."""
    idp.claims = {"sub": "vng-4711", **claims}
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "oidc"}))
    assert response.status_code == 302
    code, state = idp.authorize(response.url)
    return client.get(
        reverse("openid_connect_callback", kwargs={"provider_id": "oidc"}), {"code": code, "state": state}
    )


def logged_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_without_a_provider_nothing_about_it_shows_and_its_pages_are_not_found(client):
    login_page = client.get(reverse("account_login")).content.decode()

    assert "oidc" not in login_page
    assert gettext("Or log in with the account of your organisation") not in login_page
    assert client.post(reverse("openid_connect_login", kwargs={"provider_id": "oidc"})).status_code == 404
    for name in ("socialaccount_login_cancelled", "socialaccount_login_error", "socialaccount_signup"):
        assert client.get(reverse(name)).status_code == 404, name
    client.force_login(UserFactory())
    assert client.get(reverse("socialaccount_connections")).status_code == 404


def test_the_login_page_has_a_button_for_the_provider(client, idp):
    page = client.get(reverse("account_login") + "?next=/initiatieven").content.decode()

    assert gettext("Log in with %(name)s") % {"name": PROVIDER_NAME} in page
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "oidc"})
    assert (
        f'<form class="samenorg-form" method="post" action="{login_url}?process=login&amp;next=%2Finitiatieven">'
        in page
    )
    assert 'name="password"' in page, "the local login stays"


def test_a_new_person_logs_in_through_the_provider_and_gets_an_account(client, idp):
    response = log_in_through(client, idp, email="fatima@gemeente.nl", email_verified=True, name="Fatima el Amrani")

    assert response.status_code == 302
    assert response.url == reverse("accounts:overview")
    user = logged_in_user(client)
    assert user.email == "fatima@gemeente.nl"
    assert user.name == "Fatima el Amrani"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "vng-4711"
    assert idp.token_requests[-1]["code_verifier"], "the code was exchanged with the PKCE verifier"


def test_a_verified_address_of_a_registered_domain_makes_the_new_person_a_member(client, idp):
    domain = OrganisationDomainFactory(domain="utrecht.nl")

    log_in_through(client, idp, email="sanne@utrecht.nl", email_verified=True, name="Sanne de Vries")

    assert logged_in_user(client).memberships.get().organisation == domain.organisation


def test_the_same_person_logs_in_again_through_the_provider(client, idp):
    log_in_through(client, idp, email="fatima@gemeente.nl", email_verified=True, name="Fatima el Amrani")
    first = logged_in_user(client)
    client.logout()

    log_in_through(client, idp, email="fatima@gemeente.nl", email_verified=True, name="Fatima el Amrani")

    assert logged_in_user(client) == first
    assert User.objects.count() == 1


def test_a_new_address_the_provider_did_not_verify_is_confirmed_by_mail_first(client, idp):
    response = log_in_through(client, idp, email="bram@example.org", email_verified=False, name="Bram Jansen")

    assert response.url == reverse("account_email_verification_sent")
    assert logged_in_user(client) is None
    assert not EmailAddress.objects.get(email="bram@example.org").verified
    assert mail.outbox[-1].to == ["bram@example.org"]


def test_an_existing_account_is_linked_when_the_provider_verified_its_address(client, idp):
    existing = UserFactory(email="anna@utrecht.nl")

    log_in_through(client, idp, email="anna@utrecht.nl", email_verified=True, name="Anna")

    assert logged_in_user(client) == existing
    assert SocialAccount.objects.get(uid="vng-4711").user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password(), "the address was verified here too: the password stays"


@pytest.mark.parametrize("verified", [False, "false", "true", None], ids=["false", "string-false", "string", "absent"])
def test_an_address_the_provider_did_not_verify_never_opens_an_existing_account(client, idp, verified):
    existing = UserFactory(email="anna@utrecht.nl")
    claims = {"email": "anna@utrecht.nl", "name": "Anna"}
    if verified is not None:
        claims["email_verified"] = verified

    response = log_in_through(client, idp, **claims)

    assert logged_in_user(client) is None
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert User.objects.filter(email__iexact="anna@utrecht.nl").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    # Whether the address has an account is not told on the page: the same page as for a new address,
    # and a mail to the address (which says an account exists).
    assert response.url == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == ["anna@utrecht.nl"]


def test_without_an_address_from_the_provider_the_person_gives_one_on_the_sign_up_page(client, idp):
    response = log_in_through(client, idp, name="Anna")

    assert response.url == reverse("socialaccount_signup")
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
    assert 'name="name"' in page.content.decode()


def test_a_facilitator_logging_in_through_the_provider_still_needs_the_authenticator_app_for_the_admin(client, idp):
    facilitator = UserFactory(facilitator=True, email="coen@vng.nl")

    log_in_through(client, idp, email="coen@vng.nl", email_verified=True, name="Coen")

    assert logged_in_user(client) == facilitator
    response = client.get("/beheer/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second-factor-required"))


def test_a_facilitator_with_the_app_gives_a_code_after_the_provider_and_then_reaches_the_admin(client, idp):
    facilitator = UserFactory(facilitator=True, email="coen@vng.nl")
    authenticator = activate_authenticator(facilitator)

    response = log_in_through(client, idp, email="coen@vng.nl", email_verified=True, name="Coen")

    assert response.url == reverse("mfa_authenticate")
    assert logged_in_user(client) is None
    client.post(reverse("mfa_authenticate"), {"code": authenticator_code(authenticator)})
    assert logged_in_user(client) == facilitator
    assert client.get("/beheer/").status_code == 200
    assert Authenticator.objects.filter(user=facilitator).count() == 1


def test_a_provider_that_refuses_the_code_gives_an_error_page_not_an_account(client, idp):
    idp.token_status = 400

    response = log_in_through(client, idp, email="fatima@gemeente.nl", email_verified=True, name="Fatima")

    assert response.status_code == 401
    assert 'id="main"' in response.content.decode(), "the site's own error page"
    assert logged_in_user(client) is None
    assert not User.objects.filter(email="fatima@gemeente.nl").exists()


def test_the_provider_comes_from_the_environment_and_is_absent_without_it(monkeypatch):
    monkeypatch.delenv("SAMENORG_OIDC_SERVER_URL", raising=False)
    assert openid_connect_providers_from_environment() == {}

    monkeypatch.setenv("SAMENORG_OIDC_SERVER_URL", "https://login.vng.example")
    monkeypatch.setenv("SAMENORG_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SAMENORG_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("SAMENORG_OIDC_NAME", PROVIDER_NAME)
    assert openid_connect_providers_from_environment() == openid_connect_providers(
        server_url="https://login.vng.example", client_id=CLIENT_ID, secret=CLIENT_SECRET, name=PROVIDER_NAME
    )


def test_a_provider_without_a_client_is_a_clear_start_up_error(monkeypatch):
    monkeypatch.setenv("SAMENORG_OIDC_SERVER_URL", "https://login.vng.example")
    monkeypatch.delenv("SAMENORG_OIDC_CLIENT_ID", raising=False)

    with pytest.raises(ConfigurationError, match="SAMENORG_OIDC_CLIENT_ID"):
        openid_connect_providers_from_environment()
