"""An object's change history in the admin, for facilitators: the "History" button of every tracked
model's change page, and the audit trail's link to any object (also one without admin page, or deleted).

Read-only by construction: the pages only read, and answer nothing but GET and HEAD."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from samenorg.accounts.models import User

from .reader import object_history, tracked_model

READ_PERMISSION = "audit.view_auditevent"
SAFE_METHODS = ("GET", "HEAD")


def may_read_history(user: User) -> bool:
    return user.is_active and user.is_staff and user.has_perm(READ_PERMISSION)


def object_history_response(
    request: HttpRequest,
    admin_site: admin.AdminSite,
    model: type[models.Model],
    pk: str,
    obj: models.Model | None = None,
) -> HttpResponse:
    """The history page of ``model`` row ``pk`` (``obj``, when the caller read it), newest first, a page
    at a time."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    if not may_read_history(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    try:
        pk_value = model._meta.pk.to_python(pk)
    except ValidationError as error:
        raise Http404 from error
    history = object_history(model, pk_value, request.GET.get("p"))
    obj = obj or model._base_manager.filter(pk=pk_value).first()
    context = {
        **admin_site.each_context(request),
        "title": gettext("History of %(object)s") % {"object": obj or f"{model._meta.verbose_name} {pk}"},
        "opts": model._meta,
        "object": obj,
        "pk": pk,
        "change_url": _change_url(admin_site, model, obj),
        "page": history.page,
        "entries": history.entries,
        "page_range": history.page.paginator.get_elided_page_range(history.page.number),
    }
    return TemplateResponse(request, "admin/audit/object_history.html", context)


def _change_url(admin_site: admin.AdminSite, model: type[models.Model], obj: models.Model | None) -> str:
    if obj is None or not admin_site.is_registered(model):
        return ""
    try:
        return reverse(f"{admin_site.name}:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def object_history_view(request: HttpRequest, admin_site: admin.AdminSite, label: str, pk: str) -> HttpResponse:
    """The history of any tracked object, named by its model's ``app_label.model_name``."""
    model = tracked_model(label)
    if model is None:
        raise Http404
    return object_history_response(request, admin_site, model, unquote(pk))


class AuditHistoryAdminMixin:
    """For the ModelAdmin of a tracked model: its "History" button shows the change history (who, when,
    for which organisation, each field before and after) instead of the admin's own log."""

    model: type[models.Model]
    admin_site: admin.AdminSite

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)  # type: ignore[attr-defined]
        if not self.has_view_or_change_permission(request, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
        return object_history_response(request, self.admin_site, self.model, str(obj.pk), obj)
