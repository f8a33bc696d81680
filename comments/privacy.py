"""The comments app's part in readers' privacy rights (see accounts/privacy.py).

- Export: a reader's comments and votes, for "Download my data".
- Erase: when a reader deletes their account, their comments are anonymised
  (signed "a former reader") or removed, as they chose; either way their
  e-mail address, IP address and browser hash go, and their votes are
  withdrawn. Threads keep their shape: replies by others stay.
- Claim: once a reader verifies an address, the guest comments they posted
  with it become theirs.
- Purge: IP addresses stored with comments are erased once older than the
  retention period (``NEWSROOM_IP_RETENTION_DAYS``, default 90).
- The reader's public page lists their approved comments.
- Subscriptions to discussions: exported, erased with the account, and
  attached to the account once its address is verified (the functions live
  in ``comments/notifications.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from accounts import pages, privacy
from newsroom import cache

from . import notifications
from .models import Comment, Vote
from .services import cache_key_name, comment_set_status

READER_PAGE_COMMENTS = 20


def _bump(article_ids) -> None:
    names = [cache_key_name(article_id) for article_id in set(article_ids)]
    if names:
        transaction.on_commit(lambda: cache.bump(*names))


@privacy.exporter("comments")
def export_comments(user) -> list[dict[str, Any]]:
    comments = Comment.objects.filter(user=user).select_related("article__section")
    return [
        {
            "id": comment.pk,
            "article": comment.article.title,
            "url": comment.article.get_absolute_url() + f"#comment-{comment.pk}",
            "in_reply_to": comment.parent_id,
            "name_shown": comment.author_name,
            "text": comment.body,
            "status": comment.status,
            "posted": comment.created_at.isoformat(),
            "edited": comment.edited_at.isoformat() if comment.edited_at else None,
            "passage": getattr(getattr(comment, "anchor", None), "exact", None),
        }
        for comment in comments.select_related("anchor").order_by("created_at")
    ]


@privacy.exporter("votes")
def export_votes(user) -> list[dict[str, Any]]:
    votes = Vote.objects.filter(voter=f"u:{user.pk}").order_by("created_at")
    return [
        {
            "comment": vote.comment_id,
            "vote": "up" if vote.value > 0 else "down",
            "when": vote.updated_at.isoformat(),
        }
        for vote in votes
    ]


def _recount(comment_ids) -> None:
    counts = (
        Vote.objects.filter(comment_id__in=comment_ids)
        .values("comment_id")
        .annotate(up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1)))
    )
    found = {row["comment_id"]: row for row in counts}
    for comment in Comment.objects.filter(pk__in=comment_ids).only("pk"):
        row = found.get(comment.pk, {"up": 0, "down": 0})
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=row["up"], downvotes=row["down"], score=row["up"] - row["down"]
        )


@privacy.eraser("comments")
def erase_comments(user, *, content: str) -> dict[str, int]:
    comments = Comment.objects.select_for_update().filter(user=user)
    article_ids = list(comments.values_list("article_id", flat=True))
    personal = {"user": None, "author_email": "", "ip_address": None, "client_hash": ""}
    if content == privacy.ContentChoice.REMOVE:
        removed = list(comments.exclude(status=Comment.Status.REMOVED))
        for comment in removed:
            # Through the service, so the counters of ancestors stay right.
            comment_set_status(
                comment=comment, status=Comment.Status.REMOVED, reason="account deleted"
            )
        count = comments.update(
            **personal, author_name=privacy.FORMER_READER, body="", body_html="", author_url=""
        )
        result = {"removed": count}
    else:
        count = comments.update(**personal, author_name=privacy.FORMER_READER, author_url="")
        result = {"anonymised": count}
    votes = Vote.objects.filter(voter=f"u:{user.pk}")
    voted_on = list(votes.values_list("comment_id", flat=True))
    article_ids += list(
        Comment.objects.filter(pk__in=voted_on).values_list("article_id", flat=True)
    )
    result["votes_withdrawn"] = votes.delete()[0]
    _recount(voted_on)
    _bump(article_ids)
    return result


@privacy.claimer("comments")
def claim_guest_comments(user, *, email: str) -> int:
    guest = Comment.objects.filter(user__isnull=True, author_email__iexact=email.strip())
    article_ids = list(guest.values_list("article_id", flat=True))
    claimed = guest.update(user=user, client_hash="")
    _bump(article_ids)
    return claimed


@privacy.purger("comment-ips")
def forget_old_comment_ips(*, now: datetime) -> int:
    cutoff = privacy.retention_cutoff(now)
    return Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )


@pages.reader_section("comments", title="Comments", order=10)
def reader_comments(user) -> pages.Section:
    comments = (
        Comment.objects.approved()
        .filter(user=user, article__in=_public_articles())
        .select_related("article__section")
        .order_by("-created_at")[:READER_PAGE_COMMENTS]
    )
    return pages.Section("comments/includes/reader_comments.html", {"comments": comments})


def _public_articles():
    from articles.models import Article

    return Article.objects.published().values("pk")


# Comment notifications: the addresses that follow discussions (comments/notifications.py).
privacy.exporter("comment-subscriptions")(notifications.export_subscriptions)
privacy.eraser("comment-subscriptions")(notifications.erase_subscriptions)
privacy.claimer("comment-subscriptions")(notifications.claim_subscriptions)
pages.account_link(
    "comment-notifications", label="Comment notifications", url_name="comments:subscriptions",
    order=20,
)  # fmt: skip
