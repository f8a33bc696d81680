"""The moderation queues, read side: a page of a queue in a fixed number of queries.

A queue page costs, whatever the size of the table and of the page:

* one query for the six queue counts, each capped at
  ``NEWSROOM_MODERATION_EXACT_COUNT_LIMIT`` so that counting never reads more
  than that many index entries; a capped count is then shown as an estimate
  (PostgreSQL: the planner's row estimate, one ``EXPLAIN`` per capped queue,
  six at most; SQLite: "10,000+");
* one query for the page of comments, with the article, section, parent and
  answered comment joined, paginated by keyset (``created_at``, ``id``), so the
  millionth comment costs what the first does;
* one grouped query for the history of every author on the page
  (approved/rejected/spam counts of their comments before each one shown);
* one query for the open reports of the comments on the page.

The indexes these use are declared on ``Comment`` (``comment_status_time``,
``comment_article_queue``, ``comment_reported``, ``comment_email_time``) and,
on PostgreSQL, the full-text index of migration 0006 for the text search.
``bench/moderation_queue.py`` shows the plans with 1,000,000 comments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.utils import timezone

from articles.models import Article, Section

from .models import Comment, Report

QUEUE_LABELS = {
    "pending": "Pending",
    "reported": "Reported",
    "spam": "Spam",
    "approved": "Approved",
    "rejected": "Rejected",
    "removed": "Removed",
}
#: The full-text condition on PostgreSQL; its expression matches the index of
#: migration 0006 (``to_tsvector('simple'::regconfig, body)``).
SEARCH_SQL = (
    'to_tsvector(\'simple\'::regconfig, "comments_comment"."body") '
    "@@ plainto_tsquery('simple'::regconfig, %s)"
)


@dataclass
class Filters:
    """What a moderator narrowed the queue to (all optional)."""

    article: Article | None = None
    section: Section | None = None
    author: str = ""
    author_user_id: int | None = None
    author_email: str = ""
    since: date | None = None
    until: date | None = None
    q: str = ""
    oldest_first: bool = False

    @property
    def active(self) -> bool:
        return bool(
            self.article or self.section or self.author or self.since or self.until or self.q
        )


def resolve_author(value: str) -> tuple[int | None, str, str]:
    """``(user_id, email, error)`` for the author filter: an e-mail address or a username."""
    value = value.strip()
    if not value:
        return None, "", ""
    if "@" in value:
        return None, value, ""
    if value.startswith("user:") and value[5:].isdigit():
        return int(value[5:]), "", ""
    user_id = (
        get_user_model()
        .objects.filter(**{f"{get_user_model().USERNAME_FIELD}__iexact": value})
        .values_list("pk", flat=True)
        .first()
    )
    if user_id is None:
        return None, "", f"No account is called “{value}”. Give a username or an e-mail address."
    return user_id, "", ""


def filtered(filters: Filters):
    """All comments matching ``filters``, in any queue."""
    comments = Comment.objects.all()
    if filters.article is not None:
        comments = comments.filter(article=filters.article)
    if filters.section is not None:
        comments = comments.filter(article__section=filters.section)
    if filters.author_user_id:
        comments = comments.filter(user_id=filters.author_user_id)
    elif filters.author_email:
        comments = comments.filter(author_email__iexact=filters.author_email)
    zone = timezone.get_current_timezone()
    if filters.since:
        comments = comments.filter(
            created_at__gte=datetime.combine(filters.since, time.min, tzinfo=zone)
        )
    if filters.until:
        comments = comments.filter(
            created_at__lt=datetime.combine(
                filters.until + timedelta(days=1), time.min, tzinfo=zone
            )
        )
    if filters.q:
        if connection.vendor == "postgresql":
            comments = comments.filter(
                RawSQL(SEARCH_SQL, [filters.q], output_field=BooleanField())  # noqa: S611
            )
        else:
            comments = comments.filter(body__icontains=filters.q)
    return comments


@dataclass
class QueueCount:
    queue: str
    value: int
    estimated: bool = False
    at_least: bool = False

    @property
    def label(self) -> str:
        return QUEUE_LABELS[self.queue]

    @property
    def display(self) -> str:
        if self.at_least:
            return f"{self.value:,}+"
        if self.estimated:
            return f"≈{_round(self.value):,}"
        return f"{self.value:,}"


def _round(value: int) -> int:
    """An estimate is not precise to the unit: keep two or three significant digits."""
    if value < 10_000:
        return value
    magnitude = 10 ** (len(str(value)) - 3)
    return round(value / magnitude) * magnitude


def counts(filters: Filters) -> list[QueueCount]:
    """The size of every queue for ``filters``: exact below the limit, estimated above."""
    limit = settings.NEWSROOM_MODERATION_EXACT_COUNT_LIMIT
    base = filtered(filters).order_by()
    compiled = []
    for queue in QUEUE_LABELS:
        queryset = base.in_queue(queue).values("pk")
        compiled.append(queryset[: limit + 1].query.sql_with_params())
    # The ORM compiled each part (values are parameters, never in the text).
    select = ", ".join(
        f"(SELECT COUNT(*) FROM ({sql}) AS capped_{index})"  # noqa: S608
        for index, (sql, _params) in enumerate(compiled)
    )
    params = [param for _sql, params in compiled for param in params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", params)
        values = cursor.fetchone()
    result = []
    for queue, value in zip(QUEUE_LABELS, values, strict=True):
        if value <= limit:
            result.append(QueueCount(queue, value))
        elif connection.vendor == "postgresql":
            estimate = _planner_estimate(base.in_queue(queue))
            result.append(QueueCount(queue, max(estimate, limit), estimated=True))
        else:
            result.append(QueueCount(queue, limit, at_least=True))
    return result


def _planner_estimate(queryset) -> int:
    """PostgreSQL's estimate of how many rows ``queryset`` returns (no rows are read)."""
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def pending_count(user=None) -> int:
    """Comments waiting for a moderator, for the masthead's badge.

    Counted only up to ``accounts.pages.COUNT_CAP`` + 1 (shown as "99+"): one
    query on the ``comment_status_time`` index that stops there, whatever the
    size of the queue.
    """
    from accounts.pages import COUNT_CAP

    return len(
        Comment.objects.filter(status=Comment.Status.PENDING)
        .order_by()
        .values_list("pk", flat=True)[: COUNT_CAP + 1]
    )


