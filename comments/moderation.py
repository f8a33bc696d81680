"""Rules that decide what happens to a new or edited comment.

Each rule looks at a :class:`Submission` and may return a :class:`Verdict`;
the strictest verdict wins (spam > rejected > pending > approved), and its
reason is kept on the comment for moderators. Rules are plain functions in
``RULES``; other modules add theirs with :func:`rule`:

>>> @rule
... def no_shouting(submission):
...     if submission.body.isupper():
...         return Verdict(Comment.Status.PENDING, "written in capitals")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from articles.models import Article

from . import wordrules
from .models import Comment
from .spam import Assessment
from .text import count_links

STRICTNESS = {
    Comment.Status.APPROVED: 0,
    Comment.Status.PENDING: 1,
    Comment.Status.REJECTED: 2,
    Comment.Status.SPAM: 3,
}


@dataclass(frozen=True)
class Submission:
    article: Article
    body: str
    body_html: str
    user_id: int | None
    is_staff: bool
    author_email: str
    ip_address: str | None
    is_edit: bool = False
    spam: Assessment | None = None


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str = ""


Rule = Callable[[Submission], Verdict | None]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def evaluate(submission: Submission) -> Verdict:
    """The verdict of all rules on ``submission`` (approved when none objects)."""
    verdict = Verdict(Comment.Status.APPROVED)
    for check in RULES:
        result = check(submission)
        if result and STRICTNESS[result.status] > STRICTNESS[verdict.status]:
            verdict = result
    return verdict


def premoderation_mode(article: Article) -> str:
    """``all``, ``first_time`` or ``none``: the section's choice, else the site's setting."""
    return article.section.comment_premoderation or getattr(
        settings, "NEWSROOM_COMMENT_PREMODERATION", "none"
    )


def has_approved_history(submission: Submission) -> bool:
    """Whether this commenter already has an approved comment anywhere on the site."""
    if submission.user_id:
        condition = Q(user_id=submission.user_id)
    elif submission.author_email:
        condition = Q(user__isnull=True, author_email__iexact=submission.author_email)
    else:
        return False
    return Comment.objects.filter(condition, status=Comment.Status.APPROVED).exists()


@rule
def too_many_links(submission: Submission) -> Verdict | None:
    limit = settings.NEWSROOM_COMMENT_MAX_LINKS
    links = count_links(submission.body_html)
    if links > limit:
        return Verdict(Comment.Status.PENDING, f"{links} links (more than {limit})")
    return None


@rule
def premoderation(submission: Submission) -> Verdict | None:
    if submission.is_staff:
        return None
    mode = premoderation_mode(submission.article)
    if mode == "all":
        return Verdict(Comment.Status.PENDING, "every comment is moderated first")
    if mode == "first_time" and not has_approved_history(submission):
        return Verdict(Comment.Status.PENDING, "first comment from this reader")
    return None


@rule
def word_rules(submission: Submission) -> Verdict | None:
    """Moderators' banned words reject a comment; their suspect words hold it."""
    if submission.is_staff:
        return None
    matcher = wordrules.current()
    banned = matcher.first(submission.body, "banned")
    if banned:
        return Verdict(
            Comment.Status.REJECTED, f"contains “{banned.text}”, which is not allowed here"
        )
    suspect = matcher.first(submission.body, "suspect")
    if suspect:
        return Verdict(Comment.Status.PENDING, f"contains “{suspect.text}” (a suspect word)")
    return None


@rule
def spam_score(submission: Submission) -> Verdict | None:
    """The spam score (``comments.spam``) above the settings' thresholds."""
    if submission.spam is None or submission.is_staff:
        return None
    score = submission.spam.score
    if score >= settings.NEWSROOM_SPAM_SCORE:
        return Verdict(Comment.Status.SPAM, f"spam score {score}")
    if score >= settings.NEWSROOM_SPAM_HOLD_SCORE:
        return Verdict(Comment.Status.PENDING, f"spam score {score}")
    return None
