"""Anonymous counting of related-block views and teaser clicks."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, RelatedClick, RelatedStat
from tests.factories import ArticleFactory, RelatedPinFactory

pytestmark = pytest.mark.django_db

URL = reverse("articles:related_event")


@pytest.fixture
def pair():
    article, target = ArticleFactory(), ArticleFactory()
    RelatedPinFactory(article=article, target=target)
    return article, target


def click(client, article, target, **extra):
    data = {"kind": "click", "article": article.pk, "target": target.pk}
    return client.post(URL, data, **extra)


def test_click_on_a_teaser_counts_once_per_reader_per_day(client, pair):
    article, target = pair

    assert click(client, article, target).status_code == 204
    assert click(client, article, target).status_code == 204  # repeated: not counted

    assert RelatedClick.objects.get(article=article, target=target).clicks == 1
    assert RelatedStat.objects.get(article=article).clicks == 1
    other_reader = click(client, article, target, REMOTE_ADDR="203.0.113.7")
    assert other_reader.status_code == 204
    assert RelatedClick.objects.get(article=article, target=target).clicks == 2


def test_counting_stores_nothing_about_the_reader(client, pair):
    article, target = pair

    response = click(client, article, target, REMOTE_ADDR="198.51.100.23")

    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    stat = RelatedStat.objects.values().get()
    clicked = RelatedClick.objects.values().get()
    for row in (stat, clicked):
        assert "198.51.100.23" not in str(row)
        assert set(row) <= {"id", "article_id", "target_id", "day", "impressions", "clicks"}


def test_impressions_count_once_per_reader_per_half_hour(client, pair):
    article, _ = pair
    for _ in range(3):
        assert client.post(URL, {"kind": "impression", "article": article.pk}).status_code == 204
    client.post(URL, {"kind": "impression", "article": article.pk}, REMOTE_ADDR="192.0.2.9")

    assert RelatedStat.objects.get(article=article).impressions == 2


def test_click_on_an_article_the_block_does_not_offer_is_refused(client, pair):
    article, _ = pair
    stranger = ArticleFactory()

    assert click(client, article, stranger).status_code == 400
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    RelatedPinFactory(article=article, target=draft)
    assert click(client, article, draft).status_code == 400
    assert not RelatedClick.objects.exists()


def test_reports_need_post_a_csrf_token_and_the_same_origin(pair):
    article, target = pair
    strict = Client(enforce_csrf_checks=True)

    assert strict.get(URL).status_code == 405
    assert click(strict, article, target).status_code == 403
    lax = Client()
    assert click(lax, article, target, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert not RelatedClick.objects.exists()


def test_reports_are_rate_limited_per_client(client, pair, settings):
    settings.NEWSROOM_RELATED_CLICK_RATE = "3/m"
    article, target = pair
    statuses = [
        client.post(URL, {"kind": "impression", "article": article.pk}).status_code
        for _ in range(3)
    ]

    assert statuses == [204, 204, 204]
    assert click(client, article, target).status_code == 429
    assert not RelatedClick.objects.exists()
    assert click(client, article, target, REMOTE_ADDR="192.0.2.44").status_code == 204


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "view", "article": "1"},
        {"kind": "click", "article": "1"},
        {"kind": "impression", "article": "1' OR 1=1"},
        {"kind": "impression", "article": "9" * 40},
    ],
)
def test_malformed_reports_get_a_clear_error(client, data):
    response = client.post(URL, data)
    assert response.status_code == 400
    assert not RelatedStat.objects.exists()
