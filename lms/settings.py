"""Maharat settings: one module, read from the environment (12-factor).

Defaults run the whole platform on a laptop (SQLite, in-memory channel layer, database
task queue, local media). Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ... and
nothing else changes. The test suite runs `lms.settings_test`, which imports this
module and replaces what tests need (hasher, task backend, cache).
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# Production (DEBUG off) has no laptop defaults for what follows: each missing item is
# named in one ImproperlyConfigured at the end of this block (the SITE_URL ends up in
# certificate PDFs and credentials; an unset e-mail backend would print password
# resets to a log nobody reads).
_PRODUCTION = not DEBUG
_missing: list[str] = []
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-maharat-0000000000"
SECRET_KEY = env.str("SECRET_KEY", default="" if _PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    _missing.append("SECRET_KEY must be set when DEBUG is off.")
# Ed25519 private key (PEM) that signs certificates; a development key is derived from
# SECRET_KEY when unset, which production refuses.
REGISTRY_SIGNING_KEY = env.str("REGISTRY_SIGNING_KEY", default="")
if _PRODUCTION and not REGISTRY_SIGNING_KEY:
    _missing.append("REGISTRY_SIGNING_KEY must be set when DEBUG is off.")
SITE_URL = env.str("SITE_URL", default="" if _PRODUCTION else "http://127.0.0.1:8000")
_site = urlsplit(SITE_URL)
if _PRODUCTION and (_site.scheme not in ("http", "https") or not _site.hostname):
    _missing.append(
        "SITE_URL must be set when DEBUG is off, to the address people use "
        "(e.g. https://maharat.example.gov.eg): it is printed on certificates."
    )
WAGTAILADMIN_BASE_URL = SITE_URL
if DEBUG or not _site.hostname:
    ALLOWED_HOSTS = env.list(
        "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]
    )
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
else:  # production: the site's own address unless told otherwise
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[_site.hostname])
    CSRF_TRUSTED_ORIGINS = env.list(
        "CSRF_TRUSTED_ORIGINS", default=[f"{_site.scheme}://{_site.netloc}"]
    )

# E-mail: EMAIL_URL (smtp://user:pass@host:587?tls=True, smtp+ssl://...:465), or an
# explicit EMAIL_BACKEND (the console backend is a deliberate choice; unset is not).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    _email = env.email_url("EMAIL_URL")
    _query = {k.upper(): v for k, v in _email.pop("OPTIONS", {}).items()}
    EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = _email["EMAIL_PORT"] or 25
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    # `?tls=True` / `?ssl=True` besides the schemes smtp+tls:// and smtp+ssl://
    EMAIL_USE_TLS, EMAIL_USE_SSL = (
        str(_email.get(f"EMAIL_USE_{flag}", _query.get(flag, False))).lower()
        in ("1", "true", "yes", "on")
        for flag in ("TLS", "SSL")
    )
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=_email["EMAIL_BACKEND"]
    if EMAIL_URL
    else ("" if _PRODUCTION else "django.core.mail.backends.console.EmailBackend"),
)
if not EMAIL_BACKEND:
    _missing.append(
        "EMAIL_URL (e.g. smtp://user:password@mail.example.gov.eg:587?tls=True) or "
        "EMAIL_BACKEND must be set when DEBUG is off."
    )
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (make prod).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Maharat <no-reply@maharat.local>"
)
# SMS (lms/kernel/notifications/gateways.py): `twilio` = Twilio's Messages API (or any
# gateway speaking it at SMS_GATEWAY_URL), chosen when SMS_ACCOUNT_SID is set; `file` =
# one file per message in SMS_FILE_PATH (the laptop's default); `none` (production's
# default without a SID) = no SMS: notices then go by e-mail, or stay on the site.
SMS_ACCOUNT_SID = env.str("SMS_ACCOUNT_SID", default="")
SMS_AUTH_TOKEN = env.str("SMS_AUTH_TOKEN", default="")
SMS_FROM = env.str("SMS_FROM", default="")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="https://api.twilio.com")
SMS_TIMEOUT_S = env.float("SMS_TIMEOUT_S", default=10.0)
# Unset or empty: chosen as above; `none` turns SMS off.
SMS_BACKEND = env.str("SMS_BACKEND", default="") or (
    "twilio" if SMS_ACCOUNT_SID else ("" if _PRODUCTION else "file")
)
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))
if SMS_BACKEND == "twilio" and not (SMS_ACCOUNT_SID and SMS_AUTH_TOKEN and SMS_FROM):
    _missing.append(
        "SMS_BACKEND=twilio needs SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM."
    )
# Notices (lms/kernel/notifications): a transient refusal is tried again after
# NOTIFICATIONS_RETRY_BASE_S × 4^(n-1), NOTIFICATIONS_MAX_ATTEMPTS times in all; a
# worker's claim older than NOTIFICATIONS_STALE_AFTER_S is taken over by the sweep.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BASE_S = env.int("NOTIFICATIONS_RETRY_BASE_S", default=30)
NOTIFICATIONS_STALE_AFTER_S = env.int("NOTIFICATIONS_STALE_AFTER_S", default=300)
if _missing:
    raise ImproperlyConfigured(
        "Production settings are incomplete:\n- " + "\n- ".join(_missing)
    )

INSTALLED_APPS = [
    # project
    "lms.accounts",
    "lms.home",
    "lms.reports",
    "lms.pwa",
    "lms.backup",
    "lms.ops",
    "registry",
    "media_pipeline",
    "content",
    "courses",
    "virtual_classes",
    "assessments",
    "skilltests",
    # wagtail
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # third party
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last, so it sees the authenticated user and can lock out repeated failures
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
ASGI_APPLICATION = "lms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.site",
                "lms.home.context_processors.workplace",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not USING_POSTGRES:
    # SQLite: wait for the worker's writes instead of failing with "database is locked".
    # IMMEDIATE takes the write lock when a transaction starts: two requests that read
    # then write (two heartbeats at once, an answer save and the page's form post)
    # would otherwise fail at once — SQLite cannot wait out a lock upgrade.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("timeout", 20)
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer, task queue ------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# When Redis is unreachable pages keep working from the database (lms/kernel/cache.py,
# lms/kernel/redis_outage.py): every Redis call gives up after this many seconds, and
# after a failure Redis is skipped for REDIS_RETRY_AFTER_S before one call tries again.
REDIS_SOCKET_TIMEOUT_S = env.float("REDIS_SOCKET_TIMEOUT_S", default=0.5)
REDIS_RETRY_AFTER_S = env.float("REDIS_RETRY_AFTER_S", default=5.0)
# Caches whose lost invalidations must not come back with Redis name their key space
# by a generation in the database (lms/kernel/generations.py), re-read this often.
CACHE_GENERATION_CHECK_S = env.float("CACHE_GENERATION_CHECK_S", default=5.0)
INSTALLED_APPS += ["lms.kernel"]  # the generations' table
if REDIS_URL:
    # Connect timeout only: a subscriber's or a worker's blocking read waits longer.
    _REDIS_LAYER_HOST = {
        "address": REDIS_URL,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_S,
    }
    CACHES = {
        "default": {
            "BACKEND": "lms.kernel.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "maharat",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [_REDIS_LAYER_HOST],
                "capacity": 1500,
                "expiry": 60,
                "group_expiry": 86400,
                "prefix": "maharat",
            },
        }
    }
    # Sessions read from Redis, written through to the database: one query less on
    # every signed-in request (bench/profile_answer_save.py). Only with a shared
    # cache: a per-process cache would keep a logged-out session alive elsewhere.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # `make run` serves the site and runs the task worker as two processes: a cache
    # both see keeps what one of them clears cleared for the other (an import run by
    # the worker changes verification answers and statistics the site has cached).
    # Production sets REDIS_URL instead.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.path("CACHE_DIR", default=BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASK_QUEUES = ["default", "media"]
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    _sep = "&" if "?" in REDIS_URL else "?"
    RQ_QUEUES = {
        name: {
            "URL": f"{REDIS_URL}{_sep}socket_connect_timeout={REDIS_SOCKET_TIMEOUT_S}",
            "DEFAULT_TIMEOUT": 3600,
        }
        for name in TASK_QUEUES
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": TASK_QUEUES,
        }
    }

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's roles with the user: one query less
    # on every signed-in request (bench/profile_answer_save.py)
    "lms.accounts.backends.ModelBackend",
]
# Django's Argon2 (the same hashes), computed on a thread of lower CPU priority: a wave
# of sign-ins does not take the cores from signed-in pages (lms/accounts/hashers.py).
PASSWORD_HASHERS = [
    "lms.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HASHER_THREADS = env.int("PASSWORD_HASHER_THREADS", default=1)  # per process
PASSWORD_HASHER_NICE = env.int("PASSWORD_HASHER_NICE", default=10)  # 0: no change
# Similarity also to the mobile number (the login name), the names and the national ID
# (lms/accounts/forms.py passes the account being made). The length rule is Django's
# with our wording: Django's Arabic catalogue lacks the message of 5.2's validator.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": (
                "username",
                "phone",
                "first_name",
                "last_name",
                "full_name_ar",
                "full_name_en",
                "email",
                "national_id",
            )
        },
    },
    {"NAME": "lms.accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "/"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "lms.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "national_id"]

# Sign-up attempts per client IP and per national ID typed ("N/s|m|h|d"; a fixed
# window in the cache). Over the limit the form answers 429.
ACCOUNTS_SIGNUP_RATE_IP = env.str("ACCOUNTS_SIGNUP_RATE_IP", default="20/h")
ACCOUNTS_SIGNUP_RATE_NATIONAL_ID = env.str(
    "ACCOUNTS_SIGNUP_RATE_NATIONAL_ID", default="5/d"
)
# Youngest age at which an account may be made, read from the national ID's birth date.
MINIMUM_AGE_YEARS = env.int("MINIMUM_AGE_YEARS", default=15)
# The mobile number is proved by a one-time code sent by SMS at sign-up, and a password
# is reset by one (lms/accounts/phone_codes.py). On whenever an SMS gateway is
# configured (SMS_BACKEND); without one sign-up takes the number on trust and passwords
# are reset by e-mail only (a system check warns in production).
ACCOUNTS_PHONE_VERIFICATION = env.bool(
    "ACCOUNTS_PHONE_VERIFICATION", default=SMS_BACKEND not in ("", "none")
)
# A code lives ACCOUNTS_CODE_TTL_S, takes ACCOUNTS_CODE_MAX_ATTEMPTS wrong tries in all,
# is sent again at most ACCOUNTS_CODE_MAX_SENDS times, ACCOUNTS_CODE_RESEND_AFTER_S
# apart. Any one number gets at most ACCOUNTS_SMS_RATE_PHONE codes and notices of ours
# (no SMS flood through the forms); reset requests per client address are limited too.
ACCOUNTS_CODE_TTL_S = env.int("ACCOUNTS_CODE_TTL_S", default=600)
ACCOUNTS_CODE_MAX_ATTEMPTS = env.int("ACCOUNTS_CODE_MAX_ATTEMPTS", default=5)
ACCOUNTS_CODE_MAX_SENDS = env.int("ACCOUNTS_CODE_MAX_SENDS", default=3)
ACCOUNTS_CODE_RESEND_AFTER_S = env.int("ACCOUNTS_CODE_RESEND_AFTER_S", default=60)
ACCOUNTS_SMS_RATE_PHONE = env.str("ACCOUNTS_SMS_RATE_PHONE", default="6/h")
ACCOUNTS_RESET_RATE_IP = env.str("ACCOUNTS_RESET_RATE_IP", default="20/h")

# Identity provider (OpenID Connect, e.g. the national digital-ID service) that
# verifies a trainee's national-ID claim: off unless OIDC_ISSUER and OIDC_CLIENT_ID
# are set. Authorization code flow with PKCE; the ID token's OIDC_NATIONAL_ID_CLAIM
# carries the national ID.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_NATIONAL_ID_CLAIM = env.str("OIDC_NATIONAL_ID_CLAIM", default="national_id")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid")
OIDC_TIMEOUT_S = env.float("OIDC_TIMEOUT_S", default=10.0)


# --- Language: Arabic first -----------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Cairo"
LANGUAGE_COOKIE_NAME = "maharat_language"
# Western digits, "." and "," in both languages (lms/kernel/formatting.py, README)
FORMAT_MODULE_PATH = ["lms.formats"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
# Personal files (import files, evidence photos, video originals, recordings): a
# store with no public URL, handed out only after a check (lms/kernel/private_files.py).
PRIVATE_MEDIA_ROOT = env.path(
    "PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private"
)
AWS_PRIVATE_STORAGE_BUCKET_NAME = env.str("AWS_PRIVATE_STORAGE_BUCKET_NAME", default="")
_private_storage = {"BACKEND": "lms.kernel.private_files.PrivateFileSystemStorage"}
if AWS_PRIVATE_STORAGE_BUCKET_NAME:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_PRIVATE_STORAGE_BUCKET_NAME,
            "querystring_auth": True,
            "default_acl": "private",
            "custom_domain": None,
        },
    }
# "django" streams the file; "accel": nginx does after X-Accel-Redirect (production);
# "s3": a short-lived pre-signed URL.
PRIVATE_FILES_SERVE = env.str(
    "PRIVATE_FILES_SERVE", default="s3" if AWS_PRIVATE_STORAGE_BUCKET_NAME else "django"
)
PRIVATE_FILES_ACCEL_PREFIX = env.str("PRIVATE_FILES_ACCEL_PREFIX", default="/_private/")
PRIVATE_FILES_URL_TTL_S = env.int("PRIVATE_FILES_URL_TTL_S", default=300)
# The registry's signed audit checkpoints (chain head, count, time): kept outside the
# database, so a rewritten, truncated or shortened audit log is found by
# `verify_audit_log`. Put it on another disk than the database's, or name a storage
# alias "audit_checkpoints" in STORAGES (e.g. an S3 bucket with object lock).
AUDIT_CHECKPOINT_DIR = env.path(
    "AUDIT_CHECKPOINT_DIR", default=BASE_DIR / "var" / "audit-checkpoints"
)
# A checkpoint is written by the periodic sweep when the chain moved and the last one
# is at least this old.
AUDIT_CHECKPOINT_EVERY_S = env.int("AUDIT_CHECKPOINT_EVERY_S", default=300)
STORAGES = {
    "default": _default_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Maharat"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp"}
# Lesson illustrations (tools, steps, diagrams) are drawn as SVG: a few KB, sharp on
# every screen. Uploads are refused when they carry scripts or outside references
# (content.forms.LessonImageForm); SVG media answer with a sandboxing CSP too.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "content.forms.LessonImageForm"
# Slugs stay ASCII: the admin transliterates an Arabic title (Wagtail's urlify has an
# Arabic map) instead of a slug that becomes ~6 characters per letter in a URL.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's token authentication, with the user's roles read in the same query
        "lms.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "lms.kernel.api.schema.ApiSchema",
    # One error body, {"code", "message", "fields"}, for every API answer that refuses.
    "EXCEPTION_HANDLER": "lms.kernel.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"verify": "120/min", "anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Maharat API",
    "DESCRIPTION": "Registry, verification, courses and live classes of Maharat.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["lms.kernel.api.schema_hooks.only_public_api"],
    "ENUM_NAME_OVERRIDES": {
        "CertificateSourceEnum": "registry.models.CertificateSource",
        "CertificateStatusEnum": "registry.models.CertificateStatus",
        "VerificationStatusEnum": "registry.api.serializers.VERIFICATION_STATUSES",
        "AttendanceSourceEnum": "virtual_classes.models.AttendanceInterval.Source",
    },
}

# --- Jitsi ----------------------------------------------------------------------------
JITSI_DOMAIN = env.str("JITSI_DOMAIN", default="meet.jit.si")
JITSI_APP_ID = env.str("JITSI_APP_ID", default="")
JITSI_APP_SECRET = env.str("JITSI_APP_SECRET", default="")
JITSI_ROOM_SIZE_URL = env.str("JITSI_ROOM_SIZE_URL", default="")
JITSI_TIMEOUT_S = env.float("JITSI_TIMEOUT_S", default=3.0)

# --- Media pipeline -------------------------------------------------------------------
FFMPEG_BINARY = env.str("FFMPEG_BINARY", default="ffmpeg")
FFPROBE_BINARY = env.str("FFPROBE_BINARY", default="ffprobe")
# Demo videos of `seed_demo`: "narrated" (default: per trade, slides with Arabic
# narration by espeak-ng, captioned, made once into DEMO_VIDEO_CACHE_DIR and processed
# by the worker in the background) or "clip" (a 6 s test clip, processed at once: what
# the browser tests watch to the end).
DEMO_VIDEOS = env.str("DEMO_VIDEOS", default="narrated")
DEMO_VIDEO_CACHE_DIR = env.path(
    "DEMO_VIDEO_CACHE_DIR", default=BASE_DIR / "var" / "cache" / "demo-videos"
)
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=2 * 1024**3)
MEDIA_MAX_DURATION_S = env.int("MEDIA_MAX_DURATION_S", default=3 * 3600)

# --- Security (production) ------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's page preview renders the page in an iframe of the admin (same origin).
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp, enforced; lms/kernel/csp.py). Our pages run only
# our own static scripts: no inline script, handler or eval. Public media on another
# host (S3/CDN) is named; the live class adds its Jitsi host itself
# (lms.kernel.headers.allow_conference).
_media = urlsplit(MEDIA_URL)
_MEDIA_ORIGINS = [f"{_media.scheme}://{_media.netloc}"] if _media.netloc else []
if AWS_STORAGE_BUCKET_NAME and AWS_S3_CUSTOM_DOMAIN:
    _MEDIA_ORIGINS.append(f"https://{AWS_S3_CUSTOM_DOMAIN}")
# The classroom WebSocket: the site's own origin as ws:// or wss://.
_WS_ORIGIN = (
    f"{'wss' if _site.scheme == 'https' else 'ws'}://{_site.netloc}"
    if _site.netloc
    else ""
)
_CSP_COMMON = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    # data: for small inline images, blob: for the video player (MediaSource)
    "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
    "media-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
    "connect-src": ["'self'", *filter(None, [_WS_ORIGIN]), *_MEDIA_ORIGINS],
    # the PWA service worker (/sw.js); blob: for hls.js, which transmuxes video in a
    # worker it builds from its own code (a blob only a script we allowed can make)
    "worker-src": ["'self'", "blob:"],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**_CSP_COMMON, "script-src": ["'self'"], "style-src": ["'self'"]}
}
# Wagtail's admin and Django's admin still use inline scripts and styles: their own,
# relaxed policy, still nothing from another host.
CONTENT_SECURITY_POLICY_ADMIN = {
    "URL_PREFIXES": ["/cms/", "/django-admin/"],
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
    },
}
# ... which is why the admin asks no other host for avatars or release news.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The API docs (Redoc) from our static files, not a CDN.
INSTALLED_APPS += ["drf_spectacular_sidecar"]
# Redoc from the sidecar's files, served by lms.kernel.api.docs (without its CDN logo)
SPECTACULAR_SETTINGS["REDOC_DIST"] = "/api/v1/docs"
# Cache-Control and Permissions-Policy on every answer (lms/kernel/headers.py), once
# the user is known; the CSP on every answer but static files (WhiteNoise's).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "lms.kernel.headers.ResponseHeadersMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "lms.kernel.csp.SiteCSPMiddleware",
)
# The API has no language prefix: it answers in the client's Accept-Language.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "lms.kernel.api_language.ApiLanguageMiddleware",
)
# Anonymous visitors' pages answered whole from the cache (lms/kernel/page_cache.py),
# before anything reads a session; 0 turns it off. They say a reverse proxy or CDN
# may keep them as long (s-maxage): with FRONTEND_CACHE_PURGE_URL (an HTTP cache
# that takes PURGE, e.g. Varnish) Wagtail purges a page's addresses on publish.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# and each web process answers the last pages it read from there for this long
# without asking again (a publish elsewhere shows here this much later; 0: off)
PAGE_MEMO_SECONDS = env.float("PAGE_MEMO_SECONDS", default=2.0)
FRONTEND_CACHE_PURGE_URL = env.str("FRONTEND_CACHE_PURGE_URL", default="")
if FRONTEND_CACHE_PURGE_URL:
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }
MIDDLEWARE.insert(
    MIDDLEWARE.index("lms.kernel.csp.SiteCSPMiddleware"),
    "lms.kernel.page_cache.AnonymousPageCacheMiddleware",
)
# A signed-in trainee's lesson page answered again from the cache while it is exact
# (lms/kernel/personal_pages.py), through Django's own session, CSRF and auth hooks;
# at most this many seconds (and never past the lesson's next visit record); 0: off.
PERSONAL_PAGE_CACHE_SECONDS = env.int("PERSONAL_PAGE_CACHE_SECONDS", default=300)
# Its SessionMiddleware is Django's, keeping the session this one already loaded.
_SESSIONS = MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
MIDDLEWARE[_SESSIONS] = "lms.kernel.personal_pages.SessionMiddleware"
MIDDLEWARE.insert(_SESSIONS, "lms.kernel.personal_pages.PersonalPageMiddleware")

# --- Logging: the national ID never reaches a log line -----------------------------
# LOGGING, then the same mask on the ASGI server's loggers (uvicorn's access log
# prints query strings), which uvicorn configured before Django started.
LOGGING_CONFIG = "lms.accounts.logging.configure_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "lms.accounts.logging.MaskNationalIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_pii"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- media_pipeline -------------------------------------------------------------------
MEDIA_HLS_SEGMENT_S = env.int("MEDIA_HLS_SEGMENT_S", default=4)
MEDIA_X264_PRESET = env.str("MEDIA_X264_PRESET", default="veryfast")
MEDIA_STALE_AFTER_S = env.int("MEDIA_STALE_AFTER_S", default=300)
MEDIA_MAX_ATTEMPTS = env.int("MEDIA_MAX_ATTEMPTS", default=3)
MEDIA_PROGRESS_SAVE_EVERY_S = env.float("MEDIA_PROGRESS_SAVE_EVERY_S", default=1.0)
MEDIA_CAPTION_MAX_BYTES = env.int("MEDIA_CAPTION_MAX_BYTES", default=2 * 1024**2)
MEDIA_WORK_DIR = env.str("MEDIA_WORK_DIR", default=None)  # ffmpeg scratch; None = /tmp

# --- Registry (verification) ----------------------------------------------------------
# Rate of the public verification page/API per client IP (load tests raise it).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["verify"] = env.str(
    "REGISTRY_VERIFY_RATE", default=REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["verify"]
)

# Answer plain GET /api/v1/verify/<serial>/ in the ASGI layer (registry/verify_asgi.py).
REGISTRY_VERIFY_FAST_PATH = env.bool("REGISTRY_VERIFY_FAST_PATH", default=True)

# --- Courses --------------------------------------------------------------------------
# A trainee's repeat visit of a lesson within this many seconds is the same visit:
# the lesson page then writes nothing (courses/services/visits.py).
LESSON_OPEN_RECORD_S = env.int("LESSON_OPEN_RECORD_S", default=300)

# --- Assessments ----------------------------------------------------------------------
# Seconds after an exam's deadline during which an answer already in flight is
# still accepted; later answers are refused and the attempt is submitted.
ASSESSMENTS_DEADLINE_GRACE_S = env.int("ASSESSMENTS_DEADLINE_GRACE_S", default=2)

# Under ASGI every request runs in its own thread: without a pool each one opens a
# PostgreSQL connection, and bursts of examinees exhaust max_connections. Set
# DATABASE_POOL_MAX_SIZE (connections per web process) to use psycopg's pool.
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
if USING_POSTGRES and DATABASE_POOL_MAX_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": 20,
    }
# Server-side prepared statements (psycopg's `prepare_threshold`: a statement run this
# many times on one connection is prepared, then only bound and executed; Django turns
# them off by default). Pooled connections live long, so the exam's answer save and the
# session and token look-ups are prepared once per connection. Set `none` behind a
# transaction-pooling PgBouncer older than 1.21 (or without max_prepared_statements).
_prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5").strip().lower()
DATABASE_PREPARE_THRESHOLD = None if _prepare in ("", "none", "off") else int(_prepare)
if USING_POSTGRES and DATABASE_PREPARE_THRESHOLD is not None:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "prepare_threshold", DATABASE_PREPARE_THRESHOLD
    )
# Requests let into Django at once per web process (lms/asgi.py); the rest queue
# before taking a connection, so a surge waits instead of exhausting the pool.
# Default: the pool's size (0: no limit).
REQUESTS_IN_FLIGHT_MAX = env.int(
    "REQUESTS_IN_FLIGHT_MAX",
    default=DATABASE_POOL_MAX_SIZE if USING_POSTGRES else 0,
)

# The web process's thread switch interval (lms/asgi.py): a request thread back from
# the database gets the GIL within this many ms (Python's own: 5). 0: Python's own.
WEB_GIL_SWITCH_INTERVAL_MS = env.float("WEB_GIL_SWITCH_INTERVAL_MS", default=1.0)

# --- Skill tests: applications, sessions, appointments (skilltests) -------------------
# Booking closes this many hours before a session starts; moving or cancelling an
# appointment is allowed until SKILLTESTS_CHANGE_CLOSES_H before it, at most
# SKILLTESTS_MAX_RESCHEDULES times; the reminder goes out SKILLTESTS_REMINDER_H
# before. An application carries at most SKILLTESTS_MAX_DOCUMENTS files of
# SKILLTESTS_DOCUMENT_MAX_BYTES each.
SKILLTESTS_BOOKING_CLOSES_H = env.int("SKILLTESTS_BOOKING_CLOSES_H", default=12)
SKILLTESTS_CHANGE_CLOSES_H = env.int("SKILLTESTS_CHANGE_CLOSES_H", default=24)
SKILLTESTS_MAX_RESCHEDULES = env.int("SKILLTESTS_MAX_RESCHEDULES", default=2)
SKILLTESTS_REMINDER_H = env.int("SKILLTESTS_REMINDER_H", default=24)
SKILLTESTS_MAX_DOCUMENTS = env.int("SKILLTESTS_MAX_DOCUMENTS", default=5)
SKILLTESTS_DOCUMENT_MAX_BYTES = env.int(
    "SKILLTESTS_DOCUMENT_MAX_BYTES", default=5 * 1024**2
)
# The day of the test: check-in opens SKILLTESTS_CHECK_IN_OPENS_MIN before the start
# and closes at the session's end; who did not pass may apply again after
# SKILLTESTS_FAIL_REAPPLY_DAYS, who did not come after SKILLTESTS_NO_SHOW_REAPPLY_DAYS.
SKILLTESTS_CHECK_IN_OPENS_MIN = env.int("SKILLTESTS_CHECK_IN_OPENS_MIN", default=60)
SKILLTESTS_FAIL_REAPPLY_DAYS = env.int("SKILLTESTS_FAIL_REAPPLY_DAYS", default=90)
SKILLTESTS_NO_SHOW_REAPPLY_DAYS = env.int("SKILLTESTS_NO_SHOW_REAPPLY_DAYS", default=30)

# --- Virtual classes (live classes) ---------------------------------------------------
# Shared HMAC secret of Jitsi notifications (recorder finalize script, webhooks).
JITSI_WEBHOOK_SECRET = env.str("JITSI_WEBHOOK_SECRET", default="")
# Recordings are downloaded only from this origin (and path prefix).
JITSI_RECORDINGS_BASE_URL = env.str(
    "JITSI_RECORDINGS_BASE_URL", default=f"https://{JITSI_DOMAIN}/"
)
JITSI_LAST_N = env.int("JITSI_LAST_N", default=4)
VIRTUAL_CLASSES_RECORDING_MAX_BYTES = env.int(
    "VIRTUAL_CLASSES_RECORDING_MAX_BYTES", default=4 * 1024**3
)
# Channel layer flavour on Redis: "pubsub" (RedisPubSubChannelLayer, the default: one
# PUBLISH per group message, fanned out in each process, which is what lets 500 people
# share a classroom; every chat message is persisted first and clients re-sync from it
# on reconnect, so its at-most-once delivery loses nothing) or "core"
# (RedisChannelLayer, above: one queued copy per socket). See virtual_classes/README.md.
CHANNEL_LAYER_FLAVOUR = env.str("CHANNEL_LAYER_FLAVOUR", default="pubsub")
if REDIS_URL and CHANNEL_LAYER_FLAVOUR == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [_REDIS_LAYER_HOST], "prefix": "maharat"},
        }
    }

# --- Backups --------------------------------------------------------------------------
# `manage.py backup` writes one folder per run here (lms/backup/README.md); it holds
# personal data and the signing key: keep it on another disk, readable by this user.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "var" / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# Any passphrase; when set every part is encrypted (AES-256-GCM, key from scrypt).
# Keep it apart from the backups: without it they cannot be restored.
BACKUP_ENCRYPTION_KEY = env.str("BACKUP_ENCRYPTION_KEY", default="")
# The deployed revision for the manifest (the image build sets it; else git HEAD).
GIT_REVISION = env.str("GIT_REVISION", default="")

# --- Background work ------------------------------------------------------------------
# `manage.py task_worker` runs the queue's worker (RQ with django-tasks' job class and
# RQ's scheduler, or db_worker) and, beside it, enqueues the `sweep` every
# TASKS_SWEEP_EVERY_S: the periodic jobs apps register (hook `maharat_periodic`) and
# the heartbeat /healthz reads. No cron.
TASKS_SWEEP_EVERY_S = env.int("TASKS_SWEEP_EVERY_S", default=30)
# The database backend's worker (no REDIS_URL) looks for a ready task after waits
# doubling from TASKS_DB_POLL_MIN_S to TASKS_DB_POLL_MAX_S while idle
# (lms/ops/db_worker.py).
TASKS_DB_POLL_MIN_S = env.float("TASKS_DB_POLL_MIN_S", default=0.1)
TASKS_DB_POLL_MAX_S = env.float("TASKS_DB_POLL_MAX_S", default=3.0)
# Scratch copies of running jobs (import-<id>/ per import); empty = the system temp.
TASKS_SCRATCH_DIR = env.str("TASKS_SCRATCH_DIR", default="") or None
# An RQ worker refreshes its registration every TTL - 15 s while idle: a killed worker
# disappears from `rq.Worker.all()` (and so from /healthz) within TTL + 60 s.
TASKS_RQ_WORKER_TTL_S = env.int("TASKS_RQ_WORKER_TTL_S", default=60)
# How often an RQ worker runs RQ's maintenance (jobs of dead workers are failed) and
# checks the scheduler lock: one held by a dead worker is released and taken over, so
# deferred tasks run again within this long of a killed worker (lms/ops/rq_worker.py).
TASKS_RQ_MAINTENANCE_S = env.int("TASKS_RQ_MAINTENANCE_S", default=60)
# Statistics (lms.reports): the sweep refreshes the summary every
# REPORTS_REFRESH_EVERY_S (the months from last month on; all of it every
# REPORTS_FULL_REFRESH_EVERY_S), and sooner once REPORTS_REFRESH_AFTER_CHANGES facts
# changed, but not within REPORTS_REFRESH_MIN_GAP_S of the last one. Staff may ask
# for a refresh once every REPORTS_REFRESH_NOW_EVERY_S.
REPORTS_REFRESH_EVERY_S = env.int("REPORTS_REFRESH_EVERY_S", default=3600)
REPORTS_FULL_REFRESH_EVERY_S = env.int("REPORTS_FULL_REFRESH_EVERY_S", default=86400)
REPORTS_REFRESH_AFTER_CHANGES = env.int("REPORTS_REFRESH_AFTER_CHANGES", default=100)
REPORTS_REFRESH_MIN_GAP_S = env.int("REPORTS_REFRESH_MIN_GAP_S", default=120)
REPORTS_REFRESH_NOW_EVERY_S = env.int("REPORTS_REFRESH_NOW_EVERY_S", default=60)
# /healthz gives Redis this long to answer a PING before naming it down.
HEALTHZ_REDIS_TIMEOUT_S = env.float("HEALTHZ_REDIS_TIMEOUT_S", default=1.0)
# Registry imports: a run that stopped beating for this long is run again (a new run
# token; rows already written count as unchanged), at most this many times.
REGISTRY_IMPORT_STALE_AFTER_S = env.int("REGISTRY_IMPORT_STALE_AFTER_S", default=120)
REGISTRY_IMPORT_MAX_ATTEMPTS = env.int("REGISTRY_IMPORT_MAX_ATTEMPTS", default=3)
# Two people for every revocation; when on, head-office staff may also revoke alone
# with a reason (audited as an emergency).
REGISTRY_EMERGENCY_REVOCATION = env.bool("REGISTRY_EMERGENCY_REVOCATION", default=False)
# A batch with more pending rows than this is approved by the task worker (the page
# shows it approving), not inside the reviewer's request.
REGISTRY_BATCH_APPROVE_INLINE_MAX = env.int(
    "REGISTRY_BATCH_APPROVE_INLINE_MAX", default=20_000
)
# Uploaded import files hold full national IDs: deleted when the job ends (0) or
# this many seconds later by the sweep; rejection reports after this many days.
REGISTRY_IMPORT_FILE_RETENTION_S = env.int(
    "REGISTRY_IMPORT_FILE_RETENTION_S", default=0
)
REGISTRY_IMPORT_REPORT_RETENTION_DAYS = env.int(
    "REGISTRY_IMPORT_REPORT_RETENTION_DAYS", default=30
)
if not DEBUG:
    # The load balancer probes /healthz/web over plain HTTP, like /healthz.
    SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^healthz/web$"]
