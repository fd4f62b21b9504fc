"""Settings for the Kaluga cluster knowledge base.

Everything that differs between a laptop and production comes from the
environment (12-factor); there is one settings module and no per-environment
copies. With DEBUG off the app refuses to start without a real SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kaluga_cluster.environment import cache_from_url, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must
# bring its own long, random key.
_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, "
            "or DEBUG=true for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "kaluga_cluster.apps.KnowledgeBaseAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "entities",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files (the SVG favicon included) carry the
    # policy too; before the NUL check, so its 400 page carries it as well.
    "csp.middleware.CSPMiddleware",
    "kaluga_cluster.middleware.PermissionsPolicyMiddleware",
    # Before anything looks the address up (static files included).
    "kaluga_cluster.middleware.RejectNullCharactersMiddleware",
    # /healthz and /readyz: before CommonMiddleware validates the Host header
    # (load balancers probe by address), after the security headers are set.
    "kaluga_cluster.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Its process_exception answers 503 + Retry-After when a view cannot reach
    # the database; handler500 does the same for the middleware below.
    "kaluga_cluster.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the
    # lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaluga_cluster.urls"

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

WSGI_APPLICATION = "kaluga_cluster.wsgi.application"

# DATABASE_URL selects the database: SQLite by default, PostgreSQL (psycopg 3)
# with postgres://USER@HOST:PORT/NAME.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # Every request's first query first checks that a kept connection
        # still works and reconnects when it does not (a database restart
        # ends them all), so no request after a restart fails on a stale one.
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Give up connecting after DATABASE_CONNECT_TIMEOUT seconds (libpq waits
    # without limit): a database that does not answer then costs a request a
    # 503 instead of holding a worker for minutes. A timeout in DATABASE_URL
    # (?connect_timeout=) wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (the site) work while an import writes, and with
    # synchronous=NORMAL a commit no longer waits for a disk flush (an import
    # commits once per batch of files). IMMEDIATE transactions take the write lock up
    # front instead of failing with "database is locked" half-way. SQLite's own
    # page cache is 2 MB by default, a connection's at most: with SQLITE_CACHE_MB
    # (64) the import's writer spent 11% less CPU per file at 10,000 articles.
    SQLITE_CACHE_MB = env_int("SQLITE_CACHE_MB", 64, minimum=1)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024};"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL selects Django's cache: local memory per process by default
# (locmem://), Django's built-in Redis cache with redis://HOST:PORT/DB, shared
# by every worker and host. It holds the API's throttle counts and the
# aggregates of the overview and the search facets (kaluga_cluster.cache).
# CACHE_KEY_PREFIX / CACHE_VERSION keep deployments sharing one Redis apart.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", "") or "locmem://",
        key_prefix=os.environ.get("CACHE_KEY_PREFIX", "kaluga"),
        version=env_int("CACHE_VERSION", 1),
    )
}

# A search with more matches than this ranks only its newest this-many matches
# and estimates its count (articles.search.bounds): the price of a fast search
# for words that are in most articles.
SEARCH_RANKING_WINDOW = env_int("SEARCH_RANKING_WINDOW", 5000, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the hashed, compressed files whitenoise serves.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

# Password guessing: django-axes counts failed logins per username and per
# client IP address in the database (so every gunicorn worker sees the same
# count, and no shared cache is needed). After LOGIN_FAILURE_LIMIT failures
# within LOGIN_COOLOFF_MINUTES, further logins for that username, and from
# that address, are refused (429 with the lockout page) until the cool-off has
# passed since the last attempt; a successful login clears the count. The
# API's token authentication never checks passwords and is not affected.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kaluga_cluster.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kaluga_cluster.security.client_ip_address"
# Axes logs every successful login too; the admin's own LogEntry and the
# failure records are enough here.
AXES_DISABLE_ACCESS_LOG = True

# REST API (/api/): anonymous clients read, editors write with a token or a
# session (CSRF enforced). The token class comes first so that an anonymous
# write answers 401 with a WWW-Authenticate header rather than 403.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "kaluga_cluster.renderers.CSVRenderer",
        "kaluga_cluster.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "kaluga_cluster.renderers.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "kaluga_cluster.api.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["kaluga_cluster.api.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "kaluga_cluster.schema.ApiSchema",
    "EXCEPTION_HANDLER": "kaluga_cluster.api.exception_handler",
    # Anonymous clients share a budget per IP address; raise it with
    # API_ANON_THROTTLE_RATE (e.g. "10000/minute" for a fuzzing run).
    "DEFAULT_THROTTLE_CLASSES": ["kaluga_cluster.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_THROTTLE_RATE", "120/minute")},
    # Metric values are JSON numbers, as the OpenAPI schema says.
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kaluga Cluster knowledge base API",
    "DESCRIPTION": (
        "Articles about the Kaluga pharmaceutical cluster and the organisations, people, "
        "programs and metrics extracted from them.\n\n"
        "* Anonymous clients read; editors write with `Authorization: Token <key>` "
        "(`manage.py drf_create_token <user>`) or a session (CSRF enforced). Writes mark "
        "the record as curated: later imports never overwrite it.\n"
        "* Lists are paginated (`page`, `page_size`; `page_size` above 100 is capped to "
        "100) and answer JSON or CSV (`?format=csv` or `Accept: text/csv`).\n"
        "* Unknown query parameters and malformed values answer 400 naming the parameter. "
        "Every error body has a `detail` message; validation errors add `errors` by field.\n"
        "* Every GET answers a strong `ETag` (`If-None-Match`: 304); `If-Match` on a write "
        "answers 412 when the record changed since. `fields`/`brief` choose the fields; "
        "`updated_since` makes a list a changes feed, and `/api/deletions/` says what left."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kaluga_cluster.schema.csv_responses_are_text",
        "kaluga_cluster.linked_data.linked_data_responses_are_objects",
        "kaluga_cluster.api_fields.selected_fields_are_partial",
        "kaluga_cluster.schema.unicode_slugs_unconstrained",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "entities.models.Organisation.Kind",
        "ProgramKindEnum": "entities.models.Program.Kind",
    },
}

# Production hardening. Each switch can be turned off from the environment
# (for example SECURE_SSL_REDIRECT=false behind a TLS-terminating proxy that
# already redirects), but the defaults with DEBUG off pass `check --deploy`.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health endpoints over plain HTTP (paths without the
# leading slash; HealthCheckMiddleware answers them).
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)/?$"]
# Behind one reverse proxy that terminates TLS: trust its X-Forwarded-Proto,
# and take the client's address from its X-Forwarded-For (login throttling).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp): nothing inline, no
# eval, nothing from another origin. The site uses no JavaScript and no inline
# style; the admin (Django 5.2) loads its scripts and styles from files and
# passes data in data- attributes; the API explorer is Swagger UI with its
# init script served as a file (SpectacularSwaggerSplitView). Swagger UI's
# stylesheet draws a few icons (select arrows, copy button) as data: URIs,
# hence img-src data:. DRF's browsable API adds the hashes of its templates'
# fixed inline styles to style-src (kaluga_cluster.renderers).
# django-csp rather than a hand-set header: Django 6's built-in CSP grew out
# of it (same directive dictionary, so the upgrade is a rename), and it brings
# per-response updates, decorators and nonces for narrow exceptions.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        # Swagger UI fetches the schema and sends "Try it out" requests.
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Browser features the site never uses, switched off for every page
# (kaluga_cluster.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# The largest article file import_seeds reads. News articles are a few kB to a
# few dozen; a far larger file (a dump, a book, a mistake) is refused unread
# rather than stalling the run (256 KiB crowded with names extracts in ~3 s).
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", str(256 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
