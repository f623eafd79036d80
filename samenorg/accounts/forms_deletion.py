from typing import Any

from allauth.core import ratelimit
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


class AccountDeletionForm(forms.Form):
    """The person confirms with their password; an account without one (a login through an identity
    provider) types its e-mail address instead. Wrong guesses count against allauth's re-authentication
    limit, so a session left open does not let someone try passwords."""

    confirmation = forms.CharField(strip=False)

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request, self.user = request, user
        field = self.fields["confirmation"]
        if self.uses_password:
            field.label = _("Your password")
            field.widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        else:
            field.label = _("Your e-mail address")
            field.help_text = _("Type the address you log in with, to confirm.")
            field.widget = forms.EmailInput(attrs={"autocomplete": "off"})

    @property
    def uses_password(self) -> bool:
        return self.user.has_usable_password()

    def clean_confirmation(self) -> str:
        value: str = self.cleaned_data["confirmation"]
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError(_("Too many attempts. Wait a few minutes and try again."))
        if self.uses_password:
            if not self.user.check_password(value):
                raise forms.ValidationError(_("That is not your password."))
        elif value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("That is not the address you log in with."))
        return value
