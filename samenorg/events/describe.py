"""An event in words, for people: the one place that says what happened, used by the inbox, the activity
feeds and the e-mails alike. Rendered in the active language; names are organisations' and subjects'
(public), never a person's.

Load events with ``DESCRIBED_RELATIONS`` selected, so a page of descriptions costs one query.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from collaboration.models import Participation
from initiatives.models import CollaborationRole, InitiativePhase
from standards.models import AdoptionStatus, NominationStage

from .models import Event

DESCRIBED_RELATIONS = (
    "organisation",
    "initiative",
    "standard",
    "participation__organisation",
    "adoption__organisation",
)


@dataclass(frozen=True)
class Description:
    subject: str  # the initiative's title or the standard's name
    url: str  # where to read more (a path; e-mails make it absolute)
    text: str  # what happened, one sentence


def _label(choices: type, value: str | None) -> str:
    return str(dict(choices.choices).get(value, value or ""))  # type: ignore[attr-defined]


def _participant(event: Event) -> str:
    participation: Participation | None = event.participation
    return participation.organisation.name if participation else event.organisation.name


def _role(event: Event) -> str:
    """The role as it was then: asked for (a request for another role names it), or taken."""
    payload = event.payload
    asked = event.type == "participation.requested" and payload.get("requested_role")
    return _label(CollaborationRole, asked or payload.get("role"))


def _stage(event: Event) -> str:
    return _label(NominationStage, event.payload.get("to_stage"))


def _adoption(event: Event) -> str:
    organisation = event.adoption.organisation.name if event.adoption else event.organisation.name
    status = _label(AdoptionStatus, event.payload.get("status"))
    version = event.payload.get("version")
    if version:
        return _("%(organisation)s: %(status)s (version %(version)s).") % {
            "organisation": organisation,
            "status": status,
            "version": version,
        }
    return _("%(organisation)s: %(status)s.") % {"organisation": organisation, "status": status}


SENTENCES: dict[str, Callable[[Event], str]] = {
    "initiative.created": lambda e: (
        _("%(organisation)s registered this initiative.") % {"organisation": e.organisation.name}
    ),
    "initiative.updated": lambda e: (
        _("%(organisation)s updated the description.") % {"organisation": e.organisation.name}
    ),
    "initiative.published": lambda e: (
        _("%(organisation)s published this initiative.") % {"organisation": e.organisation.name}
    ),
    "initiative.phase_changed": lambda e: (
        _("Now in the phase: %(phase)s.") % {"phase": _label(InitiativePhase, e.payload.get("phase"))}
    ),
    "initiative.archived": lambda e: (
        _("%(organisation)s archived this initiative.") % {"organisation": e.organisation.name}
    ),
    "participation.requested": lambda e: (
        _("%(organisation)s asks to take part as %(role)s.") % {"organisation": _participant(e), "role": _role(e)}
    ),
    "participation.accepted": lambda e: (
        _("%(organisation)s now takes part as %(role)s.") % {"organisation": _participant(e), "role": _role(e)}
    ),
    "participation.role_changed": lambda e: (
        _("%(organisation)s now takes part as %(role)s.") % {"organisation": _participant(e), "role": _role(e)}
    ),
    "participation.declined": lambda e: (
        _("The request of %(organisation)s was declined.") % {"organisation": _participant(e)}
    ),
    "participation.withdrawn": lambda e: (
        _("%(organisation)s withdrew its request.") % {"organisation": _participant(e)}
    ),
    "participation.left": lambda e: _("%(organisation)s no longer takes part.") % {"organisation": _participant(e)},
    "milestone.planned": lambda e: _("Milestone planned: %(title)s.") % {"title": e.payload.get("title", "")},
    "milestone.achieved": lambda e: _("Milestone achieved: %(title)s.") % {"title": e.payload.get("title", "")},
    "comment.posted": lambda e: _("Someone of %(organisation)s responded.") % {"organisation": e.organisation.name},
    "comment.hidden": lambda e: _("A facilitator hid a comment."),
    "nomination.submitted": lambda e: (
        _("%(organisation)s nominated this initiative to become a standard.") % {"organisation": e.organisation.name}
    ),
    "nomination.transitioned": lambda e: _("The nomination is now: %(stage)s.") % {"stage": _stage(e)},
    "nomination.decided": lambda e: _("The nomination was decided: %(stage)s.") % {"stage": _stage(e)},
    "standard.version_released": lambda e: (
        _("Version %(version)s was released.") % {"version": e.payload.get("version", "")}
    ),
    "standard.updated": lambda e: _("The standard's description was updated."),
    "standard.withdrawn": lambda e: _("The standard was withdrawn."),
    "adoption.changed": _adoption,
}


def describe(event: Event) -> Description:
    if event.standard is not None:
        subject, url = event.standard.name, event.standard.get_absolute_url()
    elif event.initiative is not None:
        subject, url = event.initiative.title, event.initiative.get_absolute_url()
    else:
        subject, url = "", "/"
    sentence = SENTENCES.get(event.type)
    return Description(subject=subject, url=url, text=sentence(event) if sentence else event.type)
