"""The imported site's old WordPress addresses answer with permanent redirects.

WordPress linked a post as ``/?p=123``, and (depending on its permalink
setting) as ``/2019/05/03/the-slug/``, ``/2019/05/the-slug/`` or
``/the-slug/``. Search engines and other sites keep those links; this
middleware sends them to the imported article with a 301.

The site's own URLs are never shadowed: a path is looked up only after the
site answered 404 (``/the-slug/`` is a section's address when a section has
that slug), and ``/?p=`` only on the home page, where WordPress used it. One
indexed query per lookup; only articles readers may see are redirected to.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from newsroom.http import mark_public

from .models import WordPressPost

_DATED = re.compile(r"^/(\d{4})/(?:(\d{2})/)?(?:(\d{2})/)?([^/]+)/?$")
_SINGLE = re.compile(r"^/([^/]+)/?$")


def _first_public_url(candidates) -> str | None:
    for row in candidates.select_related("article__section").order_by("-updated_at")[:5]:
        if row.article.is_public:
            return row.article.get_absolute_url()
    return None


def article_url_for_id(wp_id: int) -> str | None:
    """Where ``/?p=<wp_id>`` should go now, if anywhere."""
    return _first_public_url(WordPressPost.objects.filter(wp_id=wp_id, article__isnull=False))


def article_url_for_path(path: str) -> str | None:
    """Where an old WordPress permalink should go now, if anywhere."""
    dated = _DATED.match(path)
    if dated:
        year, month, day, slug = dated.groups()
        rows = WordPressPost.objects.filter(
            wp_slug=slug, article__isnull=False, published_on__year=int(year)
        )
        if month:
            rows = rows.filter(published_on__month=int(month))
        if day:
            rows = rows.filter(published_on__day=int(day))
        return _first_public_url(rows)
    single = _SINGLE.match(path)
    if single:
        return _first_public_url(
            WordPressPost.objects.filter(wp_slug=single.group(1), article__isnull=False)
        )
    return None


class WordPressRedirectMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        post_id = request.GET.get("p", "")
        if request.path == "/" and post_id.isdigit() and len(post_id) < 19:
            target = article_url_for_id(int(post_id))
            if target:
                return mark_public(HttpResponsePermanentRedirect(target))
        response = self.get_response(request)
        if response.status_code == 404:
            target = article_url_for_path(request.path)
            if target:
                return mark_public(HttpResponsePermanentRedirect(target))
        return response
