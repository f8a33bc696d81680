"""Everything that changes comments goes through these functions.

Public views, the admin, the moderation pages and importers all call them, so
the rules (closed articles, threading depth, moderation, counters, cache
invalidation) hold whatever the entry point. Each function validates, writes,
and schedules follow-ups on commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from articles.models import Article, Author
from newsroom import cache

from . import moderation
from .models import PATH_WIDTH, Comment, CommentRevision, Vote
from .text import normalise, render

VISIBLE = Comment.Status.APPROVED


def cache_key_name(article_id: int) -> str:
    """The version name under which an article's comment fragments are cached."""
    return f"comments:{article_id}"


def _invalidate(article_id: int) -> None:
    transaction.on_commit(lambda: cache.bump(cache_key_name(article_id)))


def _author_role(article: Article, user: AbstractBaseUser | None) -> str:
    if user is None:
        return Comment.Role.READER
    if Author.objects.filter(user=user, byline__article=article).exists():
        return Comment.Role.AUTHOR
    if user.is_staff:
        return Comment.Role.STAFF
    return Comment.Role.READER


def _display_name(user: AbstractBaseUser) -> str:
    profile_name = getattr(getattr(user, "reader_profile", None), "display_name", "")
    return profile_name or user.get_full_name() or user.get_username()


def check_body(body: str) -> str:
    """Normalise a comment body or raise a ValidationError saying what to fix."""
    if "\x00" in body:
        raise ValidationError(
            "Your comment contains a NUL character, which we cannot store. Remove it and "
            "post again.",
            code="nul",
        )
    if "\ufffd" in body:
        raise ValidationError(
            "Part of your comment could not be read (it was not valid UTF-8 text). Check "
            "the text and post again.",
            code="encoding",
        )
    text = normalise(body)
    if not text:
        raise ValidationError("Write something before posting.", code="empty")
    limit = settings.NEWSROOM_COMMENT_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            "Your comment is %(length)s characters long; the limit is %(limit)s. Shorten it "
            "or split it into two comments.",
            code="too_long",
            params={"length": f"{len(text):,}", "limit": f"{limit:,}"},
        )
    return text


def check_can_comment(article: Article) -> None:
    if not article.is_public:
        raise ValidationError("This article is not published.", code="not_public")
    if not article.comments_enabled:
        raise ValidationError("Comments are disabled on this article.", code="disabled")
    if not article.comments_open:
        raise ValidationError("Comments are closed on this article.", code="closed")


def resolve_parent(
    article: Article, parent_id: int | None
) -> tuple[Comment | None, Comment | None]:
    """The comment a reply nests under, and the one it answers (they differ when too deep)."""
    if not parent_id:
        return None, None
    target = Comment.objects.filter(pk=parent_id).first()
    if target is None:
        raise ValidationError(
            "The comment you are replying to no longer exists.", code="parent_missing"
        )
    if target.article_id != article.pk:
        raise ValidationError(
            "The comment you are replying to belongs to another article.", code="parent_elsewhere"
        )
    if target.status != Comment.Status.APPROVED:
        raise ValidationError(
            "The comment you are replying to has been removed or is not published.",
            code="parent_hidden",
        )
    max_depth = settings.NEWSROOM_COMMENT_MAX_DEPTH  # levels, the top level being 1
    parent = target
    while parent.depth + 1 >= max_depth and parent.parent_id:
        parent = parent.parent
    return parent, (target if parent.pk != target.pk else None)


def _set_tree_position(comment: Comment) -> None:
    own = str(comment.pk).zfill(PATH_WIDTH)
    if comment.parent_id:
        comment.thread_id = comment.parent.thread_id
        comment.path = f"{comment.parent.path}/{own}"
    else:
        comment.thread_id = comment.pk
        comment.path = own
    Comment.objects.filter(pk=comment.pk).update(thread_id=comment.thread_id, path=comment.path)


def _status_changed(comment: Comment, old_status: str | None) -> None:
    """Keep ancestors' counters right and invalidate caches after a status change."""
    was_visible = old_status == VISIBLE
    is_visible = comment.status == VISIBLE
    if was_visible != is_visible:
        ancestors = comment.ancestor_ids()
        if ancestors:
            delta = 1 if is_visible else -1
            Comment.objects.filter(pk__in=ancestors).update(
                descendant_count=F("descendant_count") + delta
            )
    _invalidate(comment.article_id)


