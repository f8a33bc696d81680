"""Article pages for shared caches: ETags, 304s, versioned fragments, one query warm."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Disclaimer
from comments import services
from comments.models import Comment
from tests.factories import ArticleFactory, DisclaimerFactory, article_type, editor, make_comment

pytestmark = pytest.mark.django_db


def test_warm_article_page_costs_one_query(client):
    article = ArticleFactory()
    make_comment(article, body="Already said")
    client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200 and "Already said" in response.content.decode()
    assert len(queries) == 1, [q["sql"][:80] for q in queries]


def test_a_client_holding_the_current_version_gets_304_without_the_page_being_built(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]

    with CaptureQueriesContext(connection) as queries:
        again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "public" in again["Cache-Control"]
    assert len(queries) == 1


def test_approving_a_comment_changes_the_etag_and_the_page(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    held = make_comment(article, body="Held words", status=Comment.Status.PENDING)
    etag = client.get(article.get_absolute_url())["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=held)

    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "Held words" in response.content.decode()


def test_editing_a_disclaimer_in_the_admin_renews_every_article_page(
    client, django_capture_on_commit_callbacks
):
    opinion = article_type("opinion")
    disclaimer = DisclaimerFactory(text="Old wording of the disclaimer.")
    opinion.disclaimers.add(disclaimer)
    article = ArticleFactory(article_type=opinion)
    assert "Old wording" in client.get(article.get_absolute_url()).content.decode()

    admin = client.__class__()
    admin.force_login(editor())
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            f"/admin/articles/disclaimer/{disclaimer.pk}/change/",
            {
                "name": disclaimer.name,
                "text": "New wording of the disclaimer.",
                "placement": "both",
            },
        )

    assert Disclaimer.objects.get().text.startswith("<p>New wording")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "New wording of the disclaimer." in html and "Old wording" not in html


def test_listings_are_cached_no_longer_than_until_the_next_scheduled_article(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.NEWSROOM_PUBLIC_S_MAXAGE = 300
    ArticleFactory()
    assert "s-maxage=300" in client.get("/")["Cache-Control"]

    ArticleFactory(published_at=timezone.now() + timedelta(seconds=90))

    cache_control = client.get("/")["Cache-Control"]
    seconds = int(cache_control.split("s-maxage=")[1].split(",")[0])
    assert 80 <= seconds <= 91


def test_a_not_found_article_is_cached_only_briefly(client):
    response = client.get("/news/not-yet-published/")
    assert response.status_code == 404
    assert "s-maxage=10" in response["Cache-Control"]


def test_by_default_shared_caches_keep_an_article_page_under_five_seconds(client):
    """Without purging, an approved comment must reach readers within 5 seconds:
    the shared cache revalidates the page before then (bench/http_bench.py
    measures the whole path through nginx)."""
    response = client.get(ArticleFactory().get_absolute_url())

    directives = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",")
    )
    assert "public" in directives
    assert int(directives["s-maxage"]) < 5
    assert directives["max-age"] == "0"
