"""Forms of the participation pages: they collect input; the services hold the rules."""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from collaboration.models import Participation
from initiatives.models import CollaborationRole
from municipalities.models import Organisation

MOTIVATION_MAX = Participation._meta.get_field("motivation").max_length
REASON_MAX = Participation._meta.get_field("decision_reason").max_length


def role_choices(leave_out: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The roles one may ask for: every role but the initiator's (and ``leave_out``)."""
    skip = {CollaborationRole.INITIATOR, *leave_out}
    return [(value, str(label).capitalize()) for value, label in CollaborationRole.choices if value not in skip]


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(label=_("Role"), choices=role_choices)
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your organisation brings and wants to learn; the initiator reads it."),
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("prefix", "join")
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[organisation.pk for organisation in organisations])
        field.choices = [(organisation.pk, organisation.name) for organisation in organisations]
        self.only = organisations[0] if len(organisations) == 1 else None
        if self.only is not None:  # nothing to choose: said in the text, sent along hidden
            field.initial, field.required, field.widget = self.only.pk, False, forms.HiddenInput()

    def clean_organisation(self) -> Organisation | None:
        return self.cleaned_data["organisation"] or self.only


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Other role"), choices=())
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why your organisation wants this role; the initiator reads it."),
    )

    def __init__(self, *args, participation: Participation, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # One name for every row's form; ids of its own, as a page may show two (two organisations of mine).
        kwargs.setdefault("prefix", "other")
        kwargs.setdefault("auto_id", f"id_other_{participation.pk}_%s")
        super().__init__(*args, **kwargs)
        self.participation_pk = participation.pk
        self.fields["role"].choices = role_choices(leave_out=[participation.role])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline; the organisation reads it."),
    )

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"
