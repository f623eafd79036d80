from .attachment import InitiativeAttachment
from .initiative import Initiative, InitiativeLink, InitiativePhase, InitiativePhaseChange, InitiativeStatus
from .roles import CollaborationRole
from .theme import Theme

__all__ = [
    "CollaborationRole",
    "Initiative",
    "InitiativeAttachment",
    "InitiativeLink",
    "InitiativePhase",
    "InitiativePhaseChange",
    "InitiativeStatus",
    "Theme",
]
