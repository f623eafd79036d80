"""The audit trail for facilitators: every change across the tracked models, newest first, filtered by
kind of object, person, organisation and period; each row leads to the object's history.

Read-only: nothing is added, changed or deleted here, and there are no actions. One event's own address
leads to the history of its object."""

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pghistory.core import event_models

from samenorg.accounts.models import User

from .forms import AuditFilterForm
from .history_admin import SAFE_METHODS, object_history_view
from .models import AuditEvent
from .reader import NO_VALUE, action_label, actor_label, history_model, names_of, tracked_model


class AuditFilter(admin.ListFilter):
    """All the filters in one form in the sidebar; the other parameters of the list (its order) are kept."""

    title = _("filters")
    template = "admin/audit/audit_filter.html"
    parameters = tuple(AuditFilterForm.base_fields)

    def __init__(self, request: HttpRequest, params: dict[str, list[str]], model: Any, model_admin: Any) -> None:
        super().__init__(request, params, model, model_admin)
        for name in self.parameters:
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.form = AuditFilterForm(self.used_parameters or None)

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str | None]:
        return list(self.parameters)

    def choices(self, changelist: ChangeList) -> Iterator[Mapping[str, object]]:
        kept = {name: value for name, value in changelist.params.items() if name not in self.parameters}
        yield {"kept": sorted(kept.items())}

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.form.is_bound or not self.form.is_valid():
            return queryset  # the form shows what is wrong; the list stays as it was
        data = self.form.cleaned_data
        if data["model"]:
            queryset = queryset.across(history_model(tracked_model(data["model"])))  # type: ignore[attr-defined,arg-type]
        if data["user"]:
            queryset = queryset.filter(user__in=User.objects.filter(email__iexact=data["user"].strip()).values("pk"))
        if data["organisation"]:
            queryset = queryset.filter(organisation=data["organisation"].pk)
        since, until = self.form.period()
        if since:
            queryset = queryset.filter(pgh_created_at__gte=since)
        if until:
            queryset = queryset.filter(pgh_created_at__lt=until)
        return queryset


class AuditChangeList(ChangeList):
    def get_results(self, request: HttpRequest) -> None:
        """Names the objects of the page: one query per kind of object on it."""
        super().get_results(request)
        by_model: dict[str, list[AuditEvent]] = {}
        for event in self.result_list:
            by_model.setdefault(event.pgh_obj_model, []).append(event)
        for label, events in by_model.items():
            model = tracked_model(label.lower())
            if model is None:
                continue
            pk_field = model._meta.pk
            names = names_of(model, (pk_field.to_python(event.pgh_obj_id) for event in events))
            for event in events:
                event.object_name = names.get(pk_field.to_python(event.pgh_obj_id))  # type: ignore[attr-defined]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["when", "object_link", "action", "who", "on_behalf_of"]
    list_display_links = None
    list_filter = [AuditFilter]
    list_per_page = 50
    ordering = ["-pgh_created_at"]
    actions = None
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        # The manager of all events (the default one finds none, for dumpdata's sake); the rows' data
        # and diffs are left out: the list does not show them, and leaving them out spares computing them.
        return AuditEvent.objects.select_related("user", "organisation", "api_key__organisation").defer(
            "pgh_data", "pgh_diff", "pgh_context"
        )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return AuditChangeList

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        history = self.admin_site.admin_view(self.object_history)
        return [path("object/<str:label>/<str:pk>/", history, name="audit_auditevent_object"), *super().get_urls()]

    def object_history(self, request: HttpRequest, label: str, pk: str) -> HttpResponse:
        return object_history_view(request, self.admin_site, label, pk)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """One change is read in its object's history."""
        if request.method not in SAFE_METHODS:
            return HttpResponseNotAllowed(SAFE_METHODS)
        if not self.has_view_permission(request):
            return super().change_view(request, object_id, form_url, extra_context)  # refuses, as for any model
        event_label, _colon, pgh_id = unquote(object_id).partition(":")
        event = self._event(event_label, pgh_id)
        if event is None:
            raise Http404
        tracked = event.pgh_tracked_model._meta
        return HttpResponseRedirect(history_url(tracked.label_lower, event.pgh_obj_id))

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return self.change_view(request, object_id)

    @staticmethod
    def _event(event_label: str, pgh_id: str) -> Any:
        event_model = next((m for m in event_models() if m._meta.label == event_label and hasattr(m, "pgh_obj")), None)
        if event_model is None or not pgh_id.isdigit():
            return None
        return event_model._default_manager.filter(pgh_id=int(pgh_id)).only("pgh_obj_id").first()

    @admin.display(description=_("when"), ordering="pgh_created_at")
    def when(self, event: AuditEvent) -> datetime:
        return event.pgh_created_at

    @admin.display(description=_("object"))
    def object_link(self, event: AuditEvent) -> str:
        model = tracked_model(event.pgh_obj_model.lower())
        kind = model._meta.verbose_name if model else event.pgh_obj_model
        name = getattr(event, "object_name", None) or f"{event.pgh_obj_id}"
        return format_html(
            '<a href="{}">{}</a><br><span class="quiet">{}</span>',
            history_url(event.pgh_obj_model.lower(), event.pgh_obj_id),
            name,
            str(kind).capitalize(),
        )

    @admin.display(description=_("what"))
    def action(self, event: AuditEvent) -> str:
        return action_label(event.pgh_label)

    @admin.display(description=_("who"))
    def who(self, event: AuditEvent) -> str:
        who = actor_label(
            has_context=event.pgh_context_id is not None,
            user=event.user,
            user_id=event.user_id,
            api_key=event.api_key,
        )
        return format_html('{}<br><span class="quiet">{}</span>', who, event.url or "")

    @admin.display(description=_("on behalf of"))
    def on_behalf_of(self, event: AuditEvent) -> str:
        return str(event.organisation) if event.organisation else NO_VALUE


def history_url(label: str, pk: Any) -> str:
    return reverse("admin:audit_auditevent_object", kwargs={"label": label, "pk": pk})
