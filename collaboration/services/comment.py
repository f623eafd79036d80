"""The conversation on an initiative: logged-in people post for their organisation, may correct
themselves for a short while, report what does not belong; facilitators hide with a reason."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collaboration.models import Comment, CommentReport

if TYPE_CHECKING:
    from standards.models import Nomination
from initiatives.models import Initiative, InitiativeStatus
from samenorg.accounts.models import User
from samenorg.core.actors import Actor
from samenorg.events.models import EventAudience
from samenorg.events.services import event_record

MAX_BODY = Comment._meta.get_field("body").max_length or 5000
MAX_REASON = 1000


@transaction.atomic
def comment_post(*, actor: Actor, initiative: Initiative, body: str, nomination: "Nomination | None" = None) -> Comment:
    """A logged-in person comments on an initiative they can see, on behalf of their organisation; with
    ``nomination``, in the consultation on making it a standard, which takes comments until it closes."""
    user = actor.user
    if user is None or not actor.is_member:
        raise PermissionDenied(_("Join your organisation first; then you can join the conversation."))
    if not Initiative.objects.visible_to(user).filter(pk=initiative.pk).exists():
        raise PermissionDenied(_("This initiative is not available."))
    if initiative.status == InitiativeStatus.ARCHIVED:
        raise ValidationError(_("This initiative is archived: the conversation is closed."))
    if nomination is not None:
        _check_consultation_open(nomination, initiative)
    body = _clean_body(body)
    # One person's posts wait for each other here, so the count below holds under parallel requests.
    User.objects.select_for_update().filter(pk=user.pk).first()
    _check_rate(user)
    comment = Comment.objects.create(
        initiative=initiative, nomination=nomination, author=user, organisation=actor.organisation, body=body
    )
    event_record(
        event_type="comment.posted",
        actor=actor,
        audience=EventAudience.PARTICIPANTS if initiative.status == InitiativeStatus.DRAFT else EventAudience.PUBLIC,
        payload={
            "initiative": initiative.pk,
            "comment": comment.pk,
            **({"nomination": nomination.pk} if nomination else {}),
        },
        initiative=initiative,
        comment=comment,
    )
    return comment


def _check_consultation_open(nomination: "Nomination", initiative: Initiative) -> None:
    from standards.models import NominationStage

    if nomination.initiative_id != initiative.pk:
        raise ValidationError(_("This consultation is about another initiative."))
    closes_on = nomination.consultation_closes_on
    if nomination.stage != NominationStage.CONSULTATION or closes_on is None or closes_on < timezone.localdate():
        raise ValidationError(_("The consultation is closed: it takes no more comments."))


@transaction.atomic
def comment_edit(*, user: User, comment: Comment, body: str) -> Comment:
    """The author corrects their comment within the edit window; the page then says it was edited.

    No event: an edit is a correction shortly after posting, the event of the post carries no text to
    correct, and partners read the current text through the API."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refusal = edit_refusal(user, comment)
    if refusal is not None:
        raise PermissionDenied(refusal) if comment.author_id != user.pk else ValidationError(refusal)
    body = _clean_body(body)
    if body != comment.body:
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
    return comment


def edit_refusal(user: User, comment: Comment) -> str | None:
    """The one rule for editing, used by the service and by the pages: why ``user`` may not edit
    ``comment`` now, or None when they may."""
    if not user.is_authenticated or comment.author_id != user.pk:
        return _("Only the author may edit a comment.")
    if comment.is_hidden:
        return _("A hidden comment cannot be edited.")
    minutes = settings.SAMENORG_COMMENT_EDIT_MINUTES
    if timezone.now() - comment.created_at > timedelta(minutes=minutes):
        return ngettext(
            "A comment can be edited for %(minutes)d minute after posting; that time has passed.",
            "A comment can be edited for %(minutes)d minutes after posting; that time has passed.",
            minutes,
        ) % {"minutes": minutes}
    return None


def may_edit(user: User, comment: Comment) -> bool:
    return edit_refusal(user, comment) is None


