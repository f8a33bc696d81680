"""Settings for the test suite (pytest-django).

The database comes from DATABASE_URL like everywhere else, so the same suite
runs on SQLite (default) and on PostgreSQL (.ci/run sets the URL).
"""

import os
import re

from .base import *  # noqa: F403
from .base import REDIS_URL

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "media" / "test"  # noqa: F405 -- replaced per test by a fixture
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
NEWSROOM_SITE_URL = "http://testserver"

# Tasks run at once, in the test's own thread; tests of the worker itself
# switch to the database backend explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Parallel test workers (pytest-xdist) each get their own Redis database, so
# one worker clearing the cache never touches another's entries.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
if REDIS_URL:
    _db = 8 + int(re.sub(r"\D", "", _worker) or 0) % 8
    CACHES["default"]["LOCATION"] = re.sub(r"(/\d+)?$", f"/{_db}", REDIS_URL.rstrip("/"), count=1)  # noqa: F405
else:
    # Each test process keeps its own cache in memory: tests clear it freely.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"newsroom-tests-{_worker}",
        }
    }
