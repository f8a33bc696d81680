"""The Content-Security-Policy: strict everywhere, one nonce where the editor is."""

import re

import pytest
from django.urls import reverse

from newsroom.csp import TIPTAP_BASE_CSS_HASH
from tests.factories import ArticleFactory, editor

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_reader_pages_allow_no_inline_script_or_style(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), reverse("articles:search") + "?q=x"):
        policy = client.get(url)["Content-Security-Policy"]
        assert directives(policy)["script-src"] == ["'self'"]
        assert directives(policy)["style-src"] == ["'self'"]
        assert directives(policy)["object-src"] == ["'none'"]
        assert "nonce" not in policy
        assert "sha256" not in policy
        assert "unsafe" not in policy


def test_article_change_form_allows_its_import_map_by_a_nonce_used_nowhere_else(client):
    article = ArticleFactory()
    client.force_login(editor())

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert directives(policy)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    # Tiptap's own base stylesheet, by hash; nothing else inline.
    assert directives(policy)["style-src"] == ["'self'", TIPTAP_BASE_CSS_HASH]
    html = response.content.decode()
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert "unsafe" not in policy
    # A new nonce per response.
    again = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert nonce not in again["Content-Security-Policy"]


def test_admin_pages_without_an_editor_keep_the_strict_policy(client):
    client.force_login(editor())
    policy = client.get(reverse("admin:articles_article_changelist"))["Content-Security-Policy"]
    assert directives(policy)["script-src"] == ["'self'"]
    assert directives(policy)["style-src"] == ["'self'"]
