"""The moderation queues with 1,000,000 comments on PostgreSQL: time, queries, plans.

    .venv/bin/python bench/moderation_queue.py [--comments 1000000] [--repeat 20] [--rebuild]

Creates (or reuses) the throwaway database ``nr_bench_moderation`` on the
PostgreSQL server at 127.0.0.1:5432 (or the one named by BENCH_DATABASE_URL),
fills it with comments in a few set-based ``INSERT … SELECT generate_series``
statements (2,000 articles in 10 sections, 20,000 accounts, guests with
e-mail addresses; 90% approved, 2% pending, 4% spam, 2% rejected, 2% removed;
0.1% reported), then requests each queue page through Django's test client as
a moderator and prints the median and p90 server time and the number of SQL
queries (with the time spent in SQL on the first, uncached request), and
finally ``EXPLAIN (ANALYZE, BUFFERS)`` of every query of the pages, to show
which index each one uses.

Re-running reuses the data when the table already holds the requested number
of comments (``--rebuild`` starts again). Without a PostgreSQL server it says
so and exits (code 0): the figures are about PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nr_bench_moderation"

WORDS = (  # noqa: SIM905 -- easier to read as prose
    "council budget harbour bridge ferry traffic vote consultation residents plan cost "
    "school transport housing river market policy report numbers meeting evidence "
    "argument question answer city people local public service rates tax funding "
    "decision future community safety minister election hospital police weather"
).split()


def ensure_database(url: str) -> bool:
    """Create the bench database if needed; False when no server answers."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"SKIPPED: no PostgreSQL server at {parts.hostname}:{parts.port} ({error})")
        return False
    return True


