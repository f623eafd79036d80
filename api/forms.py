from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiKey, ApiKeyScope


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiKey._meta.get_field("name").max_length,
        help_text=_("Which system uses it, for example 'Zaaksysteem'."),
    )
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=ApiKeyScope.choices,
        initial=ApiKeyScope.READ,
        widget=forms.RadioSelect,
        help_text=_("A key that may write acts for your organisation as a member would."),
    )
