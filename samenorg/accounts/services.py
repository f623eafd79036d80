from django.db import transaction

from .models import User


@transaction.atomic
def user_update_profile(
    *, actor: User, name: str, job_title: str, language: str, follow_frequency: str | None = None
) -> User:
    """A user edits their own profile; nobody edits another's here. ``follow_frequency`` is the
    default for what they start following (and for what they follow through their organisations)."""
    actor.name = name.strip()
    actor.job_title = job_title.strip()
    actor.language = language
    if follow_frequency is not None:
        actor.follow_frequency = follow_frequency
    actor.full_clean(exclude=["password", "email"])
    actor.save(update_fields=["name", "job_title", "language", "follow_frequency"])
    return actor
