from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from municipalities.models import MembershipRequest
from municipalities.services.membership import MOTIVATION_MAX_LENGTH

from .models import User


class SignupDetailsForm(forms.Form):
    """The fields allauth's sign-up form adds to e-mail and password."""

    name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "job_title", "language", "follow_frequency"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }
        help_texts = {
            "follow_frequency": _(
                "For what you start following, and for the initiatives your organisations take part in. "
                "You can set each follow differently in My overview."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form posted without it (an older page, a script) keeps the setting the user has.
        self.fields["follow_frequency"].required = False

    def clean_follow_frequency(self) -> str:
        return self.cleaned_data.get("follow_frequency") or self.instance.follow_frequency


class MembershipRequestForm(forms.ModelForm):
    class Meta:
        model = MembershipRequest
        fields = ["motivation"]
        labels = {"motivation": _("Why do you want to join?")}
        help_texts = {"motivation": _("For example your role, or the team you work in. The coordinators read this.")}
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4, "maxlength": MOTIVATION_MAX_LENGTH})}


class MembershipDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline; the requester reads it."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
