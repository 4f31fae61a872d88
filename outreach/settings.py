"""Settings for the outreach programme system.

Everything that differs between a laptop and production comes from the
environment (healthchecks-style): DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for a development key).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "outreach",
    "pairings",
    "visits",
    "reports",
    "notices",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (settings below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, saving the session when it changed or its expiry is due to move, never for a page's own polling.
    "outreach.middleware.SessionMiddleware",
    "outreach.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL or an over-long GET value is a 400 before any view (outreach/middleware.py).
    "outreach.middleware.ParameterCheckMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "outreach.window.KeptWindowMiddleware",
    # A reports page's GET reads the replica when DATABASE_REPLICA_URL is set (outreach/routers.py).
    "outreach.routers.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "outreach.urls"
WSGI_APPLICATION = "outreach.wsgi.application"

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
                "outreach.context_processors.role",
                "outreach.context_processors.site_day",
                "notices.context_processors.unread_notices",
                "jobs.context_processors.running_jobs",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Background jobs write their progress through a second connection to the same database, so the
# progress bar moves while the work's own transaction (an import's confirm) is still open.
DATABASES["jobs"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. A transaction takes the write lock as it begins (IMMEDIATE): a job's
    # long transaction (an import) and a short write elsewhere wait for each other, where a transaction that
    # had only read would fail at its first write ("database is locked"). The jobs connection (progress,
    # heartbeats) gives up at once instead, and tries again at its next report.
    # In WAL mode readers never wait for the writer: the job's page and its JSON read on while a job writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    DATABASES["jobs"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "timeout": 0.05}
# Reads of the reports pages from a PostgreSQL replica (hot standby) when DATABASE_REPLICA_URL is set
# (outreach/routers.py; README "Deploying"): every write, every other page, a report's POST and anything inside
# a transaction read and write the primary ("default"). Unset: one database, no router.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["outreach.routers.ReplicaRouter"]
# Behind PgBouncer in transaction mode a server-side cursor cannot outlive its transaction (README): set
# DISABLE_SERVER_SIDE_CURSORS=1 there. CONN_HEALTH_CHECKS=1 checks a kept connection before a request reuses it.
for _database in DATABASES.values():
    _database["DISABLE_SERVER_SIDE_CURSORS"] = envbool("DISABLE_SERVER_SIDE_CURSORS")
    _database["CONN_HEALTH_CHECKS"] = envbool("CONN_HEALTH_CHECKS")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user with their profile and agency in one query (per request).
    "outreach.roles.ProfileModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"


def cache_from_url(url: str) -> dict:
    """Django's CACHES entry for CACHE_URL: `redis://host:port/db` (or `rediss://`, `unix://`) is Redis,
    `locmem://` or empty this process's memory, `dummy://` no cache."""
    if url in ("", "locmem://") or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url[len("locmem://") :]}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "outreach"}
    if url == "dummy://":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be redis://, rediss://, unix://, locmem:// or dummy://, not {url!r}.")


# The cache: local memory by default (per process), Redis in production (CACHE_URL=redis://127.0.0.1:6379/1).
# Nothing a permission depends on is cached across requests.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {"default": cache_from_url(CACHE_URL)}

