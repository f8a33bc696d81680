"""Comments to HTML, fast: the comment list is the hottest template of the site.

``render_items(comments)`` returns the ``<li>`` items of comments already in
reading order with their nesting marks (``comments/threads.py``). It uses a
Jinja2 template (see ``newsroom/jinja2.py`` for why) and prepares in Python
what would be slow to compute per comment in a template: URLs (reversed once,
then formatted), dates and initials.

From Django templates, use ``{% comment_items comments %}`` (comments_tags).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .models import Comment

TEMPLATE = "comments/includes/comment_list.jinja"
_SENTINEL = 987654321


@lru_cache(maxsize=4)
def url_patterns(urlconf: str | None = None) -> dict[str, str]:
    """URL patterns with ``{}`` where the comment id goes, reversed once."""

    def pattern(name: str) -> str:
        return reverse(name, args=[_SENTINEL], urlconf=urlconf).replace(str(_SENTINEL), "{}")

    return {
        "permalink": pattern("comments:permalink"),
        "vote": pattern("comments:vote"),
        "thread": pattern("comments:thread"),
        "report": pattern("comments:report"),
        "post": reverse("comments:post", urlconf=urlconf),
    }


def _prepare(comments: Iterable[Comment]) -> list[Comment]:
    prepared = []
    zone = timezone.get_current_timezone()
    for comment in comments:
        local = comment.created_at.astimezone(zone)
        comment.iso = local.isoformat()
        comment.when = f"{local.day} {local:%b %Y, %H:%M}"
        comment.initial = (comment.author_name[:1] or "?").upper()
        prepared.append(comment)
    return prepared


def render_items(comments: Iterable[Comment]) -> SafeString:
    template = engines["jinja2"].get_template(TEMPLATE)
    html = template.render({"comments": _prepare(comments), "urls": url_patterns()})
    # Jinja2 escaped every value (autoescape); body_html is sanitised on save.
    return mark_safe(html)  # noqa: S308
