"""Settings for running the platform locally: ``make run`` and ``manage.py`` use these."""

from .base import *  # noqa: F403
