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
    # 50: the length Django's own deployment check (security.W009) asks for.
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SECRET_KEY (or SECRET_KEY_FILE): 50+ random characters."
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
    # Security (issue 18): sign-in lockout, second factors, Content-Security-Policy.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
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
    # Security (issue 18): CSP header, second factor, session limits, lockout (axes last).
    "csp.middleware.CSPMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dsar.accounts.middleware.SessionLimitsMiddleware",
    "dsar.accounts.middleware.RequireSecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
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

# --- Sign-in security (issue 18; README "Security") ---------------------------------------
# django-axes: LOGIN_FAILURE_LIMIT wrong passwords per account, and per client address, lock
# sign-in (officers' page, admin, anything calling authenticate with a request) until an
# admin unlocks it in the admin (Axes > Access attempts) or LOGIN_LOCKOUT_HOURS pass (0:
# only an admin unlocks).
AUTHENTICATION_BACKENDS = [
    "dsar.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=6)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = env.int("LOGIN_LOCKOUT_HOURS", default=0) or None
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its log lines carry usernames and addresses
AXES_DISABLE_ACCESS_LOG = True
# Password reset: how many requests one client address may make per hour.
PASSWORD_RESET_RATE_LIMIT_PER_HOUR = env.int("PASSWORD_RESET_RATE_LIMIT_PER_HOUR", default=5)
# Two factors (django-otp TOTP + one-time recovery codes) for every signed-in staff user;
# on by default in production, off in the demo and tests unless set.
REQUIRE_2FA = env_bool("REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="DSAR desk")
RECOVERY_CODE_COUNT = 10
# Sessions: at most SESSION_MAX_HOURS after sign-in, and ended after SESSION_IDLE_MINUTES
# without a request. A password change ends the user's other sessions (Django's hash check).
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=8)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# The Django admin's path (superusers and staff only): not the guessable default in production.
ADMIN_PATH = env.str("ADMIN_PATH", default="admin/").strip("/") + "/"

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
# Stored files readable by the product's own user only (issue 18).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Files (issue 20): "files" is the real backend, local disk under MEDIA_ROOT by default or
# S3-compatible object storage when STORAGE_URL (or AWS_STORAGE_BUCKET_NAME) is set, see
# config.storage. "default", which the apps use, wraps it with encryption (below).
from config.storage import files_storage  # noqa: E402

# "default" encrypts every file into "files" (issue 18, config.encryption): AES-GCM under
# FILE_ENCRYPTION_KEYS, "id:base64-key" pairs, the first encrypting, all decrypting. Unset
# outside production: a key generated once into VAR_DIR/file-encryption.key.
FILE_ENCRYPTION_KEYS = env.str("FILE_ENCRYPTION_KEYS", default="")
if FILE_ENCRYPTION_KEYS:
    from config.encryption import parse_keys

    parse_keys(FILE_ENCRYPTION_KEYS)  # a malformed key stops start-up, saying what is wrong
STORAGES = {
    "files": files_storage(env),
    "default": {"BACKEND": "config.encryption.EncryptedStorage", "OPTIONS": {"inner": "files"}},
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
    # HSTS: a year, subdomains included (issue 18).
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Consent to the browsers' HSTS preload list (issue 20: `check --deploy` is clean); the
    # year and the subdomains above are its conditions. It takes effect only once the
    # domain is submitted at hstspreload.org; SECURE_HSTS_PRELOAD=false withholds it.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

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
    # Deep nesting, huge numbers and NaN are a 400, not a 500 (issue 18).
    "DEFAULT_PARSER_CLASSES": [
        "dsar.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
# Optional proof of work on the form and the JSON intake (dsar.abuse.proof_of_work): the
# leading zero bits of sha256 a client must find per request; 0 is off, 16-20 when on.
INTAKE_PROOF_OF_WORK_BITS = env.int("INTAKE_PROOF_OF_WORK_BITS", default=0)
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
    # No link token or email address in any line (issue 18; dsar.logfilter).
    "filters": {"redact": {"()": "dsar.logfilter.RedactingFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Content-Security-Policy on every page (issue 18; django-csp) --------------------------
# Only this site's own scripts, styles and images; no plugins, framing or <base> tricks.
# Pages carry no inline script or style; a view that needs more says so with csp_update.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Production refuses half-configuration (issue 18) ---------------------------------------
# Checked last, once every setting is read; one message lists everything still to set.
# (bench/settings.py, the bench's loopback server on SQLite, is the one module exempt.)
if PRODUCTION and os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings") != "bench.settings":
    _missing = []
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        _missing.append("DATABASE_URL: a PostgreSQL database (postgres://...), not SQLite")
    if CELERY_BROKER_URL.startswith(("filesystem", "memory")):
        _missing.append("REDIS_URL or CELERY_BROKER_URL: a real broker, not the filesystem one")
    if not EMAIL_URL or not EMAIL_URL.startswith("smtp"):
        _missing.append("EMAIL_URL: your SMTP server (smtp+tls://user:password@host:587)")
    if not env.str("SUPPRESSION_HASH_KEY", default="") or SUPPRESSION_HASH_KEY == SECRET_KEY:
        _missing.append("SUPPRESSION_HASH_KEY: its own random key, not the SECRET_KEY")
    if not FILE_ENCRYPTION_KEYS:
        _missing.append("FILE_ENCRYPTION_KEYS: key-id:base64-key pairs, its own keys for files")
    if len(set(SECRET_KEY)) < 8:
        _missing.append("SECRET_KEY: 50+ random characters, not one character repeated")
    if "*" in ALLOWED_HOSTS:
        _missing.append("ALLOWED_HOSTS: the site's own host names, not '*'")
    if _missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production refuses to start half-configured. Set:\n  - "
            + "\n  - ".join(_missing)
        )
