"""Reading threads for display: a page of threads in a fixed number of queries.

``thread_page`` returns the top-level comments of one page (one query), the
first replies of each of those threads in reading order together with how
many replies each thread has in all (one query, using window functions), and
the counts for the heading (one query). The result is a flat list in reading
order, each comment carrying what the template needs to open and close the
nested lists, so the template is a single loop with no per-comment includes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, Q, Subquery
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from articles.models import Article
from newsroom.prepared import PreparedQuery

from .feedback import loaded_anchor
from .models import Anchor, Comment

SORTS = ("newest", "oldest", "votes")
VIEWS = ("all", "inline")  # "inline": only threads started by inline feedback
# The passage an inline feedback is about, read with the comment (a join, no
# extra query): the list shows it above the feedback.
PASSAGE = {
    "passage": F("anchor__exact"),
    "passage_original": F("anchor__original_exact"),
    "passage_state": F("anchor__state"),
    "passage_block": F("anchor__block_id"),
    "passage_question": F("anchor__question__question"),
}
DISPLAY_FIELDS = [
    "pk",
    "article_id",
    "parent_id",
    "thread_id",
    "in_reply_to_id",
    "depth",
    "path",
    "user_id",
    "author_name",
    "author_url",
    "author_role",
    "body_html",
    "status",
    "upvotes",
    "downvotes",
    "score",
    "descendant_count",
    "created_at",
    "edited_at",
    "pinned_at",
]


class CommentRow:
    """One comment as the comment list shows it: read as a tuple, not a model.

    A page of threads shows up to a few hundred comments; building ``Comment``
    instances for them (field descriptors, deferred-field bookkeeping) cost
    about as much as rendering them, for attributes the list only reads.
    Same attribute names as ``Comment``, so ``render_items`` takes either.
    """

    __slots__ = (
        *DISPLAY_FIELDS,
        *PASSAGE,
        "opens_replies",
        "close_levels",
        "answered_name",
        "is_last_in_thread",
        "more_replies",
        "iso",
        "when",
        "initial",
        "shown_to_author",
        "is_own",
        "moderation_reason",
    )
    FIELDS = (*DISPLAY_FIELDS, *PASSAGE)

    def __init__(self, values: tuple) -> None:
        for name, value in zip(self.FIELDS, values, strict=False):
            setattr(self, name, value)
        self.shown_to_author = False
        self.is_own = False  # rows are read for everyone; see ``standalone``
        self.moderation_reason = ""

    @property
    def id(self) -> int:
        return self.pk

    def __repr__(self) -> str:
        return f"<CommentRow {self.pk}>"


def _rows(queryset) -> list[CommentRow]:
    """``queryset`` read as ``CommentRow``s."""
    return [CommentRow(values) for values in queryset.values_list(*CommentRow.FIELDS)]


def clean_sort(value: str | None) -> str:
    return value if value in SORTS else "newest"


def clean_view(value: str | None) -> str:
    return value if value in VIEWS else "all"


@dataclass
class ThreadPage:
    comments: list[CommentRow]
    sort: str
    page: int
    total_comments: int
    per_page: int
    has_next: bool
    hidden_replies: dict[int, int] = field(default_factory=dict)
    view: str = "all"
    total_feedback: int = 0  # comments in threads started by inline feedback

    @property
    def next_page(self) -> int:
        return self.page + 1


def _nest(comments: list, hidden: dict[int, int]) -> list:
    """Annotate comments (in reading order) with how to nest them in lists."""
    names = {c.pk: c.author_name for c in comments}
    for index, comment in enumerate(comments):
        next_depth = comments[index + 1].depth if index + 1 < len(comments) else 0
        comment.opens_replies = next_depth > comment.depth
        comment.close_levels = range(max(comment.depth - next_depth, 0))
        comment.answered_name = names.get(comment.in_reply_to_id, "")
        comment.is_last_in_thread = next_depth == 0
        comment.more_replies = hidden.get(comment.thread_id, 0) if next_depth == 0 else 0
    return comments


class RowCount(Func):
    """``COUNT(*)`` of a subquery's rows."""

    template = "COUNT(*)"
    output_field = IntegerField()


def _counts_query(article_id: int):
    """The heading's counts: published comments, and those in inline-feedback threads.

    Each is a subquery that reads only what it counts: the published comments
    from the (article, status) index, the feedback through the article's
    anchors and the thread index. An article with 5,000 comments costs about
    what one with 50 does, where counting by scanning its comments did not.
    """
    approved = Q(status=Comment.Status.APPROVED)

    def count(queryset):
        # COUNT(*) as a plain expression, without GROUP BY: PostgreSQL then
        # answers from the index alone (no table rows read).
        return Subquery(queryset.order_by().annotate(n=RowCount()).values("n"))

    in_feedback = Anchor.objects.filter(article_id=article_id).values("comment_id")
    return (
        Article.objects.filter(pk=article_id)
        .annotate(
            approved_comments=count(Comment.objects.filter(approved, article_id=article_id)),
            feedback_comments=count(
                Comment.objects.filter(approved, article_id=article_id, thread_id__in=in_feedback)
            ),
        )
        .values_list("approved_comments", "feedback_comments")
    )


