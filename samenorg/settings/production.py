"""Production: everything from base, plus the settings that only make sense behind HTTPS.

It refuses to start without a real secret key, an external PostgreSQL server with credentials, Redis
as broker and cache, and an SMTP server. The checks run before base is imported, so the embedded
database is never started here; each refusal is one line (manage.py prints it, see samenorg.env).
"""

import dj_database_url

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

# Where the database server is on this machine, it may authenticate the platform without a password.
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}


def require_database_credentials(url: str) -> None:
    """DATABASE_URL must be PostgreSQL, and name a user and a password for a server reached over the network.

    Without them, the platform would connect only if the server lets anyone in (``trust``). A Unix socket
    (``postgres://samenorg@%2Frun%2Fpostgresql/samenorg``, or no host at all) and the machine itself
    (127.0.0.1, ::1, localhost: a local server or a proxy such as a cloud SQL sidecar) may authenticate
    otherwise, by the operating-system user (``peer``) or by the proxy: there the operator decides. The
    message never repeats the URL, which may hold a password."""
    try:
        database = dj_database_url.parse(url)
    except ValueError:
        raise ConfigurationError(
            "DATABASE_URL is not a valid address; write it as postgres://user:password@host:5432/name."
        ) from None
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigurationError("DATABASE_URL must point to a PostgreSQL server (postgres://...).")
    host = str(database["HOST"] or database.get("OPTIONS", {}).get("host", ""))
    if host == "" or host.startswith("/") or host in LOCAL_HOSTS:
        return
    if not database["USER"] or not database["PASSWORD"]:
        raise ConfigurationError(
            f"DATABASE_URL must name a user and a password for the database server at {host}; "
            "only a Unix socket or this machine (127.0.0.1) may connect without them."
        )


require_database_credentials(env_str("DATABASE_URL"))
_secret = env_str("DJANGO_SECRET_KEY")
if len(_secret) < 50 or _secret.startswith("insecure"):
    raise ConfigurationError("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = _secret
# Earlier keys, comma-separated, still accepted while a new one rolls out: rotating then logs nobody out.
SECRET_KEY_FALLBACKS = [key for key in env_str("DJANGO_SECRET_KEY_FALLBACKS").split(",") if key]
SAMENORG_ALLOW_DEMO = False
WHITENOISE_USE_FINDERS = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes and Prometheus reach these inside the network, over plain http; /metrics still needs its token.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
