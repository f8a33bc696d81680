"""The worker side of comment notifications: fan-out, digests, sending, clean-up.

::

    NotificationEvent ──fan_out_events()──▶ OutboxMessage per subscriber
                                              (pending, or held for the digest)
    held messages     ──build_digests()───▶ one digest per subscriber and day
    due messages      ──deliver_due()─────▶ claimed in a batch, sent one by one,
                                              each marked sent in its own transaction

(Moderators' alerts of held comments are written straight into the outbox,
one per moderator, by ``notifications.comment_held``, and sent the same way.)

Every step is safe to run twice and in parallel:

* an event is fanned out in one transaction, under a row lock that other
  workers skip; unique constraints (one notification per subscriber and
  comment, one digest per subscriber and period) make a repeat a no-op;
* a batch is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL) or
  inside SQLite's single-writer transaction, and marked ``sending`` with a
  lease; a worker that dies mid-batch leaves its unsent messages to be
  claimed again when the lease runs out, and nothing it marked sent is sent
  again;
* just before sending a message the worker renews its lease with one
  conditional ``UPDATE`` that matches only while it still holds the claim: a
  batch that outran its lease skips what another worker claimed meanwhile
  instead of sending it too;
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
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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

from . import notifications, wording
from .models import (
    Comment,
    NotificationEvent,
    OutboxMessage,
    Subscriber,
    Subscription,
    ThreadMute,
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
            # Lock the comment (a moderator approving it meanwhile waits) and
            # read its status as of now.
            comment = event.comment
            comment.status = (
                Comment.objects.select_for_update()
                .filter(pk=comment.pk)
                .values_list("status", flat=True)
                .get()
            )
            if comment.status != Comment.Status.APPROVED:
                # Held or removed again before anyone heard of it: nobody has
                # been told, so it may notify when it is published again.
                Comment.objects.filter(pk=comment.pk).update(notified_at=None)
                event.delete()
                stats["events"] += 1
                continue
            created = _fan_out(comment, now=moment)
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
    # Followers who muted this thread hear nothing of it (their replies
    # subscriptions are not muted: those are addressed to them). A thread's
    # mutes are few: read them once rather than probing for each follower.
    muted = set(
        ThreadMute.objects.filter(thread_id=comment.thread_id or comment.pk).values_list(
            "subscription_id", flat=True
        )
    )
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
        if pk in muted:
            continue
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
        .select_related("subscriber", "user", "subscription__article__section", "comment")
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
    # Threads muted since the notifications were written, in one query too.
    notices = [message for message in batch if message.kind == Msg.Kind.COMMENT]
    subscription_ids = {message.subscription_id for message in notices} | {
        item.subscription_id for digest in digests for item in digest.items.all()
    }
    muted = _mutes_of(s for s in subscription_ids if s) if subscription_ids else set()
    for message in batch:
        message.muted_threads = muted
    return batch


def deliver_due(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Claim one batch of due messages and send it. Returns what happened."""
    now = now or timezone.now()
    worker = get_random_string(16)
    batch = claim(now=now, limit=limit or settings.NEWSROOM_NOTIFY_BATCH, worker=worker)
    stats = {
        "claimed": len(batch),
        "sent": 0,
        "skipped": 0,
        "retrying": 0,
        "failed": 0,
        "taken_over": 0,
    }
    if not batch:
        return stats
    connection = get_connection()
    overrides = wording.overrides_by_kind()  # editors' wording, once per batch
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
                email = build_email(message, connection=connection, overrides=overrides)
                if email is not None and not _renew(message, worker):
                    stats["taken_over"] += 1  # another worker has it now: it sends it
                    continue
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


def _renew(message: OutboxMessage, worker: str) -> bool:
    """Whether ``worker`` still holds ``message``; if so its lease starts again.

    A batch can take longer than its lease (a slow mail server), and another
    worker may then claim the rest. Checking and renewing in one UPDATE,
    committed at once, leaves no moment in which both think they hold it; it
    runs as late as possible, just before the message is handed over.
    """
    lease = timedelta(seconds=settings.NEWSROOM_NOTIFY_LEASE)
    return bool(_mine(message, worker).update(due_at=timezone.now() + lease))


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
#
# Each kind of message becomes a ``Draft``: the placeholders of its wording
# (comments/wording.py: editors may reword subject, heading, intro and
# footer) and the fixed parts of its file template (the comment, the digest's
# list, the buttons). ``compose()`` renders both into the plain-text and HTML
# versions. The headers (List-Unsubscribe above all) are never editable.


