"""A visitor's crawl of the reader site: every page it reaches keeps the site-wide rules.

Starting at the home page (and the search box, which a visitor would use), the
crawl follows every link of this site breadth first, as a reader clicking
around would, and checks each HTML page it gets:

- the strict Content-Security-Policy, and nothing inline that it would have to
  allow (scripts, styles, event handlers, ``javascript:`` links);
- either shared-cacheable with nothing per reader in it (no CSRF token, no
  cookie, no ``Vary: Cookie``), or explicitly private (``newsroom/http.py``);
- exactly one ``<h1>``, a ``<title>``, and no link that leads to an error.

Public pages, feeds and sitemaps never show a commenter's e-mail address
(every commenter of the crawled site has one).

Which pages are which is decided by their view, below: a page the crawl
reaches that is in neither list fails the test until someone decides.
"""

from __future__ import annotations

import html
import json
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import pytest
import time_machine
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import Resolver404, resolve
from lxml import etree
from lxml import html as lxml_html
from taggit.models import Tag

from articles.anchoring import BodyText, Selector
from articles.models import Article, PassageQuestion
from articles.views import ArticleListView
from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    ArticleNoteFactory,
    AuthorFactory,
    DisclaimerFactory,
    ImageFactory,
    PullQuoteFactory,
    SectionFactory,
    article_type,
    make_comment,
    reader,
)

pytestmark = pytest.mark.django_db

#: Reader pages: the same for everyone, so a shared cache may keep them.
PUBLIC_VIEWS = {
    "articles:home",
    "articles:section",
    "articles:tag",
    "articles:author",
    "articles:detail",
    "articles:search",
    "comments:thread",
    "accounts:reader",
}
#: Pages with a form (and so a CSRF token) or per-reader content: never stored by a cache.
PRIVATE_VIEWS = {
    "account_login",
    "account_signup",
    "account_reset_password",
    "comments:post",  # the comment form without JavaScript
    "comments:mine",  # the reader's own comments on an article, and from there:
    "comments:edit",
    "comments:delete",
    "comments:report",
    "comments:subscriptions",
    # The signed-in reader's own pages (ours and allauth's).
    "accounts:home",
    "accounts:profile",
    "accounts:data",
    "accounts:delete",
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "account_request_reauthentication_code",  # allauth 65.22+: reauthenticate by e-mailed code
    "mfa_index",
    "usersessions_list",
}
#: Not HTML, so only checked to answer: feeds and sitemaps.
DATA_VIEWS = {
    "articles:feed_rss",
    "articles:feed_atom",
    "articles:section_feed_rss",
    "articles:section_feed_atom",
    "articles:tag_feed_rss",
    "articles:tag_feed_atom",
    "articles:author_feed_rss",
    "articles:author_feed_atom",
    "sitemap",
}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
MAX_PAGES = 150
#: Script types that are data, not code: the CSP never runs them. The project
#: emits JSON-LD (``articles_tags.article_jsonld``) and ``json_script`` blocks.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")
MASKED_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")
FROZEN_AT = datetime(2025, 3, 12, 9, 30, tzinfo=UTC)


@dataclass
class Page:
    url: str
    view_name: str
    response: object
    document: object = None


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    found_on: dict[str, str] = field(default_factory=dict)

    @property
    def html_pages(self) -> list[Page]:
        return [page for page in self.pages if page.document is not None]

    def urls_of(self, *view_names: str) -> set[str]:
        return {page.url for page in self.html_pages if page.view_name in view_names}


def view_name(url: str) -> str:
    try:
        return resolve(unquote(urlsplit(url).path)).view_name
    except Resolver404:
        return ""  # answered 404, which the crawl reports


def same_site_links(page_url: str, document) -> list[str]:
    links = []
    for href in document.xpath("//a/@href"):
        url = urljoin(page_url, href.strip())
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def query_kind(url: str) -> tuple[str, frozenset[str]]:
    parts = urlsplit(url)
    return parts.path, frozenset(name for name, _ in parse_qsl(parts.query, keep_blank_values=True))


