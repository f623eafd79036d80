"""The facilitators' workplace for standards: the review queue, each step of a review, standards and
their versions. Every step is a form here that calls the same service the rest of the platform uses."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samenorg.audit.history_admin import AuditHistoryAdminMixin
from samenorg.core.actors import moderator_actor
from samenorg.core.forms import DateInput, add_service_error
from standards.models import (
    OPEN_STAGES,
    Adoption,
    Nomination,
    NominationStage,
    NominationTransition,
    Standard,
    StandardStatus,
    StandardVersion,
)
from standards.services.nomination import FACILITATOR_MOVES, nomination_decide, nomination_transition
from standards.services.standard import standard_release_version, standard_update, standard_withdraw


class OpenFilter(admin.SimpleListFilter):
    """The review queue by default: open nominations, the longest waiting first."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("open", gettext("open")), ("closed", gettext("decided or withdrawn")), ("all", gettext("all"))]

    def choices(self, changelist: Any) -> Any:
        for choice in super().choices(changelist):
            if choice["display"] == gettext("All"):
                continue  # "open" is the default; "all" is offered explicitly
            if self.value() is None and choice.get("query_string", "").endswith("review=open"):
                choice["selected"] = True
            yield choice

    def queryset(self, request: HttpRequest, queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(stage__in=OPEN_STAGES)
        if value == "closed":
            return queryset.exclude(stage__in=OPEN_STAGES)
        return queryset


class ReadOnlyInline(admin.TabularInline):
    """Shown beside the object; written only by the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionInline(ReadOnlyInline):
    model = NominationTransition
    fields = ["at", "from_stage", "to_stage", "by", "reason"]
    readonly_fields = fields


class NominationStepForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Next step"))
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required for a decision: the reasons are published."),
    )
    closes_on = forms.DateField(
        label=_("Consultation closes on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for the consultation: until this day everyone logged in can comment."),
    )

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        moves = list(FACILITATOR_MOVES.get(stage, set()))
        if stage == NominationStage.CONSULTATION:
            moves = [NominationStage.ADOPTED, NominationStage.REJECTED]
        labels = dict(NominationStage.choices)
        self.fields["to_stage"].choices = [(move, labels[move]) for move in moves]


@admin.register(Nomination)
class NominationAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["initiative", "organisation", "stage", "days_in_stage", "consultation_closes_on", "submitted_at"]
    list_filter = [OpenFilter, "stage"]
    list_select_related = ["initiative", "organisation"]
    search_fields = ["initiative__title", "organisation__name"]
    ordering = ["stage_changed_at"]
    inlines = [TransitionInline]
    change_form_template = "admin/standards/nomination/change_form.html"
    fields = [
        "initiative",
        "organisation",
        "stage",
        "submitted_at",
        "consultation_closes_on",
        "organisations_using",
        "results",
        "costs_and_savings",
        "reusability",
        "documentation",
        "decision_reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Nomination | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Nomination | None = None) -> bool:
        return False

    @admin.display(description=_("days in this stage"), ordering="stage_changed_at")
    def days_in_stage(self, nomination: Nomination) -> int:
        return (timezone.now() - nomination.stage_changed_at).days

    def get_urls(self) -> list[URLPattern]:
        step = self.admin_site.admin_view(self.step_view)
        return [path("<int:object_id>/stap/", step, name="standards_nomination_step"), *super().get_urls()]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        nomination = self.get_object(request, object_id)
        can_step = nomination is not None and nomination.stage in OPEN_STAGES and request.user.is_facilitator
        extra_context = {
            **(extra_context or {}),
            "step_url": reverse("admin:standards_nomination_step", args=[object_id]) if can_step else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """One step of the review: intake, consultation with its closing date, or the decision."""
        if not request.user.is_facilitator:
            raise PermissionDenied
        nomination = get_object_or_404(Nomination.objects.select_related("initiative"), pk=object_id)
        back = reverse("admin:standards_nomination_change", args=[nomination.pk])
        form = NominationStepForm(request.POST or None, stage=nomination.stage)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            decide = data["to_stage"] in (NominationStage.ADOPTED, NominationStage.REJECTED)

            def step(actor: Any) -> object:
                if decide:
                    return nomination_decide(
                        actor=actor,
                        nomination=nomination,
                        adopt=data["to_stage"] == NominationStage.ADOPTED,
                        reason=data["reason"],
                    )
                return nomination_transition(
                    actor=actor,
                    nomination=nomination,
                    to_stage=data["to_stage"],
                    reason=data["reason"],
                    closes_on=data["closes_on"],
                )

            if _run(request, form, step):
                self.message_user(request, gettext("The nomination moved on."))
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": nomination,
            "title": gettext("Next step for %(initiative)s") % {"initiative": nomination.initiative},
            "form": form,
            "back": back,
        }
        return TemplateResponse(request, "admin/standards/step_form.html", context)


class VersionInline(ReadOnlyInline):
    model = StandardVersion
    fields = ["number", "released_on", "changelog"]
    readonly_fields = fields


class StandardForm(forms.ModelForm):
    revising = forms.BooleanField(label=_("Under revision"), required=False)

    class Meta:
        model = Standard
        fields = ["name", "description", "themes"]


class ReleaseForm(forms.Form):
    number = forms.CharField(label=_("Version number"), max_length=20, help_text=_("For example 1.4.0."))
    released_on = forms.DateField(label=_("Released on"), initial=timezone.localdate, widget=DateInput())
    changelog = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 6}))
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a title, a space, and the web address. For example: Handleiding https://..."),
    )

    def clean_documents(self) -> list[tuple[str, str]]:
        documents = []
        for line in self.cleaned_data["documents"].splitlines():
            if line.strip():
                title, _space, url = line.strip().rpartition(" ")
                documents.append((title, url))
        return documents


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), widget=forms.Textarea(attrs={"rows": 4}))


@admin.register(Standard)
class StandardAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    form = StandardForm
    list_display = ["name", "status", "latest_version", "adopters", "updated_at"]
    list_filter = ["status", "themes"]
    search_fields = ["name"]
    inlines = [VersionInline]
    change_form_template = "admin/standards/standard/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Standard]:
        return super().get_queryset(request).annotate(adopter_count=Count("adoptions"))

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            form.base_fields["revising"].initial = obj.status == StandardStatus.UNDER_REVISION
        return form

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a standard is made by adopting a nomination

    def has_delete_permission(self, request: HttpRequest, obj: Standard | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Standard | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status != StandardStatus.WITHDRAWN)

    @admin.display(description=_("latest version"))
    def latest_version(self, standard: Standard) -> str:
        latest = standard.versions.first()
        return latest.number if latest else "—"

    @admin.display(description=_("adoptions"), ordering="adopter_count")
    def adopters(self, standard: Standard) -> int:
        return standard.adopter_count  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Standard, form: Any, change: bool) -> None:
        """Through the service, so the change is checked and recorded like every other."""
        standard_update(
            actor=moderator_actor(request.user),
            standard=obj,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            themes=form.cleaned_data["themes"],
            revising=form.cleaned_data["revising"],
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service set the themes already."""

    def get_urls(self) -> list[URLPattern]:
        release = self.admin_site.admin_view(self.release_view)
        withdraw = self.admin_site.admin_view(self.withdraw_view)
        return [
            path("<int:object_id>/versie/", release, name="standards_standard_release"),
            path("<int:object_id>/intrekken/", withdraw, name="standards_standard_withdraw"),
            *super().get_urls(),
        ]

    def release_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return self._step(
            request,
            object_id,
            ReleaseForm,
            gettext("Release a new version of %(standard)s"),
            lambda actor, standard, data: standard_release_version(actor=actor, standard=standard, **data),
            gettext("The version is released; adopters of older versions see that an update is available."),
        )

    def withdraw_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return self._step(
            request,
            object_id,
            WithdrawForm,
            gettext("Withdraw %(standard)s"),
            lambda actor, standard, data: standard_withdraw(actor=actor, standard=standard, **data),
            gettext("The standard is withdrawn."),
        )

    def _step(
        self,
        request: HttpRequest,
        object_id: int,
        form_class: type[forms.Form],
        title: str,
        write: Callable[[Any, Standard, dict[str, Any]], object],
        done: str,
    ) -> HttpResponse:
        if not request.user.is_facilitator:
            raise PermissionDenied
        standard = get_object_or_404(Standard, pk=object_id)
        back = reverse("admin:standards_standard_change", args=[standard.pk])
        form = form_class(request.POST or None)
        written = request.method == "POST" and form.is_valid()
        if written and _run(request, form, lambda actor: write(actor, standard, form.cleaned_data)):
            self.message_user(request, done)
            return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": standard,
            "title": title % {"standard": standard},
            "form": form,
            "back": back,
        }
        return TemplateResponse(request, "admin/standards/step_form.html", context)


@admin.register(Adoption)
class AdoptionAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    """The register as facilitators see it; municipalities keep their own rows on the site."""

    list_display = ["organisation", "standard", "status", "version", "since", "updated_at"]
    list_filter = ["status", "standard", "organisation__municipality__province"]
    list_select_related = ["organisation", "standard", "version"]
    search_fields = ["organisation__name", "standard__name"]
    fields = ["organisation", "standard", "status", "version", "since", "reason", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Adoption | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Adoption | None = None) -> bool:
        return False


def _run(request: HttpRequest, form: forms.Form, step: Callable[[Any], object]) -> bool:
    """Run a service as the facilitator; a refusal becomes an error on the form."""
    try:
        step(moderator_actor(request.user))
    except (ValidationError, PermissionDenied) as error:
        add_service_error(form, error)
        return False
    return True
