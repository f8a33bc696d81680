from io import StringIO

import pytest
from django.core.management import call_command

from comments.demo import DISCUSSIONS
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def count(discussion):
    return sum(1 + count(say.replies) for say in discussion)


def test_demo_discussions_load_threaded_once_and_show_on_the_article(client):
    slug = "wend-bridge-bill-for-thirty-years-of-later"
    article = ArticleFactory(slug=slug, authors=[AuthorFactory(name="Simon Achterberg")])
    expected = count(DISCUSSIONS[slug])

    call_command("load_demo_comments", stdout=StringIO())
    call_command("load_demo_comments", stdout=StringIO())

    comments = Comment.objects.filter(article=article)
    assert comments.count() == expected
    assert comments.filter(depth__gte=2).exists()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="badge badge-author">Author</span>' in html
    assert "most accurate thing I have read" in html


def test_demo_discussions_include_held_and_removed_comments():
    slug = "wend-bridge-to-close-for-14-months"
    article = ArticleFactory(slug=slug)

    call_command("load_demo_comments", stdout=StringIO())

    statuses = set(Comment.objects.filter(article=article).values_list("status", flat=True))
    assert {"approved", "pending", "removed"} <= statuses
    removed = Comment.objects.get(article=article, status="removed")
    assert removed.descendant_count == 1