def build(total: int) -> None:
    """Fill the database with ``total`` comments (set-based SQL, a minute or two)."""
    from django.db import connection
    from tqdm import tqdm

    steps = [
        (
            "clear",
            "TRUNCATE comments_report, comments_comment, articles_byline, "
            "articles_article, articles_section, auth_user CASCADE",
        ),
        (
            "sections",
            """
            INSERT INTO articles_section (id, name, slug, description, position,
                comment_prompt, comment_premoderation)
            SELECT g, 'Section ' || g, 'section-' || g, '', g, '', ''
            FROM generate_series(1, 10) g""",
        ),
        (
            "articles",
            """
            INSERT INTO articles_article (id, title, slug, standfirst, section_id, article_type_id,
                hero_caption, body, body_html, disclaimer_mode, status, published_at,
                is_featured, comments_mode, comment_prompt, created_at, updated_at)
            SELECT g, 'Article number ' || g, 'article-' || g, '', 1 + g % 10,
                (SELECT id FROM articles_articletype WHERE slug = 'news'), '', '<p>Body</p>',
                '<p>Body</p>', 'default', 'published', now() - interval '400 days',
                false, 'open', '', now(), now()
            FROM generate_series(1, 2000) g""",
        ),
        (
            "accounts",
            """
            INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name,
                email, is_staff, is_active, date_joined)
            SELECT g, '!', false, 'reader' || g, 'Reader', 'Number ' || g,
                'reader' || g || '@example.com', false, true, now()
            FROM generate_series(1, 20000) g""",
        ),
        (
            "comments",
            """
            INSERT INTO comments_comment (id, article_id, parent_id, thread_id, in_reply_to_id,
                depth, path, user_id, author_name, author_email, author_url, author_role, body,
                body_html, status, moderation_reason, ip_address, client_hash, upvotes,
                downvotes, score, descendant_count, created_at, edited_at, status_changed_at,
                spam_score, spam_signals, body_fingerprint, report_count, pinned_at)
            SELECT g, 1 + (g * 7919) % 2000, NULL, g, NULL, 0, lpad(g::text, 12, '0'),
                CASE WHEN g % 10 < 3 THEN 1 + (g * 31) % 20000 END,
                CASE WHEN g % 10 < 3 THEN 'Reader Number ' || (1 + (g * 31) % 20000)
                     ELSE 'Guest ' || (g % 50000) END,
                CASE WHEN g % 10 < 3 THEN 'reader' || (1 + (g * 31) % 20000) || '@example.com'
                     ELSE 'guest' || (g % 50000) || '@example.org' END,
                '', '', t.body, '<p>' || t.body || '</p>',
                CASE WHEN g % 50 = 1 THEN 'pending' WHEN g % 25 = 2 THEN 'spam'
                     WHEN g % 50 = 3 THEN 'rejected' WHEN g % 50 = 4 THEN 'removed'
                     ELSE 'approved' END,
                '', ('10.' || (g % 250) || '.' || ((g / 250) % 250) || '.' || (g % 200))::inet,
                '', 0, 0, 0, 0, now() - (g::float / %(total)s) * interval '365 days',
                NULL, NULL, (g * 13) % 100, '[]'::jsonb, '', 0, NULL
            FROM generate_series(1::bigint, %(total)s) g
            CROSS JOIN LATERAL (
                SELECT (%(words)s)[1 + (g * 17) % %(n)s] || ' '
                    || (%(words)s)[1 + (g * 29) % %(n)s] || ' '
                    || (%(words)s)[1 + (g * 43) % %(n)s] || ', comment ' || g
                    || ' about the ' || (%(words)s)[1 + (g * 59) % %(n)s] AS body
            ) t""",
        ),
        (
            "reports",
            """
            INSERT INTO comments_report (comment_id, reporter, client, user_id, reason, note,
                created_at, resolution, handled_at, handled_by_id)
            SELECT c.id, 'g:bench-' || c.id || '-' || r, '', NULL,
                (ARRAY['spam', 'abuse', 'off_topic', 'other'])[1 + (c.id + r) % 4],
                CASE WHEN r = 1 THEN 'Reported in the benchmark' ELSE '' END,
                c.created_at + interval '1 hour', '', NULL, NULL
            FROM comments_comment c CROSS JOIN generate_series(1, 1 + c.id % 3) r
            WHERE c.id % 1000 = 7 AND c.status = 'approved'""",
        ),
        (
            "report counts",
            """
            UPDATE comments_comment c SET report_count = r.n
            FROM (SELECT comment_id, count(*) AS n FROM comments_report GROUP BY comment_id) r
            WHERE r.comment_id = c.id""",
        ),
        (
            "sequences",
            """
            SELECT setval(pg_get_serial_sequence('comments_comment', 'id'), %(total)s),
                setval(pg_get_serial_sequence('auth_user', 'id'), 20000),
                setval(pg_get_serial_sequence('articles_article', 'id'), 2000),
                setval(pg_get_serial_sequence('articles_section', 'id'), 10)""",
        ),
        # What autovacuum does on a live site: the visibility map (index-only
        # scans) and the planner's statistics.
        ("vacuum", "VACUUM ANALYZE comments_comment"),
        ("analyze", "ANALYZE"),
    ]
    words = "ARRAY[" + ", ".join(f"'{word}'" for word in WORDS) + "]"
    with connection.cursor() as cursor:
        for name, sql in tqdm(steps, desc="building", unit="step"):
            started = time.perf_counter()
            sql = (
                sql.replace("%(total)s", str(total))
                .replace("%(words)s", words)
                .replace("%(n)s", str(len(WORDS)))
                .replace("%%", "%")
            )
            cursor.execute(sql)
            tqdm.write(f"  {name:<14} {time.perf_counter() - started:6.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not ensure_database(url):
        return
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from articles.models import Section
    from comments import queues
    from comments.models import Comment
    from comments.moderation_views import _filters

    call_command("migrate", verbosity=0, interactive=False)
    have = Comment.objects.count() if not args.rebuild else -1
    if have != args.comments:
        build(args.comments)
    else:
        print(f"Reusing the {have:,} comments already in the database (--rebuild to start over).")

    from django.contrib.auth import get_user_model

    moderator, _ = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True}
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(moderator)
    sample = Comment.objects.filter(pk=123_457).values("author_email", "user_id").first() or {}
    deep = (
        Comment.objects.filter(status="approved", pk__gte=args.comments * 3 // 4)
        .order_by("pk")
        .values_list("created_at", "pk")[0]
    )
    from comments.queues import encode_cursor

    deep_cursor = encode_cursor(Comment(created_at=deep[0], pk=deep[1]))
    pages = [
        ("pending (newest first)", "/moderation/pending/"),
        ("reported", "/moderation/reported/"),
        ("spam", "/moderation/spam/"),
        ("approved", "/moderation/approved/"),
        ("approved, 3/4 of the way down", f"/moderation/approved/?after={deep_cursor}"),
        ("pending, oldest first", "/moderation/pending/?order=oldest"),
        ("approved, one article", "/moderation/approved/?article=1234"),
        ("approved, one section", "/moderation/approved/?section=section-3"),
        (
            "approved, one guest address",
            f"/moderation/approved/?author={sample.get('author_email', '')}",
        ),
        ("approved, text search", "/moderation/approved/?q=harbour"),
        ("pending, dates", "/moderation/pending/?since=2026-01-01&until=2026-03-31"),
    ]
    print(
        f"\nPostgreSQL {connection.pg_version // 10000}, {Comment.objects.count():,} comments "
        f"(estimates above {django.conf.settings.NEWSROOM_MODERATION_EXACT_COUNT_LIMIT:,}); "
        f"{args.repeat} requests per page, 50 comments per page\n"
    )
    print(f"{'page':<34} {'queries':>7} {'SQL':>8} {'p50':>9} {'p90':>9}  counts shown")
    captured_by_page = {}
    for label, path in pages:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        # Read the log at once: later requests reset it.
        captured_by_page[label] = [q["sql"] for q in captured.captured_queries]
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        p90 = statistics.quantiles(samples, n=10)[8] if len(samples) > 1 else samples[0]
        request = RequestFactory().get(path)
        _form, filters = _filters(request, list(Section.objects.all()))
        counts = " ".join(f"{c.queue[:4]}={c.display}" for c in queues.counts(filters))
        print(
            f"{label:<34} {len(captured_by_page[label]):>7} {sql_ms:>6.1f}ms "
            f"{statistics.median(samples):>7.1f}ms "
            f"{p90:>7.1f}ms  {counts}"
        )

    print("\nQuery plans (EXPLAIN ANALYZE) of the comment queries behind each page:")
    shown: set[str] = set()
    with connection.cursor() as cursor:
        for label, queries in captured_by_page.items():
            for sql in queries:
                if "comments_" not in sql or sql.startswith("EXPLAIN") or sql in shown:
                    continue
                shown.add(sql)
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
                plan = "\n".join(f"    {row[0]}" for row in cursor.fetchall())
                short = sql if len(sql) < 400 else sql[:400] + " …"
                print(f"\n-- {label}\n   {short}\n{plan}")


if __name__ == "__main__":
    main()
