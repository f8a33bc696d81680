"""Subscriptions to discussions ("Notify of") and the notifications they cause.

Readers follow an article's discussion ("new follow-up comments") or the
replies to one of their comments ("new replies to my comments"), from the
comment form or from the "Follow this discussion" form. Guests, and signed-in
readers whose address is not verified, confirm by e-mail first (double
opt-in): an address that never asked receives nothing but one confirmation
request, and at most ``NEWSROOM_NOTIFY_CONFIRMATIONS_PER_DAY`` of those a day
whoever asks.

How a notification travels (durable at every step):

1. ``comment_became_visible()``, called by ``services._status_changed`` in
   the transaction that publishes a comment, stamps ``Comment.notified_at``
   (once per comment, ever: approve, remove and approve again notifies once)
   and writes one ``NotificationEvent``. That is two queries whatever the
   number of subscribers.
2. After commit the worker is woken (``tasks.deliver_notifications``). It
   fans each event out into one ``OutboxMessage`` per subscriber (or holds it
   for the subscriber's daily digest) and sends what is due: see
   ``comments/delivery.py``.

A reader who follows an article can mute one of its threads (the link in
each notification, or the manage page): ``ThreadMute``; the rest of the
discussion still comes. When ``NEWSROOM_NOTIFY_MODERATORS_OF_HELD`` is on,
a comment held for review queues an alert to each moderator in the same
transaction (``comment_held``), at most one per moderator per
``NEWSROOM_NOTIFY_MODERATORS_INTERVAL``. The wording of every e-mail can be
changed by editors in the admin (``comments/wording.py``).

Lessons from wpDiscuz (CVE-2026-22182, CVE-2026-22216): no request can make
us notify anyone (events come only from a comment's first publication, inside
our services); every address is matched exactly, lower-cased, never with
LIKE; subscribing, confirming and unsubscribing are rate-limited per client and
per address; responses never reveal whether an address is subscribed.

>>> subscription = subscribe(email="Ines@Example.com", article=article)
>>> subscription.status, subscription.subscriber.email   # confirmation e-mail queued
('pending', 'ines@example.com')
>>> confirm(subscription=subscription)                     # the link was followed
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from articles.models import Article

from .models import (
    Comment,
    NotificationEvent,
    OutboxMessage,
    Subscriber,
    Subscription,
    ThreadMute,
)

logger = logging.getLogger(__name__)

Kind = Subscription.Kind


# --- Addresses ------------------------------------------------------------------


def normalise_email(value: str) -> str:
    """The one form of an address we store and compare: trimmed and lower-cased."""
    return (value or "").strip().lower()


def address_digest(email: str) -> str:
    """A keyed digest of an address: binds tokens to it, keys rate limits by it."""
    return salted_hmac("newsroom.comments.subscriber-address", normalise_email(email)).hexdigest()[
        :24
    ]


def email_is_verified(user: AbstractBaseUser | None, email: str) -> bool:
    """Has ``user`` proved that they receive mail at ``email``?

    Uses django-allauth's ``EmailAddress`` records when ``allauth.account`` is
    installed; without it nothing counts as verified, so every subscription
    is confirmed by e-mail. Addresses are compared exactly, lower-cased.
    """
    address = normalise_email(email)
    if user is None or not user.is_authenticated or not address:
        return False
    if not apps.is_installed("allauth.account"):
        return False
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return any(normalise_email(candidate) == address for candidate in verified)


# --- Signed links -----------------------------------------------------------------
#
# Every link carries the id of what it acts on and a digest of the address it
# was sent to, signed with a salt per purpose: a link can neither be turned to
# another purpose nor to another subscription or address. Links minted for an
# e-mail carry the time the e-mail was queued, so every (re)sent copy of a
# message is identical and expiry counts from the reader's request.

CONFIRM_SALT = "newsroom.comments.subscription-confirm"
UNSUBSCRIBE_SALT = "newsroom.comments.subscription-unsubscribe"
MANAGE_SALT = "newsroom.comments.subscriber-manage"
MUTE_SALT = "newsroom.comments.thread-mute"


class _IssuedAtSigner(signing.TimestampSigner):
    def __init__(self, *, salt: str, issued_at: datetime | None) -> None:
        super().__init__(salt=salt)
        self.issued_at = issued_at

    def timestamp(self) -> str:
        if self.issued_at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.issued_at.timestamp()))


def _sign(salt: str, payload: dict[str, Any], *, issued_at: datetime | None = None) -> str:
    return _IssuedAtSigner(salt=salt, issued_at=issued_at).sign_object(payload, compress=True)


def _unsign(salt: str, token: str, *, max_age: int | None) -> dict[str, Any] | None:
    try:
        payload = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return payload if isinstance(payload, dict) else None


def confirm_token(subscription: Subscription, *, issued_at: datetime | None = None) -> str:
    payload = {"s": subscription.pk, "a": address_digest(subscription.subscriber.email)}
    return _sign(CONFIRM_SALT, payload, issued_at=issued_at)


def unsubscribe_token(subscription: Subscription) -> str:
    """Never expires: an unsubscribe link must work from any old e-mail."""
    payload = {"s": subscription.pk, "a": address_digest(subscription.subscriber.email)}
    return _sign(UNSUBSCRIBE_SALT, payload, issued_at=subscription.created_at)


def unsubscribe_all_token(subscriber: Subscriber) -> str:
    """Unsubscribes an address from everything (the digest's List-Unsubscribe)."""
    payload = {"r": subscriber.pk, "a": address_digest(subscriber.email)}
    return _sign(UNSUBSCRIBE_SALT, payload, issued_at=subscriber.created_at)


def mute_token(subscription: Subscription, thread_id: int) -> str:
    """Mutes one thread of a followed discussion. Never expires, like unsubscribing."""
    payload = {
        "s": subscription.pk,
        "t": thread_id,
        "a": address_digest(subscription.subscriber.email),
    }
    return _sign(MUTE_SALT, payload, issued_at=subscription.created_at)


def manage_token(subscriber: Subscriber, *, issued_at: datetime | None = None) -> str:
    payload = {"r": subscriber.pk, "a": address_digest(subscriber.email)}
    return _sign(MANAGE_SALT, payload, issued_at=issued_at)


def _bound(payload: dict[str, Any] | None, key: str, model, related: str | None = None):
    if not payload or not isinstance(payload.get(key), int):
        return None
    queryset = model.objects.select_related(related) if related else model.objects
    target = queryset.filter(pk=payload[key]).first()
    if target is None:
        return None
    email = target.subscriber.email if related else target.email
    if not constant_time_compare(str(payload.get("a", "")), address_digest(email)):
        return None
    return target


def read_confirm_token(token: str) -> Subscription | None:
    payload = _unsign(CONFIRM_SALT, token, max_age=settings.NEWSROOM_NOTIFY_CONFIRM_MAX_AGE)
    return _bound(payload, "s", Subscription, "subscriber")


def read_manage_token(token: str) -> Subscriber | None:
    payload = _unsign(MANAGE_SALT, token, max_age=settings.NEWSROOM_NOTIFY_MANAGE_MAX_AGE)
    return _bound(payload, "r", Subscriber)


def read_mute_token(token: str) -> tuple[Subscription, Comment] | None:
    """The subscription and the thread's first comment a mute link names, if both still exist."""
    payload = _unsign(MUTE_SALT, token, max_age=None)
    subscription = _bound(payload, "s", Subscription, "subscriber")
    if subscription is None or not isinstance(payload.get("t"), int):
        return None
    thread = followed_thread(subscription, payload["t"])
    return (subscription, thread) if thread is not None else None


def read_unsubscribe_token(token: str) -> tuple[bool, Subscription | Subscriber | None, str]:
    """(valid, what it unsubscribes if it still exists, address digest for rate limits)."""
    payload = _unsign(UNSUBSCRIBE_SALT, token, max_age=None)
    if payload is None:
        return False, None, ""
    digest = str(payload.get("a", ""))
    if "s" in payload:
        return True, _bound(payload, "s", Subscription, "subscriber"), digest
    return True, _bound(payload, "r", Subscriber), digest


# --- Subscribing --------------------------------------------------------------------


def _clean_address(email: str) -> str:
    address = normalise_email(email)
    try:
        if len(address) > 254:  # what a mailbox address can be (RFC 5321), and what we store
            raise ValidationError("too long")
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            "Enter a valid e-mail address, like name@example.com.", code="email"
        ) from None
    return address