@transaction.atomic
def comment_post(
    *,
    article: Article,
    body: str,
    user: AbstractBaseUser | None = None,
    author_name: str = "",
    author_email: str = "",
    parent_id: int | None = None,
    ip_address: str | None = None,
    client_hash: str = "",
    now: datetime | None = None,
) -> Comment:
    """Post a comment or a reply. Raises ValidationError (nothing stored) when refused."""
    now = now or timezone.now()
    article = Article.objects.select_related("section").get(pk=article.pk)
    check_can_comment(article)
    text = check_body(body)
    if user is not None and not user.is_active:
        raise ValidationError(
            "Your account is no longer active, so you cannot comment.", code="inactive"
        )
    if user is None:
        if not settings.NEWSROOM_COMMENTS_ALLOW_GUESTS:
            raise ValidationError("Sign in to comment.", code="guests_off")
        if not author_name.strip() or not author_email.strip():
            raise ValidationError("Give your name and e-mail address to comment.", code="guest")
    parent, answered = resolve_parent(article, parent_id)
    body_html = render(text)
    verdict = moderation.evaluate(
        moderation.Submission(
            article=article,
            body=text,
            body_html=body_html,
            user_id=user.pk if user else None,
            is_staff=bool(user and user.is_staff),
            author_email=(user.email if user else author_email).strip(),
            ip_address=ip_address,
        )
    )
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        in_reply_to=answered,
        depth=parent.depth + 1 if parent else 0,
        user=user,
        author_name=_display_name(user) if user else author_name.strip(),
        author_email=(user.email if user else author_email.strip()),
        author_role=_author_role(article, user),
        body=text,
        body_html=body_html,
        status=verdict.status,
        moderation_reason=verdict.reason,
        ip_address=ip_address or None,
        client_hash=client_hash,
        created_at=now,
        status_changed_at=now,
    )
    _set_tree_position(comment)
    _status_changed(comment, None)
    return comment


def is_owner(comment: Comment, *, user: AbstractBaseUser | None, client_hash: str) -> bool:
    if comment.user_id:
        return bool(user and user.is_authenticated and user.pk == comment.user_id)
    return bool(client_hash) and comment.client_hash == client_hash


def edit_deadline(comment: Comment) -> datetime:
    return comment.created_at + timedelta(seconds=settings.NEWSROOM_COMMENT_EDIT_WINDOW)


def can_edit(
    comment: Comment,
    *,
    user: AbstractBaseUser | None,
    client_hash: str,
    now: datetime | None = None,
    has_replies: bool | None = None,
) -> bool:
    now = now or timezone.now()
    if comment.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
        return False
    if not is_owner(comment, user=user, client_hash=client_hash) or now > edit_deadline(comment):
        return False
    if has_replies is None:
        has_replies = Comment.objects.filter(parent=comment).exists()
    return not has_replies


@transaction.atomic
def comment_edit(
    *,
    comment: Comment,
    body: str,
    user: AbstractBaseUser | None,
    client_hash: str,
    now: datetime | None = None,
) -> Comment:
    """The author rewrites their comment (within the window, before any reply)."""
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    if not is_owner(comment, user=user, client_hash=client_hash):
        raise ValidationError("You can only edit your own comments.", code="not_owner")
    if comment.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
        raise ValidationError("This comment can no longer be edited.", code="not_editable")
    if now > edit_deadline(comment):
        minutes = settings.NEWSROOM_COMMENT_EDIT_WINDOW // 60
        raise ValidationError(
            "Comments can be edited for %(minutes)s minutes after posting; that time is over.",
            code="window",
            params={"minutes": minutes},
        )
    if Comment.objects.filter(parent=comment).exists():
        raise ValidationError(
            "Someone has replied to this comment, so it can no longer be edited.",
            code="has_replies",
        )
    text = check_body(body)
    if text == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body, created_at=now)
    old_status = comment.status
    comment.body = text
    comment.body_html = render(text)
    verdict = moderation.evaluate(
        moderation.Submission(
            article=comment.article,
            body=text,
            body_html=comment.body_html,
            user_id=comment.user_id,
            is_staff=bool(user and user.is_staff),
            author_email=comment.author_email,
            ip_address=comment.ip_address,
            is_edit=True,
        )
    )
    # An edit can make a comment need review again, never the other way round.
    if moderation.STRICTNESS[verdict.status] > moderation.STRICTNESS[comment.status]:
        comment.status = verdict.status
        comment.moderation_reason = verdict.reason
        comment.status_changed_at = now
    comment.edited_at = now
    comment.save(
        update_fields=[
            "body",
            "body_html",
            "status",
            "moderation_reason",
            "status_changed_at",
            "edited_at",
        ]
    )
    _status_changed(comment, old_status)
    return comment


