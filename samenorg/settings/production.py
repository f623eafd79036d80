"""Production: everything from base, plus the settings that only make sense behind HTTPS.

It refuses to start without a real secret key, an external PostgreSQL server, Redis as broker and
cache, and an SMTP server. The checks run before base is imported, so the embedded database is
never started here.
"""

from samenorg.env import ConfigurationError, env_bool, env_int, env_str

REQUIRED = {
    "DATABASE_URL": "a PostgreSQL server; production refuses the embedded one under var/",
    "CELERY_BROKER_URL": "Redis; the filesystem broker serves one machine only",
    "CACHE_URL": "Redis, so that rate limits hold across web processes",
    "EMAIL_HOST": "an SMTP server; production does not write mail to files",
    "SAMENORG_SITE_URL": "the public address, such as https://samenorganiseren.example, for links in e-mails",
}
for variable, what in REQUIRED.items():
    if not env_str(variable):
        raise ConfigurationError(f"{variable} must be set in production: {what}.")
_secret = env_str("DJANGO_SECRET_KEY")
if len(_secret) < 50 or _secret.startswith("insecure"):
    raise ConfigurationError("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = _secret
SAMENORG_ALLOW_DEMO = False
WHITENOISE_USE_FINDERS = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
