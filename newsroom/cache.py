"""Version keys for the app's own caches.

Expensive fragments (an article's comment tree, a listing) are cached under a
key that embeds a *version*; changing something bumps the version, so stale
entries are simply never read again and expire on their own. Versions start
from the clock, so a version lost with a flushed cache is never reused.

>>> key = f"comments:{article.pk}:{get_version(f'article:{article.pk}')}"
>>> bump(f"article:{article.pk}")   # after a comment is approved

If the cache backend is unavailable (Redis down), ``get_version`` returns
None and callers skip caching: the site serves, only slower.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_TIMEOUT = 60 * 60 * 24 * 30


def _key(name: str) -> str:
    return f"version:{name}"


def get_version(name: str) -> str | None:
    """The current version of ``name``, creating one if there is none yet."""
    try:
        value = cache.get(_key(name))
        if value is None:
            candidate = time.time_ns()
            cache.add(_key(name), candidate, VERSION_TIMEOUT)
            value = cache.get(_key(name))
    except Exception:  # the cache is an optimisation, never a failure
        logger.warning("cache unavailable reading version %s", name, exc_info=True)
        return None
    return None if value is None else str(value)


def get_versions(*names: str) -> str | None:
    """One string combining several versions (None if any is unavailable)."""
    try:
        found = cache.get_many([_key(name) for name in names])
    except Exception:
        logger.warning("cache unavailable reading versions", exc_info=True)
        return None
    parts = []
    for name in names:
        value = found.get(_key(name))
        if value is None:
            value = get_version(name)
            if value is None:
                return None
        parts.append(str(value))
    return "-".join(parts)


def bump(*names: str) -> None:
    """Invalidate everything cached under the versions of ``names``."""
    now = time.time_ns()
    try:
        cache.set_many({_key(name): now for name in names}, VERSION_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable bumping %s", names, exc_info=True)


# --- The versions an article page depends on -----------------------------------
# Named here, in the project, because the page combines several apps' parts:
# the article itself, its discussion and its related articles, plus the
# editorial settings shared by all pages (sections, authors, disclaimers).

EDITORIAL = "editorial"


def article_version_name(article_id: int) -> str:
    return f"article:{article_id}"


def discussion_version_name(article_id: int) -> str:
    return f"comments:{article_id}"


def related_version_name(article_id: int) -> str:
    return f"related:{article_id}"


def article_page_versions(article_id: int) -> str | None:
    """One string that changes whenever anything on the article's page changes."""
    return get_versions(
        EDITORIAL,
        article_version_name(article_id),
        discussion_version_name(article_id),
        related_version_name(article_id),
    )
