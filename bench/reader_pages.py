"""Reader pages' server time and query count with 100, 1,000 and 10,000 articles.

    .venv/bin/python bench/reader_pages.py [--repeat 20]

Builds a throwaway database (SQLite in a temporary folder, or the PostgreSQL
server named by BENCH_DATABASE_URL) and grows it in steps: published articles
in eight sections, each with two or three authors (from a pool that grows
with the articles) and three tags (one shared). After each step it requests
the home, section, tag, author, article and search pages and the site feed
through Django's test client and prints the query count and the median and
p90 server time. The query count must not change from one step to the next.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPHS = [
    "Councillors met late into the evening to weigh the plan against the cost of doing nothing.",
    "Residents who spoke at the meeting said they had waited years for a decision.",
    "Officials said work could begin in the spring once contractors had been appointed.",
    "Not everyone was convinced, and several traders asked for a phased timetable.",
    "A final decision is expected before the summer recess.",
]


def grow(total: int, *, rng: random.Random) -> None:
    """Bring the number of published articles up to ``total``, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles import html
    from articles.models import Article, ArticleType, Author, Byline, Section

    sections = list(Section.objects.all())
    if not sections:
        sections = [
            Section.objects.create(name=f"Section {n}", slug=f"section-{n}", position=n)
            for n in range(8)
        ]
    types = list(ArticleType.objects.all())
    existing = Article.objects.count()
    if existing >= total:
        return
    wanted_authors = max(10, total // 5)
    have = Author.objects.count()
    Author.objects.bulk_create(
        [Author(name=f"Writer {n}", slug=f"writer-{n}") for n in range(have, wanted_authors)]
    )
    authors = list(Author.objects.values_list("pk", flat=True))
    shared, _ = Tag.objects.get_or_create(name="Harbour", slug="harbour")
    body = html.clean_body("".join(f"<p>{p}</p>" for p in PARAGRAPHS * 3))
    now = timezone.now()
    new = [
        Article(
            title=f"Council weighs plan number {n}",
            slug=f"plan-{n}",
            standfirst="A short summary of what happened and why it matters.",
            section=rng.choice(sections),
            article_type=rng.choice(types),
            body=body,
            body_html=body,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 1),
        )
        for n in range(existing, total)
    ]
    created = Article.objects.bulk_create(new, batch_size=500)
    created = list(Article.objects.filter(slug__in=[a.slug for a in new]).only("pk"))
    Byline.objects.bulk_create(
        [
            Byline(article_id=article.pk, author_id=author, position=position)
            for article in created
            for position, author in enumerate(rng.sample(authors, rng.choice((2, 3))))
        ],
        batch_size=1000,
    )
    tags = Tag.objects.bulk_create(
        [Tag(name=f"Topic {article.pk}", slug=f"topic-{article.pk}") for article in created],
        batch_size=1000,
    )
    tags = {tag.slug: tag for tag in Tag.objects.filter(slug__startswith="topic-")}
    content_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=content_type, object_id=article.pk, tag=tag)
            for article in created
            for tag in (shared, tags[f"topic-{article.pk}"])
        ],
        batch_size=1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Author

    settings.MEDIA_ROOT = Path(workdir) / "media"
    if connection.vendor == "postgresql":
        call_command("flush", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)

    rng = random.Random(7)
    client = Client()
    print(f"database: {connection.vendor}; {args.repeat} requests per figure\n")
    print(f"{'articles':>9} {'page':<8} {'queries':>7} {'p50':>9} {'p90':>9}")
    for total in (100, 1_000, 10_000):
        grow(total, rng=rng)
        article = Article.objects.select_related("section").order_by("-published_at")[0]
        author = Author.objects.filter(articles=article).first()
        pages = {
            "home": "/",
            "section": article.section.get_absolute_url(),
            "tag": "/tag/harbour/",
            "author": author.get_absolute_url(),
            "article": article.get_absolute_url(),
            "search": "/search/?q=plan",
            "feed": "/feeds/rss/",
        }
        for name, url in pages.items():
            cache.clear()
            connection.ensure_connection()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            count = len(queries)
            samples = []
            for _ in range(args.repeat):
                cache.clear()  # the app's own fragment caches: measure the real work
                started = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            p90 = statistics.quantiles(samples, n=10)[8]
            print(
                f"{total:>9} {name:<8} {count:>7} {statistics.median(samples):>7.1f}ms "
                f"{p90:>7.1f}ms"
            )
        print()


if __name__ == "__main__":
    main()
