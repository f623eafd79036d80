"""Settings for the test suite: fast hashing, mail kept in memory, tasks run in the test process."""

from samenorg.env import env_str

from .base import *  # noqa: F403
from .base import DATABASES

# Two suites on one server (say, two checkouts) each need their own test database.
DATABASES["default"]["TEST"] = {"NAME": env_str("SAMENORG_TEST_DATABASE", "test_samenorg")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
