"""The worker side of comment notifications: fan-out, digests, sending, clean-up.

::

    NotificationEvent ──fan_out_events()──▶ OutboxMessage per subscriber
                                              (pending, or held for the digest)
    held messages     ──build_digests()───▶ one digest per subscriber and day
    due messages      ──deliver_due()─────▶ claimed in a batch, sent one by one,
                                              each marked sent in its own transaction

Every step is safe to run twice and in parallel:

* an event is fanned out in one transaction, under a row lock that other
  workers skip; unique constraints (one notification per subscriber and
  comment, one digest per subscriber and period) make a repeat a no-op;
* a batch is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL) or
  inside SQLite's single-writer transaction, and marked ``sending`` with a
  lease; a worker that dies mid-batch leaves its unsent messages to be
  claimed again when the lease runs out, and nothing it marked sent is sent
  again;
* each message keeps one Message-ID for all its attempts, so the one copy
  that can be sent twice (accepted by the mail server just before the worker
  died, not yet marked) is the same message to every mail system;
* failures are retried after 1, 2, 4… minutes (``NEWSROOM_NOTIFY_RETRY_*``);
  after ``NEWSROOM_NOTIFY_MAX_ATTEMPTS`` a message is ``failed`` and shown to
  staff in the admin, who can send it again.

These functions must run outside any transaction (in the worker, a
management command or a test): each mark has to commit on its own.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time, timedelta
from email.utils import format_datetime
from functools import lru_cache
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import Truncator

from . import notifications
from .models import (
    Comment,
    NotificationEvent,
    OutboxMessage,
    Subscriber,
    Subscription,
)

logger = logging.getLogger(__name__)

Msg = OutboxMessage
State = OutboxMessage.State
INSERT_BATCH = 1000
# After this many failures in a row the mail server is taken to be down: the
# rest of the batch is put back for later instead of waiting on each timeout.
FAILURES_BEFORE_PAUSE = 3
DIGEST_ITEMS_SHOWN = 100
# The article's text is not needed in e-mails: leave it in the database.
LIGHT_ARTICLE = [f"subscription__article__{name}" for name in ("body", "body_html", "standfirst")]


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    """``itertools.batched`` (Python 3.12+) for Python 3.11."""
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


# --- Fan-out ---------------------------------------------------------------------------


def fan_out_events(*, now: datetime | None = None, limit: int = 20) -> dict[str, int]:
    """Turn up to ``limit`` waiting events into messages, one transaction per event."""
    stats = {"events": 0, "messages": 0}
    while stats["events"] < limit:
        with transaction.atomic():
            event = (
                NotificationEvent.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("comment__article")
                .filter(processed_at__isnull=True)
                .order_by("pk")
                .first()
            )
            if event is None:
                break
            moment = now or timezone.now()
            created = _fan_out(event.comment, now=moment)
            event.processed_at = moment
            event.recipients = created
            event.save(update_fields=["processed_at", "recipients"])
        stats["events"] += 1
        stats["messages"] += created
    return stats


def _fan_out(comment: Comment, *, now: datetime) -> int:
    if comment.status != Comment.Status.APPROVED or not comment.article.is_public:
        return 0
    answered = comment.in_reply_to_id or comment.parent_id
    audience = Q(kind=Subscription.Kind.ARTICLE, article_id=comment.article_id)
    if answered:
        audience |= Q(kind=Subscription.Kind.REPLIES, comment_id=answered)
    subscriptions = Subscription.objects.active().filter(audience)
    # Nobody hears about their own comment.
    author = notifications.normalise_email(comment.author_email)
    if author:
        subscriptions = subscriptions.exclude(subscriber__email=author)
    if comment.user_id:
        subscriptions = subscriptions.exclude(subscriber__user_id=comment.user_id)
    # One message per subscriber; "a reply to your comment" beats "a new comment".
    chosen: dict[int, tuple[int, str, str]] = {}
    rows = subscriptions.values_list("pk", "subscriber_id", "kind", "subscriber__delivery")
    for pk, subscriber_id, kind, delivery in rows.iterator(chunk_size=2000):
        if subscriber_id not in chosen or kind == Subscription.Kind.REPLIES:
            chosen[subscriber_id] = (pk, kind, delivery)
    messages = (
        Msg(
            kind=Msg.Kind.COMMENT,
            state=State.HELD if delivery == Subscriber.Delivery.DAILY else State.PENDING,
            priority=Msg.PRIORITY[Msg.Kind.COMMENT],
            subscriber_id=subscriber_id,
            subscription_id=pk,
            comment_id=comment.pk,
            due_at=now,
            created_at=now,
        )
        for subscriber_id, (pk, _kind, delivery) in chosen.items()
    )
    for chunk in batched(messages, INSERT_BATCH):
        Msg.objects.bulk_create(chunk, ignore_conflicts=True)
    return len(chosen)


# --- Daily digests ----------------------------------------------------------------------


def digest_cutoff(now: datetime) -> datetime:
    """The latest digest time (``NEWSROOM_DIGEST_HOUR``, local time) at or before ``now``."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    cutoff = datetime.combine(today, time(settings.NEWSROOM_DIGEST_HOUR), tzinfo=zone)
    if cutoff > now:
        cutoff = datetime.combine(
            today - timedelta(days=1), time(settings.NEWSROOM_DIGEST_HOUR), tzinfo=zone
        )
    return cutoff


