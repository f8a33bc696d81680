"""Reader pages: what they show, to whom, and at what cost in queries."""

from __future__ import annotations

import itertools
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

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
    UserFactory,
    article_type,
    editor,
    image_bytes,
)

pytestmark = pytest.mark.django_db


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def tree(html: str):
    return lxml_html.fromstring(html)


def text_of(html: str, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree(html).xpath(xpath)]


# --- the article page ------------------------------------------------------------------


def test_article_page_shows_headline_byline_disclaimers_pull_quote_and_transcript(client):
    section = SectionFactory(name="Comment", slug="comment")
    opinion = article_type("opinion")
    opinion.disclaimers.add(DisclaimerFactory(text="Views here are solely the author's."))
    article = ArticleFactory(
        title="Why the bypass is a mistake",
        standfirst="Roads fill as fast as we build them.",
        section=section,
        article_type=opinion,
        authors=[AuthorFactory(name="Ada Quill"), AuthorFactory(name="Ben Ode")],
        tags=["Transport", "Planning"],
        published_at=timezone.make_aware(timezone.datetime(2026, 5, 4, 9, 30)),
    )
    PullQuoteFactory(article=article, text="Roads fill as fast as we build them")
    TranscriptTurnFactory(article=article, speaker="Q", text="Why now?")
    ArticleNoteFactory(article=article, text="We corrected the date of the vote.")
    article.save()

    html = page(client, article.get_absolute_url())

    assert text_of(html, "//span[contains(@class, 'type-label')]") == ["Opinion"]
    assert text_of(html, "//h1") == ["Why the bypass is a mistake"]
    assert text_of(html, "//p[@class='standfirst']") == ["Roads fill as fast as we build them."]
    assert text_of(html, "//p[@class='byline']") == [
        "By Ada Quill and Ben Ode in Comment, 4 May 2026"
    ]
    assert text_of(html, "//aside[contains(@class, 'disclaimer-above')]/p") == [
        "Views here are solely the author's."
    ]
    assert len(text_of(html, "//aside[contains(@class, 'disclaimer-below')]")) == 1
    assert '<aside class="pull-quote" aria-hidden="true"><p>Roads fill as fast' in html
    assert "<dt>Q</dt><dd><p>Why now?</p></dd>" in html
    assert text_of(html, "//section[@class='corrections']//li") == [
        f"Correction, {timezone.localtime(article.notes.get().noted_at):%-d %B %Y, %H:%M}"
        "We corrected the date of the vote."
    ]
    assert text_of(html, "//ul[@class='tag-list']//a") == ["Planning", "Transport"]
    assert "Updated" not in html


def test_the_disclaimer_follows_the_articles_mode_and_each_disclaimers_placement(client):
    opinion = article_type("opinion")
    section = SectionFactory(slug="comment")
    above = DisclaimerFactory(text="Above only.", placement="above")
    below = DisclaimerFactory(text="Below only.", placement="below")
    both = DisclaimerFactory(text="Both places.", placement="both")
    opinion.disclaimers.add(above)
    section.disclaimers.add(below, both)

    default = ArticleFactory(section=section, article_type=opinion)
    custom = ArticleFactory(section=section, article_type=opinion, disclaimer_mode="custom")
    custom.disclaimers.add(DisclaimerFactory(text="Only mine.", placement="below"))
    none = ArticleFactory(section=section, article_type=opinion, disclaimer_mode="none")

    def shown(article):
        html = page(client, article.get_absolute_url())
        return (
            text_of(html, "//aside[contains(@class, 'disclaimer-above')]/p"),
            text_of(html, "//aside[contains(@class, 'disclaimer-below')]/p"),
        )

    assert shown(default) == (["Above only.", "Both places."], ["Below only.", "Both places."])
    assert shown(custom) == ([], ["Only mine."])
    assert shown(none) == ([], [])


