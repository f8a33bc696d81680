"""Article page server time and query count with 50, 500 and 5,000 comments.

    .venv/bin/python bench/comments_page.py [--repeat 30]

Builds a throwaway database (SQLite in a temporary folder, or the PostgreSQL
server named by BENCH_DATABASE_URL), one article per size with threaded
discussions (replies at depths 2–5, 20–80 words each), then requests each
article page through Django's test client and prints the median and p90
server time, cold (the app's caches cleared before every request) and warm
(comment fragment cached), with the number of SQL queries per view.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
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

    from bench.fixtures import build_discussion
    from tests.factories import ArticleFactory

    settings.MEDIA_ROOT = Path(workdir) / "media"
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "postgresql":
        call_command("flush", verbosity=0, interactive=False)
        call_command("migrate", verbosity=0, interactive=False)

    sizes = [(50, 20), (500, 200), (5000, 2000)]
    client = Client()
    print(f"database: {connection.vendor}; {args.repeat} requests per figure\n")
    heads = ("comments", "queries", "cold p50", "cold p90", "warm p50", "warm p90")
    print(" ".join(f"{head:>9}" for head in heads))
    for total, top in sizes:
        article = ArticleFactory(title=f"Bench article with {total} comments")
        build_discussion(article, comments=total, top_level=top)
        url = article.get_absolute_url()

        def timed(clear: bool, url: str = url) -> list[float]:
            samples = []
            for _ in range(args.repeat):
                if clear:
                    cache.clear()
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            return samples

        cache.clear()
        connection.ensure_connection()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # read now: the next request resets the log
        cold = timed(True)
        client.get(url)
        warm = timed(False)

        def p(values, q):
            return statistics.quantiles(values, n=10)[q - 1] if len(values) > 1 else values[0]

        print(
            f"{total:>9} {query_count:>8} {statistics.median(cold):>7.1f}ms {p(cold, 9):>7.1f}ms "
            f"{statistics.median(warm):>7.1f}ms {p(warm, 9):>7.1f}ms"
        )


if __name__ == "__main__":
    main()
