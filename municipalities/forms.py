import re

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import Organisation, OrganisationDomain
from municipalities.models.organisation import PARTNER_KINDS

PARTNER_KIND_CHOICES = [(kind.value, kind.label) for kind in PARTNER_KINDS]
TEXT_MAX_LENGTH = 5000
# The same rule as the database constraint on OrganisationDomain.domain, so the form says it first.
DOMAIN_PATTERN = re.compile(r"([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")


class OrganisationRequestForm(forms.Form):
    """A partner organisation, as a user proposes it; the service checks it again and saves it."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=[("", _("Choose a kind")), *PARTNER_KIND_CHOICES])
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the organisation's public page."),
    )
    motivation = forms.CharField(
        label=_("Why should it join Samen Organiseren?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the facilitators who review the request read this."),
    )


class OrganisationDomainForm(forms.ModelForm):
    """An e-mail domain as facilitators type it ("@Utrecht.NL "), stored as ``utrecht.nl``."""

    class Meta:
        model = OrganisationDomain
        fields = ["domain", "organisation"]

    def clean_domain(self) -> str:
        domain = self.cleaned_data["domain"].strip().lower().removeprefix("@")
        if not DOMAIN_PATTERN.fullmatch(domain):
            raise forms.ValidationError(
                _(
                    "Enter the part of an e-mail address after the @, such as utrecht.nl: letters, digits, "
                    "hyphens and dots only, without http:// or a path."
                ),
                code="invalid_domain",
            )
        return domain


class PartnerOrganisationAdminForm(forms.ModelForm):
    """Facilitators add partner organisations in the admin; municipalities come from the CBS list only."""

    kind = forms.ChoiceField(label=_("kind"), choices=PARTNER_KIND_CHOICES)
    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "website", "description"]


class OrganisationDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("The requester reads this in the e-mail about the decision."),
    )
