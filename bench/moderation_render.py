"""Server time of one moderation queue page of 50 comments, and where it goes.

    .venv/bin/python bench/moderation_render.py [--repeat 50]

``bench/moderation_queue.py`` measures the queues' SQL with a million
comments on PostgreSQL; this one measures the rest of the page: it builds a
throwaway SQLite database (or uses BENCH_DATABASE_URL) with one full page of
50 held comments of every shape a moderator sees (replies, inline feedback
with its passage, readers' reports with notes, spam signals, accounts and
guests with histories), requests ``/moderation/pending/`` through Django's
test client as a moderator and prints:

* the median and p90 server time of the whole page (and its CPU time) and
  its number of queries;
* the time spent in SQL, measured on the same requests;
* the median time to render the comment rows alone (no SQL: the page's
  comments are loaded once, then rendered again and again).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(article_count: int = 5) -> None:
    """50+ held comments: replies, feedback, reports, signals, accounts and guests."""
    from django.utils import timezone

    from comments import services
    from comments.models import Anchor, Comment
    from tests.factories import ArticleFactory, UserFactory, make_comment, make_report

    articles = [ArticleFactory(title=f"Bench article {n}") for n in range(article_count)]
    users = [UserFactory() for _ in range(5)]
    now = timezone.now()
    for n in range(60):
        article = articles[n % article_count]
        parent = None
        if n % 3 == 1:
            parent = make_comment(article, body=f"The comment that reply {n} answers.")
        body = (
            f"Comment {n}: the council should publish the whole budget, line by line, "
            "so that residents can see what is being cut and what is not. "
            "Visit http://example.org/budget for the figures."
        )
        comment = make_comment(
            article,
            body=body,
            parent=parent,
            user=users[n % 5] if n % 2 else None,
            author_name=f"Reader {n}",
            author_email=f"reader{n % 9}@example.com",
            status=Comment.Status.APPROVED if n % 4 == 0 else Comment.Status.PENDING,
        )
        if n % 4 == 0:
            for r in range(2):
                make_report(comment, reason="abuse", note=f"Report {r} on {n}")
            services.comment_set_status(comment=comment, status=Comment.Status.PENDING)
        if n % 5 == 2 and parent is None:
            Anchor.objects.create(
                comment=comment,
                article=article,
                exact="The bridge will close for fourteen months",
                original_exact="The bridge will close for fourteen months",
                start=0,
                end=40,
                block_id="b1",
                end_block_id="b1",
                resolved_at=now,
            )
        Comment.objects.filter(pk=comment.pk).update(
            spam_score=35,
            spam_signals=[
                {"name": "links", "points": 15, "detail": "1 link"},
                {"name": "self-promotion", "points": 30, "detail": "“visit my”"},
                {"name": "history", "points": -10, "detail": "a regular"},
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from comments import queues
    from comments.render import render_queue_items
    from tests.factories import moderator

    settings.MEDIA_ROOT = Path(workdir) / "media"
    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "postgresql":
        call_command("flush", verbosity=0, interactive=False)
        call_command("migrate", verbosity=0, interactive=False)
    build()

    user = moderator(username="bench-moderator")
    client = Client()
    client.force_login(user)
    url = "/moderation/pending/"
    client.get(url)  # the session's first staff request saves it

    spent = [0.0]

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    samples, cpu, sql = [], [], []
    for _ in range(args.repeat):
        spent[0] = 0.0
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed_sql):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
        sql.append(spent[0] * 1000)
    rows = response.content.decode().count('class="mod-item ')
    queries = len(captured)

    page = queues.page("pending", queues.Filters())
    row_samples, row_cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        render_queue_items(page.comments, queue="pending")
        row_samples.append((time.perf_counter() - started) * 1000)
        row_cpu.append((time.process_time() - started_cpu) * 1000)

    p90 = statistics.quantiles(samples, n=10)[8]
    print(f"database: {connection.vendor}; {args.repeat} requests; {rows} comments on the page\n")
    median = statistics.median
    print(
        f"  whole page     p50 {median(samples):7.1f} ms   p90 {p90:7.1f} ms   "
        f"CPU p50 {median(cpu):7.1f} ms"
    )
    print(f"  of which SQL   p50 {median(sql):7.1f} ms   ({queries} queries)")
    print(
        f"  rows alone     p50 {median(row_samples):7.1f} ms   "
        f"CPU p50 {median(row_cpu):7.1f} ms   (rendering only, no SQL)"
    )


if __name__ == "__main__":
    main()
