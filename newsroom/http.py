"""HTTP caching for the anonymous reader pages.

Reader pages (home, sections, tags, authors, articles) are the same for every
visitor: nothing per reader is rendered into them (no CSRF token, no name, no
own pending comments). They can therefore be stored by a shared cache
(nginx ``proxy_cache``, Varnish, a CDN). Per-reader state comes from small,
uncached JSON endpoints read by JavaScript.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache, wraps

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag

#: Seconds a shared cache may keep a "not found" answer.
NOT_FOUND_S_MAXAGE = 10


def mark_public(response, *, s_maxage: int | None = None):
    """Let shared caches keep a successful response for ``s_maxage`` seconds."""
    if response.status_code in (200, 301, 304, 404) and not response.has_header("Cache-Control"):
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

    def get_s_maxage(self) -> int | None:
        """How long shared caches may keep the page (None: the site's default)."""
        return None

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 404:
            # A page that does not exist yet (an article scheduled for later)
            # must not stay cached long after it appears.
            return mark_public(response, s_maxage=NOT_FOUND_S_MAXAGE)
        return mark_public(response, s_maxage=self.get_s_maxage())


class PrivatePageMixin:
    def dispatch(self, request, *args, **kwargs):
        return mark_private(super().dispatch(request, *args, **kwargs))


class PrivateByDefaultMiddleware:
    """A response that no view declared cacheable is sent ``private, no-store``.

    Reader views say ``public`` themselves (``mark_public``). What else there
    is carries a form's CSRF token or the reader's own data, such as allauth's
    password-reset, e-mail, password, two-factor and sessions pages: their views
    are not ours and say nothing about caching, so a shared cache could keep
    them by heuristics and a browser could show them again after sign-out.

    Listed after ``ConditionalGetMiddleware``, so it sees responses first and
    no ETag is computed for what it makes ``no-store``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            mark_private(response)
        return response


#: Folders whose files shape the pages: a deploy that changes them changes ETags.
RELEASE_FOLDERS = ("templates", "static", "newsroom", "articles", "comments", "accounts")


@lru_cache(maxsize=1)
def release_id() -> str:
    """An identifier of the code and templates now serving (``NEWSROOM_RELEASE`` if set)."""
    explicit = os.environ.get("NEWSROOM_RELEASE")
    if explicit:
        return explicit
    digest = hashlib.sha1()  # noqa: S324 -- an identifier, not security
    for folder in RELEASE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:12]


def page_etag(*parts: object) -> str:
    """A strong ETag for a page whose content is fully determined by ``parts``."""
    state = "|".join(str(part) for part in (release_id(), *parts))
    return quote_etag(hashlib.sha1(state.encode()).hexdigest()[:24])  # noqa: S324


def not_modified(request, etag: str):
    """A 304 response if the client (or shared cache) already has this version, else None."""
    response = get_conditional_response(request, etag=etag)
    if response is not None and response.status_code == 304:
        response["ETag"] = etag
        return mark_public(response)
    return None
