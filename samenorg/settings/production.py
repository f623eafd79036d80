"""Production: everything from base, plus the settings that only make sense behind HTTPS.

It refuses to start without a real secret key, an external PostgreSQL server and a broker.
"""

from samenorg.env import ConfigurationError, env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import DATABASE_URL

DEBUG = False

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ConfigurationError("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")
if not DATABASE_URL:
    raise ConfigurationError(
        "DATABASE_URL must point at a PostgreSQL server; production refuses the embedded one under var/."
    )
if not env_str("CELERY_BROKER_URL"):
    raise ConfigurationError("CELERY_BROKER_URL must point at Redis; the filesystem broker is for one machine only.")

WHITENOISE_USE_FINDERS = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
