from .adoption import ADOPTING_STATUSES, Adoption, AdoptionStatus
from .nomination import DECIDED_STAGES, OPEN_STAGES, Nomination, NominationStage, NominationTransition
from .standard import Standard, StandardDocument, StandardStatus, StandardVersion

__all__ = [
    "ADOPTING_STATUSES",
    "DECIDED_STAGES",
    "OPEN_STAGES",
    "Adoption",
    "AdoptionStatus",
    "Nomination",
    "NominationStage",
    "NominationTransition",
    "Standard",
    "StandardDocument",
    "StandardStatus",
    "StandardVersion",
]
