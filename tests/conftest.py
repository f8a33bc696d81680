"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core import signing
from django.core.cache import cache

from comments.forms import TIMESTAMP_SALT

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
    ("comments.migrations.0005_moderation_workspace_permissions", "grant"),
    ("articles.migrations.0004_editors_manage_passage_questions", "grant"),
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


def form_data(response, form_id: str) -> dict[str, list[str]]:
    """What a browser would submit for the form ``form_id`` of ``response``, untouched.

    Lets admin tests post exactly what an editor saw (management forms, inline
    rows, hidden fields) and change only what the test is about.
    """
    from lxml import html as lxml_html

    document = lxml_html.fromstring(response.content.decode())
    form = document.get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def form_ts():
    """A form timestamp issued a minute ago (as the session endpoint would have)."""
    import time

    return signing.dumps(int(time.time()) - 60, salt=TIMESTAMP_SALT)


@pytest.fixture
def post_data(form_ts):
    def build(article, **overrides):
        data = {
            "article": article.pk,
            "body": "I was at the meeting and the numbers quoted are right.",
            "name": "Ines Park",
            "email": "ines@example.com",
            "ts": form_ts,
            "website": "",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build
