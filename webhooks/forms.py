from django import forms
from django.utils.translation import gettext_lazy as _

from .services.endpoints import URL_MAX_LENGTH, known_event_types


class EndpointForm(forms.Form):
    """What a coordinator fills in; the service checks the address and the types again."""

    url = forms.CharField(
        label=_("URL"),
        max_length=URL_MAX_LENGTH,
        help_text=_(
            "The https address of your system that receives the messages, for example https://example.nl/webhooks."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("Which system receives them, for example 'Zaaksysteem'."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        required=False,
        choices=[(event_type, event_type) for event_type in known_event_types()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to receive every type."),
    )
