"""The first page of threads is read from an index on PostgreSQL, not sorted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.threads import thread_page
from tests.factories import ArticleFactory, bulk_comments

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index is PostgreSQL's (SQLite sorts)"
)
def test_first_page_of_newest_threads_reads_the_index_without_sorting():
    article = ArticleFactory()
    bulk_comments(article, threads=2000)
    bulk_comments(ArticleFactory(), threads=500)  # another article's threads
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE comments_comment")

    with CaptureQueriesContext(connection) as queries:
        page = thread_page(article, sort="newest")
    roots_sql = next(q["sql"] for q in queries if "ORDER BY" in q["sql"] and "LIMIT" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + roots_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert len(page.comments) == page.per_page
    assert "comment_threads_newest" in plan
    assert "Sort" not in plan.split("comment_threads_newest")[0]
