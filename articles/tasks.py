"""Background tasks of the articles app."""

from __future__ import annotations

from django_tasks import task

from newsroom.purge import page_keys, purge_now

# The recommender (numpy, scikit-learn) is imported by the tasks themselves, in
# the worker: web processes that only enqueue never load it.


@task()
def update_related_articles(article_id: int) -> bool:
    """Recompute one article's related list and its place in the others' lists."""
    from . import recommendations

    return recommendations.update_article(article_id)


@task()
def renew_related_pages(article_id: int) -> int:
    """A scheduled article went live by the clock alone: the pages whose related block
    shows it now get a new version (their cached copies predate it)."""
    from . import recommendations
    from .models import RelatedArticle, RelatedPin

    owners = set(
        RelatedArticle.objects.filter(target_id=article_id).values_list("article_id", flat=True)
    )
    owners.update(
        RelatedPin.objects.filter(target_id=article_id).values_list("article_id", flat=True)
    )
    recommendations.renew_pages(owners)
    return len(owners)


@task()
def recompute_related_articles() -> int:
    """Refit and recompute every related list (what ``recompute_related`` does)."""
    from . import recommendations

    return recommendations.recompute_all().pk


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
        *page_keys(article.get_absolute_url()),
        "/",
        article.section.get_absolute_url(),
        f"{article.section.get_absolute_url()}*",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/*",
        "/sitemap.xml",
        "/news-sitemap.xml",
    ]
    for tag in article.tags.all():
        paths += [f"/tag/{tag.slug}/", f"/tag/{tag.slug}/*"]
    for author in article.authors.all():
        paths += [author.get_absolute_url(), f"{author.get_absolute_url()}*"]
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
