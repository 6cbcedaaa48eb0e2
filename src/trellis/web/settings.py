"""Django settings of the Trellis web app: one module, configured by environment variables.

Development (``TRELLIS_DEBUG=1``, as ``make run`` sets it) and production (the default, as
``trellis serve`` runs it) differ only in what the variables below say. Every variable is
documented in ``docs/deploy.md``:

- ``TRELLIS_DEBUG``: ``1`` for development; anything else (or unset) is production.
- ``TRELLIS_SECRET_KEY``: signs sessions and tokens. When unset, a random key is generated once and
  kept in ``<data dir>/secret_key``; several app servers must share one, so set it there.
- ``DATABASE_URL``: ``postgres://user:password@host:5432/name``; unset means SQLite in the data dir.
- ``TRELLIS_DATA_DIR``: where the SQLite database, the secret key and collected static files live
  (default ``<repository>/var`` in a checkout; set it for an installed copy).
- ``TRELLIS_ALLOWED_HOSTS``: comma-separated host names (default ``localhost,127.0.0.1,[::1]``).
- ``TRELLIS_CSRF_TRUSTED_ORIGINS``: comma-separated origins such as ``https://trellis.example.com``.
- ``TRELLIS_HTTPS``: ``1`` (the production default) marks cookies Secure, redirects HTTP to HTTPS
  and sends HSTS; ``0`` to try production mode on plain http://127.0.0.1.
- ``TRELLIS_HSTS_PRELOAD``: ``0`` leaves the ``preload`` directive out of the HSTS header.
- ``TRELLIS_BEHIND_PROXY``: ``1`` when a load balancer that sets ``X-Forwarded-Proto`` and
  ``X-Forwarded-For`` terminates TLS in front of the app.
- ``TRELLIS_EMAIL_HOST`` (SMTP when set; otherwise development writes mails as files to
  ``<data dir>/mail/`` and production prints them to the log), ``TRELLIS_EMAIL_PORT``,
  ``TRELLIS_EMAIL_USER``, ``TRELLIS_EMAIL_PASSWORD``, ``TRELLIS_EMAIL_TLS``, ``TRELLIS_EMAIL_FROM``.
- ``TRELLIS_BASE_URL``: the address people open the app at (``https://trellis.example.com``), for
  links in mails; unset, a link is built from the host of the request that sends it.
- ``TRELLIS_INVITATION_VALID_DAYS``: how many days an invitation's link works (default 7).
- ``TRELLIS_TIME_ZONE``: the company's time zone for dates shown (default UTC).
- ``TRELLIS_BENCHMARK_PAGES``: ``1`` mounts the floor page that ``make bench`` measures beside the
  real pages (``/benchmark/floor/``); off by default, and no part of the product.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from trellis.tabular.isolation import DEFAULT_MEMORY_BYTES, DEFAULT_SECONDS
from trellis.tabular.limits import DEFAULT_LIMITS

WEB_DIR = Path(__file__).resolve().parent
# src/trellis/web → the repository root, where `var/` lives in a checkout.
REPOSITORY_DIR = WEB_DIR.parents[2]


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1 or 0")


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key(data_dir: Path) -> str:
    """The key from the environment, else the one kept in the data dir (created on first use).

    The file is written to a temporary name and linked into place, so two processes starting at
    once (test workers, gunicorn workers) agree on one key instead of racing.
    """
    from_environment = os.environ.get("TRELLIS_SECRET_KEY", "").strip()
    if from_environment:
        return from_environment
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        descriptor, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(64))
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):  # another process was first: use its key
                os.link(temporary, key_file)
        finally:
            os.unlink(temporary)
    return key_file.read_text().strip()


def _create_owner_only(path: Path) -> None:
    """Create `path` empty, readable and writable by its owner only, unless it exists. SQLite takes
    an empty file for a new database and gives its WAL and shared-memory files the database file's
    mode, so all three are 0600."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


DEBUG = _flag("TRELLIS_DEBUG", False)
HTTPS = _flag("TRELLIS_HTTPS", not DEBUG)
BEHIND_PROXY = _flag("TRELLIS_BEHIND_PROXY", False)

