"""Demo collaboration on top of the demo initiatives: who takes part in what, milestones, comments
and follows. Deterministic and safe to run again, like the rest of the demo."""

from .comments import seed_demo_comments
from .follows import seed_demo_follows
from .milestones import seed_demo_milestones
from .participations import seed_demo_participations


def seed_demo_collaboration() -> None:
    seed_demo_participations()
    seed_demo_milestones()
    seed_demo_comments()
    seed_demo_follows()
