"""The facilitators' workplace: reference data to look up, organisations to review and staff.

Reference data (provinces, municipalities) comes from ``manage.py load_municipalities`` and is
read-only here, because the next load would overwrite an edit. Decisions on requested partner
organisations go through ``organisation_decide``, like everywhere else.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from municipalities.admin_writes import ServiceWritesAdminMixin
from municipalities.forms import OrganisationDeclineForm, OrganisationDomainForm, PartnerOrganisationAdminForm
from municipalities.models import (
    Membership,
    MembershipRequest,
    Municipality,
    Organisation,
    OrganisationDomain,
    Province,
)
from municipalities.models.organisation import OrganisationStatus
from municipalities.services.organisations import organisation_decide
from samenorg.audit.history_admin import AuditHistoryAdminMixin


class ReadOnlyAdminMixin:
    """Shown, never changed here: the data has another source."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]


class DissolvedFilter(admin.SimpleListFilter):
    title = _("dissolved")
    parameter_name = "dissolved"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("no", _("current")), ("yes", _("dissolved in a merger"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Municipality]) -> QuerySet[Municipality]:
        if self.value() == "no":
            return queryset.filter(dissolved_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(dissolved_on__isnull=False)
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "province", "population", "dissolved_on", "successor"]
    list_filter = ["province", DissolvedFilter]
    list_select_related = ["province", "successor"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "slug", "province", "population", "dissolved_on", "successor"]
    show_full_result_count = False


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    form = OrganisationDomainForm
    extra = 0
    verbose_name_plural = _("e-mail domains (new accounts with a verified address here become members)")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user")


@admin.register(Organisation)
class OrganisationAdmin(AuditHistoryAdminMixin, ServiceWritesAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "status", "requested_by", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    search_fields = ["name", "slug", "municipality__code", "domains__domain"]
    raw_id_fields = ["decided_by"]
    # The request and its decision are the services' to write; the admin shows them.
    decision_fields = [
        "municipality",
        "status",
        "requested_by",
        "request_motivation",
        "decided_by",
        "decided_at",
        "decision_reason",
        "created_at",
    ]
    fields = ["name", "slug", "kind", "website", "description", *decision_fields]
    inlines = [OrganisationDomainInline, MembershipInline]
    actions = ["approve_requests", "decline_requests"]
    ordering = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_form(
        self, request: HttpRequest, obj: Organisation | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        if obj is None or not obj.is_municipality:
            kwargs["form"] = PartnerOrganisationAdminForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Organisation | None = None) -> list[str]:
        readonly = list(self.decision_fields)
        if obj is not None and obj.is_municipality:
            # Name and slug follow the CBS list (load_municipalities keeps them in step).
            readonly += ["name", "slug", "kind"]
        return readonly

    def get_prepopulated_fields(self, request: HttpRequest, obj: Organisation | None = None) -> dict[str, tuple[str]]:
        return {"slug": ("name",)} if obj is None else {}

    @admin.action(description=_("Approve the selected requested organisations"), permissions=["change"])
    def approve_requests(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        self._decide(request, queryset, approve=True, reason="")

    @admin.action(description=_("Decline the selected requested organisations…"), permissions=["change"])
    def decline_requests(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> HttpResponse | None:
        requested = queryset.filter(status=OrganisationStatus.REQUESTED).select_related("requested_by")
        form = OrganisationDeclineForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._decide(request, queryset, approve=False, reason=form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Decline organisation requests"),
            "opts": self.model._meta,
            "form": form,
            "organisations": requested,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "municipalities/admin/organisation_decline.html", context)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Organisation], *, approve: bool, reason: str) -> None:
        decided = 0
        for organisation in queryset.order_by("name"):
            if organisation.status != OrganisationStatus.REQUESTED:
                self.message_user(
                    request,
                    gettext("%(organisation)s was skipped: it is not waiting for a decision.")
                    % {"organisation": organisation},
                    messages.WARNING,
                )
                continue
            try:
                organisation_decide(organisation=organisation, actor=request.user, approve=approve, reason=reason)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{organisation}: {text}", messages.ERROR)
                continue
            decided += 1
        if decided:
            message = (
                gettext("%(count)d organisation(s) approved; their requesters are now coordinators.")
                if approve
                else gettext("%(count)d organisation(s) declined.")
            )
            self.message_user(request, message % {"count": decided}, messages.SUCCESS)


@admin.register(OrganisationDomain)
class OrganisationDomainAdmin(AuditHistoryAdminMixin, ServiceWritesAdminMixin, admin.ModelAdmin):
    """All registered domains at a glance: which organisation does a new account with this address join?"""

    form = OrganisationDomainForm
    list_display = ["domain", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["domain", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fields = ["domain", "organisation"]


@admin.register(Membership)
class MembershipAdmin(AuditHistoryAdminMixin, ServiceWritesAdminMixin, admin.ModelAdmin):
    list_display = ["user", "user_email", "organisation", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "organisation", "role", "created_at"]
    readonly_fields = ["created_at"]

    @admin.display(description=_("e-mail address"), ordering="user__email")
    def user_email(self, membership: Membership) -> str:
        return membership.user.email


@admin.register(MembershipRequest)
class MembershipRequestAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["user", "organisation", "decided_by"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    fields = [
        "user",
        "organisation",
        "motivation",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    readonly_fields = fields

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Decisions are made on the page coordinators use, through the same service; the admin
        offers it only to whoever may decide (a facilitator when the organisation has no coordinator)."""
        decidable = MembershipRequest.objects.decidable_by(request.user).filter(pk=object_id).exists()
        extra_context = {
            **(extra_context or {}),
            "decide_url": reverse("accounts:membership-decide", kwargs={"pk": object_id}) if decidable else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MembershipRequest | None = None) -> bool:
        return False
