"""The one Celery app of the platform; configuration comes from the CELERY_* Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.local")

app = Celery("samenorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