@dataclass
class Draft:
    wording: str  # an EmailTemplate.Kind: whose wording to use
    template: str  # the file templates: comments/email/<template>.txt / .html
    to: str
    context: dict[str, Any]  # the wording's placeholders, also seen by the template
    parts: dict[str, Any] = field(default_factory=dict)  # the fixed parts' data
    headers: dict[str, str] = field(default_factory=dict)


def _header_text(text: str, limit: int = 80) -> str:
    """Reader text made safe for a Subject: one line, no control or direction characters."""
    return wording.one_line(text, limit)


def _absolute(path: str) -> str:
    return f"{settings.NEWSROOM_SITE_URL}{path}"


def _domain() -> str:
    return urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    css = render_to_string("comments/email/email.css")
    return css_inline.CSSInliner(extra_css=css, load_remote_stylesheets=False)


def compose(
    draft: Draft, *, overrides: dict[str, dict[str, str]] | None = None
) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of ``draft``, with editors' wording from ``overrides``."""
    if overrides is None:
        overrides = wording.overrides_by_kind()
    words = wording.render(draft.wording, draft.context, overrides.get(draft.wording))
    context = {**draft.context, **draft.parts, "w": words}
    text = render_to_string(f"comments/email/{draft.template}.txt", context)
    html = _inliner().inline(render_to_string(f"comments/email/{draft.template}.html", context))
    return words.subject, text, html


def build_email(
    message: OutboxMessage,
    *,
    connection=None,
    overrides: dict[str, dict[str, str]] | None = None,
) -> EmailMultiAlternatives | None:
    """The e-mail for an outbox row, as of now; None when it is no longer relevant.

    ``overrides``: editors' wording by kind (``wording.overrides_by_kind()``),
    read once per batch by the sender; read here when not given.
    """
    if message.kind == Msg.Kind.MODERATION:
        draft = _moderation_email(message)
    else:
        _share_rows(message, message.subscriber)
        draft = {
            Msg.Kind.CONFIRM: _confirm_email,
            Msg.Kind.MANAGE: _manage_email,
            Msg.Kind.COMMENT: _comment_email,
            Msg.Kind.DIGEST: _digest_email,
        }[message.kind](message)
    if draft is None:
        return None
    subject, text, html = compose(draft, overrides=overrides)
    headers = {
        "Message-ID": message.message_id,
        # Fixed per message, like the Message-ID: every attempt sends the same e-mail.
        "Date": format_datetime(message.created_at.astimezone(UTC)),
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        **draft.headers,
    }
    email = EmailMultiAlternatives(
        subject=subject, body=text, to=[draft.to], headers=headers, connection=connection
    )
    email.attach_alternative(html, "text/html")
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


def _reader_context(message: OutboxMessage) -> dict[str, Any]:
    subscriber = message.subscriber
    token = notifications.manage_token(subscriber, issued_at=message.created_at)
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "email": subscriber.email,
        "manage_url": _absolute(reverse("comments:subscriptions_manage", args=[token])),
    }


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


def _mute_url(subscription: Subscription, thread_id: int) -> str:
    token = notifications.mute_token(subscription, thread_id)
    return _absolute(reverse("comments:mute", args=[token]))


def _confirm_email(message) -> Draft | None:
    subscription = message.subscription
    if subscription is None or subscription.status != Subscription.Status.PENDING:
        return None  # confirmed meanwhile, or unsubscribed
    token = notifications.confirm_token(subscription, issued_at=message.created_at)
    article = subscription.article
    context = {
        **_reader_context(message),
        "article_title": article.title,
        "article_url": _absolute(article.get_absolute_url()),
        "what": "replies to your comment" if subscription.comment_id else "new comments",
        "confirm_url": _absolute(reverse("comments:subscription_confirm", args=[token])),
        "valid_days": settings.NEWSROOM_NOTIFY_CONFIRM_MAX_AGE // 86400,
    }
    return Draft("confirm", "confirm", message.subscriber.email, context)


def _manage_email(message) -> Draft:
    context = {
        **_reader_context(message),
        "valid_days": settings.NEWSROOM_NOTIFY_MANAGE_MAX_AGE // 86400,
    }
    return Draft("manage", "manage", message.subscriber.email, context)


