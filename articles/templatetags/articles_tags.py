"""Template helpers for article pages: images, structured data, bylines."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, json_script  # noqa: F401
from django.utils.safestring import SafeString, mark_safe

from ..models import Article, Image

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def picture(
    image: Image | None,
    sizes: str = "100vw",
    css_class: str = "",
    loading: str = "lazy",
    width: int = 960,
) -> SafeString | str:
    """An ``<img>`` with ``srcset`` from the stored renditions and its intrinsic size."""
    if image is None:
        return ""
    width, height = image.display_size(width)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async" class="{}">',
        image.rendition_url(width),
        image.srcset,
        sizes,
        width,
        height,
        image.alt_text,
        loading,
        css_class,
    )


def _absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.NEWSROOM_SITE_URL}{url}"


@register.simple_tag
def article_jsonld(article: Article) -> SafeString:
    """schema.org NewsArticle (or its subtype, e.g. OpinionNewsArticle) as JSON-LD."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": article.article_type.schema_type,
        "headline": article.title[:110],
        "description": article.standfirst,
        "mainEntityOfPage": _absolute(article.get_absolute_url()),
        "articleSection": article.section.name,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": (article.content_updated_at or article.published_at).isoformat()
        if article.published_at
        else None,
        "author": [
            {"@type": "Person", "name": a.name, "url": _absolute(a.get_absolute_url())}
            for a in article.byline_authors
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSROOM_SITE_NAME,
            "url": settings.NEWSROOM_SITE_URL,
            "logo": {"@type": "ImageObject", "url": _absolute(static("img/logo.png"))},
        },
        "keywords": [tag.name for tag in article.sorted_tags],
    }
    if article.hero_image:
        data["image"] = [_absolute(article.hero_image.large_url)]
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    # A data block, not a script: browsers never execute it, so the CSP allows it.
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.filter
def absolute(url: str) -> str:
    return _absolute(url)


@register.simple_tag(takes_context=True)
def page_url(context, page_number: int) -> str:
    """The current URL with ``page`` replaced, keeping other query parameters."""
    request = context["request"]
    query = request.GET.copy()
    query["page"] = page_number
    return f"?{query.urlencode()}"
