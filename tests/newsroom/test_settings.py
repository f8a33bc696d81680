"""Production settings refuse to start half-configured; media serving is opt-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_KEY = "k" * 60


def run_with_prod_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy refuses)
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(env)
    environment["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.prod"
    return subprocess.run(  # noqa: S603 -- our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


IMPORT = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "news.example.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "news.example.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS must be set"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must be set"),
    ],
    ids=["no-key", "short-key", "no-hosts", "blank-hosts"],
)
def test_production_settings_refuse_to_start_without_a_secret_key_and_hosts(env, message):
    result = run_with_prod_settings(IMPORT, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_start_with_them_and_pass_the_deploy_checks():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "from django.core.management import call_command;"
        "print(settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND']);"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_with_prod_settings(
        code, SECRET_KEY=GOOD_KEY + "-x7#Qz!", ALLOWED_HOSTS="news.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert "False whitenoise.storage.CompressedManifestStaticFilesStorage" in result.stdout
    assert "System check identified no issues" in result.stdout


# --- media -----------------------------------------------------------------------------


@pytest.fixture
def media_file(settings):
    default_storage.save("renditions/7/abc-320.webp", ContentFile(b"RIFF....WEBP"))
    default_storage.save("images/2026/05/boat.jpg", ContentFile(b"\xff\xd8\xff"))


@pytest.mark.django_db
def test_media_are_not_served_by_django_in_production_by_default(client, settings, media_file):
    settings.DEBUG = False
    settings.NEWSROOM_SERVE_MEDIA = False
    assert client.get("/media/images/2026/05/boat.jpg").status_code == 404


@pytest.mark.django_db
def test_media_served_on_opt_in_with_cache_headers(client, settings, media_file):
    settings.DEBUG = False
    settings.NEWSROOM_SERVE_MEDIA = True

    rendition = client.get("/media/renditions/7/abc-320.webp")
    original = client.get("/media/images/2026/05/boat.jpg")

    assert rendition.status_code == 200
    assert rendition["Content-Type"] == "image/webp"
    assert rendition["Cache-Control"] == "public, max-age=31536000, immutable"
    assert original.status_code == 200
    assert original["Content-Type"] == "image/jpeg"
    assert original["Cache-Control"] == "public, max-age=86400"
    assert client.get("/media/images/nothing.jpg").status_code == 404
    assert client.get("/media/../manage.py").status_code in (400, 404)
    assert client.post("/media/images/2026/05/boat.jpg").status_code == 405


def test_without_redis_every_process_of_the_site_shares_one_cache(tmp_path):
    """A version bumped by one process (the task worker, a gunicorn worker, a
    management command) is what every other process reads next."""
    env = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "news.example.org", "REDIS_URL": ""}
    env["CACHE_DIR"] = str(tmp_path / "cache")
    setup = "import django; django.setup(); from newsroom import cache; "

    first = run_with_prod_settings(setup + "print(cache.get_version('article:1'))", **env)
    bumped = run_with_prod_settings(setup + "cache.bump('article:1')", **env)
    second = run_with_prod_settings(setup + "print(cache.get_version('article:1'))", **env)
    third = run_with_prod_settings(setup + "print(cache.get_version('article:1'))", **env)

    assert first.returncode == bumped.returncode == second.returncode == 0, bumped.stderr
    assert first.stdout.strip().isdigit()
    assert second.stdout != first.stdout
    assert third.stdout == second.stdout


@pytest.mark.parametrize(
    ("threshold", "expected"), [(None, "5"), ("0", "0"), ("off", "None")], ids=str
)
def test_postgresql_prepares_repeated_queries_unless_switched_off(threshold, expected):
    env = {
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "news.example.org",
        "DATABASE_URL": "postgres://newsroom@db.example.org:5432/newsroom",
    }
    if threshold is not None:
        env["DB_PREPARE_THRESHOLD"] = threshold
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "options = settings.DATABASES['default']['OPTIONS']; "
        "print(options['server_side_binding'], options['prepare_threshold'])"
    )

    result = run_with_prod_settings(code, **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", expected]


def test_two_databases_of_one_installation_never_share_cached_fragments():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "cache = settings.CACHES['default']; print(cache.get('KEY_PREFIX') or cache['LOCATION'])"
    )
    base = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "news.example.org"}
    places = {
        run_with_prod_settings(code, **base, **env).stdout.strip()
        for env in (
            {"DATABASE_URL": "sqlite:////tmp/one.sqlite3", "REDIS_URL": ""},
            {"DATABASE_URL": "sqlite:////tmp/two.sqlite3", "REDIS_URL": ""},
            {"DATABASE_URL": "sqlite:////tmp/one.sqlite3", "REDIS_URL": "redis://127.0.0.1:6379/0"},
            {"DATABASE_URL": "sqlite:////tmp/two.sqlite3", "REDIS_URL": "redis://127.0.0.1:6379/0"},
        )
    }
    assert len(places) == 4 and "" not in places
