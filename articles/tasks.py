"""Background work of the articles app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from . import recommendations


@task()
def update_related_articles(article_id: int) -> bool:
    """Recompute one article's related list and its place in the others' lists."""
    return recommendations.update_article(article_id)


@task()
def recompute_related_articles() -> int:
    """Refit and recompute every related list (what ``recompute_related`` does)."""
    return recommendations.recompute_all().pk
