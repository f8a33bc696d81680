"""Background tasks of the articles app."""

from __future__ import annotations

from django_tasks import task

from newsroom.purge import purge_now


def article_page_paths(article_id: int) -> list[str]:
    """Every public path whose content shows this article (for shared-cache purges)."""
    from .models import Article, ArticleSlugRedirect

    article = (
        Article.objects.select_related("section")
        .prefetch_related("tags", "authors")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        return []
    paths = [
        f"{article.get_absolute_url()}*",
        "/",
        f"{article.section.get_absolute_url()}*",
        "/feeds/*",
        "/sitemap.xml",
        "/news-sitemap.xml",
    ]
    paths += [f"/tag/{tag.slug}/*" for tag in article.tags.all()]
    paths += [f"{author.get_absolute_url()}*" for author in article.authors.all()]
    section = article.section.slug
    paths += [
        f"/{section}/{old}/"
        for old in ArticleSlugRedirect.objects.filter(article=article).values_list(
            "old_slug", flat=True
        )
    ]
    return paths


@task()
def purge_article_pages(article_id: int) -> dict[str, int]:
    """Drop the pages showing an article from the shared caches (after a change)."""
    return purge_now(article_page_paths(article_id))
