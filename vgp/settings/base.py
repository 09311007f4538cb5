"""Settings for VGP, read from the environment (see ``.env.example``).

One module serves every environment. ``DJANGO_ENV`` selects the posture:
``development`` (default) gives embedded engines and relaxed second factor;
``production`` refuses to start without a secret key and allowed hosts and turns on every
transport-security header that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]
DJANGO_ENV = env_choice("DJANGO_ENV", ("development", "production", "test"), "development")
PRODUCTION = DJANGO_ENV == "production"

# --- Security -------------------------------------------------------------------------------
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host in production.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 varied characters.")
else:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

DEBUG = env_bool("DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # one working day
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Number of trusted reverse proxies in front of the app: decides which X-Forwarded-For hop
# is the client's address in audit records and throttling (0 = use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    # ground floor
    "vgp.core",
    "vgp.audit",
    "vgp.workdays",
    "vgp.agencies",
    "vgp.accounts",
    # services
    "vgp.search",
    # domains
    "vgp.portal",
    "vgp.news",
    "vgp.legal",
    "vgp.gazette",
    "vgp.feedback",
    "vgp.documents",
    # the signature service: verification now, signing later (issue 7)
    "vgp.signatures",
    # top
    "vgp.ops",
    "vgp.api",
    "vgp.demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "vgp.accounts.apps.OfficialUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django and third parties
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from its own static files, never from a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "vgp.core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vgp.core.middleware.RequestContextMiddleware",
    "vgp.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees authentication failures raised by every view above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vgp.urls"
WSGI_APPLICATION = "vgp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vgp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "vgp.core.context_processors.site_context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR = BASE_DIR / "var"  # embedded database, media and collected static files (not in git)
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vgp.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share one SQLite file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # PostgreSQL compiles a query whose estimated cost passes jit_above_cost: 20 to 30 ms of
    # compiling for a list's count that runs in less. Web requests are short queries.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------


def _cache_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vgp"}
    if parsed.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parsed.scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "vgp"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use locmem://, dummy:// or redis://host/db.")


CACHE_URL = env_str("CACHE_URL", "locmem://")
CACHES = {
    "default": _cache_from_url(CACHE_URL),
    # Wagtail looks image renditions up here before the database. A rendition's key holds the
    # image's file hash, so an entry never goes stale: keep it a week, apart from the pages.
    "renditions": {
        **_cache_from_url(CACHE_URL),
        "TIMEOUT": 7 * 24 * 3600,
    },
}
if CACHES["renditions"]["BACKEND"].endswith("LocMemCache"):
    CACHES["renditions"]["LOCATION"] = "vgp-renditions"
elif "KEY_PREFIX" in CACHES["renditions"]:
    CACHES["renditions"]["KEY_PREFIX"] += "-renditions"

# --- Background tasks -----------------------------------------------------------------------
TASKS_BACKEND = env_choice("TASKS_BACKEND", ("database", "rq", "immediate"), "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    INSTALLED_APPS.append("django_rq")
    RQ_URL = env_str("RQ_URL", "redis://127.0.0.1:6379/1")
    RQ_QUEUES = {"default": {"URL": RQ_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production, WhiteNoise serves straight from the app and build folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "vgp" / "static", BASE_DIR / "build" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Full-text indexes: derived from the database, one copy per application server, rebuilt with
# `manage.py rebuild_legal_index` and `rebuild_gazette_index` (ADR 0010).
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(VAR_DIR / "search")))
# The Official Gazette publishes a received document within this many days (STANDARDS.md §5).
GAZETTE_PUBLISH_WITHIN_DAYS = env_int("GAZETTE_PUBLISH_WITHIN_DAYS", 15)
# Citizen feedback (ADR 0012): attachments, the proof-of-work challenge, load shedding and
# staff reminders. Rate limits per IP, contact and API key: FEEDBACK_RATE_LIMITS (a dict of
# policy -> (limit, window seconds), see vgp/feedback/rate_limits.py; the counters are
# vgp/core/rate_limits.py) in a settings file.
FEEDBACK_ATTACHMENT_MAX_BYTES = env_int("FEEDBACK_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
FEEDBACK_ATTACHMENT_MAX_COUNT = env_int("FEEDBACK_ATTACHMENT_MAX_COUNT", 5)
FEEDBACK_POW_MAX_NUMBER = env_int("FEEDBACK_POW_MAX_NUMBER", 50_000)
# True: the form refuses a submission without a solved challenge (no-JavaScript browsers
# included); False: without JavaScript it is accepted under a stricter per-IP limit.
FEEDBACK_POW_REQUIRED = env_bool("FEEDBACK_POW_REQUIRED", False)
FEEDBACK_MAX_IN_FLIGHT = env_int("FEEDBACK_MAX_IN_FLIGHT", 8)
FEEDBACK_REMINDER_DAYS = env_int("FEEDBACK_REMINDER_DAYS", 2)
# Submissions through the API are registered by a background task (ADR 0013); each process
# enqueues it at most once per this many milliseconds (0: after every submission).
FEEDBACK_INTAKE_KICK_SECONDS = env_int("FEEDBACK_INTAKE_KICK_MS", 1000) / 1000
# A received submission still unregistered after this long: /healthz reports the registration
# as down and reception's dashboard says so.
FEEDBACK_INTAKE_STALL_SECONDS = env_int("FEEDBACK_INTAKE_STALL_SECONDS", 600)
# Official documents (ADR 0014; the limits of attached files are read in vgp/documents/files.py).
# A register's XLSX or PDF of up to this many rows is made while the browser waits; a longer
# one is made by a background task and listed under "Your exports" on the registers page,
# whose files are removed after this many days (vgp/documents/exports.py).
DOCUMENTS_EXPORT_INLINE_MAX_ROWS = env_int("DOCUMENTS_EXPORT_INLINE_MAX_ROWS", 2000)
DOCUMENTS_EXPORT_KEEP_DAYS = env_int("DOCUMENTS_EXPORT_KEEP_DAYS", 7)
if DOCUMENTS_EXPORT_INLINE_MAX_ROWS < 0 or DOCUMENTS_EXPORT_KEEP_DAYS < 1:
    raise ImproperlyConfigured(
        "DOCUMENTS_EXPORT_INLINE_MAX_ROWS must be 0 or more and DOCUMENTS_EXPORT_KEEP_DAYS 1 or more."
    )
# Official documents API (ADR 0014): calls per API key and per minute (fixed windows on the
# clock, vgp/core/rate_limits.py; the next call is answered 429 with Retry-After; 0 closes the
# door). Registrations (POST /api/v1/documents/incoming) each draw a number under the
# register's lock and may carry 20 files; reads (the list, a document, its timeline) are
# counted together.
DOCUMENTS_API_REGISTRATIONS_PER_MINUTE = env_int("DOCUMENTS_API_REGISTRATIONS_PER_MINUTE", 60)
DOCUMENTS_API_READS_PER_MINUTE = env_int("DOCUMENTS_API_READS_PER_MINUTE", 600)
# Public signature verification (/xac-thuc/, POST /api/v1/signatures/verify; ADR 0015). Trust
# roots: PEM (or DER) files of the certificates whose chains are trusted, paths separated by
# ":" or ","; none by default, so that nothing is trusted until an administrator says so
# (`manage.py check` refuses a path that holds no certificate). Validation never fetches
# anything: revocation is checked against what the PDF carries, or reported as not checked.
SIGNATURE_TRUST_ROOTS = [
    part.strip()
    for part in env_str("SIGNATURE_TRUST_ROOTS", "").replace(",", ":").split(":")
    if part.strip()
]
# Larger files are refused before they are read (the upload is cut off there, in memory).
SIGNATURE_VERIFY_MAX_BYTES = env_int("SIGNATURE_VERIFY_MAX_BYTES", 20 * 1024 * 1024)
# Verifications running at once in one process; more are answered 429 (seconds apart).
SIGNATURE_VERIFY_MAX_IN_FLIGHT = env_int("SIGNATURE_VERIFY_MAX_IN_FLIGHT", 4)
if SIGNATURE_VERIFY_MAX_BYTES < 1 or SIGNATURE_VERIFY_MAX_IN_FLIGHT < 1:
    raise ImproperlyConfigured(
        "SIGNATURE_VERIFY_MAX_BYTES and SIGNATURE_VERIFY_MAX_IN_FLIGHT must be 1 or more."
    )
# Checks per client address, page and API together: SIGNATURE_VERIFY_RATE_LIMITS overrides
# {"ip": (30, 600)} in a settings file (vgp/signatures/rate_limits.py).
# The certification authority and signing (ADR 0016). Private keys are stored encrypted with
# this passphrase (PKCS#8): production refuses to start without one, development derives one
# from SECRET_KEY. Losing it loses every stored key (certificates must then be issued again).
if PRODUCTION:
    SIGNATURE_KEY_PASSPHRASE = env_str("SIGNATURE_KEY_PASSPHRASE")
    if len(SIGNATURE_KEY_PASSPHRASE) < 20:
        raise ImproperlyConfigured("SIGNATURE_KEY_PASSPHRASE must be at least 20 characters.")
else:
    SIGNATURE_KEY_PASSPHRASE = env_str(
        "SIGNATURE_KEY_PASSPHRASE", "dev-signature-keys:" + SECRET_KEY[-24:]
    )
# Where certificates say their CRL, OCSP responder and issuer certificate are published
# (/pki/...); the public address of this installation.
SIGNATURE_PKI_BASE_URL = env_str(
    "SIGNATURE_PKI_BASE_URL", env_str("SITE_BASE_URL", "http://127.0.0.1:8000")
)
# The time-stamp policy our TSA names in its tokens (RFC 3161 § 2.4.2). UNCONFIRMED: an
# agency with its own OID arc sets it; the default sits under the private-enterprise arc
# reserved for documentation (RFC 5612).
SIGNATURE_TSA_POLICY_OID = env_str("SIGNATURE_TSA_POLICY_OID", "1.3.6.1.4.1.32473.1.1")
# A TrueType font with Vietnamese glyphs for visible signatures (built by `make assets`).
SIGNATURE_FONT = env_str(
    "SIGNATURE_FONT", str(BASE_DIR / "build" / "fonts" / "noto-serif" / "NotoSerif_400Regular.ttf")
)
# A hardware token (PKCS#11) for keys that never leave it: the library, the token, its PIN.
SIGNATURE_PKCS11_MODULE = env_str("SIGNATURE_PKCS11_MODULE", "")
SIGNATURE_PKCS11_TOKEN_LABEL = env_str("SIGNATURE_PKCS11_TOKEN_LABEL", "")
SIGNATURE_PKCS11_PIN = env_str("SIGNATURE_PKCS11_PIN", "")
# Public PKI answers (CRL, OCSP, TSA, CA certificates) per client address and minute.
SIGNATURE_PKI_REQUESTS_PER_MINUTE = env_int("SIGNATURE_PKI_REQUESTS_PER_MINUTE", 600)
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", ("local", "s3"), "local")
if MEDIA_STORAGE == "s3":
    _media_backend: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("S3_REGION", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _media_backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Citizens' attachments and other files no one may fetch by URL: outside MEDIA_ROOT (the web
# server never maps it) and served only through views that check permission.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private")))
if MEDIA_STORAGE == "s3":
    _private_backend: dict = {
        **_media_backend,
        "OPTIONS": {**_media_backend["OPTIONS"], "location": "private"},
    }
else:
    _private_backend = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _media_backend,
    "private": _private_backend,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------


def _email_from_url(url: str) -> dict:
    parsed = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps", "smtp+tls"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": parsed.scheme == "smtp+tls" or query.get("tls") == "1",
            "EMAIL_TIMEOUT": int(query.get("timeout", "10")),
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL={url!r}: use console://, smtp://, smtps:// or smtp+tls://."
    )


EMAIL_URL = env_str("EMAIL_URL", "console://")
globals().update(_email_from_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "VGP <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out username+IP pairs before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# Staff must pass a TOTP second factor. Production always enforces it; development and the
# demo may relax it with VGP_REQUIRE_2FA=false so that demo accounts log in with a password.
VGP_REQUIRE_2FA = env_bool("VGP_REQUIRE_2FA", PRODUCTION)
if PRODUCTION and not VGP_REQUIRE_2FA:
    raise ImproperlyConfigured("VGP_REQUIRE_2FA cannot be turned off in production.")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "VGP")

# Throttling of failed logins per username + IP address (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# The project catalogue first, then our Vietnamese translation of Wagtail's admin, whose own vi
# catalogue covers only a small part of it (see vgp/locale_wagtail/README.md).
LOCALE_PATHS = [BASE_DIR / "vgp" / "locale", BASE_DIR / "vgp" / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["vgp.formats"]

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = _("Viet Nam Government Portal")
WAGTAILADMIN_BASE_URL = env_str("SITE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_USER_LOGIN_FORM = "vgp.accounts.forms.StaffLoginForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False  # isolated network: never call out
# Nor let the officials' browsers call out: Wagtail would show each user's Gravatar (a hash of
# their e-mail address sent to gravatar.com on every admin page); its own default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Page slugs in ASCII ("chinh-phu-dien-tu"): addresses people can type, read out and share.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
TAGGIT_CASE_INSENSITIVE = True

# Editorial workflow of the e-newspaper (vgp/news/editorial.py): reporter → section editor →
# editor-in-chief, with comments, "request changes" back to the author, locks and revisions.
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# While an item waits for a review step, only that step's reviewers may edit it (the author is
# locked out until changes are requested). A reviewer's approval covers their own corrections:
# requiring re-approval on edit would send every correction by the editor-in-chief back to the
# section editor.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
# Publishing directly (the editor-in-chief's right) ends a review still in progress.
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
# A manual lock holds against everyone except the person who set it.
WAGTAILADMIN_GLOBAL_EDIT_LOCK = False
# Submission, approval and "request changes" emails go to the reviewers' groups and to the
# author, through Django's email backend; superusers (IT) are not on the news desk.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# The English edition is translated item by item ("Translate"), not mirrored page by page; with
# the tree synchronised, unpublishing a Vietnamese page would also unpublish its translation.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT

# --- Portal ---------------------------------------------------------------------------------
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Directory where the page cache also writes each page as a file for nginx to serve
# (deploy/nginx/vgp.conf, docs/adr/0006); empty = no files.
PAGE_CACHE_DIR = env_str("PAGE_CACHE_DIR", "")
# Scheduled publishing or expiry this many minutes late, or a scheduler silent this long, is
# shown on the editors' dashboard and makes /healthz report the scheduler as down.
SCHEDULED_PUBLISHING_ALERT_MINUTES = env_int("SCHEDULED_PUBLISHING_ALERT_MINUTES", 5)

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", ("debug", "info", "warning", "error"), "info").upper()


def _not_429(record: logging.LogRecord) -> bool:
    return getattr(record, "status_code", None) != 429


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        # Load shedding answers 429 by the hundred a second under a burst: nginx's access log
        # has each one; Django's warning per refusal would cost more than the refusal itself.
        "not_429": {"()": "django.utils.log.CallbackFilter", "callback": _not_429},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"filters": ["not_429"]},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # pyHanko logs every expected refusal (an expired or untrusted certificate) as a
        # warning with its traceback; the verification report says it, the log need not.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

# --- VGP ------------------------------------------------------------------------------------
# The agency that runs this installation (its electronic code); used for defaults and demo data.
# A task waiting longer than this makes /healthz report the queue as down.
HEALTH_TASK_STALL_SECONDS = env_int("HEALTH_TASK_STALL_SECONDS", 600)
# Per-process caches (rules, holiday overrides, API keys) read their shared version at most
# this often (vgp/core/versions.py).
SHARED_VERSION_CHECK_SECONDS = 1.0
VGP_HOME_AGENCY_CODE = env_str("VGP_HOME_AGENCY_CODE", "000.00.00.G22")