def _subscriber_for(address: str, *, verified_user: AbstractBaseUser | None) -> Subscriber:
    subscriber = Subscriber.objects.filter(email=address).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=address, user=verified_user)
        except IntegrityError:  # created meanwhile by a parallel request
            subscriber = Subscriber.objects.get(email=address)
    elif verified_user is not None and subscriber.user_id != verified_user.pk:
        subscriber.user = verified_user
        subscriber.save(update_fields=["user"])
    return subscriber


@transaction.atomic
def subscribe(
    *,
    email: str,
    article: Article,
    comment: Comment | None = None,
    user: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Subscription:
    """Follow ``article``'s discussion, or the replies to ``comment`` when given.

    Active at once when ``user`` has verified ``email``; otherwise pending,
    with a confirmation e-mail queued (unless the address already received its
    daily share). Re-subscribing is harmless: an active subscription stays as
    it is. Raises ValidationError for a bad address or a closed discussion.
    """
    now = now or timezone.now()
    address = _clean_address(email)
    if comment is not None and comment.article_id != article.pk:
        raise ValidationError("That comment belongs to another article.", code="comment")
    if comment is None and not article.comments_open:
        raise ValidationError(
            "Comments are closed on this article, so there is nothing to follow.", code="closed"
        )
    verified = email_is_verified(user, address)
    subscriber = _subscriber_for(address, verified_user=user if verified else None)
    kind = Kind.REPLIES if comment is not None else Kind.ARTICLE
    lookup = {"subscriber": subscriber, "kind": kind, "article": article, "comment": comment}
    subscription = Subscription.objects.select_for_update().filter(**lookup).first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(**lookup, created_at=now)
        except IntegrityError:
            subscription = Subscription.objects.select_for_update().get(**lookup)
    if subscription.status == Subscription.Status.ACTIVE:
        return subscription
    if verified:
        subscription.status = Subscription.Status.ACTIVE
        subscription.confirmed_at = now
        subscription.save(update_fields=["status", "confirmed_at"])
        return subscription
    _queue_for_address(
        subscriber, kind=OutboxMessage.Kind.CONFIRM, subscription=subscription, now=now
    )
    return subscription


def subscribe_on_post(
    *, comment: Comment, notify: str, user: AbstractBaseUser | None = None
) -> Subscription | None:
    """The comment form's "Notify of" choice, in the posting transaction.

    Nothing for a comment that was rejected or filed as spam: posting one must
    not be a way to have the site e-mail an address (wpDiscuz's CVE-2026-22182).
    """
    if notify not in Kind.values or not comment.author_email:
        return None
    if comment.status in (Comment.Status.REJECTED, Comment.Status.SPAM):
        return None
    return subscribe(
        email=comment.author_email,
        article=comment.article,
        comment=comment if notify == Kind.REPLIES else None,
        user=user,
        now=comment.created_at,
    )


def _queue_for_address(
    subscriber: Subscriber,
    *,
    kind: str,
    subscription: Subscription | None = None,
    now: datetime,
) -> bool:
    """Queue a confirmation or manage-link e-mail, within the address's daily cap.

    The cap is counted in the outbox, so it holds across every entry point and
    even when the cache-based rate limits are down. The same link is not sent
    twice while an earlier copy is still waiting to go out.
    """
    recent = OutboxMessage.objects.filter(
        subscriber=subscriber,
        kind__in=[OutboxMessage.Kind.CONFIRM, OutboxMessage.Kind.MANAGE],
        created_at__gte=now - timedelta(days=1),
    )
    if recent.filter(
        kind=kind,
        subscription=subscription,
        state__in=[OutboxMessage.State.PENDING, OutboxMessage.State.SENDING],
    ).exists():
        return False
    if recent.count() >= settings.NEWSROOM_NOTIFY_CONFIRMATIONS_PER_DAY:
        logger.info("address %s reached its daily cap of %s e-mails", subscriber.pk, kind)
        return False
    OutboxMessage.objects.create(
        kind=kind,
        priority=OutboxMessage.PRIORITY[kind],
        subscriber=subscriber,
        subscription=subscription,
        due_at=now,
        created_at=now,
    )
    _wake_worker()
    return True


@transaction.atomic
def confirm(*, subscription: Subscription, now: datetime | None = None) -> Subscription:
    """The address owner followed the confirmation link (idempotent)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status != Subscription.Status.ACTIVE:
        subscription.status = Subscription.Status.ACTIVE
        subscription.confirmed_at = now or timezone.now()
        subscription.save(update_fields=["status", "confirmed_at"])
    return subscription


@transaction.atomic
def unsubscribe(*, subscription: Subscription) -> None:
    """Stop one subscription. Its unsent notifications go with it."""
    Subscription.objects.filter(pk=subscription.pk).delete()


@transaction.atomic
def unsubscribe_all(*, subscriber: Subscriber) -> None:
    """Stop everything for an address and forget it (subscriptions, queued e-mails)."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


@transaction.atomic
def set_delivery(*, subscriber: Subscriber, delivery: str) -> Subscriber:
    """Instant e-mails or one daily digest. Already held notifications go in the digest."""
    if delivery not in Subscriber.Delivery.values:
        raise ValidationError("Choose instant e-mails or a daily digest.", code="delivery")
    Subscriber.objects.filter(pk=subscriber.pk).update(delivery=delivery)
    subscriber.delivery = delivery
    return subscriber


@transaction.atomic
def request_manage_link(*, email: str, now: datetime | None = None) -> None:
    """E-mail a "manage my subscriptions" link, if the address follows anything.

    Only an address that confirmed a subscription gets one: until then it
    receives nothing but its confirmation request. Says nothing either way:
    callers show the same answer for every address.
    """
    now = now or timezone.now()
    try:
        address = _clean_address(email)
    except ValidationError:
        return
    subscriber = Subscriber.objects.filter(email=address).first()
    if subscriber is None or not subscriber.subscriptions.active().exists():
        return
    _queue_for_address(subscriber, kind=OutboxMessage.Kind.MANAGE, now=now)


# --- Muting one thread ----------------------------------------------------------------------


def followed_thread(subscription: Subscription, thread_id: Any) -> Comment | None:
    """The first comment of a thread of the subscription's article, or None."""
    if subscription.kind != Kind.ARTICLE or not isinstance(thread_id, int):
        return None
    return Comment.objects.filter(
        pk=thread_id, article_id=subscription.article_id, parent__isnull=True
    ).first()


@transaction.atomic
def mute_thread(
    *, subscription: Subscription, thread: Comment, now: datetime | None = None
) -> ThreadMute:
    """Stop e-mails about one thread of a followed discussion; the rest still comes.

    ``thread`` is the thread's first comment (any comment of it will do: its
    thread is taken). Muting twice is harmless.
    """
    thread_id = thread.thread_id or thread.pk
    if subscription.kind != Kind.ARTICLE or thread.article_id != subscription.article_id:
        raise ValidationError("That thread is not in a discussion you follow.", code="thread")
    mute, _created = ThreadMute.objects.get_or_create(
        subscription=subscription,
        thread_id=thread_id,
        defaults={"created_at": now or timezone.now()},
    )
    return mute


@transaction.atomic
def unmute_thread(*, mute: ThreadMute) -> None:
    """Hear about the thread again (from its next comment on)."""
    ThreadMute.objects.filter(pk=mute.pk).delete()


# --- Moderators: comments held for review ------------------------------------------------

MODERATE_PERMISSION = "comments.moderate_comments"


def moderators():
    """Who hears of held comments: active accounts with an address and the
    moderation permission (the Moderators group has it), given to them or to a
    group of theirs. Superusers only through a group or a permission of their
    own: being an administrator is not being on the moderation rota."""
    User = get_user_model()
    return (
        User._default_manager.with_perm(
            MODERATE_PERMISSION,
            is_active=True,
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .exclude(email="")
        .order_by()
    )


def comment_held(comment: Comment, *, now: datetime | None = None) -> int:
    """Queue an alert to each moderator, in the caller's transaction. Returns how many.

    Called by ``services._status_changed`` whenever a comment starts waiting
    for moderation (held when posted, after an edit, or after reports), when
    ``NEWSROOM_NOTIFY_MODERATORS_OF_HELD`` is on.

    A spam wave must not become a mail wave: a moderator has at most one
    alert waiting (a unique constraint), written when it is sent with what
    is held *then*; and an alert is due no sooner than
    ``NEWSROOM_NOTIFY_MODERATORS_INTERVAL`` after the previous one went out.
    So a moderator gets at most one e-mail per interval, each summing up the
    queue, and a comment held while an alert waits costs two queries.
    """
    if not settings.NEWSROOM_NOTIFY_MODERATORS_OF_HELD:
        return 0
    now = now or timezone.now()
    recipients = set(moderators().values_list("pk", flat=True))
    recipients.discard(comment.user_id)
    if not recipients:
        return 0
    interval = timedelta(seconds=settings.NEWSROOM_NOTIFY_MODERATORS_INTERVAL)
    State = OutboxMessage.State
    last: dict[int, datetime] = {}
    waiting: set[int] = set()
    recent = OutboxMessage.objects.filter(
        Q(state__in=[State.PENDING, State.SENDING])
        | Q(state=State.SENT, sent_at__gt=now - interval),
        kind=OutboxMessage.Kind.MODERATION,
        user_id__in=recipients,
    ).values_list("user_id", "state", "sent_at")
    for user_id, state, sent_at in recent:
        if state == State.PENDING:
            waiting.add(user_id)
            continue
        moment = now if state == State.SENDING else sent_at
        last[user_id] = max(last.get(user_id, moment), moment)
    alerts = [
        OutboxMessage(
            kind=OutboxMessage.Kind.MODERATION,
            priority=OutboxMessage.PRIORITY[OutboxMessage.Kind.MODERATION],
            user_id=user_id,
            due_at=max(now, last[user_id] + interval) if user_id in last else now,
            created_at=now,
        )
        for user_id in sorted(recipients - waiting)
    ]
    if not alerts:
        return 0
    OutboxMessage.objects.bulk_create(alerts, ignore_conflicts=True)
    _wake_worker()
    return len(alerts)


def subscriber_for_user(user: AbstractBaseUser) -> Subscriber | None:
    """The subscriptions a signed-in reader may manage without an e-mailed link."""
    if not user.is_authenticated:
        return None
    subscriber = Subscriber.objects.filter(user=user).order_by("-pk").first()
    if subscriber is None and email_is_verified(user, getattr(user, "email", "")):
        subscriber = Subscriber.objects.filter(email=normalise_email(user.email)).first()
    return subscriber


# --- The hook in the comment services ---------------------------------------------------


def comment_became_visible(comment: Comment, *, now: datetime | None = None) -> bool:
    """Record, in the caller's transaction, that subscribers should hear of ``comment``.

    Called by ``services._status_changed`` whenever a comment becomes
    approved. Only its first publication counts: the ``notified_at`` stamp
    is set by a conditional UPDATE, so no sequence of moderation actions, and
    no request, can notify twice about one comment.
    """
    if comment.notified_at is not None:
        return False
    now = now or timezone.now()
    if not Comment.objects.filter(pk=comment.pk, notified_at__isnull=True).update(notified_at=now):
        return False
    comment.notified_at = now
    NotificationEvent.objects.create(comment=comment, created_at=now)
    _wake_worker()
    return True


def _wake_worker() -> None:
    # Imported here: tasks imports delivery, which imports this module.
    from . import tasks

    # robust: a failure to wake the worker must not fail the request that has
    # committed; the periodic pass picks the work up anyway.
    transaction.on_commit(tasks.wake, robust=True)


@transaction.atomic
def outbox_retry(*, messages, now: datetime | None = None) -> int:
    """Staff: send failed messages again, with a fresh set of attempts."""
    now = now or timezone.now()
    count = (
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages])
        .failed()
        .update(state=OutboxMessage.State.PENDING, attempts=0, due_at=now, last_error="")
    )
    if count:
        _wake_worker()
    return count


