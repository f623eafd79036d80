"""The fields people fill in on the collaboration pages; the services decide what is allowed."""

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collaboration.services.comment import MAX_BODY, MAX_REASON
from municipalities.models import Organisation
from samenorg.core.forms import DateInput


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the step is and who works on it."),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class MilestoneAchieveForm(forms.Form):
    achieved_on = forms.DateField(label=_("Achieved on"), widget=DateInput())
    achievement = forms.CharField(
        label=_("What was achieved"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The result, with figures where you have them."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence (link)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Optional: a report, a news item or a demo, starting with https://."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["achieved_on"].initial = timezone.localdate()
        self.fields["achieved_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, lists with -, links as [text](https://...)."),
    )


class NewCommentForm(CommentForm):
    """A new comment, for one of the author's organisations; the choice appears when there are several.
    The organisations come in as a list already read, so rendering the form costs no query."""

    organisation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int, required=False, empty_value=None)

    field_order = ["organisation", "body"]

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        field = self.fields["organisation"]
        field.choices = [(organisation.pk, organisation.name) for organisation in organisations]
        if organisations:
            field.initial = organisations[0].pk
        if len(organisations) <= 1:
            field.widget = forms.HiddenInput()

    def clean_organisation(self) -> Organisation | None:
        """The chosen organisation; without a choice, the first by name."""
        chosen = self.cleaned_data["organisation"]
        if chosen is None:
            return next(iter(self.organisations.values()), None)
        return self.organisations[chosen]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}))
