"""Hostile exports: nothing in a WXR file can run in a reader's browser or read our files."""

import json
import re
from collections import Counter

import pytest

from articles.models import Article
from comments.models import Comment
from newsroom.wordpress.wxr import WXRItem, WXRReader
from tests.conftest import shared_file
from tests.safety import executable_parts

from .build import comment, export, post

pytestmark = pytest.mark.django_db

# Written for these tests, so they run where ../shared is absent: one of each
# way in, plus ways out of an attribute or of the page's own data scripts.
HOSTILE = [
    '<script>alert("pwned")</script>',
    "<img src=x onerror=\"alert('pwned')\">",
    "<a href=\"javascript:alert('pwned')\">a link</a>",
    '<a href=" JaVaScRiPt:alert(1)">a spaced link</a>',
    '<iframe src="https://evil.example.org/pwned"></iframe>',
    '<style>body { background: url("javascript:alert(1)") }</style>',
    '<svg onload="alert(\'pwned\')"><circle r="9"/></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a data link</a>',
    '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    '<p style="background: url(javascript:alert(1))">styled</p>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>Go</button></form>',
    '"><script>alert("out of an attribute")</script>',
    '</script><script>alert("out of a data script")</script>',
    'x" onfocus="alert(1)" autofocus="',
    # Entities that become tags once decoded (titles and excerpts are plain text).
    "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;",
]
HOSTILE_URLS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>alert(1)</script>",
]


def article_page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def test_hostile_html_in_every_imported_field_never_reaches_a_readers_page(
    tmp_path, run_import, client
):
    def item(n, text, url):
        return post(
            n,
            f"Headline {text}",
            f"<p>Before</p>\n\n{text}\n\n<p>After</p>",
            excerpt=f"Standfirst {text}",
            comments=[comment(n, f"Remark {text}", author=f"Reader {text}"[:80], url=url)],
        )

    items = [item(0, "plain", "https://example.org/")] + [
        item(n, vector, HOSTILE_URLS[n % len(HOSTILE_URLS)])
        for n, vector in enumerate(HOSTILE, start=1)
    ]
    run_import(export(tmp_path / "hostile.xml", items))

    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == len(items) and all(a.is_public for a in articles)
    # The page's own scripts, forms, meta and link tags, as a plain article has them.
    own = Counter(executable_parts(article_page(client, articles[0])))
    assert own["<script>"] >= 3 and own["<form>"] >= 1
    for article in articles[1:]:
        page = article_page(client, article)
        added = Counter(executable_parts(page)) - own
        assert added == Counter(), (article.title, added)
        data = re.findall(
            r'<script[^>]*type="application/(?:ld\+)?json"[^>]*>(.*?)</script>', page, re.S
        )
        assert all("<" not in block for block in data), article.title
        # Inert, but there: the test saw the text of every field on the page.
        assert all(word in page for word in ("Standfirst", "Remark", "Reader")), article.title
    for item_ in Comment.objects.all():
        assert executable_parts(item_.body_html) == []
        assert item_.author_url == "" or item_.author_url.startswith("https://")


def vectors():
    found = [
        v["vector"]
        for v in json.loads(shared_file("xss", "owasp-xss-filter-evasion-vectors.json").read_text())
    ]
    found += [
        c["input"]
        for c in json.loads(shared_file("xss", "bleach-tests-data-regression.json").read_text())
    ]
    found += [
        c["input"]
        for c in json.loads(shared_file("xss", "html5lib-sanitizer-tests1.json").read_text())
    ]
    return found


def test_xss_vectors_in_an_export_never_reach_a_reader(tmp_path, run_import, client):
    found = vectors()
    groups = [found[start : start + 20] for start in range(0, len(found), 20)]
    items = [
        post(
            n,
            f"Title {n} {group[0]}",
            "\n\n".join(group),
            excerpt=" ".join(group),
            comments=[
                comment(n * 100 + k, f"Comment {v}", author=v[:80], url=v)
                for k, v in enumerate(group)
            ],
        )
        for n, group in enumerate(groups, start=1)
    ]
    run_import(export(tmp_path / "xss.xml", items))

    assert Article.objects.count() == len(items)
    assert Article.objects.published().count() >= len(items) - 2
    for article in Article.objects.all():
        assert executable_parts(article.body_html) == [], article.body_html
        if not article.is_public:  # nothing left of the body: imported as a draft
            continue
        page = client.get(article.get_absolute_url()).content.decode()
        body = page[page.index('<div class="article-body"') : page.index("</article>")]
        assert executable_parts(body) == [], body
        start = page.index('<section class="comments-region"')
        region = page[start : page.index("</section>", start)]
        # Inline feedback's data block is JSON, not script; nothing may break out of it.
        data = re.findall(r'<script[^>]*type="application/json">(.*?)</script>', region, re.S)
        assert all("<" not in block for block in data)
        region = re.sub(r'<script[^>]*type="application/json">.*?</script>', "", region, flags=re.S)
        # The region's own forms (posting, votes) are the only forms allowed.
        ours = {"<form>", "<template>"}  # the region's own forms and the report form template
        assert [p for p in executable_parts(region) if p not in ours] == [], region
    for item in Comment.objects.all():
        assert executable_parts(item.body_html) == [], item.body_html
        assert item.author_url == "" or item.author_url.startswith(("http://", "https://"))


XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
  <!ENTITY secret SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lollollollollollollollollollol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Leak &secret;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<content:encoded>Boom &lol3;</content:encoded></item>
</channel></rss>
"""


def test_entities_are_never_expanded_nor_files_read(tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_text(XXE)

    items = [r for r in WXRReader(path) if isinstance(r, WXRItem)]

    assert "root:" not in items[0].title
    assert "lollol" not in items[0].content
