from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from municipalities.admin_writes import ServiceWritesAdminMixin
from municipalities.models import Membership
from samenorg.audit.history_admin import AuditHistoryAdminMixin

from .models import User
from .services_deletion import account_delete, is_last_superuser


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(AuditHistoryAdminMixin, ServiceWritesAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "job_title", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups", "language"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "job_title", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        """Facilitators look after ordinary accounts; only superusers touch staff accounts."""
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and is_last_superuser(obj):
            return False
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        """Deleting an account here removes the person's data as deleting it themselves does (no e-mail)."""
        account_delete(user=obj, notify=False)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        for user in queryset:
            if not is_last_superuser(user):
                self.delete_model(request, user)

    def user_change_password(self, request, id, form_url=""):  # type: ignore[no-untyped-def]  # noqa: A002
        """Setting someone's password would let a facilitator log in as them: superusers only.
        Everyone else resets their own password by e-mail."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        """Facilitators look after people's profiles; only superusers change logins or admin rights."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # The address is the login: whoever could change it could reset the password to it.
            readonly += ["email", "is_staff", "is_superuser", "groups"]
        return readonly
