"""Comments to HTML, fast: the comment list is the hottest template of the site.

``render_items(comments)`` returns the ``<li>`` items of comments already in
reading order with their nesting marks (``comments/threads.py``). It uses a
Jinja2 template (see ``newsroom/jinja2.py`` for why) and prepares in Python
what would be slow to compute per comment in a template: URLs (reversed once,
then formatted), dates and initials.

From Django templates, use ``{% comment_items comments %}`` (comments_tags).

``render_queue_items(comments, queue=…)`` does the same for the rows of a
moderation queue (``comments/moderation/includes/queue_items.jinja``): 50
rows with their history, reports, spam signals and actions. Rendered with
Django's engine and one include per row, they took about 50 ms; see
``bench/moderation_render.py`` for the figures now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from urllib.parse import quote

from django.core.exceptions import ObjectDoesNotExist
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .models import Comment

TEMPLATE = "comments/includes/comment_list.jinja"
QUEUE_TEMPLATE = "comments/moderation/includes/queue_items.jinja"
STATUS_LABELS = dict(Comment.Status.choices)
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


# --- The moderation queue ------------------------------------------------------------


def truncate(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters, ending with "…" when cut (truncatechars)."""
    return text if len(text) <= length else text[: length - 1] + "…"


def passage_of(comment: Comment) -> str:
    """The passage an inline-feedback comment quotes, or "" for an ordinary comment.

    As the passage reads now, or as the reader selected it once an edit
    removed it (``Anchor.original_exact``).
    """
    try:
        anchor = getattr(comment, "anchor", None)
    except ObjectDoesNotExist:  # a one-to-one without its row
        return ""
    if anchor is None:
        return ""
    if getattr(anchor, "is_orphaned", False):
        return getattr(anchor, "original_exact", "") or ""
    return getattr(anchor, "exact", "") or ""


def history_text(history) -> str:
    """ "3 approved · 1 rejected · 0 spam" (and pending), or "first comment"."""
    if history is None or not history.total:
        return "first comment"
    text = f"{history.approved} approved · {history.rejected} rejected · {history.spam} spam"
    if history.pending:
        text += f" · {history.pending} pending"
    return text


@lru_cache(maxsize=4)
def queue_url_patterns(urlconf: str | None = None) -> dict[str, str]:
    """The workspace's addresses, reversed once per process (``{}``: a comment id)."""
    record = reverse("moderation:comment", args=[_SENTINEL], urlconf=urlconf)
    return {
        "record": record.replace(str(_SENTINEL), "{}"),
        "ban": reverse("moderation:ban_new", urlconf=urlconf),
        "approved": reverse("moderation:queue", args=["approved"], urlconf=urlconf),
    }


def _prepare_queue_item(comment: Comment, zone, article_urls: dict[int, str]) -> Comment:
    local = comment.created_at.astimezone(zone)
    comment.iso = local.isoformat()
    comment.when = f"{local.day} {local:%b %Y, %H:%M}"
    comment.status_label = STATUS_LABELS.get(comment.status, comment.status)
    comment.username = comment.user.get_username() if comment.user_id else ""
    comment.email_query = quote(comment.author_email, safe="/") if comment.author_email else ""
    if comment.article_id not in article_urls:
        article_urls[comment.article_id] = comment.article.get_absolute_url()
    comment.article_url = article_urls[comment.article_id]
    answered = comment.in_reply_to if comment.in_reply_to_id else None
    if answered is None and comment.parent_id:
        answered = comment.parent
    comment.answered = answered
    if answered is not None:
        comment.answered_status = (
            "" if answered.status == "approved" else STATUS_LABELS[answered.status].lower()
        )
        comment.answered_text = truncate(answered.body, 300)
    comment.passage = truncate(passage_of(comment), 400)
    comment.history_text = history_text(getattr(comment, "history", None))
    comment.signal_rows = [
        (
            "signal-down" if _points(signal) < 0 else "signal-up",
            f"+{_points(signal)}" if _points(signal) > 0 else str(_points(signal)),
            signal.get("name", ""),
            signal.get("detail", ""),
        )
        for signal in comment.spam_signals or []
        if isinstance(signal, dict)
    ]
    # What raised the score, readable without opening the details.
    comment.signal_names = ", ".join(
        name for css, _p, name, _d in comment.signal_rows if css == "signal-up"
    )
    reports = getattr(comment, "open_reports", None)
    comment.report_reasons = (
        ", ".join(f"{label.lower()} ({n})" for label, n in reports.reason_list) if reports else ""
    )
    return comment


def _points(signal: dict) -> int:
    try:
        return int(signal.get("points", 0))
    except (TypeError, ValueError):
        return 0


def render_queue_items(
    comments: Sequence[Comment], *, queue: str, select_all: bool = False
) -> SafeString:
    """The ``<li>`` rows of a moderation queue (comments annotated by ``queues.annotate``).

    ``queue``: the queue the page shows ("This article's queue" links to it).
    """
    zone = timezone.get_current_timezone()
    article_urls: dict[int, str] = {}
    urls = {**queue_url_patterns(), "queue": reverse("moderation:queue", args=[queue])}
    template = engines["jinja2"].get_template(QUEUE_TEMPLATE)
    html = template.render(
        {
            "comments": [_prepare_queue_item(c, zone, article_urls) for c in comments],
            "urls": urls,
            "select_all": select_all,
        }
    )
    # Jinja2 escaped every value (autoescape); body_html is sanitised on save.
    return mark_safe(html)  # noqa: S308
