from .initiative import Initiative, InitiativeLink, InitiativePhase, InitiativePhaseChange, InitiativeStatus
from .roles import CollaborationRole
from .theme import Theme

__all__ = [
    "CollaborationRole",
    "Initiative",
    "InitiativeLink",
    "InitiativePhase",
    "InitiativePhaseChange",
    "InitiativeStatus",
    "Theme",
]