# --- Privacy: providers for the accounts app's registry ------------------------------
#
# Registered in comments/privacy.py (accounts/privacy.py explains the registry).
# An account's address counts only once verified: signing up with someone
# else's address must not reveal or erase what that address follows.


def _subscribers_of(user: AbstractBaseUser):
    condition = Q(user=user)
    if email_is_verified(user, getattr(user, "email", "")):
        condition |= Q(email=normalise_email(user.email))
    return Subscriber.objects.filter(condition)


def export_subscriptions(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Everything the notifications system holds about ``user`` (JSON-serialisable)."""
    result = []
    subscribers = _subscribers_of(user).prefetch_related(
        "subscriptions__article", "subscriptions__muted_threads"
    )
    for subscriber in subscribers:
        result.append(
            {
                "email": subscriber.email,
                "delivery": subscriber.delivery,
                "since": subscriber.created_at.isoformat(),
                "subscriptions": [
                    {
                        "what": s.get_kind_display(),
                        "article": s.article.title,
                        "comment": s.comment_id,
                        "status": s.status,
                        "since": s.created_at.isoformat(),
                        "muted_threads": [mute.thread_id for mute in s.muted_threads.all()],
                    }
                    for s in subscriber.subscriptions.all()
                ],
            }
        )
    return result


def erase_subscriptions(user: AbstractBaseUser, *, content: Any = None) -> dict[str, int]:
    """Delete the reader's addresses, subscriptions and queued e-mails. Returns counts."""
    subscribers = _subscribers_of(user)
    subscriptions = Subscription.objects.filter(subscriber__in=subscribers).count()
    count, _ = subscribers.delete()
    return {"subscriptions": subscriptions, "rows": count}


def claim_subscriptions(user: AbstractBaseUser, *, email: str) -> int:
    """``email`` was just verified as ``user``'s: what it follows shows in their account."""
    return Subscriber.objects.filter(email=normalise_email(email)).update(user=user)
