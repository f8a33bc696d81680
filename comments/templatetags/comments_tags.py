"""The comments region of the article page.

``{% comments_region article %}`` renders the heading, the prompt, the form
and the first page of threads. The HTML is the same for every reader and is
cached under the article's comment version (see ``newsroom.cache``), so a busy
article costs one cache read; any change to its comments bumps the version.
"""

from __future__ import annotations

import hashlib
import logging

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from newsroom.cache import get_version

from ..feedback import highlights
from ..forms import CommentForm
from ..models import Report
from ..render import render_items
from ..services import cache_key_name
from ..threads import clean_sort, clean_view, thread_page

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag(takes_context=True)
def comments_region(context, article) -> str:
    if not article.comments_enabled:
        return ""
    request = context.get("request")
    sort = clean_sort(request.GET.get("sort") if request else None)
    view = clean_view(request.GET.get("view") if request else None)
    try:
        page = max(int(request.GET.get("page", "1")), 1) if request else 1
    except ValueError:
        page = 1
    is_open = article.comments_open
    version = get_version(cache_key_name(article.pk))
    # Besides the comments' version, the region shows the article's own
    # settings (prompt, open or closed) and whether guests may comment (guest
    # fields or "Sign in to comment"): they are part of the key.
    shown = (
        article.updated_at.timestamp(),
        article.effective_comment_prompt,
        is_open,
        settings.NEWSROOM_COMMENTS_ALLOW_GUESTS,
    )
    settings_part = hashlib.sha1(  # noqa: S324 -- a cache key, not security
        "|".join(map(str, shown)).encode()
    ).hexdigest()[:12]
    key = f"comments-region:{article.pk}:{version}:{view}:{sort}:{page}:{settings_part}"
    if version is not None:
        try:
            html = cache.get(key)
        except Exception:
            logger.warning("cache unavailable for comments region", exc_info=True)
            html = None
        if html is not None:
            return html
    threads = thread_page(article, sort=sort, page=page, view=view)
    form = CommentForm(initial={"article": article.pk}, auto_id="comment-%s")
    # The passages with feedback (and the editors' questions) go into the
    # region as a JSON data block: the same for every reader, cached with it.
    marks = highlights(article, any_feedback=threads.total_feedback > 0)
    html = render_to_string(
        "comments/includes/region.html",
        {
            "article": article,
            "threads": threads,
            "form": form,
            "is_open": is_open,
            "report_reasons": Report.Reason.choices,
            "highlights": marks,
            "questions": marks["questions"],
        },
    )
    if version is not None:
        try:
            cache.set(key, html, 60 * 60)
        except Exception:
            logger.warning("cache unavailable storing comments region", exc_info=True)
    return html


@register.simple_tag
def comment_items(comments) -> str:
    """The ``<li>`` items of ``comments`` (see comments/render.py)."""
    return render_items(comments)