def build_digests(*, now: datetime | None = None, chunk: int = 500) -> dict[str, int]:
    """Gather each subscriber's held notifications from before the last digest time.

    Idempotent: a digest is unique per subscriber and period, and only held
    notifications are moved into one, so running it twice (or on two
    machines at once) sends one digest. Held notifications that arrive for a
    period whose digest has already gone out wait for the next one.
    """
    now = now or timezone.now()
    cutoff = digest_cutoff(now)
    held = Msg.objects.filter(state=State.HELD, due_at__lt=cutoff)
    subscriber_ids = list(held.values_list("subscriber_id", flat=True).distinct().order_by())
    stats = {"digests": 0, "notifications": 0}
    for ids in batched(subscriber_ids, chunk):
        with transaction.atomic():
            Msg.objects.bulk_create(
                [
                    Msg(
                        kind=Msg.Kind.DIGEST,
                        priority=Msg.PRIORITY[Msg.Kind.DIGEST],
                        subscriber_id=subscriber_id,
                        digest_until=cutoff,
                        due_at=now,
                        created_at=now,
                    )
                    for subscriber_id in ids
                ],
                ignore_conflicts=True,
            )
            # Lock the period's digests that have not gone out yet, so no
            # worker claims one while notifications are being moved into it.
            open_digests = dict(
                Msg.objects.select_for_update()
                .filter(
                    kind=Msg.Kind.DIGEST,
                    digest_until=cutoff,
                    subscriber_id__in=ids,
                    state=State.PENDING,
                )
                .values_list("subscriber_id", "pk")
            )
            target = Msg.objects.filter(
                pk__in=list(open_digests.values()), subscriber_id=OuterRef("subscriber_id")
            ).values("pk")[:1]
            moved = held.filter(subscriber_id__in=list(open_digests)).update(
                state=State.DIGESTED, digest_id=Subquery(target)
            )
        stats["digests"] += len(open_digests)
        stats["notifications"] += moved
    return stats


# --- Sending ------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes after the 1st, 2nd, 3rd… failure, capped."""
    seconds = settings.NEWSROOM_NOTIFY_RETRY_BASE * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NEWSROOM_NOTIFY_RETRY_MAX))