def test_updated_appears_only_when_the_content_changed_after_publication(client, time_machine):
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 5, 4, 9, 0)), tick=False)
    article = ArticleFactory(published_at=timezone.now())
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 5, 4, 9, 2)), tick=False)
    article.body += "<p>A typo fixed in the first minutes is not an update.</p>"
    article.save()
    assert "Updated" not in page(client, article.get_absolute_url())

    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 5, 4, 15, 45)), tick=False)
    article.body += "<p>The council has since responded.</p>"
    article.save()
    html = page(client, article.get_absolute_url())
    assert text_of(html, "//span[@class='updated']") == ["Updated 4 May 2026, 15:45"]

    article.is_featured = True  # not a change readers see in the text
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 5, 5, 8, 0)), tick=False)
    article.save()
    assert text_of(page(client, article.get_absolute_url()), "//span[@class='updated']") == [
        "Updated 4 May 2026, 15:45"
    ]


def test_hero_image_has_alt_caption_and_credit(client):
    image = ImageFactory(
        file=SimpleUploadedFile("h.jpg", image_bytes(1600, 900)),
        alt_text="Fishing boats tied up in fog",
        caption="The harbour at dawn.",
        credit="Jo Lens",
    )
    article = ArticleFactory(hero_image=image)
    overridden = ArticleFactory(hero_image=image, hero_caption="Boats, this morning.")

    html = page(client, article.get_absolute_url())
    figure = tree(html).xpath("//figure[@class='hero']")[0]
    assert figure.xpath(".//img/@alt") == ["Fishing boats tied up in fog"]
    assert " ".join(figure.xpath(".//figcaption")[0].text_content().split()) == (
        "The harbour at dawn.Jo Lens"
    )
    assert "Boats, this morning." in page(client, overridden.get_absolute_url())


def test_article_page_has_canonical_open_graph_twitter_and_valid_escaped_json_ld(client):
    image = ImageFactory(file=SimpleUploadedFile("h.jpg", image_bytes(1600, 900)))
    article = ArticleFactory(
        title='Mayor says "</script><script>alert(1)</script>" & more',
        section=SectionFactory(slug="politics"),
        article_type=article_type("opinion"),
        authors=[AuthorFactory(name="Ada Quill", slug="ada-quill")],
        hero_image=image,
        tags=["Harbour"],
    )

    html = page(client, article.get_absolute_url())
    document = tree(html)
    url = f"http://testserver{article.get_absolute_url()}"
    assert document.xpath("//link[@rel='canonical']/@href") == [url]
    meta = {e.get("property") or e.get("name"): e.get("content") for e in document.xpath("//meta")}
    assert meta["og:type"] == "article"
    assert meta["og:url"] == url
    assert meta["og:title"] == article.title
    assert meta["og:image"] == f"http://testserver/media/{image.renditions[-2]['name']}"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["article:section"] == "Politics" or meta["article:section"]

    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    assert "</script><script>" not in scripts[0]
    data = json.loads(scripts[0])
    assert data["@type"] == "OpinionNewsArticle"
    assert data["headline"] == article.title
    assert data["mainEntityOfPage"] == url
    assert data["author"] == [
        {"@type": "Person", "name": "Ada Quill", "url": "http://testserver/author/ada-quill/"}
    ]
    assert data["keywords"] == ["Harbour"]
    assert data["image"] == [meta["og:image"]]
    assert data["datePublished"] == article.published_at.isoformat()


def test_news_articles_are_newsarticle_in_json_ld(client):
    html = page(client, ArticleFactory().get_absolute_url())
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle"


