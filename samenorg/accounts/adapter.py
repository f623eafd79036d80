from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.contrib import messages
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities.services.membership import membership_grant_for_verified_email

from .models import User
from .second_factor import must_use_second_factor


def _grant_memberships(request: HttpRequest, user: User, email: str) -> None:
    """A verified address whose domain an organisation registered makes the user its member."""
    for membership in membership_grant_for_verified_email(user=user, email=email):
        messages.success(
            request, _("You are now a member of %(organisation)s.") % {"organisation": membership.organisation}
        )


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """New users get e-mail in the language they signed up in."""
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit=commit)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            _grant_memberships(request, email_address.user, email_address.email)
        return confirmed


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": gettext_lazy(
            "You work in the admin, which asks for a code of your authenticator app: the app stays on."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Whoever may work in the admin keeps their authenticator app (second_factor.py)."""
        if authenticator.type == Authenticator.Type.TOTP and must_use_second_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Login through an identity provider (OpenID Connect, see oidc_config.py)."""

    def can_authenticate_by_email(self, login: SocialLogin, email: str) -> bool:
        """An existing account is used only for an address the provider says it verified, as a JSON
        ``true``: linking on an unchecked address would hand that account to whoever typed it."""
        provider_verified = any(
            address.email.lower() == email.lower() and address.verified is True for address in login.email_addresses
        )
        return provider_verified and super().can_authenticate_by_email(login, email)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        full_name = data.get("name") or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        user.name = (full_name or "")[: User._meta.get_field("name").max_length]
        user.language = translation.get_language() or user.language
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        for address in EmailAddress.objects.filter(user=user, verified=True):
            _grant_memberships(request, user, address.email)
        return user
