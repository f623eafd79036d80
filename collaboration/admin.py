from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from collaboration.forms import ReasonForm
from collaboration.models import Comment, CommentReport, Milestone, Participation
from collaboration.services.comment import comment_hide, comment_report_handle
from samenorg.audit.history_admin import AuditHistoryAdminMixin
from samenorg.core.actors import moderator_actor


@admin.register(Participation)
class ParticipationAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
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


class _YesNoFilter(admin.SimpleListFilter):
    """A filter on whether a condition holds; subclasses name it and give the condition as a Q."""

    condition: Q

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("ja", gettext("Yes")), ("nee", gettext("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "ja":
            return queryset.filter(self.condition)
        if self.value() == "nee":
            return queryset.exclude(self.condition)
        return queryset


class CommentHiddenFilter(_YesNoFilter):
    title = _("hidden")
    parameter_name = "verborgen"
    condition = Q(hidden_at__isnull=False)


class CommentReportedFilter(_YesNoFilter):
    title = _("open reports")
    parameter_name = "gemeld"
    condition = Q(Exists(CommentReport.objects.filter(comment=OuterRef("pk"), handled_at__isnull=True)))


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    fields = ["reporter", "reason", "created_at", "handled_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    """The facilitators' moderation of comments: find, read the reports, hide with a reason (through
    the service, so the thread and the event record it). Nothing is edited or deleted here."""

    list_display = [
        "excerpt",
        "initiative",
        "author_or_former",
        "organisation",
        "created_at",
        "is_hidden",
        "open_reports",
    ]
    list_filter = [CommentHiddenFilter, CommentReportedFilter]
    list_select_related = ["initiative", "author", "organisation"]
    search_fields = ["body", "initiative__title", "author__email", "author__name", "organisation__name"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [field.name for field in Comment._meta.fields]
    inlines = [CommentReportInline]
    actions = ["hide_selected"]

    @admin.display(description=_("author"), ordering="author__name")
    def author_or_former(self, comment: Comment) -> str:
        return str(comment.author) if comment.author_id else str(_("Former user"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        open_reports = Count("reports", filter=Q(reports__handled_at__isnull=True))
        return super().get_queryset(request).annotate(open_report_count=open_reports)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def has_hide_permission(self, request: HttpRequest) -> bool:
        return request.user.is_facilitator

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.body).chars(80)

    @admin.display(description=_("hidden"), boolean=True, ordering="hidden_at")
    def is_hidden(self, comment: Comment) -> bool:
        return comment.is_hidden

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_reports(self, comment: Comment) -> int:
        return comment.open_report_count  # type: ignore[attr-defined]

    @admin.action(description=_("Hide the selected comments…"), permissions=["hide"])
    def hide_selected(self, request: HttpRequest, queryset: QuerySet[Comment]) -> HttpResponse | None:
        """Asks for the reason on a page of its own, then hides each comment through the service."""
        visible = queryset.filter(hidden_at__isnull=True).select_related("author", "organisation", "initiative")
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._hide(request, visible, form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Hide comments"),
            "opts": self.model._meta,
            "form": form,
            "comments": visible,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/collaboration/comment_hide.html", context)

    def _hide(self, request: HttpRequest, comments: QuerySet[Comment], reason: str) -> None:
        try:
            actor = moderator_actor(request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        hidden = 0
        for comment in comments:
            try:
                comment_hide(actor=actor, comment=comment, reason=reason)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{comment}: {text}", messages.WARNING)
            else:
                hidden += 1
        if hidden:
            self.message_user(request, gettext("%(count)d comment(s) hidden.") % {"count": hidden}, messages.SUCCESS)


class ReportHandledFilter(_YesNoFilter):
    title = _("handled")
    parameter_name = "afgehandeld"
    condition = Q(handled_at__isnull=False)


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    """Reports waiting for a facilitator. Hiding the comment handles its reports; a report that needs
    no hiding is marked handled here."""

    list_display = ["comment_excerpt", "initiative", "reporter", "reason", "created_at", "handled_at"]
    list_filter = [ReportHandledFilter]
    list_select_related = ["comment__initiative", "reporter"]
    search_fields = ["reason", "comment__body", "comment__initiative__title", "reporter__email"]
    show_full_result_count = False
    readonly_fields = [field.name for field in CommentReport._meta.fields]
    actions = ["mark_handled"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CommentReport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CommentReport | None = None) -> bool:
        return False

    def has_handle_permission(self, request: HttpRequest) -> bool:
        return request.user.is_facilitator

    @admin.display(description=_("comment"))
    def comment_excerpt(self, report: CommentReport) -> str:
        return Truncator(report.comment.body).chars(80)

    @admin.display(description=_("initiative"))
    def initiative(self, report: CommentReport) -> str:
        return str(report.comment.initiative)

    @admin.action(description=_("Mark the selected reports handled"), permissions=["handle"])
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[CommentReport]) -> None:
        handled = 0
        for report in queryset.filter(handled_at__isnull=True):
            try:
                comment_report_handle(user=request.user, report=report)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            handled += 1
        self.message_user(request, gettext("%(count)d report(s) marked handled.") % {"count": handled})


class MilestoneAchievedFilter(_YesNoFilter):
    title = _("achieved")
    parameter_name = "bereikt"
    condition = Q(achieved_on__isnull=False)


@admin.register(Milestone)
class MilestoneAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    """Facilitators look up milestones; the initiative's editors plan and achieve them on its page."""

    list_display = ["title", "initiative", "planned_for", "target_date", "achieved_on"]
    list_filter = [MilestoneAchievedFilter]
    list_select_related = ["initiative", "planned_for"]
    search_fields = ["title", "achievement", "initiative__title", "initiative__slug"]
    show_full_result_count = False
    readonly_fields = [field.name for field in Milestone._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Milestone | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Milestone | None = None) -> bool:
        return False
