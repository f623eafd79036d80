from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from initiatives.models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
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
