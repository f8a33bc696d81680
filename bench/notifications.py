"""Comment notifications at scale: the request, the fan-out, sending, digests.

    .venv/bin/python bench/notifications.py [--followers 10000] [--repeat 20]

Builds a throwaway database (SQLite in a temporary folder, or the PostgreSQL
server named by BENCH_DATABASE_URL) with the database task backend, then
prints:

1. posting a comment over HTTP on articles followed by 0, 100, 1,000 and
   ``--followers`` addresses: median and p90 server time and the number of
   queries, including what runs after the commit (waking the worker). It
   must not grow with the number of followers;
2. the worker fanning one comment out to ``--followers`` addresses;
3. the worker sending those messages (rendering, CSS inlining, marking each
   sent) through Django's in-memory mail backend: our cost per message,
   without a mail server's;
4. building the daily digests of ``--followers`` subscribers (3 comments each)
   and sending them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=10_000)
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
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from comments import delivery
    from comments.forms import new_timestamp
    from comments.models import OutboxMessage
    from tests.factories import ArticleFactory, bulk_subscribers, make_comment

    settings.MEDIA_ROOT = Path(workdir) / "media"
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "postgresql":
        # A reused database: empty it, then put back what data migrations made.
        from importlib import import_module

        from django.apps import apps

        from tests.conftest import SEED_MIGRATIONS

        call_command("flush", verbosity=0, interactive=False)
        for module, function in SEED_MIGRATIONS:
            getattr(import_module(module), function)(apps, None)
    overrides = override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        NEWSROOM_COMMENT_MIN_SECONDS=0,
        NEWSROOM_COMMENT_POST_RATE="100000/m",
    )
    overrides.enable()
    print(f"database: {connection.vendor}; {args.repeat} posts per figure\n")

    def p90(values):
        return statistics.quantiles(values, n=10)[8] if len(values) > 1 else values[0]

    # 1. The request ---------------------------------------------------------------------
    print("1. Posting a comment (HTTP, incl. waking the worker after commit)")
    print(f"{'followers':>10} {'queries':>8} {'p50':>9} {'p90':>9}")
    client = Client()
    sizes = sorted({0, 100, 1000, args.followers})
    for size in sizes:
        article = ArticleFactory(title=f"Followed by {size}")
        bulk_subscribers(article, size, prefix=f"a{size}-")
        data = {"article": article.pk, "name": "Bench", "email": "bench@example.com"}
        samples, queries = [], 0
        for n in range(args.repeat + 1):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.post(
                    "/comments/post/", {**data, "body": f"Comment {n}", "ts": new_timestamp()}
                )
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 302, response.status_code
            if n:  # the first one warms up
                samples.append(elapsed)
                queries = len(captured)
        print(
            f"{size:>10,} {queries:>8} {statistics.median(samples):>7.1f}ms {p90(samples):>7.1f}ms"
        )
    # Those posts were comments; the worker has not run. Start clean for (2).
    from comments.models import NotificationEvent

    NotificationEvent.objects.update(processed_at=timezone.now())

    # 2. Fan-out ---------------------------------------------------------------------------
    article = ArticleFactory(title="The big one")
    bulk_subscribers(article, args.followers, prefix="big-")
    make_comment(article, body="Everyone hears of this.", author_email="writer@example.com")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        stats = delivery.fan_out_events()
    elapsed = time.perf_counter() - started
    print(
        f"\n2. Fan-out of one comment to {stats['messages']:,} followers: "
        f"{elapsed * 1000:.0f} ms, {len(captured)} queries"
    )

    # 3. Sending -----------------------------------------------------------------------------
    started = time.perf_counter()
    sent = batches = 0
    while True:
        batch = delivery.deliver_due(limit=settings.NEWSROOM_NOTIFY_BATCH)
        if not batch["claimed"]:
            break
        sent += batch["sent"]
        batches += 1
        mail.outbox.clear()
    elapsed = time.perf_counter() - started
    print(
        f"\n3. Sending {sent:,} messages in {batches} batches of "
        f"{settings.NEWSROOM_NOTIFY_BATCH}: {elapsed:.1f} s, "
        f"{sent / elapsed:,.0f} messages/s ({elapsed / max(sent, 1) * 1000:.2f} ms each)"
    )

    # 4. Digests -------------------------------------------------------------------------------
    digest_article = ArticleFactory(title="Daily readers")
    bulk_subscribers(digest_article, args.followers, delivery="daily", prefix="daily-")
    for n in range(3):
        make_comment(digest_article, body=f"Digest item {n}.", author_email="w@example.com")
    delivery.fan_out_events()
    held = OutboxMessage.objects.filter(state="held").count()
    tomorrow = timezone.now() + timedelta(days=1)  # past the next digest hour
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        built = delivery.build_digests(now=tomorrow)
    build_time = time.perf_counter() - started
    again = delivery.build_digests(now=tomorrow)
    started = time.perf_counter()
    sent = 0
    while True:
        batch = delivery.deliver_due(now=tomorrow)
        if not batch["claimed"]:
            break
        sent += batch["sent"]
        mail.outbox.clear()
    send_time = time.perf_counter() - started
    print(
        f"\n4. Digests: {held:,} held notifications -> {built['digests']:,} digests in "
        f"{build_time:.1f} s ({len(captured)} queries); a second run built "
        f"{again['digests']}; sent in {send_time:.1f} s ({sent / send_time:,.0f} digests/s)"
    )
    overrides.disable()


if __name__ == "__main__":
    main()
