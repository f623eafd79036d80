from django.db import transaction

from .models import User


@transaction.atomic
def user_update_profile(*, actor: User, name: str, job_title: str, language: str) -> User:
    """A user edits their own profile; nobody edits another's here."""
    actor.name = name.strip()
    actor.job_title = job_title.strip()
    actor.language = language
    actor.full_clean(exclude=["password", "email"])
    actor.save(update_fields=["name", "job_title", "language"])
    return actor
