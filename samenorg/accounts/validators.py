from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import ngettext


class MinimumLengthInEveryLanguageValidator(MinimumLengthValidator):
    """Django 5.2's message changed its placeholder, and its Dutch catalogue still has the old one;
    this wording is in our own catalogue, so the error reads in the user's language."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
