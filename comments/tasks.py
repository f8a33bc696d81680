"""Background tasks of the comments app."""

from __future__ import annotations

from django_tasks import task

from newsroom.purge import purge_now


@task()
def purge_discussion_pages(article_id: int, thread_id: int | None = None) -> dict[str, int]:
    """Drop an article's page and its comment fragments from the shared caches."""
    from articles.models import Article

    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if article is None:
        return {"done": 0, "failed": 0}
    paths = [f"{article.get_absolute_url()}*", f"/comments/article/{article_id}/*"]
    if thread_id:
        paths.append(f"/comments/thread/{thread_id}/*")
    return purge_now(paths)
