"""Settings, read from the environment.

Local use needs nothing set: SQLite, a filesystem Celery broker and emails in a folder.
Production (`DJANGO_ENV=production`) refuses to start without a real SECRET_KEY and an
ALLOWED_HOSTS list. Any variable may instead be read from a file named by `NAME_FILE`.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.FileAwareEnv()
VAR_DIR = Path(env.str("VAR_DIR", default="") or BASE_DIR / "var")


def env_bool(name: str, default: bool) -> bool:
    """Strict booleans: a typo in DEBUG must stop start-up, not quietly mean False."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEFAULT_SECRET_KEY = "insecure-local-only-key-do-not-use-in-production"
ENVIRONMENT = env.str("DJANGO_ENV", default="development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails and printed by seed_demo. Unset: the local address on PORT (make run sets
# both from its PORT, so `make run PORT=8150` links to 8150).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip(
    "/"
)

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SECRET_KEY (or SECRET_KEY_FILE): 32+ random characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets for /api/docs/, served locally
    "dsar",
    "identity",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 503 when the database is down, 413 for an oversize body, JSON errors under /api/
    # in every environment (config.errors).
    "config.errors.ErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if not DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Keep connections between requests: a new PostgreSQL connection per request halved
    # the public intake's throughput (bench/). ?conn_max_age=0 in the URL turns it off.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for the write lock instead of failing at once when worker and web both write.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where the SQL data sources read a subject's data (exports.data.sql): another database,
# never the product's own. Default: the same PostgreSQL server under "<name>_subject_data",
# or a SQLite file under VAR_DIR. The router keeps the product's tables off it.
SUBJECT_DATA_URL = env.str("SUBJECT_DATA_URL", default="")
if SUBJECT_DATA_URL:
    DATABASES["subject_data"] = environ.Env.db_url_config(SUBJECT_DATA_URL)
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["subject_data"] = environ.Env.db_url_config(
        f"sqlite:///{VAR_DIR / 'subject_data.sqlite3'}"
    )
else:
    _name = f"{DATABASES['default']['NAME']}_subject_data"
    DATABASES["subject_data"] = {**DATABASES["default"], "NAME": _name, "TEST": {}}
if DATABASES["subject_data"]["ENGINE"].endswith("sqlite3"):
    DATABASES["subject_data"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    # Tests read it as a real file over its own connection, one file per test process.
    DATABASES["subject_data"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test_subject_data_{os.getpid()}.sqlite3")
    }
SUBJECT_DATA_ALIASES = ["subject_data"]
DATABASE_ROUTERS = ["exports.routers.SubjectDataRouter"]
# Keys the marketing suppression list's hashes; changing it empties the list in effect.
SUPPRESSION_HASH_KEY = env.str("SUPPRESSION_HASH_KEY", default="") or SECRET_KEY
# Download links for exports: how long they work unless the officer says otherwise.
DOWNLOAD_LINK_DAYS = env.int("DOWNLOAD_LINK_DAYS", default=14)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dsar:queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
# Issue 15: static files come from the app folders outside production, so the demo can run
# with DEBUG off (no debug pages listing URL patterns) and still have its styles.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"  # outside the web root: nothing here is served directly
# Files (issue 20): "files" is the real backend, local disk under MEDIA_ROOT by default or
# S3-compatible object storage when STORAGE_URL (or AWS_STORAGE_BUCKET_NAME) is set, see
# config.storage. "default", which the apps use, points at it (issue 18 wraps it there).
from config.storage import files_storage  # noqa: E402

STORAGES = {
    "files": files_storage(env),
    "default": files_storage(env),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Only strictly necessary cookies, and only over HTTPS in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)

# Health checks (config.health): how long /readyz waits for each part.
HEALTH_CHECK_TIMEOUT_SECONDS = env.float("HEALTH_CHECK_TIMEOUT_SECONDS", default=2.0)

# Email: a folder of .eml files locally, SMTP in production (EMAIL_URL=smtp+tls://...).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "emails"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="privacy@localhost")

# Cache backs the rate limits; Redis when given, otherwise a local table-free cache.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "config.cache.ReusingRedisCache",
        "LOCATION": REDIS_URL,
        # Give up on a dead or unreachable Redis quickly: the rate limits then count in
        # the database (dsar.ratelimit) instead of holding the request.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

# Celery: Redis when given; otherwise kombu's filesystem transport, which needs no server.
CELERY_BROKER_URL = (
    env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://localhost//"
)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
for _folder in {*CELERY_BROKER_TRANSPORT_OPTIONS.values()} - {False}:
    Path(_folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dsar.api.errors.exception_handler",
    # Officer endpoints: per API token (per user for sessions). The public intake counts
    # against the budgets it shares with the web form (INTAKE_*_PER_HOUR below).
    "DEFAULT_THROTTLE_CLASSES": ["dsar.api.throttles.OfficerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "officer": env.str("OFFICER_THROTTLE_RATE", default="2000/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DSAR desk API",
    "DESCRIPTION": (
        "Cases, deadlines, verification, letters and webhooks for data subject requests. "
        "Authenticate with `Authorization: Token <key>` (systems) or a signed-in session "
        "with its CSRF token (pages). Errors are `{detail, errors}`; lists are paginated "
        "as `{count, next, previous, results}`. See the README's API section."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from this app's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": True},
    "COMPONENT_SPLIT_REQUEST": True,
    # One error shape documented on every operation (dsar.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dsar.api.schema.add_error_responses",
    ],
    # Several models have a "status": name each choice set once.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "dsar.choices.Status",
        "StepStatusEnum": "identity.choices.StepStatus",
        "DocumentStatusEnum": "exports.models.Document.Status",
    },
}

# Webhooks (dsar.webhooks): attempts per event before it is marked failed, the first retry
# delay (doubling each time), and whether http://localhost receivers are allowed (for a
# local receiver in development and tests; never in production).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=60)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_ALLOW_LOCAL_URLS = env_bool("WEBHOOK_ALLOW_LOCAL_URLS", default=DEBUG)
if PRODUCTION and WEBHOOK_ALLOW_LOCAL_URLS:
    raise ImproperlyConfigured("WEBHOOK_ALLOW_LOCAL_URLS must be off in production.")

# Abuse budgets of the public side (dsar.abuse.budgets), shared by the web form and the
# JSON intake: per client address (IPv6 per /64), per requester email (case and +tags
# ignored), per controller (the DPO is emailed when it is reached); and confirmation
# emails per mailbox per day. Counted in Redis, or in the database while Redis is down.
INTAKE_RATE_LIMIT_PER_HOUR = env.int("INTAKE_RATE_LIMIT_PER_HOUR", default=10)
INTAKE_EMAIL_LIMIT_PER_HOUR = env.int("INTAKE_EMAIL_LIMIT_PER_HOUR", default=5)
INTAKE_CONTROLLER_LIMIT_PER_HOUR = env.int("INTAKE_CONTROLLER_LIMIT_PER_HOUR", default=500)
CONFIRMATION_EMAILS_PER_DAY = env.int("CONFIRMATION_EMAILS_PER_DAY", default=3)
# Signed links: email confirmation lifetime.
CONFIRMATION_LINK_MAX_AGE_DAYS = env.int("CONFIRMATION_LINK_MAX_AGE_DAYS", default=7)
# Identity: status page links, evidence uploads, and new-link requests per hour.
STATUS_LINK_MAX_AGE_DAYS = env.int("STATUS_LINK_MAX_AGE_DAYS", default=30)
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
STATUS_LINK_RATE_LIMIT_PER_HOUR = env.int("STATUS_LINK_RATE_LIMIT_PER_HOUR", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
