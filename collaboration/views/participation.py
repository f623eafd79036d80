"""Taking part in initiatives: the section on the initiative page, the join, decide, other-role,
withdraw and leave actions, and the parts of "my overview" and the municipality page.

Every action posts a plain form and comes back to the initiative page; when htmx sends it
(``HX-Request``), the answer is the section itself, swapped in place. Every write goes through
``collaboration.services.participation``; a refusal comes back as a message, never as an error page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from collaboration.forms_participation import DecisionForm, JoinForm, RoleForm
from collaboration.models import LIVE_STATUSES, Participation, ParticipationStatus
from collaboration.services import participation as services
from initiatives.models import CollaborationRole, Initiative, InitiativeStatus
from municipalities.models import Organisation
from municipalities.models.organisation import OrganisationStatus
from samenorg.core.actors import Actor

SECTION_TEMPLATE = "collaboration/_participation.html"
RECENTLY_DECLINED = timedelta(days=90)  # "my overview" shows a refusal, with its reason, this long


@dataclass
class RoleGroup:
    role: str
    label: str
    rows: list[Participation] = field(default_factory=list)


@dataclass
class OwnParticipation:
    """A live participation of one of the user's organisations, with what they may do with it."""

    row: Participation
    role_form: RoleForm | None = None

    @property
    def may_leave(self) -> bool:
        return self.row.status == ParticipationStatus.ACTIVE and self.row.role != CollaborationRole.INITIATOR

    @property
    def may_withdraw(self) -> bool:
        return self.row.status == ParticipationStatus.REQUESTED or bool(self.row.requested_role)


def _user_organisations(request: HttpRequest) -> list[Organisation]:
    if not request.user.is_authenticated:
        return []
    return list(Organisation.objects.filter(memberships__user=request.user).order_by("name"))


