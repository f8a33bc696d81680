"""Inline feedback: comments anchored to a passage of the article body.

A reader selects words in the body and comments on them; the comment is an
ordinary top-level comment (same form, rules, moderation and threads) with an
``Anchor`` describing the passage (see ``articles.anchoring`` for the
selectors and the text they count in). Answers to an editor's question on a
passage (``articles.PassageQuestion``) are inline feedback on that passage.

Three moments:

* posting: ``locate`` checks the submitted selectors against the body as it is
  now and returns canonical ones (``comment_post`` calls it before writing);
* an editor changes the body: ``reanchor_on_body_change`` (connected to
  ``articles.signals.article_body_changed``) re-resolves every anchor of the
  article and returns the counts the admin shows;
* the page: ``highlights`` gives the passages with feedback and their counts
  in one query, for the cached comments region; the page's script highlights
  them (``static/js/inline-feedback.js``).

>>> passage, question = locate(article, selector=Selector("the library", start=32, end=43))
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.anchoring import MAX_QUOTE_LENGTH, BodyText, Passage, Selector, moved, reanchor
from articles.models import Article, PassageQuestion
from newsroom import cache

from .models import Anchor, Comment


def locate(
    article: Article, *, selector: Selector | None = None, question_id: int | None = None
) -> tuple[Passage, PassageQuestion | None]:
    """The passage a new feedback is about, or a ValidationError saying what to do."""
    text = BodyText.of(article.body)
    question = None
    if question_id:
        question = PassageQuestion.objects.filter(pk=question_id, article=article).first()
        if question is None or question.is_orphaned or question.start is None:
            raise ValidationError(
                "The question you are answering is no longer on this article.",
                code="question_missing",
            )
        selector = question.selector
    if selector is None or not selector.exact.strip():
        raise ValidationError("Select the words you want to comment on.", code="anchor_empty")
    if len(selector.exact) > MAX_QUOTE_LENGTH:
        raise ValidationError(
            "The passage you selected is %(length)s characters long; select at most %(limit)s.",
            code="anchor_too_long",
            params={"length": f"{len(selector.exact):,}", "limit": f"{MAX_QUOTE_LENGTH:,}"},
        )
    passage = reanchor(None, text, selector)
    if passage is None:
        raise ValidationError(
            "The passage you selected is no longer in the article: it may just have been "
            "edited. Your comment is kept here; reload the article and select the words again.",
            code="anchor_missing",
        )
    return passage, question


def attach(comment: Comment, passage: Passage, question: PassageQuestion | None) -> Anchor:
    """Store the anchor of a just-created feedback (inside ``comment_post``'s transaction)."""
    return Anchor.objects.create(
        comment=comment,
        article_id=comment.article_id,
        question=question,
        exact=passage.exact,
        prefix=passage.prefix,
        suffix=passage.suffix,
        start=passage.start,
        end=passage.end,
        block_id=passage.block_id,
        end_block_id=passage.end_block_id,
        original_exact=passage.exact,
        resolved_at=comment.created_at,
    )


# --- Editing the body ---------------------------------------------------------------

ANCHOR_FIELDS = [
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "block_id",
    "end_block_id",
    "state",
    "resolved_at",
]


@transaction.atomic
def feedback_reanchor(*, article: Article, previous_body: str) -> dict[str, int]:
    """Find every feedback's passage again after the body changed; count what moved.

    Anchored feedback whose words are gone is orphaned (kept, shown with its
    original quote, no longer highlighted); orphaned feedback whose words come
    back is attached again (counted as moved).
    """
    old, new = BodyText.of(previous_body), BodyText.of(article.body)
    now = timezone.now()
    summary = {"anchors_total": 0, "anchors_moved": 0, "anchors_orphaned": 0}
    changed: list[Anchor] = []
    for anchor in Anchor.objects.filter(article=article).select_for_update():
        summary["anchors_total"] += 1
        passage = reanchor(old if not anchor.is_orphaned else None, new, anchor.selector)
        if passage is None:
            if not anchor.is_orphaned:
                anchor.state = Anchor.State.ORPHANED
                anchor.resolved_at = now
                summary["anchors_orphaned"] += 1
                changed.append(anchor)
            continue
        if moved(anchor.selector, passage) or anchor.is_orphaned:
            summary["anchors_moved"] += 1
        elif passage.selector == anchor.selector and passage.block_id == anchor.block_id:
            continue
        anchor.apply(passage)
        anchor.resolved_at = now
        changed.append(anchor)
    Anchor.objects.bulk_update(changed, ANCHOR_FIELDS, batch_size=500)
    if summary["anchors_total"]:
        from .services import cache_key_name

        transaction.on_commit(lambda: cache.bump(cache_key_name(article.pk)))
    return summary


def reanchor_on_body_change(sender, *, article: Article, previous_body: str, **kwargs):
    """Receiver of ``article_body_changed``: its dict is shown to the editor."""
    return feedback_reanchor(article=article, previous_body=previous_body)


# --- Reading: the highlights of the page ------------------------------------------------


def highlights(article: Article, *, any_feedback: bool = True) -> dict[str, Any]:
    """Passages with feedback and editors' questions, for the page script (2 queries,
    1 when the caller knows there is no published feedback: ``any_feedback=False``).

    Offsets are given inside blocks (``block``/``start`` to ``endBlock``/``end``,
    code points of the blocks' whitespace-normalised text), which is what the
    script can map onto the page. Identical selections are one passage; a
    passage's ``count`` is its published feedback and their replies. Nothing
    here depends on the reader: the data is cached with the comments region.
    """
    rows: Any = ()
    if any_feedback:
        rows = (
            Anchor.objects.anchored()
            .filter(article=article, comment__depth=0)
            .filter(Q(comment__status=Comment.Status.APPROVED) | Q(comment__descendant_count__gt=0))
            .values_list(
                "comment_id",
                "comment__status",
                "comment__descendant_count",
                "question_id",
                "exact",
                "start",
                "end",
            )
            .order_by("start", "end", "comment_id")
        )
    text = BodyText.of(article.body)
    shown_questions = list(PassageQuestion.objects.filter(article=article, is_orphaned=False))
    asked = {question.pk for question in shown_questions}
    passages: dict[tuple[int, int], dict[str, Any]] = {}
    answers: dict[int, int] = defaultdict(int)
    answer_threads: dict[int, list[int]] = defaultdict(list)
    for comment_id, status, descendants, question_id, exact, start, end in rows:
        count = descendants + (1 if status == Comment.Status.APPROVED else 0)
        if question_id in asked:
            # Answers are counted on their question's highlight, not apart.
            answers[question_id] += count
            answer_threads[question_id].append(comment_id)
            continue
        item = passages.get((start, end))
        if item is None:
            where = _in_blocks(text, start, end, exact)
            if where is None:
                continue
            item = passages[(start, end)] = {**where, "quote": exact, "threads": [], "count": 0}
        item["threads"].append(comment_id)
        item["count"] += count
    questions = []
    for question in shown_questions:
        if question.start is None or question.end is None:
            continue
        where = _in_blocks(text, question.start, question.end, question.exact)
        if where is None:
            continue
        questions.append(
            {
                **where,
                "id": question.pk,
                "question": question.question,
                "quote": question.exact,
                "count": answers.get(question.pk, 0),
                "threads": answer_threads.get(question.pk, []),
            }
        )
    return {"passages": list(passages.values()), "questions": questions}


def _in_blocks(text: BodyText, start: int, end: int, exact: str) -> dict[str, Any] | None:
    """Where ``text[start:end]`` lies in blocks, or None unless it still reads ``exact``.

    Stored offsets are only right for the body they were resolved in; one
    that missed a re-anchoring would highlight other words. Such a passage is
    left unmarked (its feedback is still listed with its quote).
    """
    if not text.blocks or end > len(text.text) or start >= end:
        return None
    if text.text[start:end] != exact:
        return None
    first, last = text.block_of_start(start), text.block_of_end(end)
    return {
        "block": first.id,
        "start": start - first.start,
        "endBlock": last.id,
        "end": end - last.start,
    }


def loaded_anchor(comment: Comment) -> Anchor | None:
    """The comment's anchor if already loaded (select_related, or just created): no query."""
    return getattr(comment, "anchor", None) if Comment.anchor.is_cached(comment) else None


def in_blocks(article: Article, anchor: Anchor) -> dict[str, Any] | None:
    """Where one anchor lies, for the page script (a new or pending feedback)."""
    if anchor.is_orphaned:
        return None
    where = _in_blocks(BodyText.of(article.body), anchor.start, anchor.end, anchor.exact)
    if where is None:
        return None
    return {**where, "quote": anchor.exact, "thread": anchor.comment_id}
