"""Readiness checks: can this process reach what it needs to serve requests?"""

from django.conf import settings
from django.db import connection

from samenorg.celery import app as celery_app


def database_ready() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any database failure means "not ready"
        return False, type(error).__name__
    return True, "ok"


def broker_ready() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
    except Exception as error:  # any broker failure means "not ready"
        return False, type(error).__name__
    return True, "ok"
