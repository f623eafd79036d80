from django.contrib import admin
from django.http import HttpRequest

from collaboration.models import Participation


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Facilitators look up who takes part in what; requests and decisions go through the services
    (the initiator decides on the initiative page), so nothing is added, changed or deleted here."""

    list_display = ["initiative", "organisation", "role", "status", "requested_role", "requested_at", "decided_at"]
    list_filter = ["status", "role", "organisation__kind"]
    list_select_related = ["initiative", "organisation"]
    search_fields = ["initiative__title", "initiative__slug", "organisation__name"]
    date_hierarchy = "requested_at"
    show_full_result_count = False
    readonly_fields = [field.name for field in Participation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Participation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Participation | None = None) -> bool:
        return False