def claim(*, now: datetime, limit: int, worker: str) -> list[OutboxMessage]:
    """Mark up to ``limit`` due messages as being sent by ``worker``, under a lease."""
    with transaction.atomic():
        ids = list(
            Msg.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("priority", "due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Msg.objects.filter(pk__in=ids).update(
                state=State.SENDING,
                claimed_by=worker,
                attempts=F("attempts") + 1,
                due_at=now + timedelta(seconds=settings.NEWSROOM_NOTIFY_LEASE),
            )
    if not ids:
        return []
    batch = list(
        Msg.objects.filter(pk__in=ids, claimed_by=worker)
        .select_related("subscriber", "subscription__article__section", "comment")
        .defer(*LIGHT_ARTICLE)
        .order_by("priority", "pk")
    )
    # The notifications inside the batch's digests, in one query for all of them.
    digests = [message for message in batch if message.kind == Msg.Kind.DIGEST]
    if digests:
        items = (
            Msg.objects.select_related("comment", "subscription__article__section")
            .defer(*LIGHT_ARTICLE)
            .order_by("subscription_id", "comment_id")
        )
        prefetch_related_objects(digests, Prefetch("items", queryset=items))
    return batch


def deliver_due(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Claim one batch of due messages and send it. Returns what happened."""
    now = now or timezone.now()
    worker = get_random_string(16)
    batch = claim(now=now, limit=limit or settings.NEWSROOM_NOTIFY_BATCH, worker=worker)
    stats = {"claimed": len(batch), "sent": 0, "skipped": 0, "retrying": 0, "failed": 0}
    if not batch:
        return stats
    connection = get_connection()
    failures_in_a_row = 0
    try:
        for position, message in enumerate(batch):
            if message.attempts > settings.NEWSROOM_NOTIFY_MAX_ATTEMPTS:
                # Claimed this often without an outcome: it stops the worker.
                _finish(
                    message, worker, state=State.FAILED, error="the worker stopped while sending it"
                )
                stats["failed"] += 1
                continue
            try:
                email = build_email(message, connection=connection)
                if email is not None and not email.send():
                    raise RuntimeError("the mail backend did not accept the message")
            except Exception as error:  # any failure is recorded and retried
                logger.warning("notification %s not sent: %s", message.pk, error)
                stats[_failed(message, worker, error, now=timezone.now())] += 1
                failures_in_a_row += 1
                if failures_in_a_row >= FAILURES_BEFORE_PAUSE:
                    _put_back(batch[position + 1 :], worker, now=timezone.now(), error=error)
                    break
                continue
            failures_in_a_row = 0
            if email is None:
                _finish(message, worker, state=State.SKIPPED)
                stats["skipped"] += 1
            else:
                _finish(message, worker, state=State.SENT, sent_at=timezone.now())
                stats["sent"] += 1
    finally:
        connection.close()
    return stats


def _mine(message: OutboxMessage, worker: str):
    # Only the worker holding the claim may record the outcome: if its lease
    # ran out and another worker took the message over, that one decides.
    return Msg.objects.filter(pk=message.pk, claimed_by=worker, state=State.SENDING)


def _finish(message, worker, *, state, sent_at=None, error="") -> None:
    # A single UPDATE outside any transaction: committed the moment it returns.
    _mine(message, worker).update(state=state, sent_at=sent_at, last_error=error)


def _failed(message: OutboxMessage, worker: str, error: Exception, *, now: datetime) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= settings.NEWSROOM_NOTIFY_MAX_ATTEMPTS:
        _mine(message, worker).update(state=State.FAILED, last_error=text, due_at=now)
        return "failed"
    _mine(message, worker).update(
        state=State.PENDING, last_error=text, due_at=now + retry_delay(message.attempts)
    )
    return "retrying"


def _put_back(messages, worker: str, *, now: datetime, error: Exception) -> None:
    """Return claimed messages that were not tried (their attempt does not count)."""
    Msg.objects.filter(
        pk__in=[m.pk for m in messages], claimed_by=worker, state=State.SENDING
    ).update(
        state=State.PENDING,
        attempts=F("attempts") - 1,
        due_at=now + retry_delay(1),
        last_error=f"not tried: the mail server failed repeatedly ({type(error).__name__})",
    )


def run(*, now: datetime | None = None, max_messages: int = 500) -> dict[str, Any]:
    """What the worker does when woken: fan out new events, send what is due."""
    stats: dict[str, Any] = fan_out_events(now=now)
    totals = defaultdict(int)
    while totals["claimed"] < max_messages:
        batch = deliver_due(now=now)
        for key, value in batch.items():
            totals[key] += value
        if not batch["claimed"]:
            break
    stats.update(totals)
    moment = now or timezone.now()
    stats["more"] = (
        Msg.objects.due(moment).exists()
        or NotificationEvent.objects.filter(processed_at__isnull=True).exists()
    )
    stats["next_due"] = (
        Msg.objects.filter(state__in=[State.PENDING, State.SENDING], due_at__gt=moment)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return stats


def sweep(*, now: datetime | None = None) -> dict[str, Any]:
    """The periodic pass: digests due, anything missed, then clean-up."""
    now = now or timezone.now()
    stats: dict[str, Any] = {"digests": build_digests(now=now)}
    stats["run"] = run(now=now)
    stats["purged"] = purge(now=now)
    return stats


def purge(*, now: datetime | None = None) -> dict[str, int]:
    """Forget what is no longer needed: old sent messages, expired requests, empty addresses."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NEWSROOM_NOTIFY_RETENTION_DAYS)
    done = {}
    done["messages"], _ = Msg.objects.filter(
        state__in=[State.SENT, State.SKIPPED], created_at__lt=cutoff
    ).delete()
    done["events"], _ = NotificationEvent.objects.filter(processed_at__lt=cutoff).delete()
    expired = now - timedelta(seconds=settings.NEWSROOM_NOTIFY_CONFIRM_MAX_AGE)
    done["unconfirmed"], _ = Subscription.objects.pending().filter(created_at__lt=expired).delete()
    done["addresses"], _ = (
        Subscriber.objects.filter(created_at__lt=cutoff)
        .exclude(Exists(Subscription.objects.filter(subscriber=OuterRef("pk"))))
        .exclude(Exists(Msg.objects.filter(subscriber=OuterRef("pk"))))
        .delete()
    )
    return done


# --- The e-mails ----------------------------------------------------------------------

BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _header_text(text: str, limit: int = 80) -> str:
    """Reader text made safe for a Subject: one line, no control or direction characters."""
    cleaned = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch for ch in text if ch not in BIDI_CONTROLS
    )
    return Truncator(" ".join(cleaned.split())).chars(limit)


def _absolute(path: str) -> str:
    return f"{settings.NEWSROOM_SITE_URL}{path}"


def _domain() -> str:
    return urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    css = render_to_string("comments/email/email.css")
    return css_inline.CSSInliner(extra_css=css, load_remote_stylesheets=False)


def build_email(message: OutboxMessage, *, connection=None) -> EmailMultiAlternatives | None:
    """The e-mail for an outbox row, as of now; None when it is no longer relevant."""
    _share_rows(message, message.subscriber)
    builder = {
        Msg.Kind.CONFIRM: _confirm_email,
        Msg.Kind.MANAGE: _manage_email,
        Msg.Kind.COMMENT: _comment_email,
        Msg.Kind.DIGEST: _digest_email,
    }[message.kind]
    parts = builder(message)
    if parts is None:
        return None
    subject, template, context, headers = parts
    subscriber = message.subscriber
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "subject": subject,
        "email": subscriber.email,
        "manage_url": _absolute(
            reverse(
                "comments:subscriptions_manage",
                args=[notifications.manage_token(subscriber, issued_at=message.created_at)],
            )
        ),
        **context,
    }
    headers = {
        "Message-ID": message.message_id,
        # Fixed per message, like the Message-ID: every attempt sends the same e-mail.
        "Date": format_datetime(message.created_at.astimezone(UTC)),
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        **headers,
    }
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"comments/email/{template}.txt", context),
        to=[subscriber.email],
        headers=headers,
        connection=connection,
    )
    email.attach_alternative(
        _inliner().inline(render_to_string(f"comments/email/{template}.html", context)),
        "text/html",
    )
    return email


