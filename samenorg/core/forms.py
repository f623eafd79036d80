from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_noop

# Django's own messages are translated by Django's catalogue, which comes after every app's: REST
# framework's Dutch catalogue would turn "verplicht" into "vereist" on every form. Named here, the
# message is in the platform's catalogue, which comes first, so forms and the API say the same word.
gettext_noop("This field is required.")


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_error(form: forms.BaseForm, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal shown on the form: each message at its field where the form has that
    field, otherwise at the top."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, messages in pairs:
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
