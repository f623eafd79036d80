from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Theme
from initiatives.services.initiative import initiative_archive
from samenorg.audit.history_admin import AuditHistoryAdminMixin
from samenorg.core.actors import moderator_actor


@admin.register(Theme)
class ThemeAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    """Facilitators curate the themes; a theme in use is switched off rather than deleted."""

    list_display = ["name", "slug", "is_active", "initiative_count"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Theme]:
        return super().get_queryset(request).annotate(initiative_count=Count("initiatives"))

    @admin.display(description=_("initiatives"), ordering="initiative_count")
    def initiative_count(self, theme: Theme) -> int:
        return theme.initiative_count  # type: ignore[attr-defined]


@admin.register(Initiative)
class InitiativeAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    """Facilitators find and moderate initiatives; the content belongs to the owner organisation."""

    list_display = ["title", "owner", "phase", "status", "published_at", "updated_at"]
    list_filter = ["status", "phase", "themes"]
    list_select_related = ["owner"]
    search_fields = ["title", "slug", "owner__name"]
    date_hierarchy = "created_at"
    actions = ["archive_selected"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Initiative | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Initiative | None = None) -> bool:
        return False

    @admin.action(description=_("Archive the selected initiatives (moderation)"), permissions=["view"])
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Initiative]) -> None:
        try:
            actor = moderator_actor(request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        archived = 0
        for initiative in queryset:
            try:
                initiative_archive(actor=actor, initiative=initiative)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{initiative}: {text}", messages.WARNING)
            else:
                archived += 1
        if archived:
            self.message_user(request, gettext("%(count)d initiative(s) archived.") % {"count": archived})
