"""The comment thread on the initiative page and the pages to post, edit, report and hide a comment."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from collaboration.forms import CommentForm, NewCommentForm, ReasonForm
from collaboration.models import Comment, CommentReport
from collaboration.services import comment as services
from initiatives.models import Initiative, InitiativeStatus
from municipalities.models import Organisation
from samenorg.accounts.models import User
from samenorg.core.actors import Actor, moderator_actor

PAGE_SIZE = 25
PAGE_PARAMETER = "reacties"


def initiative_section(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What templates/collaboration/_comment.html needs on the initiative page. The thread is for
    logged-in people; it costs the same few queries for 2 comments or 500 (25 per page, oldest first)."""
    user = request.user
    if not user.is_authenticated:
        return {"comments_need_login": True}
    paginator = Paginator(_thread(initiative), PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    comments = list(page.object_list)
    annotate_for(user, comments)
    organisations = organisations_of(user)
    open_for_comments = initiative.status != InitiativeStatus.ARCHIVED
    return {
        "comments_page": page,
        "comments": comments,
        "comments_total": paginator.count,
        "comments_page_parameter": PAGE_PARAMETER,
        "comments_open": open_for_comments,
        "comment_form": (
            NewCommentForm(organisations=organisations, auto_id="id_comment_%s")
            if organisations and open_for_comments
            else None
        ),
    }


def _thread(initiative: Initiative) -> QuerySet[Comment]:
    """The initiative's own conversation; comments in a consultation on it are on the nomination's page."""
    return (
        initiative.comments.filter(nomination__isnull=True)
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )


def annotate_for(user: User, comments: list[Comment]) -> None:
    """What this reader may do with each comment and see of it, in one query for their reports."""
    reported = set(
        CommentReport.objects.filter(reporter=user, comment__in=[comment.pk for comment in comments]).values_list(
            "comment_id", flat=True
        )
        if comments
        else ()
    )
    facilitator = user.is_facilitator
    for comment in comments:
        own = comment.author_id == user.pk
        comment.viewer_may_edit = services.may_edit(user, comment)  # type: ignore[attr-defined]
        comment.viewer_sees_hidden = own or facilitator  # type: ignore[attr-defined]
        comment.viewer_reported = comment.pk in reported  # type: ignore[attr-defined]
        comment.viewer_may_report = not own and not comment.is_hidden and comment.pk not in reported  # type: ignore[attr-defined]
        comment.viewer_may_hide = facilitator and not comment.is_hidden  # type: ignore[attr-defined]


def organisations_of(user: User) -> list[Organisation]:
    """The organisations the person may comment for, their first by name first."""
    return list(Organisation.objects.active().filter(memberships__user=user).order_by("name", "pk"))


def _visible(request: HttpRequest, slug: str) -> Initiative:
    return get_object_or_404(Initiative.objects.visible_to(request.user).select_related("owner"), slug=slug)


def _comment_of(initiative: Initiative, pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author", "organisation"), initiative=initiative, pk=pk)


def _thread_url(initiative: Initiative, comment: Comment | None = None) -> str:
    """The initiative page at the thread, on the page that holds ``comment`` (a consultation comment:
    the nomination's page)."""
    if comment is None:
        return f"{initiative.get_absolute_url()}#reacties"
    if comment.nomination_id is not None:
        return f"{reverse('standards:nomination', kwargs={'pk': comment.nomination_id})}#reactie-{comment.pk}"
    earlier = Q(created_at__lt=comment.created_at) | Q(created_at=comment.created_at, pk__lt=comment.pk)
    before = Comment.objects.filter(earlier, initiative=initiative, nomination__isnull=True).count()
    return f"{initiative.get_absolute_url()}?{PAGE_PARAMETER}={before // PAGE_SIZE + 1}#reactie-{comment.pk}"


@login_required
def comment_post(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _visible(request, slug)
    organisations = organisations_of(request.user)
    if not organisations:
        messages.error(request, _("Join your organisation first; then you can join the conversation."))
        return redirect(_thread_url(initiative))
    if initiative.status == InitiativeStatus.ARCHIVED:
        messages.error(request, _("This initiative is archived: the conversation is closed."))
        return redirect(_thread_url(initiative))
    form = NewCommentForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        actor = Actor(organisation=form.cleaned_data["organisation"], user=request.user)
        try:
            comment = services.comment_post(actor=actor, initiative=initiative, body=form.cleaned_data["body"])
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(_thread_url(initiative, comment))
    return render(request, "collaboration/comment_form.html", {"initiative": initiative, "form": form})


@login_required
def comment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _visible(request, slug)
    comment = _comment_of(initiative, pk)
    if comment.author_id != request.user.pk:  # someone else's comment has no edit page for this reader
        raise Http404
    refusal = services.edit_refusal(request.user, comment)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(_thread_url(initiative, comment))
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(user=request.user, comment=comment, body=form.cleaned_data["body"])
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Your comment is changed."))
            return redirect(_thread_url(initiative, comment))
    context = {"initiative": initiative, "comment": comment, "form": form}
    return render(request, "collaboration/comment_edit.html", context)


@login_required
def comment_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _visible(request, slug)
    comment = _comment_of(initiative, pk)
    refusal = services.report_refusal(request.user, comment)
    if refusal is not None:  # also keeps a hidden comment's text from this page
        messages.error(request, refusal)
        return redirect(_thread_url(initiative, comment))
    form = ReasonForm(request.POST or None)
    form.fields["reason"].help_text = _("What is wrong with this comment? Only the facilitators read this.")
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(reporter=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_thread_url(initiative, comment))
        else:
            messages.success(request, _("Thank you: the facilitators will look at this comment."))
            return redirect(_thread_url(initiative, comment))
    context = {"initiative": initiative, "comment": comment, "form": form, "action": "report"}
    return render(request, "collaboration/comment_reason.html", context)


@login_required
def comment_hide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Facilitators only: to anyone else the page does not exist."""
    if not request.user.is_facilitator:
        raise Http404
    initiative = _visible(request, slug)
    comment = _comment_of(initiative, pk)
    if comment.is_hidden:
        messages.info(request, _("This comment is hidden already."))
        return redirect(_thread_url(initiative, comment))
    form = ReasonForm(request.POST or None)
    form.fields["reason"].help_text = _(
        "The author and the facilitators see this reason; others see only that a comment was hidden."
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(
                actor=moderator_actor(request.user), comment=comment, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(_thread_url(initiative, comment))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The comment is hidden."))
            return redirect(_thread_url(initiative, comment))
    context = {"initiative": initiative, "comment": comment, "form": form, "action": "hide"}
    return render(request, "collaboration/comment_reason.html", context)


urlpatterns: list[URLPattern] = [
    path("initiatieven/<slug:slug>/reacties/nieuw", comment_post, name="comment-post"),
    path("initiatieven/<slug:slug>/reacties/<int:pk>/bewerken", comment_edit, name="comment-edit"),
    path("initiatieven/<slug:slug>/reacties/<int:pk>/melden", comment_report, name="comment-report"),
    path("initiatieven/<slug:slug>/reacties/<int:pk>/verbergen", comment_hide, name="comment-hide"),
]