# --- Keyset pagination -------------------------------------------------------------


def encode_cursor(comment: Comment) -> str:
    micros = int(comment.created_at.timestamp() * 1_000_000)
    return f"{micros}-{comment.pk}"


def decode_cursor(value: str) -> tuple[datetime, int] | None:
    try:
        micros, pk = value.split("-", 1)
        moment = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
        return moment, int(pk)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass
class QueuePage:
    queue: str
    comments: list[Comment]
    next_cursor: str = ""
    counts: list[QueueCount] = field(default_factory=list)


def page(queue: str, filters: Filters, *, cursor: str = "", size: int | None = None) -> QueuePage:
    """One page of a queue, newest first (or oldest first), from ``cursor`` on."""
    size = size or settings.NEWSROOM_MODERATION_PAGE_SIZE
    comments = (
        filtered(filters)
        .in_queue(queue)
        # "anchor": the passage an inline feedback quotes, without a query each.
        .select_related("article__section", "parent", "in_reply_to", "user", "anchor")
    )
    position = decode_cursor(cursor) if cursor else None
    # "After (time, id)" is written as a range on the time, which the index
    # seeks to, plus a tie-break on the id; a plain OR would make PostgreSQL
    # read the queue from its start.
    if filters.oldest_first:
        comments = comments.order_by("created_at", "pk")
        if position:
            moment, pk = position
            comments = comments.filter(created_at__gte=moment).filter(
                Q(created_at__gt=moment) | Q(pk__gt=pk)
            )
    else:
        comments = comments.order_by("-created_at", "-pk")
        if position:
            moment, pk = position
            comments = comments.filter(created_at__lte=moment).filter(
                Q(created_at__lt=moment) | Q(pk__lt=pk)
            )
    rows = list(comments[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else ""
    rows = rows[:size]
    annotate(rows)
    return QueuePage(queue=queue, comments=rows, next_cursor=next_cursor)


# --- What moderators see next to each comment -----------------------------------------


def _author_key(comment: Comment) -> tuple[str, object]:
    if comment.user_id:
        return ("user", comment.user_id)
    return ("email", (comment.author_email or "").upper())


#: The bucket of an author's comments before their latest cut-off on the page
#: but not before an earlier one (see ``annotate``).
LAST_BUCKET = -1


@dataclass
class History:
    approved: int = 0
    rejected: int = 0
    spam: int = 0
    pending: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.approved + self.rejected + self.spam + self.pending + self.removed


@dataclass
class ReportSummary:
    total: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def reason_list(self) -> list[tuple[str, int]]:
        labels = dict(Report.Reason.choices)
        return [(labels.get(reason, reason), n) for reason, n in self.reasons.items()]


def annotate(comments: list[Comment]) -> None:
    """Attach ``history`` (the author's earlier comments) and ``open_reports`` to each comment.

    Two queries for the whole page, however many comments and authors it has.
    """
    if not comments:
        return
    # The history is what the author had written *before* the comment shown
    # (their later comments say nothing about how it arrived), so each comment
    # has its own cut-off. One grouped query still does: an author's rows are
    # read up to their latest cut-off on the page (a range on the author's
    # index), and, for an author with several comments on the page, put in a
    # bucket numbered by the first of their cut-offs they precede.
    cutoffs: dict[tuple[str, object], list[datetime]] = {}
    for comment in comments:
        key = _author_key(comment)
        if key[1]:  # a guest without an address has no history to find
            cutoffs.setdefault(key, []).append(comment.created_at)
    condition = Q(pk__in=[])
    buckets: list[When] = []
    for key, moments in cutoffs.items():
        moments[:] = sorted(set(moments))
        kind, value = key
        who = Q(user_id=value) if kind == "user" else Q(user__isnull=True, email_key=value)
        condition |= who & Q(created_at__lt=moments[-1])
        buckets += [
            When(who & Q(created_at__lt=moment), then=Value(index))
            for index, moment in enumerate(moments[:-1])
        ]
    rows = Comment.objects.annotate(email_key=Upper("author_email")).filter(condition)
    fields = ["user_id", "email_key", "status"]
    if buckets:
        rows = rows.annotate(bucket=Case(*buckets, default=Value(LAST_BUCKET)))
        fields.append("bucket")
    # Per author: how many comments of each status in each bucket.
    counted: dict[tuple[str, object], list[tuple[int, str, int]]] = {}
    for row in rows.order_by().values(*fields).annotate(n=Count("pk")):
        key = ("user", row["user_id"]) if row["user_id"] else ("email", row["email_key"])
        counted.setdefault(key, []).append(
            (row.get("bucket", LAST_BUCKET), row["status"], row["n"])
        )
    reports: dict[int, ReportSummary] = {}
    for comment_id, reason, note in (
        Report.objects.filter(comment_id__in=[c.pk for c in comments], handled_at__isnull=True)
        .order_by("-created_at")
        .values_list("comment_id", "reason", "note")
    ):
        summary = reports.setdefault(comment_id, ReportSummary())
        summary.total += 1
        summary.reasons[reason] = summary.reasons.get(reason, 0) + 1
        if note and len(summary.notes) < 3:
            summary.notes.append(note)
    for comment in comments:
        key = _author_key(comment)
        history = History()
        if key in cutoffs:
            moments = cutoffs[key]
            position = moments.index(comment.created_at)
            for bucket, status, n in counted.get(key, ()):
                if bucket == LAST_BUCKET:
                    bucket = len(moments) - 1
                if bucket <= position and hasattr(history, status):
                    setattr(history, status, getattr(history, status) + n)
        comment.history = history
        comment.open_reports = reports.get(comment.pk)
        comment.spam_level = (
            "high"
            if comment.spam_score >= settings.NEWSROOM_SPAM_SCORE
            else "mid"
            if comment.spam_score >= settings.NEWSROOM_SPAM_HOLD_SCORE
            else ""
        )
