from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Organisation
from samenorg.core.forms import DateInput

from .reader import tracked_models


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class AuditFilterForm(forms.Form):
    """The audit trail's filters, read from the address: kind of object, person, organisation, period."""

    model = forms.ChoiceField(label=_("Kind of object"), required=False)
    user = forms.CharField(label=_("Person (e-mail address)"), required=False, max_length=254)
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.order_by("name"), required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Up to and including"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *(
                (model._meta.label_lower, str(model._meta.verbose_name_plural).capitalize())
                for model in tracked_models()
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period comes before its start."))
        return data

    def period(self) -> tuple[datetime | None, datetime | None]:
        """From the start of the first day up to the end of the last, in the platform's time zone."""
        since, until = self.cleaned_data["since"], self.cleaned_data["until"]
        return (_start_of(since) if since else None, _start_of(until + timedelta(days=1)) if until else None)
