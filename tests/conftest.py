"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.cache import cache

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Each test writes uploads to its own folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


SEED_MIGRATIONS = [
    # (module, function): data migrations whose rows tests rely on.
    ("articles.migrations.0002_article_types_and_roles", "seed"),
    ("comments.migrations.0002_moderator_permissions", "grant"),
]


@pytest.fixture(autouse=True)
def _restore_seed_data(request):
    """Put back what data migrations created after a transactional test flushed it.

    Transactional tests (live server, real concurrency) end by emptying every
    table, including the article types and groups our data migrations made.
    """
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from articles.models import ArticleType

    if not ArticleType.objects.exists():
        for module, function in SEED_MIGRATIONS:
            getattr(import_module(module), function)(apps, None)


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, or skip the test when it is not on this machine."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available on this machine (../shared/data is optional)")
    return path


def shared_json(*parts: str):
    return json.loads(shared_file(*parts).read_text(encoding="utf-8"))