@transaction.atomic
def comment_hide(*, actor: Actor, comment: Comment, reason: str) -> Comment:
    """A facilitator hides a comment with a reason; the thread shows that something was hidden.
    Open reports on it are handled by this."""
    if actor.user is None or not actor.user.is_facilitator:
        raise PermissionDenied(_("Only facilitators hide comments."))
    comment = Comment.objects.select_for_update().select_related("initiative").get(pk=comment.pk)
    if comment.is_hidden:
        raise ValidationError(_("This comment is hidden already."))
    reason = _clean_reason(reason)
    now = timezone.now()
    comment.hidden_at = now
    comment.hidden_by = actor.user
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    comment.reports.filter(handled_at__isnull=True).update(handled_at=now)
    event_record(
        event_type="comment.hidden",
        actor=actor,
        audience=EventAudience.FACILITATORS,
        payload={"initiative": comment.initiative_id, "comment": comment.pk},
        initiative=comment.initiative,
        comment=comment,
    )
    return comment


def comment_report(*, reporter: User, comment: Comment, reason: str) -> CommentReport:
    """Anyone logged in who can see the comment flags it for the facilitators, once.

    No event: a report is a private signal to the facilitators, who find open reports in the admin,
    and the reporter need not act for an organisation."""
    if not (reporter.is_authenticated and reporter.is_active):
        raise PermissionDenied(_("Log in to report a comment."))
    if not Initiative.objects.visible_to(reporter).filter(pk=comment.initiative_id).exists():
        raise PermissionDenied(_("This initiative is not available."))
    comment = Comment.objects.get(pk=comment.pk)  # as it is now, hidden or not
    refusal = report_refusal(reporter, comment)
    if refusal is not None:
        raise ValidationError(refusal)
    reason = _clean_reason(reason)
    try:
        with transaction.atomic():
            return CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError:  # a second report sent at the same moment as the first
        raise ValidationError(_already_reported()) from None


def report_refusal(reporter: User, comment: Comment) -> str | None:
    """The one rule for reporting, used by the service and by the pages: why ``reporter`` may not
    report ``comment``, or None when they may."""
    if comment.author_id == reporter.pk:
        return _("You cannot report your own comment; you can edit it shortly after posting.")
    if comment.is_hidden:
        return _("This comment is hidden already.")
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        return _already_reported()
    return None


def _already_reported() -> str:
    return _("You have reported this comment already; the facilitators will look at it.")


@transaction.atomic
def comment_report_handle(*, user: User, report: CommentReport) -> CommentReport:
    """A facilitator marks a report handled (for example: looked at, nothing to hide)."""
    if not user.is_facilitator:
        raise PermissionDenied(_("Only facilitators handle reports."))
    report = CommentReport.objects.select_for_update().get(pk=report.pk)
    if report.handled_at is None:
        report.handled_at = timezone.now()
        report.save(update_fields=["handled_at"])
    return report


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > MAX_BODY:
        message = _("A comment may be at most %(max)d characters long; this one has %(length)d.")
        raise ValidationError({"body": message % {"max": MAX_BODY, "length": len(body)}})
    return body


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("A reason may be at most %(max)d characters long.") % {"max": MAX_REASON}})
    return reason


def _check_rate(user: User) -> None:
    now = timezone.now()
    counts = Comment.objects.filter(author=user, created_at__gt=now - timedelta(hours=1)).aggregate(
        hour=Count("pk"), minute=Count("pk", filter=Q(created_at__gt=now - timedelta(minutes=1)))
    )
    if counts["minute"] >= settings.SAMENORG_COMMENT_LIMIT_PER_MINUTE:
        raise ValidationError(_("You are posting very quickly. Wait a minute, then try again."))
    if counts["hour"] >= settings.SAMENORG_COMMENT_LIMIT_PER_HOUR:
        raise ValidationError(
            _("You have posted %(count)d comments in the past hour, the most allowed. Try again later.")
            % {"count": counts["hour"]}
        )
