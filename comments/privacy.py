"""The comments app's part in readers' privacy rights (see accounts/privacy.py).

- Export: a reader's comments and votes, for "Download my data".
- Erase: when a reader deletes their account, their comments are anonymised
  (signed "a former reader") or removed, as they chose; either way their
  e-mail address, IP address and browser hash go, and their votes are
  withdrawn. Removing also deletes the earlier texts of edited comments and
  clears what quotes or fingerprints the text (spam signals, the moderation
  reason, the repeated-text fingerprint). The moderation log is append-only
  and keeps its entries as moderators wrote them. Threads keep their shape: replies by others stay.
- Claim: once a reader verifies an address, the guest comments they posted
  with it become theirs.
- Purge: IP addresses stored with comments are erased once older than the
  retention period (``NEWSROOM_IP_RETENTION_DAYS``, default 90).
- The reader's public page lists their approved comments.
- Subscriptions to discussions: exported, erased with the account, and
  attached to the account once its address is verified (the functions live
  in ``comments/notifications.py``).

Reports and bans (moderation records):

- Export: the reports the reader made (reason, note, outcome), the reports
  on the reader's comments without who made them or their notes (other
  readers' words, which may identify them), and the bans on the account or
  its address (kind, dates, lifted or not; the moderators' internal note is
  left out, as it may concern other people).
- Erase: the reader's reports lose what identifies them (account, reader
  key, browser hash, note) and keep their reason, date and outcome, so a
  comment's report count and the moderation history stay true. A ban is a
  moderation record kept for a legitimate interest (keeping a discussion
  safe), minimised: a ban *in force* on the account carries on as a ban on
  the account's e-mail address (same end, same reason), so that deleting the
  account and signing up again with the same address does not lift it; a
  ban that already ended has no effect left and is deleted. Nothing is moved
  to an IP address (addresses are shared and change hands). The log records
  that a ban was carried over, without the address.
- Purge: besides comments' IP addresses, the keyed address-and-browser hash
  of guests' reports once older than the IP retention period (it only stops
  a guest reporting twice), and bans that ended more than
  ``NEWSROOM_ENDED_BAN_RETENTION_DAYS`` (365) ago. Ban checks never read
  stored comment addresses (they compare the request's address with the
  moderator's network bans, ``comments.bans``), so erasing them loses
  nothing bans need; a moderator banning from an old comment types the
  network in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.utils import timezone

from accounts import pages, privacy
from newsroom import cache

from . import bans, notifications
from .models import Ban, Comment, CommentRevision, ModerationAction, Report, Vote
from .services import author_display_name, cache_key_name, comment_set_status

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
        # Their words live on elsewhere too: earlier texts of edited comments,
        # spam signals and moderators' reasons quoting them, and a fingerprint
        # that would find the same text posted again.
        CommentRevision.objects.filter(comment__in=comments).delete()
        count = comments.update(
            **personal,
            author_name=privacy.FORMER_READER,
            body="",
            body_html="",
            author_url="",
            spam_signals=[],
            body_fingerprint="",
            moderation_reason="",
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
    # Claimed comments are signed like the reader's others, with their display name.
    claimed = guest.update(user=user, client_hash="", author_name=author_display_name(user))
    _bump(article_ids)
    return claimed


def rename_comments(sender, *, user, display_name: str, **kwargs) -> int:
    """A reader changed their display name: their comments show the new one.

    Receives ``accounts.signals.display_name_changed`` (connected in
    ``CommentsConfig.ready``), inside the profile's transaction; the
    discussions showing those comments are invalidated after the commit.
    """
    mine = Comment.objects.filter(user=user).exclude(author_name=display_name)
    article_ids = list(mine.values_list("article_id", flat=True).distinct())
    renamed = mine.update(author_name=display_name)
    _bump(article_ids)
    return renamed


@privacy.purger("comment-ips")
def forget_old_comment_ips(*, now: datetime) -> int:
    cutoff = privacy.retention_cutoff(now)
    return Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )


# --- Reports and bans ---------------------------------------------------------------


def _reports_by(user):
    return Report.objects.filter(Q(user=user) | Q(reporter=f"u:{user.pk}"))


def _outcome(report: Report) -> str:
    return "open" if report.handled_at is None else report.get_resolution_display().lower()


@privacy.exporter("comment-reports")
def export_reports(user) -> dict[str, list[dict[str, Any]]]:
    made = _reports_by(user).select_related("comment__article").order_by("created_at")
    received = (
        Report.objects.filter(comment__user=user)
        .order_by("created_at")
        .only("comment_id", "reason", "created_at", "resolution", "handled_at")
    )
    return {
        "made": [
            {
                "comment": report.comment_id,
                "article": report.comment.article.title,
                "reason": report.get_reason_display(),
                "note": report.note,
                "when": report.created_at.isoformat(),
                "outcome": _outcome(report),
            }
            for report in made
        ],
        # Who reported the reader, and their notes, belong to those readers.
        "on_your_comments": [
            {
                "comment": report.comment_id,
                "reason": report.get_reason_display(),
                "when": report.created_at.isoformat(),
                "outcome": _outcome(report),
            }
            for report in received
        ],
    }


def _bans_on(user):
    target = Q(kind=Ban.Kind.ACCOUNT, user=user)
    email = bans.normalise_email(user.email)
    if email:
        target |= Q(kind=Ban.Kind.EMAIL, email=email)
    return Ban.objects.filter(target)


@privacy.exporter("comment-bans")
def export_bans(user) -> list[dict[str, Any]]:
    return [
        {
            "on": ban.get_kind_display(),
            "since": ban.created_at.isoformat(),
            "until": ban.expires_at.isoformat() if ban.expires_at else None,
            "lifted": ban.lifted_at.isoformat() if ban.lifted_at else None,
        }
        for ban in _bans_on(user).order_by("created_at")
    ]


@privacy.eraser("comment-reports")
def erase_reports(user, *, content: str) -> dict[str, int]:
    # The reader key becomes a unique placeholder ("one report per reader"
    # still holds for everyone else); reason, date and outcome stay.
    erased = _reports_by(user).update(
        user=None,
        reporter=Concat(Value("erased:"), Cast("pk", output_field=CharField())),
        client="",
        note="",
    )
    return {"reports_anonymised": erased}


@privacy.eraser("comment-bans")
def erase_bans(user, *, content: str) -> dict[str, int]:
    now = timezone.now()
    on_account = Ban.objects.select_for_update().filter(kind=Ban.Kind.ACCOUNT, user=user)
    email = bans.normalise_email(user.email)
    kept = 0
    if email:
        for ban in on_account.active(at=now):
            ban.kind, ban.user, ban.email = Ban.Kind.EMAIL, None, email
            ban.save(update_fields=["kind", "user", "email"])
            ModerationAction.objects.create(
                action=ModerationAction.Action.BAN,
                detail=f"Ban {ban.pk} on an account kept on its e-mail address: "
                "the reader deleted the account",
            )
            kept += 1
    ended, _ = on_account.all().delete()
    if kept or ended:
        transaction.on_commit(bans.changed)
    return {"bans_kept_on_email": kept, "ended_bans_deleted": ended}


@privacy.purger("comment-report-clients")
def forget_old_report_clients(*, now: datetime) -> int:
    """Guests' address-and-browser hashes on reports, once past the IP retention period."""
    cutoff = privacy.retention_cutoff(now)
    return Report.objects.filter(created_at__lt=cutoff).exclude(client="").update(client="")


