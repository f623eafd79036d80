"""The admin saves and deletes domains and memberships through their services, not directly."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.forms import BaseModelFormSet
from django.http import HttpRequest

from municipalities.models import Membership, OrganisationDomain
from municipalities.services.facilitation import (
    membership_delete,
    membership_save,
    organisation_domain_delete,
    organisation_domain_save,
)

Write = Callable[[Any, Any], object]

# model -> (save, delete), each called with the acting user and the object
WRITES: dict[type[Model], tuple[Write, Write]] = {
    OrganisationDomain: (
        lambda actor, obj: organisation_domain_save(actor=actor, domain=obj),
        lambda actor, obj: organisation_domain_delete(actor=actor, domain=obj),
    ),
    Membership: (
        lambda actor, obj: membership_save(actor=actor, membership=obj),
        lambda actor, obj: membership_delete(actor=actor, membership=obj),
    ),
}


class ServiceWritesAdminMixin:
    """Routes the admin's writes of the models in WRITES, standalone or inline, to their services."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if type(obj) in WRITES:
            WRITES[type(obj)][0](request.user, obj)
        else:
            super().save_model(request, obj, form, change)  # type: ignore[misc]

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        if type(obj) in WRITES:
            WRITES[type(obj)][1](request.user, obj)
        else:
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseModelFormSet, change: bool) -> None:
        if formset.model not in WRITES:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            return
        save, delete = WRITES[formset.model]
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete(request.user, obj)
        for obj in instances:
            save(request.user, obj)
        formset.save_m2m()
