from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from municipalities.services.membership import membership_grant_for_verified_email


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """New users get e-mail in the language they signed up in."""
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit=commit)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """A verified address whose domain an organisation registered makes the user its member."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            granted = membership_grant_for_verified_email(user=email_address.user, email=email_address.email)
            for membership in granted:
                messages.success(
                    request,
                    _("You are now a member of %(organisation)s.") % {"organisation": membership.organisation},
                )
        return confirmed