DATA_DIR = Path(os.environ.get("TRELLIS_DATA_DIR", "") or REPOSITORY_DIR / "var").resolve()
# Owner only: it holds the secret key and the SQLite database (mkdir's mode applies to the last
# directory, which is the one created here; parents get the usual mode).
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

SECRET_KEY = _secret_key(DATA_DIR)
ALLOWED_HOSTS = _list("TRELLIS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = _list("TRELLIS_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "trellis.web.accounts",
    "trellis.web.audit",
    "trellis.web.people",
    "trellis.web.frameworks",
    "trellis.web.reviews",
    "trellis.web.promotions",
    "trellis.web.notifications",
    "trellis.web.growth",
    "trellis.web.mobility",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so that `runserver` lets WhiteNoise serve static files as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: a body over the limit is refused before any other middleware reads it.
    "trellis.web.middleware.RequestBodyLimit",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Development only (DEBUG): the styled 404 and 400 pages instead of Django's technical ones.
    "trellis.web.error_pages.StyledErrorPages",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside WhiteNoise, so static files keep their one-year cache lifetime.
    "trellis.web.middleware.PrivateNoStore",
    # Every page needs a login unless its view says otherwise (login, password reset).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trellis.web.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "trellis.web.urls"
WSGI_APPLICATION = "trellis.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trellis.web.context_processors.csp_nonce",
                "trellis.web.context_processors.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {
        # Persistent connections with a health check: several app processes each keep a few.
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    SQLITE_PATH = DATA_DIR / "trellis.sqlite3"
    _create_owner_only(SQLITE_PATH)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock when
                # a transaction starts, so two writers queue (for up to `timeout` seconds) instead of
                # one failing with "database is locked" when it upgrades a read lock mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # synchronous=NORMAL is safe with WAL (a power cut may lose the last commits, never
                # corrupt the file) and saves an fsync per transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Request limits (enforced by trellis.web.middleware.RequestBodyLimit) -------------------------

# Any request: ample for the YAML editor's text of a large framework. Django's own check of form
# fields gets the same value; the middleware holds every other body (files, other content types).
REQUEST_BODY_MAX_BYTES = 4 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
# A request to a view that takes a file (`accepts_uploads`): the largest file the spreadsheet
# reader accepts, plus the form's other fields. docs/deploy.md gives the proxy this value.
UPLOAD_REQUEST_BODY_MAX_BYTES = DEFAULT_LIMITS.file_bytes + REQUEST_BODY_MAX_BYTES

# --- Accounts and sessions ------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["trellis.web.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A working day; people sign in again the next morning. Django rotates the session key on login.
SESSION_COOKIE_AGE = 8 * 60 * 60
# Database sessions whose rows name their account, so that a leaver's sessions end in one query.
SESSION_ENGINE = "trellis.web.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and
    # scoped to "/", so a sibling subdomain cannot plant or read it.
    SESSION_COOKIE_NAME = "__Host-trellis_session"
    CSRF_COOKIE_NAME = "__Host-trellis_csrftoken"
else:
    SESSION_COOKIE_NAME = "trellis_session"
    CSRF_COOKIE_NAME = "trellis_csrftoken"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour, in seconds

# Sign-in lockout and password-reset throttle (policy in trellis.web.accounts.throttle; counted in
# the database so that all workers share them). An address limit well above the account limit
# leaves room for an office behind one NAT address.
SIGN_IN_FAILURES_PER_ACCOUNT = 5
SIGN_IN_FAILURES_PER_ADDRESS = 20
SIGN_IN_LOCKOUT_SECONDS = 15 * 60
PASSWORD_RESET_MAILS_PER_ACCOUNT = 3
PASSWORD_RESET_REQUESTS_PER_ADDRESS = 10
PASSWORD_RESET_THROTTLE_SECONDS = 60 * 60

# --- Transport security ---------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload directive only allows a submission to the browsers' preload list; an operator who
    # does not want that sets TRELLIS_HSTS_PRELOAD=0, which also quiets the check that asks for it.
    SECURE_HSTS_PRELOAD = _flag("TRELLIS_HSTS_PRELOAD", True)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
if BEHIND_PROXY:
    # Only safe when the proxy overwrites this header on every request, which is what the
    # deployment guide asks of the load balancer.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Content security policy (django-csp) ---------------------------------------------------------

# Everything from our own origin; scripts also need the per-request nonce. No inline styles: htmx's
# indicator style is switched off in base.html and the indicator is styled in app.css instead.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- Static files ---------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start while it is missing
# The project-wide stylesheet lives beside the settings, not in an app.
STATICFILES_DIRS = [WEB_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves hashed, compressed copies made by `collectstatic` (which `trellis serve`
        # runs first), cached by browsers for a year; development serves the source files.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Background tasks (django-tasks, database queue; `trellis worker` runs them) -----------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

#: A skills heatmap scope (company, family, large team) of at most this many people is computed at
#: once when its stored snapshot is stale; a larger one is refreshed by a task while the page shows
#: the stale snapshot with its date (`growth.heatmap_snapshots`).
HEATMAP_SYNC_LIMIT = 5000

# A people import of more rows than this is checked and applied by a worker, with its progress on
# the page; smaller files are handled within the request. The bulk writer applies a few thousand
# rows a second (`make bench`, people_import), so 200 rows cost a request well under a second; the
# threshold is kept low so that the progress page, not a waiting browser, shows any larger file.
PEOPLE_IMPORT_BACKGROUND_ROWS = 200
# A people import's upload larger than this (bytes) is read by a worker, the job page showing
# "Reading the file"; a smaller one is read within the request, as quick as before.
PEOPLE_IMPORT_BACKGROUND_BYTES = 1024 * 1024
# Every uploaded spreadsheet (people import, framework matrix) is parsed in a child process whose
# address space and wall time are capped; a file that crosses either is refused naming the limit
# and nothing is stored. Room for the interpreter and a 20 MB upload (2 s per MB is the target).
UPLOAD_PARSE_LIMITS = {"memory_bytes": DEFAULT_MEMORY_BYTES, "seconds": DEFAULT_SECONDS}

# --- E-mail ---------------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("TRELLIS_EMAIL_FROM", "Trellis <trellis@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("TRELLIS_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["TRELLIS_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("TRELLIS_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("TRELLIS_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("TRELLIS_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("TRELLIS_EMAIL_TLS", True)
elif DEBUG:
    # `make run`: every mail (invitations, password resets) is a file a newcomer can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
else:
    # Without a mail server, mails are printed where the server logs.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Links in mails start with this (scheme and host); empty: the host of the request sending them.
TRELLIS_BASE_URL = os.environ.get("TRELLIS_BASE_URL", "").strip().rstrip("/")
# How long an invitation's link works (trellis.web.accounts.invitations).
INVITATION_VALID_DAYS = int(os.environ.get("TRELLIS_INVITATION_VALID_DAYS", "") or 7)
if INVITATION_VALID_DAYS < 1:
    raise ImproperlyConfigured("TRELLIS_INVITATION_VALID_DAYS must be at least 1")

# --- Language and time ----------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TRELLIS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# One line per refused request (a 4xx), never its traceback, and never twice: Django's own logging
# (which also prints `django` records to the console in development) is replaced, not added to.
# In development `runserver` writes a line for every request ("GET /nope HTTP/1.1" 404), which is
# the one line of a refused request there; `django.request` then only reports server errors (5xx,
# with their traceback). In production (gunicorn's access log is separate) `django.request` writes
# the one line of each 4xx.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_without_traceback": {"()": "trellis.web.logging.ClientErrorsWithoutTraceback"}
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors_without_traceback"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING", "propagate": False},
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR" if DEBUG else "WARNING",
            "propagate": False,
        },
        # A refused CSRF check is a 403 like any other: the request line says it in development.
        "django.security.csrf": {
            "handlers": ["console"],
            "level": "ERROR" if DEBUG else "WARNING",
            "propagate": False,
        },
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # One line per batch of mails sent (where they went in development), never their links.
        "trellis.mail": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- Benchmark pages ------------------------------------------------------------------------------

# `make bench` sets this to measure a minimal page of the app (trellis.web.benchmark_views) as the
# floor that real pages are compared with; never on in production.
TRELLIS_BENCHMARK_PAGES = _flag("TRELLIS_BENCHMARK_PAGES", False)
