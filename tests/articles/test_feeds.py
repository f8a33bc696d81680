"""RSS and Atom feeds, sitemaps and the news sitemap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles():
    world = SectionFactory(name="World", slug="world")
    ada = AuthorFactory(name="Ada Quill", slug="ada")
    shown = ArticleFactory(
        title="Floods <recede> & towns count the cost",
        standfirst="Water levels fell overnight.",
        section=world,
        authors=[ada],
        tags=["weather"],
    )
    ArticleFactory(title="Elsewhere", section=SectionFactory(slug="sport"), tags=["other"])
    ArticleFactory(
        title="Not yet", section=world, authors=[ada], tags=["weather"],
        published_at=timezone.now() + timedelta(hours=3),
    )  # fmt: skip
    ArticleFactory(
        title="Draft", section=world, authors=[ada], tags=["weather"],
        status=Article.Status.DRAFT, published_at=None,
    )  # fmt: skip
    return shown


@pytest.mark.parametrize(
    ("name", "args"),
    [("section", ["world"]), ("tag", ["weather"]), ("author", ["ada"])],
)
def test_rss_and_atom_feeds_list_only_published_due_articles(client, articles, name, args):
    rss = client.get(reverse(f"articles:{name}_feed_rss", args=args))
    atom = client.get(reverse(f"articles:{name}_feed_atom", args=args))

    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    items = etree.fromstring(rss.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == [articles.title]
    assert items[0].findtext("link") == f"http://testserver{articles.get_absolute_url()}"
    assert items[0].findtext("description") == "Water levels fell overnight."
    entries = etree.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [articles.title]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Ada Quill"
    assert "public" in rss["Cache-Control"]


def test_site_feed_lists_every_published_article(client, articles):
    rss = etree.fromstring(client.get(reverse("articles:feed_rss")).content)
    titles = [item.findtext("title") for item in rss.findall("./channel/item")]
    assert sorted(titles) == ["Elsewhere", articles.title]
    assert rss.findtext("./channel/title") == "The Newsroom Courier"


def test_feeds_of_unknown_things_are_404(client):
    for url in ("/feeds/section/nope/rss/", "/feeds/tag/nope/atom/", "/feeds/author/nope/rss/"):
        assert client.get(url).status_code == 404


def test_sitemap_lists_published_articles_sections_authors_and_tags(client, articles):
    response = client.get(reverse("sitemap"))
    locations = {
        element.text
        for element in etree.fromstring(response.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    }
    assert f"http://testserver{articles.get_absolute_url()}" in locations
    assert "http://testserver/world/" in locations
    assert "http://testserver/author/ada/" in locations
    assert "http://testserver/tag/weather/" in locations
    assert not any("not-yet" in loc or "draft" in loc for loc in locations)


def test_news_sitemap_lists_the_last_two_days_only(client, articles):
    old = ArticleFactory(title="Old news", published_at=timezone.now() - timedelta(days=3))

    response = client.get(reverse("news_sitemap"))

    root = etree.fromstring(response.content)
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    titles = [element.text for element in root.iter(f"{news}title")]
    assert sorted(titles) == ["Elsewhere", articles.title]
    assert old.title not in titles
    assert response["Content-Type"] == "application/xml; charset=utf-8"
