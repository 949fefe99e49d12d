"""Settings of the KKS Portal, read from environment variables.

Two profiles, chosen by ``KKS_ENV``:

* ``development`` (default): everything embedded. SQLite in ``var/``, media on local disk, a
  Celery broker kept in files (kombu's filesystem transport) so that a real worker runs without
  any server, e-mail printed to the console.
* ``production``: PostgreSQL (``DATABASE_URL``), Redis (``REDIS_URL``: broker, results, cache),
  S3-compatible storage when ``S3_BUCKET_NAME`` is set, required ``SECRET_KEY`` and
  ``ALLOWED_HOSTS``, secure cookies and HSTS.

Every variable is listed in README.md. Bad values stop the process at start.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kks_portal.lib.envconf import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
_env = environ.Env()

KKS_ENV = env_choice("KKS_ENV", ["development", "production"], "development")
PRODUCTION = KKS_ENV == "production"

# Writable state of the embedded profile: database, media, broker queue, cache.
VAR_DIR = Path(env_str("KKS_VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when KKS_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
else:
    # A fixed key is fine for a portal that only listens on this machine with demo data.
    SECRET_KEY = env_str("SECRET_KEY", "development-only-insecure-key-do-not-use-in-production-kks")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    # Our apps, in the direction dependencies point (see docs/ARCHITECTURE.md, "Layers").
    "regions",
    "accounts",
    "tatanan",
    "indicators",
    "forums",
    "evidence",
    "dossiers",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Indonesian unless the user chose English with the switch; the browser's language is ignored.
    "kks_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login that django-axes refused into the lockout page or API error.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kks_portal.urls"
WSGI_APPLICATION = "kks_portal.wsgi.application"

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
                "kks_portal.navigation.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
if PRODUCTION:
    _database_url = env_str("DATABASE_URL")
else:
    _database_url = env_str("DATABASE_URL", _default_sqlite)
try:
    _db = _env.db_url_config(_database_url)
except Exception as exc:  # django-environ raises several kinds on a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
_engine = _db.get("ENGINE", "")
if _engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL.")
if PRODUCTION and _engine != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production needs PostgreSQL: set DATABASE_URL=postgres://…")
if _engine == "django.db.backends.sqlite3":
    _db_path = Path(_db["NAME"])
    _db_path.parent.mkdir(parents=True, exist_ok=True)
    # The web process and the Celery worker write at once: WAL lets readers go on during a
    # write, IMMEDIATE transactions take the write lock up front (no mid-transaction
    # "database is locked"), and the timeout makes a writer wait for the other.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not memory, so that a test-run's Celery worker sees the same test database.
    _db["TEST"] = {"NAME": str(_db_path.with_name("test-" + _db_path.name))}
else:
    _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", None)
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("Production needs Redis: set REDIS_URL=redis://…")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis:// or rediss://.")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    _queue_dir = Path(env_str("CELERY_FILESYSTEM_DIR", str(VAR_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport with atomic message writes (kks_portal/lib/filesystem_broker.py).
    CELERY_BROKER_TRANSPORT = "kks_portal.lib.filesystem_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
        # Look for the next message every 0.1 s (kombu's 1 s made each task of a dossier compile
        # wait up to a second for the worker to notice it). Redis needs no polling.
        "polling_interval": 0.1,
    }
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery-results'}"

CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "accounts.tasks.clear_expired_sessions", "schedule": 24 * 3600},
    # 07:00 WIB: remind every OPD past its deadline (skips OPDs already reminded that day).
    "remind-overdue-data-requests": {"task": "indicators.tasks.remind_overdue", "schedule": crontab(hour=7, minute=0)},
    # Uploads a dead process left half-way (a pending blob and perhaps its file) are removed.
    "sweep-stale-uploads": {"task": "evidence.tasks.sweep_stale_uploads", "schedule": 15 * 60},
    # Dossier compiles whose worker died (no progress for DOSSIER_COMPILE_STALE_MINUTES) are sent again.
    "resume-stale-dossier-compiles": {"task": "dossiers.tasks.resume_stale_compiles", "schedule": 5 * 60},
    # 07:00 WIB: remind province verifiers of dossiers still awaiting them as the province deadline nears.
    "remind-dossier-province-deadlines": {
        "task": "dossiers.notifications.remind_province_deadlines",
        "schedule": crontab(hour=7, minute=0),
    },
    # Hourly (a 48-hour window would slip between daily runs): correction windows closing soon.
    "remind-dossier-correction-windows": {
        "task": "dossiers.notifications.remind_correction_windows",
        "schedule": crontab(minute=5),
    },
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Login lockout (django-axes) ------------------------------------------------------------
# How many proxies stand in front of the portal, each adding its peer to X-Forwarded-For; 0 means
# gunicorn is reached directly and the header is ignored. kks_portal/lib/client_ip.py reads it.
KKS_TRUSTED_PROXIES = env_int("KKS_TRUSTED_PROXIES", 0, minimum=0)
# After this many failed logins within the cooldown, an account (by username, from any address)
# is locked for the cooldown, counted from the failure that reached the limit; an address (for
# any username) after its own, larger number: a whole office behind one address shares it, and
# five typos across the office must not lock everyone out. Tries while locked are refused without
# being counted, so they do not prolong the lock. Web login, admin login and the API token count.
KKS_LOGIN_FAILURE_LIMIT = env_int("KKS_LOGIN_FAILURE_LIMIT", 5, minimum=1)
KKS_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("KKS_LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
if KKS_LOGIN_ADDRESS_FAILURE_LIMIT < KKS_LOGIN_FAILURE_LIMIT:
    raise ImproperlyConfigured("KKS_LOGIN_ADDRESS_FAILURE_LIMIT must not be below KKS_LOGIN_FAILURE_LIMIT.")
KKS_LOGIN_COOLDOWN_MINUTES = env_int("KKS_LOGIN_COOLDOWN_MINUTES", 15, minimum=1)
AXES_FAILURE_LIMIT = KKS_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=KKS_LOGIN_COOLDOWN_MINUTES)
# Per username always; per address too once the address reached its own limit (accounts/lockout.py).
AXES_LOCKOUT_PARAMETERS = "accounts.lockout.lockout_parameters"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login does not clear the count (axes' default, stated): else a guesser with an
# account of their own would log into it now and then to clear their address's count.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "kks_portal.lib.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# axes masks usernames and addresses in its log lines by default; an admin reading the log of a
# lockout needs both (passwords stay masked).
AXES_SENSITIVE_PARAMETERS: list[str] = []

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files and media -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles" if PRODUCTION else VAR_DIR / "static")))
if not PRODUCTION:
    # WhiteNoise serves from the finders in development but warns when this folder is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Media is never served at a public URL: downloads go through views that check scope.
MEDIA_URL = "/media-not-served/"

S3_BUCKET_NAME = env_str("S3_BUCKET_NAME", None)
if S3_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET_NAME,
            "endpoint_url": env_str("S3_ENDPOINT_URL", None),
            "access_key": env_str("S3_ACCESS_KEY_ID", None),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", None),
            "region_name": env_str("S3_REGION", None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads larger than the line above stream to files here (swept with stale uploads).
FILE_UPLOAD_TEMP_DIR = Path(env_str("FILE_UPLOAD_TEMP_DIR", str(VAR_DIR / "upload-tmp")))
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_TEMP_DIR = str(FILE_UPLOAD_TEMP_DIR)

# --- Evidence uploads and downloads ---------------------------------------------------------
# The largest evidence file accepted, in megabytes (checked while the upload streams in).
EVIDENCE_MAX_UPLOAD_MB = env_int("EVIDENCE_MAX_UPLOAD_MB", 250, minimum=1)
# Images with more pixels than this are refused as decompression bombs.
EVIDENCE_MAX_IMAGE_PIXELS = env_int("EVIDENCE_MAX_IMAGE_PIXELS", 80_000_000, minimum=1_000_000)
# DOCX/XLSX whose parts unpack to more than this (MB) are refused as zip bombs.
EVIDENCE_MAX_UNPACKED_MB = env_int("EVIDENCE_MAX_UNPACKED_MB", 512, minimum=1)
# A pending upload older than this (minutes) is a dead process's leftover and is swept.
EVIDENCE_STALE_UPLOAD_MINUTES = env_int("EVIDENCE_STALE_UPLOAD_MINUTES", 60, minimum=1)
# Behind nginx (X-Accel-Redirect) or Apache/lighttpd (X-Sendfile) the web server sends the file
# after our view has checked scope; "none" streams it from Django.
DOWNLOAD_ACCEL = env_choice("DOWNLOAD_ACCEL", ["none", "nginx", "sendfile"], "none")
# nginx: the internal location that maps to MEDIA_ROOT (e.g. `location /protected/ { internal; alias …; }`).
DOWNLOAD_ACCEL_PREFIX = env_str("DOWNLOAD_ACCEL_PREFIX", "/protected/")

# --- Dossiers (dokumen penilaian) ----------------------------------------------------------
# Evidence PDFs are embedded in a dossier as attachments up to this total (MB); the rest are
# listed in its attachment index with their SHA-256 but not embedded (keeps PDF and memory bounded).
DOSSIER_ATTACHMENTS_MAX_MB = env_int("DOSSIER_ATTACHMENTS_MAX_MB", 150, minimum=0)
# A compile that has made no progress for this long is taken as dead: the periodic task sends it
# again (up to 3 times in all), and a new compile asked for meanwhile replaces it.
DOSSIER_COMPILE_STALE_MINUTES = env_int("DOSSIER_COMPILE_STALE_MINUTES", 10, minimum=1)
# The public verification page hashes a PDF in the visitor's browser and receives only its SHA-256.
# Browsers without JavaScript upload the file: accepted up to the largest finished dossier version,
# never above this size (MB), and at most this many uploads per client address an hour.
DOSSIER_VERIFY_MAX_UPLOAD_MB = env_int("DOSSIER_VERIFY_MAX_UPLOAD_MB", 400, minimum=1)
DOSSIER_VERIFY_UPLOADS_PER_HOUR = env_int("DOSSIER_VERIFY_UPLOADS_PER_HOUR", 10, minimum=1)
# Province verifiers are reminded daily of dossiers awaiting them from this many days before the
# cycle's province deadline; Bappeda is reminded once when its correction window closes within
# this many hours.
DOSSIER_PROVINCE_REMINDER_DAYS = env_int("DOSSIER_PROVINCE_REMINDER_DAYS", 7, minimum=0)
DOSSIER_CORRECTION_REMINDER_HOURS = env_int("DOSSIER_CORRECTION_REMINDER_HOURS", 12, minimum=1)

# --- E-mail -------------------------------------------------------------------------------------
try:
    _email = _env.email_url_config(env_str("EMAIL_URL", "consolemail://"))
except Exception as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid e-mail URL: {exc}") from exc
EMAIL_BACKEND = _email.pop("EMAIL_BACKEND")
for _key, _value in _email.items():
    globals()[_key] = _value
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "KKS Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the upload widgets read it to send CSRF headers
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # gunicorn sits behind a TLS-terminating proxy that sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Content-Security-Policy ----------------------------------------------------------------
# Every HTML page gets this policy (django-csp's middleware). Scripts come only from our own
# static files: no inline <script> blocks, no on*="..." handlers (static/js/portal.js wires
# data-autosubmit and friends), no eval. Page data travels in data-* attributes or json_script,
# which is data, not script. Styles are as strict: no style="..." attributes either (widths that
# depend on data are set by static/js/portal.js through the CSSOM, which CSP does not govern).
# A template that truly needs an inline script can take {{ request.csp_nonce }}: the nonce is
# added to script-src only on responses that used it.
# Responses that already carry a Content-Security-Policy keep theirs: file downloads set a
# stricter one (kks_portal/lib/files/responses.py). DRF's browsable API pages, and only those, allow
# inline styles (kks_portal/lib/api_renderers.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # data: for the SVG icons in Bootstrap's and Swagger UI's CSS. No blob: — the upload
        # widgets show no local previews (static/js/evidence-upload.js); add it if one ever does.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Forms and API --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes unauthenticated calls answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The browsable API's pages need inline styles under the CSP (see the module).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "kks_portal.lib.api_renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Documents every error an operation can answer, in the one error shape.
    "DEFAULT_SCHEMA_CLASS": "kks_portal.lib.api_schema.ApiAutoSchema",
    # Decimals (scores, percentages, coordinates, budgets) are JSON numbers, as the schema says.
    "COERCE_DECIMAL_TO_STRING": False,
    "EXCEPTION_HANDLER": "kks_portal.lib.api_errors.exception_handler",
    # Only views that name a throttle scope are throttled; the token endpoint is the one
    # anonymous door, so it is the one that needs a brake on password guessing.
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_TOKEN_THROTTLE", "20/min"),
        # The password reset page (accounts/views.py), per client address and per e-mail address.
        "password_reset_address": "10/hour",
        "password_reset_email": "3/hour",
    },
    # Project throttles call kks_portal.lib.client_ip (kks_portal/lib/throttling.py); this makes
    # DRF's own get_ident, should a throttle bypass those, read the same header the same way.
    "NUM_PROXIES": KKS_TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KKS Portal API",
    "DESCRIPTION": "API of the Kabupaten/Kota Sehat portal. Every list is limited to the caller's scope.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The tiers appear on a cycle's rules and as an assessment's category: one enum, one name.
    "ENUM_NAME_OVERRIDES": {"TierEnum": "tatanan.models.TierRule.Tier"},
}

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", ["DEBUG", "INFO", "WARNING", "ERROR"], "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO: one line per step per dossier chapter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Portal -------------------------------------------------------------------------------------
# The portal's public address, for links in e-mails sent by scheduled tasks (no request there).
KKS_BASE_URL = env_str("KKS_BASE_URL", "http://127.0.0.1:8000/")
# Where the Kemendagri region files are read by `manage.py import_wilayah`.
WILAYAH_DATA_DIR = BASE_DIR / "regions" / "data" / "wilayah"
