from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ArticleNoteFactory,
    AuthorFactory,
    DisclaimerFactory,
    ImageFactory,
    PullQuoteFactory,
    SectionFactory,
    TranscriptTurnFactory,
    article_type,
    editor,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries), response


def test_article_page_shows_headline_byline_disclaimers_pull_quote_and_transcript(client):
    section = SectionFactory(name="Comment", slug="comment")
    opinion = article_type("opinion")
    disclaimer = DisclaimerFactory(text="Views here are solely the author's.")
    opinion.disclaimers.add(disclaimer)
    author = AuthorFactory(name="Ada Quill")
    article = ArticleFactory(
        title="Why the bypass is a mistake", section=section, article_type=opinion, authors=[author]
    )
    PullQuoteFactory(article=article, text="Roads fill as fast as we build them")
    TranscriptTurnFactory(article=article, speaker="Q", text="Why now?")
    ArticleNoteFactory(article=article, text="We corrected the date of the vote.")
    article.save()

    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Why the bypass is a mistake</h1>" in html
    assert "By <a" in html and "Ada Quill</a> in <a" in html and ">Comment</a>," in html
    assert (
        html.count("Views here are solely the author&#x27;s.") == 2
        or html.count("Views here are solely the author's.") == 2
    )
    assert '<aside class="pull-quote" aria-hidden="true"><p>Roads fill as fast' in html
    assert "<dt>Q</dt><dd><p>Why now?</p></dd>" in html
    assert "We corrected the date of the vote." in html
    assert '"@type": "OpinionNewsArticle"' in html


def test_drafts_scheduled_and_unpublished_articles_are_not_public(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    future = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    gone = ArticleFactory()
    gone.status = Article.Status.UNPUBLISHED
    gone.save()

    assert future.status == Article.Status.SCHEDULED
    for article in (draft, future, gone):
        assert client.get(article.get_absolute_url()).status_code == 404
    home = client.get(reverse("articles:home")).content.decode()
    for article in (draft, future, gone):
        assert article.title not in home


def test_scheduled_article_goes_live_when_its_time_comes(client, time_machine=None):
    article = ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_old_slug_redirects_permanently(client):
    article = ArticleFactory(slug="old-name")
    article.slug = "new-name"
    article.save()

    response = client.get(reverse("articles:detail", args=[article.section.slug, "old-name"]))

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_preview_is_for_staff_only(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Secret draft")
    url = reverse("articles:preview", args=[draft.pk])
    assert client.get(url).status_code in (302, 403)
    client.force_login(editor())
    response = client.get(url)
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("page", ["home", "section", "tag", "author", "article"])
def test_page_query_count_does_not_grow_with_rows(client, page):
    section = SectionFactory(slug="world")
    author = AuthorFactory(slug="writer")

    def make(n):
        for _ in range(n):
            article = ArticleFactory(
                section=section,
                authors=[author, AuthorFactory()],
                tags=["climate", f"t{ArticleFactory._meta.model.objects.count()}"],
                hero_image=ImageFactory(),
            )
        return article

    article = make(2)
    urls = {
        "home": reverse("articles:home"),
        "section": reverse("articles:section", args=["world"]),
        "tag": reverse("articles:tag", args=["climate"]),
        "author": reverse("articles:author", args=["writer"]),
    }
    url = urls.get(page) or article.get_absolute_url()
    few, _ = count_queries(client, url)
    article = make(8)
    url = urls.get(page) or article.get_absolute_url()
    many, _ = count_queries(client, url)
    assert few == many
    assert many <= 12


def test_anonymous_pages_are_publicly_cacheable_and_carry_no_per_reader_data(client):
    article = ArticleFactory()
    for url in (reverse("articles:home"), article.get_absolute_url()):
        response = client.get(url)
        assert "public" in response["Cache-Control"]
        assert "s-maxage" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies
        assert b"csrfmiddlewaretoken" not in response.content
