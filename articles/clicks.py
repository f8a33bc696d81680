"""Counting how readers use the related block, without knowing who they are.

What is counted
    *Impressions*: the related block was at least half on screen in a page view.
    *Clicks*: a teaser in it was followed. The click-through rate editors see is
    clicks / impressions, per article and per day (``RelatedStat``), and clicks
    per teaser (``RelatedClick``).

Why this design
    The article page is the same for every reader and cached by shared caches,
    so nothing can be counted while it is served (a cached page never reaches
    Django) and nothing per reader may be put into it. Redirecting teaser links
    through a counting URL would make a GET change data (prefetchers and
    crawlers would click), slow every navigation and hide the real URL. So
    links stay plain links, and ``static/js/related.js`` reports, as a
    background POST, when the block is seen and when a teaser is followed.
    Without JavaScript the links work and nothing is counted.

What is stored
    In the database, only per-article, per-day counters: no IP address, no
    cookie, no user, no user agent. The CSRF cookie the site already uses is
    all the request carries. In the cache, for a while (see below), a keyed
    hash derived from the client's address: not the address, but whoever holds
    the cache and the secret key could test a given address against it.

Why it is hard to inflate
    * POST with a valid CSRF token (from ``/session.json``): a page elsewhere
      cannot make browsers count;
    * a click counts only for a teaser the block really offers (a public,
      pinned or computed, not excluded article);
    * each client counts once per teaser per day, and once per block per
      ``IMPRESSION_WINDOW``: the cache remembers a keyed hash
      (HMAC with the secret key and the day) of the client address and what it
      counted, which cannot be turned back into an address and expires;
    * each client address is rate-limited (``NEWSROOM_RELATED_CLICK_RATE``);
      beyond it nothing counts.
    Someone controlling many addresses can still add counts; the figures are
    an editor's guide, not billing.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

IMPRESSION_WINDOW = 30 * 60
CLICK_WINDOW = 24 * 60 * 60


def first_time(client: str, *what: object, window: int) -> bool:
    """True the first time this client reports ``what`` within ``window`` seconds.

    If the cache is unavailable, count (the figures are a guide, never a gate).
    """
    day = timezone.localdate().isoformat()
    message = "|".join([day, client, *map(str, what)]).encode()
    key = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    try:
        return bool(cache.add(f"related-seen:{key}", 1, window))
    except Exception:
        return True