def _visible(comment: Comment | None) -> bool:
    return (
        comment is not None
        and comment.status == Comment.Status.APPROVED
        and comment.article.is_public
    )


def _excerpt(comment: Comment, limit: int = 600) -> str:
    return Truncator(comment.body).chars(limit)


def _muted(message: OutboxMessage) -> set[tuple[int, int]]:
    """(subscription, thread) pairs muted among this message's: loaded per batch by claim()."""
    muted = getattr(message, "muted_threads", None)
    if muted is None:
        subscriptions = [message.subscription_id]
        if message.kind == Msg.Kind.DIGEST:
            subscriptions += [item.subscription_id for item in message.items.all()]
        muted = _mutes_of([s for s in subscriptions if s])
    return muted


def _mutes_of(subscription_ids: Iterable[int]) -> set[tuple[int, int]]:
    return set(
        ThreadMute.objects.filter(subscription_id__in=list(subscription_ids)).values_list(
            "subscription_id", "thread_id"
        )
    )


def _is_muted(subscription: Subscription, comment: Comment, muted) -> bool:
    return (
        subscription.kind == Subscription.Kind.ARTICLE
        and (subscription.pk, comment.thread_id) in muted
    )


def _comment_email(message) -> Draft | None:
    subscription, comment = message.subscription, message.comment
    if subscription is None or subscription.status != Subscription.Status.ACTIVE:
        return None
    if not _visible(comment):
        return None  # removed before we got to it
    if _is_muted(subscription, comment, _muted(message)):
        return None  # the reader muted this thread since
    article = comment.article
    is_reply = subscription.kind == Subscription.Kind.REPLIES
    unsubscribe_url = _unsubscribe_url(notifications.unsubscribe_token(subscription))
    context = {
        **_reader_context(message),
        "article_title": article.title,
        "article_url": _absolute(article.get_absolute_url()),
        "author": _header_text(comment.author_name),
        "comment_url": _absolute(comment.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    if not is_reply:
        context["mute_url"] = _mute_url(subscription, comment.thread_id or comment.pk)
    card = {
        "author": context["author"],
        "created_at": comment.created_at,
        "excerpt": _excerpt(comment),
        "url": context["comment_url"],
    }
    thread = f"<newsroom.article.{article.pk}@{_domain()}>"
    headers = {**_list_headers(unsubscribe_url), "References": thread, "In-Reply-To": thread}
    return Draft(
        "reply" if is_reply else "comment",
        "comment",
        message.subscriber.email,
        context,
        parts={"card": card},
        headers=headers,
    )


def _digest_email(message) -> Draft | None:
    items = message.items.all()  # prefetched by claim() for the whole batch
    muted = _muted(message)
    groups: dict[int, dict[str, Any]] = {}
    shown = 0
    total = 0
    for item in items:
        _share_rows(item, message.subscriber)
        subscription = item.subscription
        if not _visible(item.comment) or subscription is None:
            continue
        if _is_muted(subscription, item.comment, muted):
            continue
        total += 1
        article = subscription.article
        replies = subscription.kind == Subscription.Kind.REPLIES
        group = groups.setdefault(
            item.subscription_id,
            {
                "title": article.title,
                "url": _absolute(article.get_absolute_url()),
                "replies": replies,
                "unsubscribe_url": _unsubscribe_url(notifications.unsubscribe_token(subscription)),
                "comments": [],
            },
        )
        if shown < DIGEST_ITEMS_SHOWN:
            comment = item.comment
            group["comments"].append(
                {
                    "author": _header_text(comment.author_name),
                    "created_at": comment.created_at,
                    "excerpt": _excerpt(comment, 300),
                    "url": _absolute(comment.get_absolute_url()),
                    "mute_url": (
                        "" if replies else _mute_url(subscription, comment.thread_id or comment.pk)
                    ),
                }
            )
            shown += 1
    if not total:
        return None
    unsubscribe_url = _unsubscribe_url(notifications.unsubscribe_all_token(message.subscriber))
    context = {
        **_reader_context(message),
        "total": total,
        "discussions": len(groups),
        "unsubscribe_url": unsubscribe_url,
    }
    parts = {"groups": list(groups.values()), "not_shown": total - shown}
    return Draft(
        "digest",
        "digest",
        message.subscriber.email,
        context,
        parts=parts,
        headers=_list_headers(unsubscribe_url),
    )


HELD_SHOWN = 10


def _moderation_email(message) -> Draft | None:
    """Comments waiting for moderators, as they are when the alert is sent."""
    moderator = message.user
    if not notifications.moderators().filter(pk=moderator.pk).exists():
        return None  # no longer a moderator, or no longer active
    waiting = Comment.objects.filter(status=Comment.Status.PENDING)
    count = waiting.count()
    if not count:
        return None  # other moderators dealt with them meanwhile
    held = [
        {
            "author": _header_text(comment.author_name),
            "article_title": comment.article.title,
            "held_at": comment.status_changed_at or comment.created_at,
            "reason": comment.moderation_reason,
            "excerpt": _excerpt(comment, 300),
            "url": _absolute(reverse("moderation:comment", args=[comment.pk])),
        }
        for comment in waiting.select_related("article")
        .only("pk", "author_name", "body", "status_changed_at", "created_at",
              "moderation_reason", "article__title")
        .order_by("-status_changed_at", "-pk")[:HELD_SHOWN]
    ]  # fmt: skip
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "email": moderator.email,
        "waiting": count,
        "queue_url": _absolute(reverse("moderation:queue", args=["pending"])),
        "interval_minutes": settings.NEWSROOM_NOTIFY_MODERATORS_INTERVAL // 60,
    }
    parts = {"held": held, "not_shown": max(count - len(held), 0)}
    return Draft("moderation", "moderation", moderator.email, context, parts=parts)


# --- Previews (the admin's e-mail editor) -------------------------------------------------


def preview(kind: str, parts: dict[str, str]) -> tuple[str, str, str]:
    """(subject, text, HTML) of a ``kind`` e-mail with the wording ``parts``, on made-up data."""
    context = wording.sample_context(kind)
    now = timezone.now()
    site = settings.NEWSROOM_SITE_URL
    card = {
        "author": "Tomás Reyes",
        "created_at": now,
        "excerpt": "The closure starts in May, and the ferry will run every twenty "
        "minutes instead of every hour while the bridge is shut.",
        "url": f"{site}/comments/1/",
    }
    samples: dict[str, dict[str, Any]] = {
        "confirm": {},
        "manage": {},
        "comment": {"card": card},
        "reply": {"card": card},
        "digest": {
            "groups": [
                {
                    "title": "Harbour bridge to close for two weeks of repairs",
                    "url": f"{site}/news/harbour-bridge-repairs/",
                    "replies": False,
                    "unsubscribe_url": f"{site}/comments/unsubscribe/sample-link/",
                    "comments": [
                        {**card, "mute_url": f"{site}/comments/subscriptions/mute/sample-link/"},
                        {
                            **card,
                            "author": "Ana Lima",
                            "excerpt": "Will the night buses still cross?",
                            "url": f"{site}/comments/2/",
                            "mute_url": f"{site}/comments/subscriptions/mute/sample-link/",
                        },
                    ],
                },
                {
                    "title": "Tram line extension: the route is decided",
                    "url": f"{site}/news/tram-line-route/",
                    "replies": True,
                    "unsubscribe_url": f"{site}/comments/unsubscribe/sample-link/",
                    "comments": [
                        {
                            **card,
                            "author": "Jon Park",
                            "excerpt": "I agree with you.",
                            "url": f"{site}/comments/3/",
                        }
                    ],
                },
            ],
            "not_shown": 0,
        },
        "moderation": {
            "held": [
                {
                    "author": "Cheap Watches",
                    "article_title": "Harbour bridge to close for two weeks of repairs",
                    "held_at": now,
                    "reason": "spam score 45: links, new address",
                    "excerpt": "Great article!! Visit my site for the best deals …",
                    "url": f"{site}/moderation/comments/1/",
                },
                {
                    "author": "Rosa Vale",
                    "article_title": "Tram line extension: the route is decided",
                    "held_at": now,
                    "reason": "reported by 3 readers",
                    "excerpt": "The council has ignored every objection from the east side.",
                    "url": f"{site}/moderation/comments/2/",
                },
            ],
            "not_shown": 2,
        },
    }
    template = "comment" if kind == "reply" else kind
    draft = Draft(kind, template, context["email"], context, parts=samples[kind])
    return compose(draft, overrides={kind: parts})