@transaction.atomic
def comment_delete_own(
    *, comment: Comment, user: AbstractBaseUser | None, client_hash: str
) -> Comment:
    """The author deletes their comment: it shows as "comment removed", replies stay."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not is_owner(comment, user=user, client_hash=client_hash):
        raise ValidationError("You can only delete your own comments.", code="not_owner")
    if comment.status == Comment.Status.REMOVED:
        return comment
    return _set_status(comment, Comment.Status.REMOVED, reason="deleted by its author")


def _set_status(comment: Comment, status: str, *, reason: str = "") -> Comment:
    old_status = comment.status
    if old_status == status:
        return comment
    comment.status = status
    comment.moderation_reason = reason
    comment.status_changed_at = timezone.now()
    comment.save(update_fields=["status", "moderation_reason", "status_changed_at"])
    _status_changed(comment, old_status)
    return comment


@transaction.atomic
def comment_set_status(*, comment: Comment, status: str, reason: str = "") -> Comment:
    """Moderation: approve, reject, mark as spam, remove or restore a comment."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    return _set_status(comment, status, reason=reason)


def comment_approve(*, comment: Comment, reason: str = "") -> Comment:
    return comment_set_status(comment=comment, status=Comment.Status.APPROVED, reason=reason)


def comment_reject(*, comment: Comment, reason: str = "") -> Comment:
    return comment_set_status(comment=comment, status=Comment.Status.REJECTED, reason=reason)


def comment_mark_spam(*, comment: Comment, reason: str = "") -> Comment:
    return comment_set_status(comment=comment, status=Comment.Status.SPAM, reason=reason)


def comment_remove(*, comment: Comment, reason: str = "") -> Comment:
    return comment_set_status(comment=comment, status=Comment.Status.REMOVED, reason=reason)


@transaction.atomic
def comment_vote(*, comment: Comment, voter: str, client: str = "", value: int) -> Comment:
    """Record a reader's vote (+1, -1, or 0 to withdraw it) and recount.

    The comment row is locked first, so concurrent votes on one comment are
    serialised and every recount sees all committed votes: parallel votes
    never double count, and one reader has at most one vote.
    """
    if value not in (-1, 0, 1):
        raise ValidationError("A vote is up or down.", code="bad_value")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != Comment.Status.APPROVED:
        raise ValidationError("You can only vote on published comments.", code="not_visible")
    if value == 0:
        Vote.objects.filter(comment=comment, voter=voter).delete()
    else:
        existing = Vote.objects.filter(comment=comment, voter=voter).first()
        if existing:
            if existing.value != value:
                existing.value = value
                existing.save(update_fields=["value", "updated_at"])
        else:
            if (
                client
                and voter.startswith("g:")
                and Vote.objects.filter(comment=comment, client=client).exists()
            ):
                raise ValidationError(
                    "A vote on this comment has already been cast from this browser.",
                    code="duplicate_client",
                )
            try:
                with transaction.atomic():
                    Vote.objects.create(
                        comment=comment,
                        voter=voter,
                        client=client if voter.startswith("g:") else "",
                        value=value,
                    )
            except IntegrityError:
                Vote.objects.filter(comment=comment, voter=voter).update(value=value)
    counts = Vote.objects.filter(comment=comment).aggregate(
        up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1))
    )
    comment.upvotes, comment.downvotes = counts["up"], counts["down"]
    comment.score = comment.upvotes - comment.downvotes
    comment.save(update_fields=["upvotes", "downvotes", "score"])
    _invalidate(comment.article_id)
    return comment
