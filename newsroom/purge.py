"""Telling shared caches (nginx, Varnish, a CDN) that pages changed.

Reader pages are cached by a shared cache in front of the app. When content
changes (an article is published or edited, a comment approved or removed,
recommendations recomputed) the app sends an HTTP ``PURGE`` request for each
affected path to every cache listed in ``NEWSROOM_PURGE_URLS``:

    PURGE http://127.0.0.1:8080/politics/harbour-bridge/*
    Host: news.example.org

A trailing ``*`` asks for every cached variant of the path (query strings
such as ``?sort=oldest`` or ``?page=2``). This is the protocol of nginx's
``ngx_cache_purge`` module ("same location" syntax, with wildcard purges
enabled) and of Varnish with a ``PURGE`` handler in its VCL; see README.md,
"Shared cache", for both configurations.

Purges run in the background (a task), after the change is committed, so a
slow or unreachable cache never slows down or breaks an editor's or reader's
request. Without purging configured, pages stay at most ``s-maxage`` seconds
(``NEWSROOM_PUBLIC_S_MAXAGE``) in shared caches.

>>> schedule_purge(["/politics/harbour-bridge/*", "/"])   # inside a transaction
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)

PURGE_TIMEOUT = 2.0


def _public_host() -> str:
    return urlsplit(settings.NEWSROOM_SITE_URL).netloc


def purge_now(paths: Iterable[str]) -> dict[str, int]:
    """Send the PURGE requests; return how many succeeded and failed."""
    done = failed = 0
    host = _public_host()
    for base in settings.NEWSROOM_PURGE_URLS:
        for path in dict.fromkeys(paths):
            request = urllib.request.Request(  # noqa: S310 -- configured cache address
                base.rstrip("/") + path,
                method=settings.NEWSROOM_PURGE_METHOD,
                headers={"Host": host},
            )
            try:
                with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT):  # noqa: S310
                    done += 1
            except urllib.error.HTTPError as error:
                # 404 from the cache: nothing was cached under that key. Fine.
                if error.code == 404:
                    done += 1
                else:
                    failed += 1
                    logger.warning("purge of %s%s answered %s", base, path, error.code)
            except OSError as error:
                failed += 1
                logger.warning("purge of %s%s failed: %s", base, path, error)
    return {"done": done, "failed": failed}


@task()
def purge_paths(paths: list[str]) -> dict[str, int]:
    return purge_now(paths)


#: The query strings under which reader pages are commonly cached (sort and
#: view of the comments). Caches without wildcard purges (Debian's nginx
#: cache-purge module) get these exact keys; the ``*`` form covers the rest
#: where the cache supports it (Varnish bans, newer purge modules).
PAGE_VARIANTS = ("", "?sort=newest", "?sort=oldest", "?sort=votes", "?view=inline")


def page_keys(path: str) -> list[str]:
    """What to purge for a page: its usual variants and a wildcard for the rest."""
    return [path + variant for variant in PAGE_VARIANTS] + [f"{path}*"]


def enabled() -> bool:
    """Whether any shared cache is configured to be purged."""
    return bool(settings.NEWSROOM_PURGE_URLS)


def schedule_purge(paths: Iterable[str]) -> None:
    """Purge ``paths`` from the shared caches once the current transaction commits."""
    if not enabled():
        return
    wanted = list(dict.fromkeys(paths))
    if wanted:
        transaction.on_commit(lambda: purge_paths.enqueue(wanted))