def _roots_query(article_id: int, sort: str, view: str, offset: int, limit: int):
    roots = Comment.objects.filter(article_id=article_id).top_level().visible()
    if view == "inline":
        roots = roots.filter(anchor__isnull=False)
    return (
        roots.sorted_by(sort)
        .annotate(**PASSAGE)
        .values_list(*CommentRow.FIELDS)[offset : offset + limit]
    )


def _replies_query(thread_ids: list[int], shown: int):
    """The first ``shown`` replies of each thread, and how many each has in all."""
    return (
        Comment.objects.filter(thread_id__in=thread_ids, depth__gt=0)
        .visible()
        .annotate(
            **PASSAGE,
            position=Window(RowNumber(), partition_by=F("thread_id"), order_by=F("path").asc()),
            in_thread=Window(Count("pk"), partition_by=F("thread_id")),
        )
        .filter(position__lte=shown)
        .order_by("thread_id", "path")
        .values_list(*CommentRow.FIELDS, "in_thread")
    )


# The article page runs these on every uncached view: compiled to SQL once.
COUNTS = PreparedQuery(_counts_query)
ROOTS = PreparedQuery(_roots_query, shape=("sort", "view", "offset", "limit"))
REPLIES = PreparedQuery(_replies_query, shape=("shown",))


def thread_page(
    article: Article, *, sort: str = "newest", page: int = 1, view: str = "all"
) -> ThreadPage:
    per_page = settings.NEWSROOM_COMMENT_THREADS_PER_PAGE
    shown_replies = settings.NEWSROOM_COMMENT_REPLIES_SHOWN
    sort = clean_sort(sort)
    view = clean_view(view)
    page = max(page, 1)
    # COUNT(*) subqueries always give a number; no row only if the article is gone.
    counted = COUNTS(article_id=article.pk)
    comments, feedback = counted[0] if counted else (0, 0)
    offset = (page - 1) * per_page
    # One thread more than the page shows says whether there is a next page.
    roots = [
        CommentRow(values)
        for values in ROOTS(
            article_id=article.pk, sort=sort, view=view, offset=offset, limit=per_page + 1
        )
    ]
    has_next = len(roots) > per_page
    roots = roots[:per_page]
    replies_by_thread: dict[int, list[CommentRow]] = {}
    hidden: dict[int, int] = {}
    if roots:
        for values in REPLIES(thread_ids=[root.pk for root in roots], shown=shown_replies):
            reply = CommentRow(values)
            in_thread = values[-1]
            replies_by_thread.setdefault(reply.thread_id, []).append(reply)
            hidden[reply.thread_id] = in_thread - min(in_thread, shown_replies)
    flat: list[CommentRow] = []
    for root in roots:
        flat.append(root)
        flat.extend(replies_by_thread.get(root.pk, []))
    return ThreadPage(
        comments=_nest(flat, hidden),
        sort=sort,
        page=page,
        total_comments=comments,
        per_page=per_page,
        has_next=has_next,
        hidden_replies=hidden,
        view=view,
        total_feedback=feedback,
    )


def whole_thread(root: Comment) -> list[CommentRow]:
    """Every visible comment of one thread, in reading order (one query)."""
    comments = _rows(
        Comment.objects.filter(thread_id=root.pk).visible().annotate(**PASSAGE).order_by("path")
    )
    return _nest(comments, {})


def standalone(comment: Comment, *, for_author: bool = False) -> list[Comment]:
    """One comment ready to render on its own (a new post, an edit, a pending one).

    ``for_author``: the reader viewing it wrote it. A comment a moderator
    rejected then shows with its text and the reason; one filed as spam shows
    as awaiting moderation (moderators review the spam queue too, and whoever
    sent real spam is not told it was recognised).
    """
    if for_author and comment.status == Comment.Status.SPAM:
        comment = copy.copy(comment)
        comment.status = Comment.Status.PENDING
    comment.is_own = for_author
    comment.shown_to_author = for_author and comment.status == Comment.Status.REJECTED
    comment.opens_replies = False
    comment.close_levels = range(0)
    comment.is_last_in_thread = True
    comment.more_replies = 0
    comment.answered_name = comment.in_reply_to.author_name if comment.in_reply_to_id else ""
    anchor = loaded_anchor(comment)
    if anchor is not None:
        comment.passage, comment.passage_original = anchor.exact, anchor.original_exact
        comment.passage_state, comment.passage_block = anchor.state, anchor.block_id
        comment.passage_question = anchor.question.question if anchor.question_id else None
    return [comment]


def status_for_author(comment: Comment) -> str:
    """The status its author is told: spam looks like "awaiting moderation"."""
    return Comment.Status.PENDING if comment.status == Comment.Status.SPAM else comment.status


def threads_of_passage(article: Article, roots: list[int]) -> list[CommentRow]:
    """Whole visible threads of inline feedback ``roots``, oldest first (one query)."""
    if not roots:
        return []
    comments = _rows(
        Comment.objects.filter(article=article, thread_id__in=roots, thread__anchor__isnull=False)
        .visible()
        .annotate(**PASSAGE)
        .order_by("thread__created_at", "thread_id", "path")[:500]
    )
    return _nest(comments, {})
