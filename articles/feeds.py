"""RSS and Atom feeds for the site, a section, a tag and an author."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from newsroom.http import mark_public

from .models import Article, Author, Section

FEED_SIZE = 30


class _ArticleFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        return mark_public(super().__call__(request, *args, **kwargs))

    def base_items(self):
        return Article.objects.published().for_listing()

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.standfirst

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.content_updated_at or item.published_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(author.name for author in item.authors.all())

    def item_categories(self, item: Article):
        return [item.section.name]


class LatestFeed(_ArticleFeed):
    def title(self) -> str:
        return settings.NEWSROOM_SITE_NAME

    def link(self) -> str:
        return reverse("articles:home")

    def description(self) -> str:
        return settings.NEWSROOM_SITE_DESCRIPTION

    def items(self):
        return self.base_items()[:FEED_SIZE]


class SectionFeed(_ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj: Section) -> str:
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj: Section) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Section) -> str:
        return obj.description or f"The latest from {obj.name}."

    def items(self, obj: Section):
        return self.base_items().filter(section=obj)[:FEED_SIZE]


class TagFeed(_ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj: Tag) -> str:
        return f"Articles tagged {obj.name}."

    def items(self, obj: Tag):
        return self.base_items().filter(tags=obj)[:FEED_SIZE]


class AuthorFeed(_ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj: Author) -> str:
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Author) -> str:
        return f"Articles by {obj.name}."

    def items(self, obj: Author):
        return self.base_items().filter(authors=obj)[:FEED_SIZE]


def atom(feed_class: type[Feed]) -> type[Feed]:
    """The Atom twin of an RSS feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})