def initiative_section(
    request: HttpRequest,
    initiative: Initiative,
    *,
    join_form: JoinForm | None = None,
    role_form: RoleForm | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    """What templates/collaboration/_participation.html needs on the initiative page: two queries for a
    logged-in visitor (their organisations, the visible participations), one for anyone else."""
    organisations = _user_organisations(request)
    mine = {organisation.pk for organisation in organisations}
    is_decider = initiative.owner_id in mine
    rows = list(
        Participation.objects.visible_to(request.user)
        .live()
        .filter(initiative=initiative)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    groups = {role: RoleGroup(role, str(label).capitalize()) for role, label in CollaborationRole.choices}
    pending: list[Participation] = []
    role_requests: list[Participation] = []
    own: list[OwnParticipation] = []
    for row in rows:
        concerns_me = is_decider or row.organisation_id in mine
        if row.status == ParticipationStatus.ACTIVE:
            groups[row.role].rows.append(row)
            if row.requested_role and concerns_me:
                role_requests.append(row)
        elif concerns_me:
            pending.append(row)
        if row.organisation_id in mine and row.organisation_id != initiative.owner_id:
            form = None
            if row.status == ParticipationStatus.ACTIVE and not row.requested_role and _open(initiative):
                form = role_form if role_form is not None and role_form.participation_pk == row.pk else None
                form = form or RoleForm(participation=row)
            own.append(OwnParticipation(row, form))
    taken = {row.organisation_id for row in rows}
    may_ask = [
        organisation
        for organisation in organisations
        if organisation.status == OrganisationStatus.ACTIVE
        and organisation.pk != initiative.owner_id
        and organisation.pk not in taken
    ]
    if join_form is None and may_ask and _open(initiative):
        join_form = JoinForm(organisations=may_ask, initial={"role": _first_sought(initiative)})
    return {
        "participation_groups": [group for group in groups.values() if group.rows],  # in the roles' order
        "participation_count": sum(1 for row in rows if row.status == ParticipationStatus.ACTIVE),
        "participation_pending": pending,
        "participation_role_requests": role_requests,
        "participation_is_decider": is_decider,
        "participation_own": own,
        "participation_join_form": join_form if may_ask and _open(initiative) else None,
        "participation_may_ask": may_ask,
        "participation_has_organisation": bool(organisations),
        "participation_notice": notice,
        "participation_error": error,
    }


def overview_section(request: HttpRequest) -> dict[str, Any]:
    """What templates/collaboration/_overview_participation.html needs on "my overview": the requests
    waiting for my decision, and my organisations' participations (recent refusals with their reason)."""
    to_decide = (
        Participation.objects.decidable_by(request.user)
        .pending()
        .select_related("initiative", "organisation")
        .order_by("requested_at", "pk")
    )
    since = timezone.now() - RECENTLY_DECLINED
    rows = (
        Participation.objects.of_organisations_of(request.user)
        .exclude(role=CollaborationRole.INITIATOR)
        .filter(initiative__in=Initiative.objects.visible_to(request.user))
        .filter(Q(status__in=LIVE_STATUSES) | Q(status=ParticipationStatus.DECLINED, decided_at__gte=since))
        .select_related("initiative", "organisation")
        .order_by("organisation__name", "initiative__title", "pk")
    )
    return {"participations_to_decide": list(to_decide), "participations_of_mine": list(rows)}


def municipality_section(request: HttpRequest, municipality: Any, organisation: Organisation | None) -> dict[str, Any]:
    """What templates/collaboration/_municipality_participation.html needs on a municipality's page:
    the initiatives of others it takes part in, and its role, among those the visitor may see."""
    if organisation is None:
        return {"participations_elsewhere": []}
    rows = (
        Participation.objects.visible_to(request.user)
        .active()
        .filter(organisation=organisation)
        .exclude(role=CollaborationRole.INITIATOR)
        .select_related("initiative")
        .order_by("initiative__title", "pk")
    )
    return {"participations_elsewhere": list(rows)}


# -- actions ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participation_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask to join on behalf of one of my organisations. GET (and a plain POST with an error) shows
    the form on a page of its own; with htmx the section answers in place."""
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user).select_related("owner"), slug=slug)
    section = initiative_section(request, initiative)
    form = section["participation_join_form"]
    if request.method == "POST" and form is not None:
        form = JoinForm(request.POST, organisations=section["participation_may_ask"])
        if form.is_valid():
            actor = Actor(organisation=form.cleaned_data["organisation"], user=request.user)
            try:
                services.participation_request(
                    actor=actor,
                    initiative=initiative,
                    role=form.cleaned_data["role"],
                    motivation=form.cleaned_data["motivation"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _as_validation_error(error))
            else:
                done = _("Your request has been sent. The initiator decides on it.")
                return _back(request, initiative, notice=done)
        if _htmx(request):
            return _section_response(request, initiative, join_form=form)
    elif request.method == "POST" and _htmx(request):
        return _section_response(request, initiative, error=_cannot_join_message(section))
    return render(
        request,
        "collaboration/participation_join.html",
        {"initiative": initiative, "form": form, "cannot_join": _cannot_join_message(section)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def participation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Only members of the initiator organisation find a request at all; anyone else gets a 404."""
    participation = get_object_or_404(
        Participation.objects.decidable_by(request.user).select_related("initiative__owner", "organisation"), pk=pk
    )
    initiative = participation.initiative
    pending = participation.status == ParticipationStatus.REQUESTED or bool(participation.requested_role)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_decide(
                actor=Actor(organisation=initiative.owner, user=request.user),
                participation=participation,
                accept=form.accept,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _as_validation_error(error))
        else:
            messages.success(
                request, _("%(organisation)s can read your decision.") % {"organisation": participation.organisation}
            )
            return redirect(f"{initiative.get_absolute_url()}#participation")
    context = {"participation": participation, "initiative": initiative, "form": form, "pending": pending}
    return render(request, "collaboration/participation_decide.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participation_other_role(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _own(request, pk)
    initiative = participation.initiative
    form = RoleForm(request.POST or None, participation=participation)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_request_role(
                actor=Actor(organisation=participation.organisation, user=request.user),
                participation=participation,
                role=form.cleaned_data["role"],
                motivation=form.cleaned_data["motivation"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _as_validation_error(error))
        else:
            return _back(request, initiative, notice=_("You asked for another role. The initiator decides on it."))
    if request.method == "POST" and _htmx(request):
        return _section_response(request, initiative, role_form=form)
    return render(
        request,
        "collaboration/participation_role.html",
        {"participation": participation, "initiative": initiative, "form": form},
    )


@require_POST
@login_required
def participation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_click(request, pk, services.participation_withdraw, _("Your request is withdrawn."))


@require_POST
@login_required
def participation_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_click(
        request, pk, services.participation_leave, _("Your organisation no longer takes part in this initiative.")
    )


urlpatterns: list[URLPattern] = [
    path("initiatieven/<slug:slug>/meedoen", participation_join, name="participation-join"),
    path("deelnames/<int:pk>/besluiten", participation_decide, name="participation-decide"),
    path("deelnames/<int:pk>/andere-rol", participation_other_role, name="participation-role"),
    path("deelnames/<int:pk>/intrekken", participation_withdraw, name="participation-withdraw"),
    path("deelnames/<int:pk>/stoppen", participation_leave, name="participation-leave"),
]


# -- helpers ---------------------------------------------------------------------------------------


def _own(request: HttpRequest, pk: int) -> Participation:
    """A participation of one of the user's organisations, on an initiative they may see; else 404."""
    return get_object_or_404(
        Participation.objects.of_organisations_of(request.user)
        .filter(initiative__in=Initiative.objects.visible_to(request.user))
        .select_related("initiative__owner", "organisation"),
        pk=pk,
    )


def _one_click(request: HttpRequest, pk: int, write: Callable[..., Participation], done: str) -> HttpResponse:
    participation = _own(request, pk)
    try:
        write(actor=Actor(organisation=participation.organisation, user=request.user), participation=participation)
    except (ValidationError, PermissionDenied) as error:
        message = " ".join(_as_validation_error(error).messages)
        if _htmx(request):
            return _section_response(request, participation.initiative, error=message)
        messages.error(request, message)
        return redirect(f"{participation.initiative.get_absolute_url()}#participation")
    return _back(request, participation.initiative, notice=done)


def _back(request: HttpRequest, initiative: Initiative, *, notice: str) -> HttpResponse:
    if _htmx(request):
        return _section_response(request, initiative, notice=notice)
    messages.success(request, notice)
    return redirect(f"{initiative.get_absolute_url()}#participation")


def _section_response(request: HttpRequest, initiative: Initiative, **state: Any) -> HttpResponse:
    context = {"initiative": initiative, **initiative_section(request, initiative, **state)}
    return render(request, SECTION_TEMPLATE, context)


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _open(initiative: Initiative) -> bool:
    return initiative.status == InitiativeStatus.PUBLISHED


def _first_sought(initiative: Initiative) -> str:
    sought = [role for role in initiative.roles_sought if role != CollaborationRole.INITIATOR]
    return sought[0] if sought else CollaborationRole.PARTICIPANT


def _cannot_join_message(section: dict[str, Any]) -> str:
    if not section["participation_has_organisation"]:
        return _("Join your municipality or organisation first; then you can take part on its behalf.")
    return _("None of your organisations can ask to join this initiative: it takes part or has asked already, "
             "it is the initiator, or the initiative takes no new participants.")  # fmt: skip


def _as_validation_error(error: ValidationError | PermissionDenied) -> ValidationError:
    if isinstance(error, PermissionDenied):
        return ValidationError(str(error) or _("You may not do this."))
    return error
