"""sitemap.xml sections, and the Google News sitemap (articles of the last two days)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .models import Article, Author, Section


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Article.objects.published().select_related("section").order_by("-published_at")

    def lastmod(self, item: Article):
        return item.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Section.objects.all()


class AuthorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Author.objects.filter(articles__in=Article.objects.published()).distinct()


class TagSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Article),
                taggit_taggeditem_items__object_id__in=Article.objects.published().values("pk"),
            )
            .distinct()
            .order_by("name")
        )

    def location(self, item: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": item.slug})


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}


def news_sitemap_articles():
    """Articles for the news sitemap: published in the last two days, at most 1,000."""
    since = timezone.now() - timedelta(days=2)
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .select_related("section")
        .order_by("-published_at")[:1000]
    )
