"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the
environment (see ``prod.py``); with no environment at all the site runs on
SQLite with a local-memory cache.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "reversion",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "newsroom",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL selects the database (postgres://… in production); without it
# the site runs on an SQLite file next to manage.py.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions plus WAL let several processes (web server,
        # task worker) write without "database is locked" errors.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=10000",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
# REDIS_URL selects Redis; errors talking to it are swallowed (logged) so the
# site keeps serving, only slower, when Redis is down.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# --- Background tasks ---------------------------------------------------------
# django-tasks (the backport of Django 6's tasks framework) with its database
# backend: durable, no broker needed. Run the worker with
# ``manage.py db_worker`` (the ``demo`` command starts one for you).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Images: anything larger is refused with a message instead of being decoded.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", 12 * 1024 * 1024))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000))
NEWSROOM_IMAGE_RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- The site itself ----------------------------------------------------------
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom Courier")
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NEWSROOM_SITE_DESCRIPTION = os.environ.get(
    "NEWSROOM_SITE_DESCRIPTION", "Independent news, analysis and opinion."
)
NEWSROOM_PAGE_SIZE = 12
# Client IPs: REMOTE_ADDR is trusted unless the request came through one of
# these proxies (addresses or networks), in which case X-Forwarded-For is read
# right to left, skipping trusted hops.
NEWSROOM_TRUSTED_PROXIES = env_list("NEWSROOM_TRUSTED_PROXIES")

# Shared-cache headers for anonymous pages (see newsroom/http.py).
NEWSROOM_PUBLIC_MAX_AGE = int(os.environ.get("NEWSROOM_PUBLIC_MAX_AGE", "0"))
NEWSROOM_PUBLIC_S_MAXAGE = int(os.environ.get("NEWSROOM_PUBLIC_S_MAXAGE", "300"))
NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE = int(
    os.environ.get("NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE", "30")
)

# --- Comments -----------------------------------------------------------------
NEWSROOM_COMMENT_PROMPT = os.environ.get("NEWSROOM_COMMENT_PROMPT", "What do you think?")
NEWSROOM_COMMENTS_ALLOW_GUESTS = env_bool("NEWSROOM_COMMENTS_ALLOW_GUESTS", True)
NEWSROOM_COMMENT_MAX_DEPTH = 5  # nesting levels, the top level being 1
NEWSROOM_COMMENT_MAX_LENGTH = 5000  # characters
NEWSROOM_COMMENT_MAX_LINKS = 2  # more links than this: held for moderation
NEWSROOM_COMMENT_EDIT_WINDOW = 15 * 60  # seconds during which authors may edit
# "none", "first_time" (until a reader has one approved comment) or "all".
NEWSROOM_COMMENT_PREMODERATION = os.environ.get("NEWSROOM_COMMENT_PREMODERATION", "none")
NEWSROOM_COMMENT_THREADS_PER_PAGE = 50
NEWSROOM_COMMENT_REPLIES_SHOWN = 10  # per thread, before "show N more replies"
NEWSROOM_COMMENT_MIN_SECONDS = 2  # a form posted faster than this is a bot
NEWSROOM_COMMENT_POST_RATE = os.environ.get("NEWSROOM_COMMENT_POST_RATE", "5/m")
NEWSROOM_COMMENT_VOTE_RATE = os.environ.get("NEWSROOM_COMMENT_VOTE_RATE", "60/m")
RATELIMIT_FAIL_OPEN = True  # if the cache is down, serve rather than refuse everyone
# POSTs that may come from a cached page before its script has fetched a CSRF
# token (or with JavaScript off): a CSRF failure there shows a "confirm" form
# with what the reader sent and a fresh token instead of a bare 403.
NEWSROOM_CSRF_CONFIRMABLE = ["comments:post", "comments:vote"]

# --- Related articles ---------------------------------------------------------
# Under each article (articles/recommendations.py). Any key
# may be overridden; the defaults are explained there.
NEWSROOM_RELATED = {
    "COUNT": 5,  # teasers shown (pins first, then computed ones)
    "STORED": 10,  # computed ones kept per article, so that some may go private
    "TAG_WEIGHT": 0.25,  # shared tags, weighted by rarity (0..1), times this
    "SECTION_WEIGHT": 0.2,  # same section: text similarity counts this much more
    "HALF_LIFE_DAYS": 180,  # relevance halves per this many days between them; None: off
    "MAX_AGE_DAYS": None,  # never recommend articles this much older; None: no limit
    "OPINION_UNDER_NEWS": False,  # recommend opinion pieces under news?
    "NEWS_UNDER_OPINION": True,  # recommend news under opinion pieces?
    "MIN_SCORE": None,  # None: calibrated (see MIN_SCORE_Z); a number fixes it
    "MIN_SCORE_Z": 3.5,  # stand out from random pairs by this robust z-score
    "MIN_SCORE_FLOOR": 0.15,  # and never score less than this
}
NEWSROOM_RELATED_CLICK_RATE = os.environ.get("NEWSROOM_RELATED_CLICK_RATE", "60/10m")

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # scripts get the token from /session.json, never the cookie
CSRF_FAILURE_VIEW = "newsroom.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A strict Content-Security-Policy: no inline script, style or handler anywhere
# on the reader site. The admin's editor needs an import map, which is allowed
# there by hash in newsroom/middleware.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_redis": {"level": "WARNING"},
    },
}

TAGGIT_CASE_INSENSITIVE = True

SILENCED_SYSTEM_CHECKS = [
    # The article body is sanitised with bleach on save (articles/html.py),
    # against our own allow-list, rather than by the editor package.
    "django_prose_editor.W004",
]