def crawl(client: Client, start: list[str], *, limit: int = MAX_PAGES) -> Crawl:
    """Every same-site page reachable from ``start`` by links, breadth first.

    A query string is followed once per path and set of parameter names
    (the first ``?page=``, ``?sort=``, ``?next=``, reply form…), so the crawl
    stays bounded; redirects are followed to where they lead.
    """
    result = Crawl()
    queue = deque(start)
    queued = set(start)
    query_kinds = {query_kind(url) for url in start}

    def enqueue(url: str, found_on: str) -> None:
        if url in queued or ("?" in url and query_kind(url) in query_kinds):
            return
        query_kinds.add(query_kind(url))
        queued.add(url)
        queue.append(url)
        result.found_on[url] = found_on

    while queue and len(result.pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        result.statuses[url] = response.status_code
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if urlsplit(target).netloc in ("", "testserver"):
                parts = urlsplit(target)
                enqueue(parts.path + (f"?{parts.query}" if parts.query else ""), url)
            continue
        page = Page(url=url, view_name=view_name(url), response=response)
        result.pages.append(page)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            page.document = lxml_html.fromstring(response.content.decode())
            for link in same_site_links(url, page.document):
                enqueue(link, url)
    assert not queue, f"The crawl stopped at {limit} pages with {len(queue)} links left"
    return result


def assert_strict_csp(page: Page) -> None:
    policy = page.response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, page.url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, page.url

    for script in page.document.iter("script"):
        if script.get("src"):
            continue
        kind = (script.get("type") or "").strip().lower()
        assert kind in DATA_SCRIPT_TYPES, f"inline <script> on {page.url}"
        json.loads(script.text or "null")  # a data block is data, nothing else
    assert not list(page.document.iter("style")), f"<style> on {page.url}"
    for element in page.document.iter(etree.Element):
        for name, value in element.attrib.items():
            name = name.lower()
            assert name != "style", f"style= on <{element.tag}> of {page.url}"
            assert not name.startswith("on"), f"{name}= on <{element.tag}> of {page.url}"
            if name in URL_ATTRIBUTES:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not scheme.startswith("javascript:"), f"javascript: URL on {page.url}"


def assert_well_formed(page: Page) -> None:
    assert len(page.document.xpath("//h1")) == 1, (
        f"{len(page.document.xpath('//h1'))} <h1> on {page.url}"
    )
    assert page.document.findtext(".//title", "").strip(), f"no <title> on {page.url}"


def csrf_secret(client: Client) -> str | None:
    cookie = client.cookies.get("csrftoken")
    return cookie.value if cookie else None


def assert_shared_cacheable(page: Page, secret: str | None) -> None:
    response, html = page.response, page.response.content.decode()
    cache_control = response.get("Cache-Control", "")
    assert "public" in cache_control and "s-maxage=" in cache_control, page.url
    assert "private" not in cache_control and "no-store" not in cache_control, page.url
    assert not response.cookies, f"{page.url} sets {list(response.cookies)}"
    assert "cookie" not in response.get("Vary", "").lower(), page.url
    # A per-response nonce in a stored page would be the same for every reader.
    assert "nonce-" not in response["Content-Security-Policy"], page.url
    assert "csrfmiddlewaretoken" not in html, page.url
    if secret:
        assert secret not in html, page.url
        for candidate in MASKED_TOKEN.findall(html):
            assert _unmask_cipher_token(candidate) != secret, f"CSRF token on {page.url}"


def assert_private(page: Page) -> None:
    cache_control = page.response.get("Cache-Control", "")
    assert "public" not in cache_control and "s-maxage" not in cache_control, page.url
    assert "private" in cache_control and "no-store" in cache_control, page.url


@pytest.fixture
def site(monkeypatch):
    """A small but realistic site: a few sections, authors, tags and discussions."""
    # Listings of three so that this small site has second pages.
    monkeypatch.setattr(ArticleListView, "paginate_by", 3)
    with time_machine.travel(FROZEN_AT, tick=False):
        news, politics, culture, opinion = (
            SectionFactory(name=name, slug=slug)
            for name, slug in (
                ("News", "news"),
                ("Politics", "politics"),
                ("Culture", "culture"),
                ("Opinion", "opinion"),
            )
        )
        ana, bo, carmen = (
            AuthorFactory(name=name, slug=slug)
            for name, slug in (
                ("Ana Reyes", "ana-reyes"),
                ("Bo Lindqvist", "bo-lindqvist"),
                ("Carmen Ortiz", "carmen-ortiz"),
            )
        )
        articles = [
            ArticleFactory(
                title=f"{section.name} story {n}",
                slug=f"{section.slug}-story-{n}",
                section=section,
                authors=[author],
                tags=tags,
            )
            for n, (section, author, tags) in enumerate(
                [
                    (news, ana, ["housing", "élections"]),
                    (news, bo, ["housing"]),
                    (news, carmen, ["transport"]),
                    (news, ana, []),
                    (politics, bo, ["élections"]),
                    (politics, ana, ["élections", "transport"]),
                    (culture, carmen, ["festival"]),
                ]
            )
        ]
        featured = ArticleFactory(
            title="Bridge reopens after two years",
            slug="bridge-reopens",
            section=news,
            authors=[ana, bo],
            tags=["transport"],
            is_featured=True,
            hero_image=ImageFactory(),
        )
        PullQuoteFactory(article=featured)
        ArticleNoteFactory(article=featured)
        body = BodyText.of(featured.body)
        PassageQuestion.objects.create(
            article=featured,
            question="Were you there?",
            block_id=body.blocks[0].id,
            exact="first paragraph of the story",
        )
        column = article_type("opinion")
        column.disclaimers.add(DisclaimerFactory(text="The views here are the author's own."))
        opinion_piece = ArticleFactory(
            title="Why the bridge took so long",
            slug="why-the-bridge",
            section=opinion,
            article_type=column,
            authors=[carmen],
            tags=["transport"],
        )
        closed = ArticleFactory(
            title="Archive: the old tram line",
            slug="old-tram-line",
            section=culture,
            authors=[bo],
        )
        rosa = reader(display_name="Rosa Vale", email="rosa.vale@example.net")

        def guest(name: str) -> dict[str, str]:
            # Every commenter has an address of their own, which must never be shown.
            return {"author_name": name, "author_email": f"{name.lower()}.commenter@example.org"}

        first = make_comment(featured, body="Glad it is open again.", **guest("Ines"))
        reply = make_comment(featured, parent=first, body="Me too.", user=rosa)
        make_comment(featured, parent=reply, body="Three levels deep.", **guest("Jon"))
        make_comment(featured, body="It cost too much.", **guest("Mehmet"))
        words = "with the news in it"
        start = body.text.index(words)
        passage = Selector(words, body.text[:start], "", start, start + len(words))
        make_comment(featured, body="Which news?", anchor=passage, **guest("Yuki"))
        make_comment(opinion_piece, body="Fair points.", **guest("Léa"))
        make_comment(closed, body="Said before closing.", **guest("Otto"))
        Article.objects.filter(pk=closed.pk).update(comments_mode=Article.CommentsMode.CLOSED)
        make_comment(
            featured, body="Held for a moderator.", status=Comment.Status.PENDING, **guest("Pia")
        )
    return {
        "articles": [*articles, featured, opinion_piece, closed],
        "sections": [news, politics, culture, opinion],
        "authors": [ana, bo, carmen],
        "tags": list(Tag.objects.all()),
        "reader": rosa,
        "featured": featured,
        "opinion": opinion_piece,
        "closed": closed,
    }


def test_a_visitor_crawling_the_site_finds_only_strict_cacheable_or_private_pages(site):
    client = Client()

    with time_machine.travel(FROZEN_AT, tick=False):
        result = crawl(client, ["/", "/search/?q=bridge"])

    broken = {url: status for url, status in result.statuses.items() if status >= 400}
    assert not broken, {url: (status, result.found_on.get(url)) for url, status in broken.items()}
    known = PUBLIC_VIEWS | PRIVATE_VIEWS | DATA_VIEWS
    unclassified = {page.view_name for page in result.pages} - known
    assert not unclassified, f"Decide whether these pages are public or private: {unclassified}"
    for page in result.pages:
        if page.view_name in DATA_VIEWS:
            assert page.document is None, f"{page.url} was expected not to be HTML"
    secret = csrf_secret(client)
    assert secret, "the crawl should have met a form page that set a CSRF cookie"
    for page in result.html_pages:
        assert_strict_csp(page)
        assert_well_formed(page)
        if page.view_name in PUBLIC_VIEWS:
            assert_shared_cacheable(page, secret)
        else:
            assert_private(page)

    # The crawl reached everything the site has, not just the home page.
    created = site["articles"] + site["sections"] + site["authors"]
    assert len(result.html_pages) >= len(created) + len(site["tags"])
    reached = {page.url for page in result.html_pages}
    for item in created:
        assert item.get_absolute_url() in reached, item
    assert result.urls_of("articles:tag") >= {
        f"/tag/{slug}/" for slug in ("housing", "transport", "festival", "%C3%A9lections")
    }
    assert any("?page=2" in url for url in result.urls_of("articles:section"))
    # The comment form without JavaScript, for a reply and for an editors' question.
    forms = result.urls_of("comments:post")
    assert any("parent=" in url for url in forms) and any("question=" in url for url in forms)
    assert result.urls_of("account_login") and result.urls_of("account_signup")
    assert result.urls_of("articles:search") and result.urls_of("comments:report")
    approved = Comment.objects.filter(status=Comment.Status.APPROVED).count()
    permalinks = [url for url in result.statuses if view_name(url) == "comments:permalink"]
    assert len(permalinks) == approved == 7
    # What a reader must see is there: the disclaimer, the discussion, its replies.
    pages = {page.url: page.response.content.decode() for page in result.html_pages}
    assert "The views here are the author's own." in pages[site["opinion"].get_absolute_url()]
    featured_url = site["featured"].get_absolute_url()
    featured = pages[featured_url]
    assert "Three levels deep." in featured and "Held for a moderator." not in featured
    assert 'type="application/ld+json"' in featured
    assert "Which news?" in pages[f"{featured_url}?view=inline"]
    assert "Comments are closed on this article." in pages[site["closed"].get_absolute_url()]


def test_no_public_page_feed_or_sitemap_shows_a_commenters_email_address(site):
    client = Client()
    with time_machine.travel(FROZEN_AT, tick=False):
        rosas_page = site["reader"].reader_profile.get_absolute_url()
        result = crawl(client, ["/", "/search/?q=bridge", rosas_page])
        extra = {url: client.get(url) for url in ("/news-sitemap.xml", "/robots.txt")}

    addresses = {
        address.lower()
        for address in Comment.objects.values_list("author_email", flat=True)
        if address
    } | {site["reader"].email.lower()}
    assert len(addresses) == 8  # seven guests and Rosa
    sources = {
        page.url: page.response.content.decode()
        for page in result.pages
        if page.view_name in PUBLIC_VIEWS | DATA_VIEWS
    }
    sources.update({url: response.content.decode() for url, response in extra.items()})
    assert {"articles:feed_rss", "articles:section_feed_atom", "sitemap"} <= {
        page.view_name for page in result.pages
    }
    assert "Me too." in sources[rosas_page]
    for url, raw in sources.items():
        # As a browser or a feed reader would read it: entities and %-escapes undone.
        source = unquote(html.unescape(raw)).lower()
        for address in addresses:
            assert address not in source, (url, address)
        # Nor a part of one (the crawl's commenters all write from @example…).
        assert "@example" not in source, url


def test_a_signed_in_reader_gets_everyones_public_pages_and_private_account_pages(site):
    """Signed-in readers are served the very pages everyone gets (their name comes
    from /session.json), so those stay shared-cacheable; their own pages are private."""
    client, anonymous = Client(), Client()
    client.force_login(site["reader"])

    with time_machine.travel(FROZEN_AT, tick=False):
        result = crawl(client, ["/accounts/"])
        everyones = {page.url: anonymous.get(page.url) for page in result.html_pages}

    assert not {url: status for url, status in result.statuses.items() if status >= 400}
    secret = csrf_secret(client)
    assert secret
    public = [page for page in result.html_pages if page.view_name in PUBLIC_VIEWS]
    private = [page for page in result.html_pages if page.view_name not in PUBLIC_VIEWS]
    for page in result.html_pages:
        assert_strict_csp(page)
        assert_well_formed(page)
    for page in public:
        assert_shared_cacheable(page, secret)
        assert page.response.content == everyones[page.url].content, page.url
    for page in private:
        assert page.view_name in PRIVATE_VIEWS, page.url
        assert_private(page)
        nav = page.document.get_element_by_id("account-nav")
        assert "Rosa Vale" in nav.text_content(), page.url
    assert len(public) >= len(site["articles"]) + len(site["sections"]) + len(site["tags"])
    assert {page.view_name for page in private} >= {
        "accounts:home",
        "accounts:profile",
        "account_email",
        "account_change_password",
        "mfa_index",
        "usersessions_list",
        "comments:post",
        "comments:mine",
        "comments:delete",
    }