def test_drafts_scheduled_and_unpublished_articles_are_not_public_anywhere(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, tags=["t"])
    future = ArticleFactory(published_at=timezone.now() + timedelta(days=1), tags=["t"])
    gone = ArticleFactory(tags=["t"])
    gone.status = Article.Status.UNPUBLISHED
    gone.save()
    visible = ArticleFactory(tags=["t"], title="The one readers see")
    author = AuthorFactory(slug="writer")
    for article in (draft, future, gone, visible):
        article.bylines.create(author=author, position=1)
    section = draft.section

    assert future.status == Article.Status.SCHEDULED
    urls = [
        "/",
        reverse("articles:tag", args=["t"]),
        reverse("articles:author", args=["writer"]),
        reverse("articles:section", args=[section.slug]),
        reverse("articles:search") + "?q=Council",
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        reverse("articles:tag_feed_rss", args=["t"]),
        reverse("articles:author_feed_atom", args=["writer"]),
        reverse("articles:section_feed_rss", args=[section.slug]),
        reverse("sitemap"),
        reverse("news_sitemap"),
    ]
    for url in urls:
        content = page(client, url)
        for hidden in (draft, future, gone):
            assert hidden.title not in content, (url, hidden.status)
            assert hidden.slug not in content, (url, hidden.status)
    assert "The one readers see" in page(client, reverse("articles:feed_rss"))
    for article in (draft, future, gone):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_goes_live_when_its_time_comes(client, time_machine):
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 5, 4, 9, 0)), tick=False)
    article = ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404

    time_machine.shift(timedelta(minutes=5))

    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in page(client, "/")


def test_old_slug_redirects_permanently_and_a_wrong_section_is_corrected(client):
    article = ArticleFactory(slug="old-name", section=SectionFactory(slug="news"))
    article.slug = "new-name"
    article.save()

    response = client.get(reverse("articles:detail", args=["news", "old-name"]))
    assert response.status_code == 301
    assert response["Location"] == "/news/new-name/"
    response = client.get(reverse("articles:detail", args=["sport", "new-name"]))
    assert response.status_code == 301
    assert response["Location"] == "/news/new-name/"


