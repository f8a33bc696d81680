"""HTTP caching for the anonymous reader pages.

Reader pages (home, sections, tags, authors, articles) are the same for every
visitor: nothing per reader is rendered into them (no CSRF token, no name, no
own pending comments). They can therefore be stored by a shared cache
(nginx ``proxy_cache``, Varnish, a CDN). Per-reader state comes from small,
uncached JSON endpoints read by JavaScript.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control


def mark_public(response, *, s_maxage: int | None = None):
    """Let shared caches keep a successful response for ``s_maxage`` seconds."""
    if response.status_code in (200, 301, 404) and not response.has_header("Cache-Control"):
        patch_cache_control(
            response,
            public=True,
            max_age=settings.NEWSROOM_PUBLIC_MAX_AGE,
            s_maxage=settings.NEWSROOM_PUBLIC_S_MAXAGE if s_maxage is None else s_maxage,
            stale_while_revalidate=settings.NEWSROOM_PUBLIC_STALE_WHILE_REVALIDATE,
        )
    return response


def mark_private(response):
    """Never store this response in any cache (per-reader data, forms with tokens)."""
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def public_page(view):
    """Decorator for function views whose output is the same for every reader."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_public(view(request, *args, **kwargs))

    return wrapper


class PublicPageMixin:
    """For class-based views whose output is the same for every reader."""

    def dispatch(self, request, *args, **kwargs):
        return mark_public(super().dispatch(request, *args, **kwargs))


class PrivatePageMixin:
    def dispatch(self, request, *args, **kwargs):
        return mark_private(super().dispatch(request, *args, **kwargs))