@privacy.purger("ended-comment-bans")
def forget_ended_bans(*, now: datetime) -> int:
    """Bans (addresses, networks) that ended long ago: they no longer act on anyone."""
    cutoff = now - timedelta(days=settings.NEWSROOM_ENDED_BAN_RETENTION_DAYS)
    ended = Q(lifted_at__lt=cutoff) | Q(lifted_at__isnull=True, expires_at__lt=cutoff)
    deleted, _ = Ban.objects.filter(ended).delete()
    return deleted


@pages.reader_section("comments", title="Comments", order=10, paged=True)
def reader_comments(user, *, page: int = 1) -> pages.Section:
    start = (page - 1) * READER_PAGE_COMMENTS
    # One row more than a page says whether older comments follow, without a COUNT.
    rows = list(
        Comment.objects.approved()
        .filter(user=user, article__in=_public_articles())
        .select_related("article__section")
        .order_by("-created_at", "-pk")[start : start + READER_PAGE_COMMENTS + 1]
    )
    if page > 1 and not rows:
        raise Http404("No such page")
    return pages.Section(
        "comments/includes/reader_comments.html",
        {
            "comments": rows[:READER_PAGE_COMMENTS],
            "page": page,
            "has_older": len(rows) > READER_PAGE_COMMENTS,
        },
    )


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