def test_preview_is_for_staff_only(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Secret draft")
    url = reverse("articles:preview", args=[draft.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(username="reader"))
    assert client.get(url).status_code == 403
    client.force_login(editor())
    response = client.get(url)
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


# --- listings ----------------------------------------------------------------------


def test_home_has_a_lead_story_and_the_latest_by_section(client, time_machine):
    now = timezone.make_aware(timezone.datetime(2026, 5, 4, 12, 0))
    time_machine.move_to(now, tick=False)
    world = SectionFactory(name="World", slug="world", position=1)
    sport = SectionFactory(name="Sport", slug="sport", position=2)
    for hours in range(6):
        ArticleFactory(
            section=world, title=f"World {hours}", published_at=now - timedelta(hours=hours + 1)
        )
    ArticleFactory(section=sport, title="Sport 0", published_at=now - timedelta(minutes=5))
    ArticleFactory(
        section=world,
        title="Featured yesterday",
        is_featured=True,
        published_at=now - timedelta(days=1),
    )
    ArticleFactory(
        section=sport,
        title="Featured long ago",
        is_featured=True,
        published_at=now - timedelta(days=9),
    )

    html = page(client, "/")

    assert text_of(html, "//article[@class='lead-story']//h2") == ["Featured yesterday"]
    blocks = tree(html).xpath("//section[@class='section-block']")
    titles = [b.xpath(".//h2//a")[0].text for b in blocks]
    assert titles[:2] == ["World", "Sport"]
    world_titles = [" ".join(h.text_content().split()) for h in blocks[0].xpath(".//h3")]
    assert world_titles == ["World 0", "World 1", "World 2", "World 3"]
    assert "Featured yesterday" not in world_titles


def test_listings_paginate_and_canonicalise_their_pages(client, settings):
    section = SectionFactory(name="World", slug="world")
    for _ in range(settings.NEWSROOM_PAGE_SIZE + 2):
        ArticleFactory(section=section, tags=["climate"], authors=[AuthorFactory(slug="w")])
    base = {
        "section": reverse("articles:section", args=["world"]),
        "tag": reverse("articles:tag", args=["climate"]),
        "author": reverse("articles:author", args=["w"]),
    }
    for name, url in base.items():
        first = page(client, url)
        assert len(tree(first).xpath("//article[contains(@class, 'teaser')]")) == 12, name
        assert tree(first).xpath("//a[@rel='next']/@href") == ["?page=2"], name
        assert tree(first).xpath("//link[@rel='canonical']/@href") == [f"http://testserver{url}"]
        second = page(client, url + "?page=2")
        assert len(tree(second).xpath("//article[contains(@class, 'teaser')]")) == 2
        assert "Page 2 of 2" in second
        assert tree(second).xpath("//link[@rel='canonical']/@href") == [
            f"http://testserver{url}?page=2"
        ]
        assert client.get(url + "?page=3").status_code == 404
        assert client.get(url + "?page=x").status_code == 404


def test_unknown_section_tag_and_author_are_friendly_404s(client):
    for url in ("/nowhere/", "/tag/nothing/", "/author/nobody/", "/world/no-such-story/"):
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "We can’t find that page" in html
        assert 'role="search"' in html


def test_search_finds_published_articles_by_headline_and_standfirst(client):
    ArticleFactory(title="Tram line opens", standfirst="")
    ArticleFactory(title="Budget", standfirst="Trams get more money")
    ArticleFactory(title="Tram secrets", status=Article.Status.DRAFT, published_at=None)

    html = page(client, reverse("articles:search") + "?q=tram")

    assert sorted(text_of(html, "//article//h2")) == ["Budget", "Tram line opens"]
    assert '<meta name="robots" content="noindex, follow">' in html
    assert "Tram secrets" not in html
    assert page(client, reverse("articles:search")).count("teaser") == 0


# --- accessibility basics ------------------------------------------------------------------


@pytest.mark.parametrize("which", ["home", "section", "tag", "author", "article", "search"])
def test_pages_have_landmarks_a_skip_link_one_h1_ordered_headings_and_alt_text(client, which):
    image = ImageFactory(alt_text="A described picture")
    article = ArticleFactory(
        section=SectionFactory(slug="world"),
        tags=["climate"],
        authors=[AuthorFactory(slug="writer")],
        hero_image=image,
        body="<p>One.</p><h2>Two</h2><p>Three.</p><h3>Four</h3>",
    )
    TranscriptTurnFactory(article=article)
    article.save()
    url = {
        "home": "/",
        "section": "/world/",
        "tag": "/tag/climate/",
        "author": "/author/writer/",
        "article": article.get_absolute_url(),
        "search": "/search/?q=council",
    }[which]

    document = tree(page(client, url))

    assert document.xpath("/html/@lang") == ["en-GB"]
    first_link = document.xpath("//body//a")[0]
    assert first_link.get("class") == "skip-link" and first_link.get("href") == "#main"
    assert len(document.xpath("//main[@id='main']")) == 1
    assert document.xpath("//header[@class='masthead']")
    assert document.xpath("//footer")
    assert all(nav.get("aria-label") for nav in document.xpath("//nav"))
    assert len(document.xpath("//h1")) == 1
    levels = [int(h.tag[1]) for h in document.xpath("//main//*[self::h1 or self::h2 or self::h3]")]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert all(img.get("alt") is not None for img in document.xpath("//img"))
    # Every visible field has a label: by id, or wrapping it (inert <template>
    # content, cloned by scripts, is checked like the rest).
    for field in document.xpath("//input[not(@type='hidden')]"):
        wrapped = field.xpath("ancestor::label")
        assert wrapped or document.xpath(f"//label[@for='{field.get('id')}']"), field.get("name")


def test_the_stylesheet_has_visible_focus_and_a_skip_link_that_appears(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert ":focus-visible" in css and "outline" in css
    assert ".skip-link:focus" in css


# --- anonymous pages are cacheable, and cheap ------------------------------------------------


def test_anonymous_pages_are_publicly_cacheable_and_carry_no_per_reader_data(client):
    article = ArticleFactory(tags=["t"], authors=[AuthorFactory(slug="w")])
    client.force_login(UserFactory())  # even for a signed-in reader
    for url in (
        "/",
        article.get_absolute_url(),
        reverse("articles:section", args=[article.section.slug]),
        reverse("articles:tag", args=["t"]),
        reverse("articles:author", args=["w"]),
    ):
        response = client.get(url)
        assert "public" in response["Cache-Control"]
        assert "s-maxage" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies
        assert b"csrfmiddlewaretoken" not in response.content


#: Exact query counts. Each page's number is the same whatever the number of
#: articles, authors per article, tags per article, disclaimers and notes.
QUERIES = {
    # lead + its authors, latest per section + their authors, section navigation,
    # and when the next scheduled article goes live
    "home": 6,
    # section, count, page, authors, navigation, next scheduled publication
    "section": 6,
    # tag, count, page, authors, navigation, next scheduled publication
    "tag": 6,
    # author, count, page, authors, navigation, next scheduled publication
    "author": 6,
    # article, authors, tags, notes, disclaimers, navigation, and the comments
    # region (counts, first threads, passage questions; the anchors only when
    # there is inline feedback), the related articles. Warm, the article alone:
    # see test_warm_article_page_costs_one_query.
    "article": 10,
    # count, page, authors, navigation, next scheduled publication
    "search": 5,
    # items + their authors (+ the section, tag or author)
    "feed": 2,
    "section_feed": 3,
    "tag_feed": 3,
    "author_feed": 3,
    "news_sitemap": 1,
    # per section of sitemap.xml, a count (Django's paginator) and its items,
    # articles, sections, authors, tags; the tags' content type is cached by Django
    "sitemap": 8,
}


def populate(n: int) -> Article:
    """n articles in one section, by a shared and n other authors, with n tags, notes…"""
    section = SectionFactory(slug="world")
    writer = AuthorFactory(slug="writer")
    opinion = article_type("opinion")
    image = ImageFactory()  # renditions are slow to make; one picture serves all
    article = None
    for index in range(n):
        extra_authors = [AuthorFactory() for _ in range(n)]
        article = ArticleFactory(
            section=section,
            article_type=opinion,
            authors=[writer, *extra_authors],
            tags=["climate", *[f"tag-{index}-{k}" for k in range(n)]],
            hero_image=image,
            disclaimer_mode="custom" if index % 2 else "default",
        )
        article.disclaimers.add(*[DisclaimerFactory() for _ in range(n)])
        section.disclaimers.add(DisclaimerFactory())
        opinion.disclaimers.add(DisclaimerFactory())
        for _ in range(n):
            ArticleNoteFactory(article=article)
            PullQuoteFactory(article=article)
            TranscriptTurnFactory(article=article)
        article.save()
    SectionFactory()  # another section in the navigation
    return article


@pytest.mark.parametrize("name", list(QUERIES))
def test_page_query_counts_are_exact_and_do_not_grow_with_rows(
    client, name, django_assert_num_queries
):
    def url_for(article):
        return {
            "home": "/",
            "section": reverse("articles:section", args=["world"]),
            "tag": reverse("articles:tag", args=["climate"]),
            "author": reverse("articles:author", args=["writer"]),
            "article": article.get_absolute_url(),
            "search": reverse("articles:search") + "?q=council",
            "feed": reverse("articles:feed_rss"),
            "section_feed": reverse("articles:section_feed_atom", args=["world"]),
            "tag_feed": reverse("articles:tag_feed_rss", args=["climate"]),
            "author_feed": reverse("articles:author_feed_rss", args=["writer"]),
            "news_sitemap": reverse("news_sitemap"),
            "sitemap": reverse("sitemap"),
        }[name]

    # Counted cold: the app's caches (navigation, fragments) start empty.
    article = populate(2)
    cache.clear()
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url_for(article)).status_code == 200

    article = populate(5)
    cache.clear()
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url_for(article))
    assert response.status_code == 200
    shown = article.get_absolute_url() if name == "sitemap" else article.title
    assert shown.encode() in response.content
