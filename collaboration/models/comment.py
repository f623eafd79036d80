from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


@tracked()
class Comment(models.Model):
    """A logged-in person's comment on an initiative, on behalf of their organisation. Facilitators
    hide, never delete: the thread shows that something was hidden."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="comments", verbose_name=_("initiative")
    )
    # Set for a comment in a nomination's consultation; the initiative is then the nominated one.
    nomination = models.ForeignKey(
        "standards.Nomination",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("consultation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        "municipalities.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="comment_hidden_with_reason"
            )
        ]
        indexes = [models.Index(fields=["initiative", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        author = self.author if self.author_id else _("Former user")
        return f"{author} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentReport(models.Model):
    """Someone logged in flags a comment for the facilitators; once per person and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("why"), max_length=1000)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="report_comment_once")]

    def __str__(self) -> str:
        return f"{self.comment} ({self.reporter})"
