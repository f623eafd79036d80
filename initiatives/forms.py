from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from initiatives.models import CollaborationRole, Initiative, InitiativePhase, Theme
from initiatives.services.attachment import ACCEPTED
from municipalities.models import Organisation

CONTENT_FIELDS = [
    "title",
    "summary",
    "description",
    "results",
    "contact_name",
    "contact_email",
    "contact_phone",
    "organisations_using",
    "inhabitants_reached",
    "cost_eur",
    "savings_eur",
]


class LinkForm(forms.Form):
    title = forms.CharField(label=_("Title of the link"), max_length=200, required=False)
    url = forms.URLField(
        label=_("Web address"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("title")) != bool(data.get("url")) and not self.errors:
            missing = "url" if data.get("title") else "title"
            self.add_error(missing, _("Fill in both the title and the web address, or neither."))
        return data


LinkFormSet = forms.formset_factory(LinkForm, extra=2, max_num=10, absolute_max=10, validate_max=True)


class InitiativeForm(forms.ModelForm):
    """The fields people fill in; the services decide what is allowed and write it."""

    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    roles_sought = forms.MultipleChoiceField(
        label=_("Which roles are you looking for?"),
        choices=CollaborationRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=800,
        help_text=_("Separate them with commas, for example: omgevingswet, open source"),
    )

    class Meta:
        model = Initiative
        fields = CONTENT_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "description": _("Markdown: **bold**, lists with -, links as [text](https://...)."),
            "results": _("What it delivered, with figures where you have them. Markdown."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        links = []
        if self.instance.pk:
            self.initial.setdefault("tags", ", ".join(self.instance.tags))
            self.initial.setdefault("roles_sought", self.instance.roles_sought)
            links = list(self.instance.links.values("title", "url"))
        self.links = LinkFormSet(self.data if self.is_bound else None, initial=links, prefix="links")

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.links.is_valid()])  # a list: both report their errors

    def add_error(self, field: str | None, error: Any) -> None:
        # The service names the links as one field; the form shows that at the top.
        if field is None and isinstance(error, ValidationError) and "links" in getattr(error, "error_dict", {}):
            error.error_dict[NON_FIELD_ERRORS] = error.error_dict.pop("links")
        super().add_error(field, error)

    def clean_tags(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def content(self) -> dict[str, Any]:
        """What the service needs, apart from the themes."""
        data = {field: self.cleaned_data[field] for field in CONTENT_FIELDS}
        data["tags"] = self.cleaned_data["tags"]
        data["roles_sought"] = self.cleaned_data["roles_sought"]
        data["links"] = [
            (link["title"], link["url"]) for link in self.links.cleaned_data if link.get("title") and link.get("url")
        ]
        return data


class NewInitiativeForm(InitiativeForm):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=Organisation.objects.none())
    phase = forms.ChoiceField(label=_("Phase"), choices=InitiativePhase.choices, initial=InitiativePhase.IDEA)

    field_order = ["organisation", "title", "summary", "phase"]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=InitiativePhase.choices)


class AttachmentForm(forms.Form):
    # The browser offers only the accepted kinds; the service decides from the content (attachment.py).
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG."),
        widget=forms.FileInput(
            attrs={"accept": ",".join(f".{ext}" for extensions in ACCEPTED.values() for ext in extensions)}
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
