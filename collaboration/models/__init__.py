from .comment import Comment, CommentReport
from .follow import Follow
from .milestone import Milestone
from .participation import EDITING_ROLES, LIVE_STATUSES, Participation, ParticipationStatus

__all__ = [
    "EDITING_ROLES",
    "LIVE_STATUSES",
    "Comment",
    "CommentReport",
    "Follow",
    "Milestone",
    "Participation",
    "ParticipationStatus",
]
