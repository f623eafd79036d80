from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenorg.core.forms import DateInput
from standards.models import AdoptionStatus, StandardVersion


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class NominationForm(forms.Form):
    """The evidence checklist; the achieved milestones are shown beside it."""

    organisations_using = forms.IntegerField(label=_("How many organisations use it?"), min_value=0, max_value=100_000)
    results = forms.CharField(
        label=_("Measurable results"), max_length=5000, widget=_text(), help_text=_("With figures: before and after.")
    )
    costs_and_savings = forms.CharField(
        label=_("Costs and savings"),
        max_length=5000,
        widget=_text(),
        help_text=_("One-off and yearly costs, and what it saves, per municipality where you can."),
    )
    reusability = forms.CharField(
        label=_("How can others reuse it?"),
        max_length=5000,
        widget=_text(),
        help_text=_("Licence, suppliers that offer it, what a municipality needs to start."),
    )
    documentation = forms.CharField(
        label=_("Documentation"),
        max_length=5000,
        widget=_text(3),
        help_text=_("Where the manuals, designs or source code are, with links."),
    )


class AdoptionForm(forms.Form):
    status = forms.ChoiceField(label=_("Where does your municipality stand?"), choices=AdoptionStatus.choices)
    version = forms.ModelChoiceField(
        label=_("Version"),
        queryset=StandardVersion.objects.none(),
        required=False,
        empty_label=_("Not known"),
        help_text=_("The version you implement or use."),
    )
    since = forms.DateField(label=_("Since"), initial=timezone.localdate, widget=DateInput())
    reason = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=5000,
        widget=_text(),
        help_text=_("Required when your municipality does not adopt the standard. It is shown publicly."),
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["status"].widget = forms.RadioSelect(choices=AdoptionStatus.choices)
