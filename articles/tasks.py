"""Background work of the articles app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

# The recommender (numpy, scikit-learn) is imported by the tasks themselves, in
# the worker: web processes that only enqueue never load it.


@task()
def update_related_articles(article_id: int) -> bool:
    """Recompute one article's related list and its place in the others' lists."""
    from . import recommendations

    return recommendations.update_article(article_id)


@task()
def recompute_related_articles() -> int:
    """Refit and recompute every related list (what ``recompute_related`` does)."""
    from . import recommendations

    return recommendations.recompute_all().pk