def _share_rows(message: OutboxMessage, subscriber: Subscriber) -> None:
    """Point a message's related rows at the ones already loaded, instead of loading
    them again: its subscription is the subscriber's, its comment is on the
    subscription's article (that is how the fan-out made it)."""
    subscription = message.subscription
    if subscription is not None:
        subscription.subscriber = subscriber
        if message.comment is not None:
            message.comment.article = subscription.article


def _list_headers(unsubscribe_url: str) -> dict[str, str]:
    # RFC 2369 and RFC 8058: mail programs show an "Unsubscribe" button that
    # POSTs "List-Unsubscribe=One-Click" to this address, no page in between.
    return {
        "List-Id": f"Comment notifications <comments.{_domain()}>",
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _unsubscribe_url(token: str) -> str:
    return _absolute(reverse("comments:unsubscribe", args=[token]))


def _confirm_email(message):
    subscription = message.subscription
    if subscription is None or subscription.status != Subscription.Status.PENDING:
        return None  # confirmed meanwhile, or unsubscribed
    token = notifications.confirm_token(subscription, issued_at=message.created_at)
    article = subscription.article
    subject = f"Confirm: e-mails about comments on “{_header_text(article.title, 60)}”"
    context = {
        "article": article,
        "article_url": _absolute(article.get_absolute_url()),
        "subscription": subscription,
        "confirm_url": _absolute(reverse("comments:subscription_confirm", args=[token])),
        "valid_days": settings.NEWSROOM_NOTIFY_CONFIRM_MAX_AGE // 86400,
    }
    return subject, "confirm", context, {}


def _manage_email(message):
    subject = f"Your comment notifications on {settings.NEWSROOM_SITE_NAME}"
    return subject, "manage", {"valid_days": settings.NEWSROOM_NOTIFY_MANAGE_MAX_AGE // 86400}, {}


def _visible(comment: Comment | None) -> bool:
    return (
        comment is not None
        and comment.status == Comment.Status.APPROVED
        and comment.article.is_public
    )


def _excerpt(comment: Comment) -> str:
    return Truncator(comment.body).chars(600)


def _comment_email(message):
    subscription, comment = message.subscription, message.comment
    if subscription is None or subscription.status != Subscription.Status.ACTIVE:
        return None
    if not _visible(comment):
        return None  # removed before we got to it
    article = comment.article
    is_reply = subscription.kind == Subscription.Kind.REPLIES
    title = _header_text(article.title, 60)
    if is_reply:
        subject = f"{_header_text(comment.author_name, 40)} replied to your comment on “{title}”"
    else:
        subject = f"New comment on “{title}”"
    unsubscribe_url = _unsubscribe_url(notifications.unsubscribe_token(subscription))
    thread = f"<newsroom.article.{article.pk}@{_domain()}>"
    context = {
        "article": article,
        "article_url": _absolute(article.get_absolute_url()),
        "comment": comment,
        "author": _header_text(comment.author_name),
        "excerpt": _excerpt(comment),
        "comment_url": _absolute(comment.get_absolute_url()),
        "is_reply": is_reply,
        "subscription": subscription,
        "unsubscribe_url": unsubscribe_url,
    }
    headers = {**_list_headers(unsubscribe_url), "References": thread, "In-Reply-To": thread}
    return subject, "comment", context, headers


def _digest_email(message):
    items = message.items.all()  # prefetched by claim() for the whole batch
    groups: dict[int, dict[str, Any]] = {}
    shown = 0
    total = 0
    for item in items:
        _share_rows(item, message.subscriber)
        if not _visible(item.comment) or item.subscription is None:
            continue
        total += 1
        group = groups.setdefault(
            item.subscription_id,
            {
                "subscription": item.subscription,
                "article": item.subscription.article,
                "article_url": _absolute(item.subscription.article.get_absolute_url()),
                "unsubscribe_url": _unsubscribe_url(
                    notifications.unsubscribe_token(item.subscription)
                ),
                "comments": [],
            },
        )
        if shown < DIGEST_ITEMS_SHOWN:
            group["comments"].append(
                {
                    "comment": item.comment,
                    "author": _header_text(item.comment.author_name),
                    "excerpt": Truncator(item.comment.body).chars(300),
                    "url": _absolute(item.comment.get_absolute_url()),
                }
            )
            shown += 1
    if not total:
        return None
    discussions = len(groups)
    subject = (
        f"Your daily digest: {total} new comment{'s' if total != 1 else ''} in "
        f"{discussions} discussion{'s' if discussions != 1 else ''}"
    )
    unsubscribe_url = _unsubscribe_url(notifications.unsubscribe_all_token(message.subscriber))
    context = {
        "groups": list(groups.values()),
        "total": total,
        "not_shown": total - shown,
        "unsubscribe_url": unsubscribe_url,
    }
    return subject, "digest", context, _list_headers(unsubscribe_url)