# Sessions end after 30 minutes without a request (clerks share office machines). The row is not written on
# every request: outreach.middleware.SessionMiddleware saves it when it changed or when SESSION_REFRESH_SECONDS
# have passed since its last save, so a session ends between SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS and
# SESSION_COOKIE_AGE after the last request, never later.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: lock a username from one address, so that one office behind a
# shared address is not locked out as a whole by a single clerk's typos.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies the client's address is read from X-Forwarded-For: TRUSTED_PROXY_COUNT is the
# number of proxies in front of Django that each append the address they saw (the README's nginx recipe: 1).
# 0 (the default, no proxy): REMOTE_ADDR. Entries a client wrote into the header itself are never read.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "outreach.client_ip.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A year, as the browsers' preload list requires; a shorter SECURE_HSTS_SECONDS drops preload
    # (and `check --deploy` then says so).
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS >= 60 * 60 * 24 * 365
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only (vendored
# under static/), no inline script or style attribute, no plug-ins, no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Names shown in the interface.
SITE_TITLE = _("Year of Agency Party Building Serving the Grassroots")

# A demo or training site runs at a fixed day (ISO date, e.g. 2014-07-31): deadlines, reminders and
# the default year behave as on that day, and every page shows a banner. Unset in production.
SITE_TODAY = os.environ.get("SITE_TODAY", "") or None

# E-mail (notifications, reminders): the console in development, SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "outreach@localhost")
# The site's address, for the links in e-mails (e.g. https://outreach.example.gov.cn); unset: mails name no link.
SITE_URL = os.environ.get("SITE_URL", "")

# Excel import (issue 6): an uploaded workbook's size and each record sheet's rows are capped,
# so a huge or hostile file is refused with a message instead of tying up the server.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "50000"))
# Checked before openpyxl parses a part (issue 14), from the zip's directory and a byte scan of each sheet:
# what the parts unpack to in all, the shared strings, each sheet and each other XML part; the columns a
# sheet may use; the cells (header width × rows) of an upload; and the seconds the whole check may take.
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
IMPORT_MAX_SHARED_STRINGS_BYTES = int(os.environ.get("IMPORT_MAX_SHARED_STRINGS_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_SHEET_BYTES = int(os.environ.get("IMPORT_MAX_SHEET_BYTES", str(100 * 1024 * 1024)))
IMPORT_MAX_PART_BYTES = int(os.environ.get("IMPORT_MAX_PART_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "64"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "2000000"))
IMPORT_MAX_SHARED_STRINGS = int(os.environ.get("IMPORT_MAX_SHARED_STRINGS", "1000000"))  # distinct texts
# A workbook that checks slower than this is refused (the check runs as a job, with its own JOBS_TIME_LIMIT).
IMPORT_CHECK_SECONDS = float(os.environ.get("IMPORT_CHECK_SECONDS", "90"))
# Django refuses larger request bodies before any view runs; leave room for the form around the file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

# Uploaded workbooks are kept for a while, then removed by `manage.py cleanup_uploads` (daily from cron):
# a refused upload's bytes are dropped on its next run (its row and messages stay), any upload older than
# IMPORT_KEEP_DAYS is deleted (an imported one keeps its row, without the bytes, as the record of the
# import), and the workbooks still kept never exceed IMPORT_KEEP_BYTES in all (the oldest go first).
IMPORT_KEEP_DAYS = int(os.environ.get("IMPORT_KEEP_DAYS", "30"))
IMPORT_KEEP_BYTES = int(os.environ.get("IMPORT_KEEP_BYTES", str(500 * 1024 * 1024)))

# Background jobs (docs/jobs.md): the Django tasks API (django-tasks, the backport of Django 6's framework).
# TASKS_BACKEND=database (default): jobs are rows in this database, run by `manage.py db_worker`
# (several workers side by side each take a job once). TASKS_BACKEND=rq: Redis at REDIS_URL, run by
# `manage.py rqworker --job-class django_tasks_rq.Job <queue>`. TASKS_BACKEND=immediate: run in the request
# (the test suite).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "default")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# "default" stays a valid queue whatever JOBS_QUEUE names: the task is declared on it (jobs.runner) and sent to JOBS_QUEUE.
JOBS_QUEUES = sorted({"default", JOBS_QUEUE})
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1} for name in JOBS_QUEUES}  # JOBS_TIME_LIMIT applies
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": JOBS_QUEUES,
    }
}
# "process": each job in a child process under the limits below (the worker survives a job that exceeds
# them); "inline": in the worker itself, without limits (tests).
JOBS_ISOLATION = os.environ.get("JOBS_ISOLATION", "process")
JOBS_TIME_LIMIT = float(os.environ.get("JOBS_TIME_LIMIT", str(30 * 60)))  # seconds of wall-clock time per job
JOBS_MEMORY_LIMIT_MB = int(os.environ.get("JOBS_MEMORY_LIMIT_MB", "2048"))  # address space per job (0: none)
JOBS_MAX_PER_AGENCY = int(os.environ.get("JOBS_MAX_PER_AGENCY", "3"))  # queued or running at once
JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", "7"))  # result files, then `manage.py cleanup_jobs`
JOBS_PRUNE_DAYS = int(os.environ.get("JOBS_PRUNE_DAYS", "90"))  # finished jobs' rows (0: keep)
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "2"))
JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", "60"))  # no heartbeat for this long: worker lost
JOBS_CANCEL_GRACE_SECONDS = float(os.environ.get("JOBS_CANCEL_GRACE_SECONDS", "10"))
JOBS_PROGRESS_INTERVAL = float(os.environ.get("JOBS_PROGRESS_INTERVAL", "0.5"))
JOBS_DATABASE = os.environ.get("JOBS_DATABASE", "jobs")
JOBS_TMPDIR = os.environ.get("JOBS_TMPDIR") or None  # the system's temporary directory
# List downloads of more rows than this run as a job; smaller ones are written in the request.
JOBS_LIST_THRESHOLD = int(os.environ.get("JOBS_LIST_THRESHOLD", "2000"))
