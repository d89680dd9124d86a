"""Settings for Improvement Tracker, read from the environment.

Every setting a deployment changes comes from an environment variable; the defaults suit a
developer's machine (SQLite file, DEBUG off unless asked for). See README.md "Production".
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
TESTING = "pytest" in sys.modules
# Demo mode shows the demo accounts on the login page and marks every page as illustrative.
DEMO_MODE = env_bool("DEMO_MODE")
# Without SECRET_KEY the dev key is used; `check --deploy` then fails, so production cannot miss it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "improvement",
    "plans",
    "measures",
    "governance",
]

MIDDLEWARE = [
    # First: /health/live and /health/ready answer load balancer probes before anything else (no host check,
    # no HTTPS redirect, no session, no request log).
    "improvement.health.HealthCheckMiddleware",
    "improvement.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "improvement.security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "improvement.security.SecurityHeadersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "improvement.urls"

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
                "improvement.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "improvement.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection the database server dropped (restart, failover) is replaced, not failed on.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests writing at once must queue, not fail with "database is locked": a transaction that reads then
    # writes cannot take the write lock while another holds it, so each takes it as it begins (select_for_update
    # does nothing on SQLite), and waits up to 20 s for it.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20,
                                       **DATABASES["default"].get("OPTIONS", {})}
else:
    # An unreachable database server fails a request (and /health/ready) in seconds rather than hanging it.
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": 5, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while locked out, before the password is checked
    "django.contrib.auth.backends.ModelBackend",
    "improvement.sso.EntraIDBackend",  # does nothing unless ENTRA_TENANT_ID and ENTRA_CLIENT_ID are set
]
# Five wrong passwords for one username from one address lock that pair out for 15 minutes; the answer
# is the same whether or not the username exists.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: REMOTE_ADDR, or behind the proxy the one it appended to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "improvement.security.client_ip"
BEHIND_PROXY = env_bool("BEHIND_PROXY")
PROXY_COUNT = max(1, int(os.environ.get("PROXY_COUNT", "1")))
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(10 * 60 * 60)))
LOGIN_URL = "login"

# Single sign-on with Microsoft Entra ID (see improvement/sso.py and README "Single sign-on").
ENTRA_TENANT_ID = os.environ.get("ENTRA_TENANT_ID", "")
ENTRA_CLIENT_ID = os.environ.get("ENTRA_CLIENT_ID", "")
ENTRA_CREATE_USERS = env_bool("ENTRA_CREATE_USERS")
ENTRA_AUTHORITY = os.environ.get("ENTRA_AUTHORITY", "https://login.microsoftonline.com").rstrip("/")
OIDC_RP_CLIENT_ID = ENTRA_CLIENT_ID
OIDC_RP_CLIENT_SECRET = os.environ.get("ENTRA_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile email"
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ENTRA_AUTHORITY}/{ENTRA_TENANT_ID}/oauth2/v2.0/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{ENTRA_AUTHORITY}/{ENTRA_TENANT_ID}/oauth2/v2.0/token"
OIDC_OP_JWKS_ENDPOINT = f"{ENTRA_AUTHORITY}/{ENTRA_TENANT_ID}/discovery/v2.0/keys"
OIDC_OP_USER_ENDPOINT = "https://graph.microsoft.com/oidc/userinfo"  # unused: tid and oid come from the ID token
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
SIMPLE_HISTORY_REVERT_DISABLED = True  # see plans.audited_admin.AuditedAdmin
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "the council's children's services performance team")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Evidence files: local disk (MEDIA_ROOT) for one server; with several, Azure Blob Storage or S3-compatible
# storage. Either way a file reaches only a signed-in person, streamed through plans.progress_views.evidence_file:
# the container or bucket stays private and no file URL is ever handed out.
AZURE_STORAGE_CONNECTION_STRING = os.environ.get("AZURE_STORAGE_CONNECTION_STRING", "")
AZURE_STORAGE_ACCOUNT_NAME = os.environ.get("AZURE_STORAGE_ACCOUNT_NAME", "")
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_NAME:
    FILE_STORAGE = {
        "BACKEND": "storages.backends.azure_storage.AzureStorage",
        "OPTIONS": {
            "connection_string": AZURE_STORAGE_CONNECTION_STRING or None,
            "account_name": AZURE_STORAGE_ACCOUNT_NAME or None,
            "account_key": os.environ.get("AZURE_STORAGE_ACCOUNT_KEY") or None,
            "azure_container": os.environ.get("AZURE_STORAGE_CONTAINER", "evidence"),
            "timeout": int(os.environ.get("STORAGE_TIMEOUT_SECONDS", "20")),
            "overwrite_files": False,
        },
    }
elif S3_BUCKET:
    FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,  # the bucket's own (private) policy, never public-read
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {
        # Production serves hashed, compressed copies made by `collectstatic`; development and tests
        # serve the files straight from the apps' static folders.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# The council running the tracker: shown in the header instead of any GOV.UK branding.
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Knowsley Council")
SERVICE_NAME = "Improvement Tracker"

# One cache for every app server with REDIS_URL (e.g. Azure Cache for Redis: rediss://:KEY@NAME.redis.cache.windows.net:6380/0);
# without it, each process keeps its own. Nothing cached is trusted without checking the database: the public page's
# key names the plan's last recorded change, so a change made through any server is seen by all of them at once.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "improvement"),
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions stay in the database (Django's default), shared by every server: a cache may evict or lose them,
# and a session is written at most once a minute (improvement.security.SessionTimeoutMiddleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "improvement-tracker@localhost")

DJANGO_TABLES2_TEMPLATE = "includes/_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# Security. HTTPS=1 in production turns on everything that needs TLS in front of the app.
HTTPS = env_bool("HTTPS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# One JSON object per line on standard error (what App Service and Container Apps collect), including one line
# per request from improvement.requestlog.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "improvement.requestlog.JsonLinesFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Action updates: an action with no update for longer than this many days shows "Update due".
ACTION_UPDATE_DUE_DAYS = int(os.environ.get("ACTION_UPDATE_DUE_DAYS", "35"))
# Reminders list actions due within this many days.
ACTION_DUE_SOON_DAYS = 30
# Evidence uploads: what a service manager may attach to an update.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Per update (one request): checked as the request is read, so a file past them is never stored.
EVIDENCE_MAX_FILES = int(os.environ.get("EVIDENCE_MAX_FILES", "10"))
EVIDENCE_MAX_TOTAL_BYTES = int(os.environ.get("EVIDENCE_MAX_TOTAL_BYTES", str(25 * 1024 * 1024)))
EVIDENCE_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "png", "jpg", "jpeg"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Measures: how far short of the target still counts as amber, in the measure's unit, unless the
# measure sets its own tolerance.
MEASURE_RAG_TOLERANCE_DEFAULT = float(os.environ.get("MEASURE_RAG_TOLERANCE_DEFAULT", "2"))
# Figure imports: the largest file accepted, and the most its zip may expand to (zip bombs).
FIGURES_IMPORT_MAX_BYTES = int(os.environ.get("FIGURES_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
FIGURES_IMPORT_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
FIGURES_IMPORT_MAX_ZIP_RATIO = 100
