from celery import shared_task
from django.core.management import call_command

from .services_deletion import accounts_expire_unverified


@shared_task
def clear_expired_sessions() -> None:
    """Remove expired sessions from the database (scheduled by beat)."""
    call_command("clearsessions")


@shared_task
def expire_unverified_accounts() -> int:
    """Daily (beat): accounts whose address was never confirmed go after ``SAMENORG_UNVERIFIED_ACCOUNT_DAYS``."""
    return accounts_expire_unverified()
