"""Reader comments: threaded, voted, moderated.

A comment belongs to an article and, for a reply, to a parent comment.
Threads are stored so that a page of them is read in a fixed number of
queries whatever their size:

* ``thread`` points to the top-level comment of the thread (itself for a
  top-level comment), so all replies of a page of threads come in one query;
* ``path`` is the zero-padded ids from the top of the thread down to the
  comment, so ordering by it gives the thread in reading order;
* ``depth`` is 0 for a top-level comment;
* ``descendant_count`` counts the approved comments below this one. A comment
  that is no longer approved (removed by its author, rejected…) still shows as
  a "comment removed" placeholder while it has approved replies, so threads
  never lose their shape.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils import timezone

from articles.anchoring import Passage, Selector
from articles.models import Article

PATH_WIDTH = 12


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def visible(self) -> CommentQuerySet:
        """Comments shown in threads: approved ones, and placeholders keeping replies."""
        return self.filter(Q(status=Comment.Status.APPROVED) | Q(descendant_count__gt=0))

    def top_level(self) -> CommentQuerySet:
        return self.filter(depth=0)

    def written_by(self, *, user, client_hash: str) -> CommentQuerySet:
        """This reader's comments: by account when signed in (``user``), else by
        the guest browser's hash, as ``services.is_owner`` decides."""
        if user is not None:
            return self.filter(user=user)
        if not client_hash:
            return self.none()
        return self.filter(user__isnull=True, client_hash=client_hash)

    def replies_to(self, comment) -> CommentQuerySet:
        """Replies answering ``comment`` (a comment, a pk or an ``OuterRef``).

        A reply too deep to nest under it is stored beside it, with
        ``in_reply_to`` naming it: that is still a reply to it.
        """
        return self.filter(Q(parent=comment) | Q(in_reply_to=comment))

    def sorted_by(self, sort: str) -> CommentQuerySet:
        """Order threads: ``newest``, ``oldest`` or ``votes`` (most voted first).

        Threads pinned by a moderator come first whatever the order, most
        recently pinned first. On PostgreSQL the default order reads from the
        index ``comment_threads_newest`` (migration 0010).
        """
        pinned = models.F("pinned_at").desc(nulls_last=True)
        if sort == "oldest":
            return self.order_by(pinned, "created_at", "pk")
        if sort == "votes":
            return self.order_by(pinned, "-score", "created_at", "pk")
        return self.order_by(pinned, "-created_at", "-pk")

    def reported(self) -> CommentQuerySet:
        """Comments with readers' reports that no moderator has handled yet."""
        return self.filter(report_count__gt=0)

    def in_queue(self, queue: str) -> CommentQuerySet:
        """The comments of one moderation queue (see ``Comment.QUEUES``)."""
        if queue == "reported":
            return self.reported()
        return self.filter(status=queue)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    class Role(models.TextChoices):
        READER = "", "Reader"
        AUTHOR = "author", "Article's author"
        STAFF = "staff", "Staff"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    in_reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The comment actually answered, when the thread was too deep to nest.",
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=255, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField(max_length=80)
    author_email = models.EmailField(blank=True, help_text="Never shown to readers.")
    author_url = models.URLField(blank=True)
    author_role = models.CharField(max_length=10, choices=Role, default=Role.READER, blank=True)
    body = models.TextField(help_text="As the reader wrote it.")
    body_html = models.TextField(editable=False, help_text="Sanitised rendering of the body.")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    moderation_reason = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    descendant_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    spam_score = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="0–100, from the signals below (comments/spam.py)."
    )
    spam_signals = models.JSONField(
        default=list, blank=True, editable=False, help_text="What made up the spam score."
    )
    body_fingerprint = models.CharField(
        max_length=32, blank=True, editable=False, help_text="Finds the same text posted again."
    )
    report_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Readers' reports no moderator has handled yet."
    )
    pinned_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Featured by a moderator: shown first."
    )
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When subscribers were told about it: once, the first time it became visible.",
    )

    objects = CommentQuerySet.as_manager()

    #: The moderation queues, in the order moderators see them.
    QUEUES = ("pending", "reported", "spam", "approved", "rejected", "removed")

    class Meta:
        ordering = ["path"]
        permissions = [("moderate_comments", "Can moderate comments (the moderation workspace)")]
        indexes = [
            models.Index(
                fields=["article", "depth", "status", "created_at"], name="comment_threads"
            ),
            models.Index(fields=["article", "depth", "score"], name="comment_threads_votes"),
            models.Index(fields=["thread", "path"], name="comment_thread_order"),
            models.Index(fields=["status", "created_at"], name="comment_status_time"),
            models.Index(fields=["user", "created_at"], name="comment_user_time"),
            models.Index(fields=["author_email"], name="comment_author_email"),
            # Moderation queues: one article's queue, the Reported queue, an
            # author's history by address, repeated text and bans by address.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_queue"),
            models.Index(
                fields=["created_at"], condition=Q(report_count__gt=0), name="comment_reported"
            ),
            models.Index(Upper("author_email"), "created_at", name="comment_email_time"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_time"),
            models.Index(
                fields=["body_fingerprint", "created_at"],
                condition=~Q(body_fingerprint=""),
                name="comment_fingerprint",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="comment_depth_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_placeholder(self) -> bool:
        return self.status != self.Status.APPROVED

    def place_in_tree(self, parent: Comment | None) -> None:
        """Fill ``thread`` and ``path`` of a saved comment from its id and ``parent`` (unsaved)."""
        own = str(self.pk).zfill(PATH_WIDTH)
        if parent is None:
            self.thread_id, self.path = self.pk, own
        else:
            self.thread_id, self.path = parent.thread_id, f"{parent.path}/{own}"

    def ancestor_ids(self) -> list[int]:
        """Ids of the comments above this one, from the top of the thread down."""
        parts = [int(part) for part in self.path.split("/") if part]
        return parts[:-1]


class CommentRevision(models.Model):
    """An earlier text of an edited comment (visible to moderators)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(help_text="When this text was replaced.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    """One reader's vote on one comment.

    ``voter`` identifies the reader without storing anything personal:
    ``u:<user id>`` for a signed-in reader, ``g:<keyed hash>`` of the guest's
    browser cookie otherwise. ``client`` is a keyed hash of the guest's address
    and browser, so clearing cookies does not buy a second vote.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=70)
    client = models.CharField(max_length=64, blank=True)
    value = models.SmallIntegerField(choices=[(1, "Up"), (-1, "Down")])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="vote_one_per_reader"),
            models.UniqueConstraint(
                fields=["comment", "client"],
                condition=~Q(client=""),
                name="vote_one_per_guest_client",
            ),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_is_up_or_down"),
        ]
        indexes = [models.Index(fields=["voter", "comment"], name="vote_by_voter")]

    def __str__(self) -> str:
        return f"{self.voter} {'+' if self.value > 0 else '-'}1 on {self.comment_id}"


# --- Moderation -------------------------------------------------------------------


class Report(models.Model):
    """One reader's report of one comment (see ``services.comment_report``).

    ``reporter`` identifies the reader like ``Vote.voter`` does (``u:<id>`` or
    ``g:<keyed browser hash>``), and ``client`` is the keyed hash of a guest's
    address and browser, so one reader reports a comment once, cookies or not.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive, hateful or harassing"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    class Resolution(models.TextChoices):
        OPEN = "", "Open"
        DISMISSED = "dismissed", "Dismissed"
        ACTED = "acted", "Acted on"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.CharField(max_length=70)
    client = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=Reason)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.CharField(max_length=10, choices=Resolution, blank=True, default="")
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_one_per_reader"),
            models.UniqueConstraint(
                fields=["comment", "client"],
                condition=~Q(client=""),
                name="report_one_per_guest_client",
            ),
            models.CheckConstraint(
                condition=Q(resolution="", handled_at__isnull=True)
                | (~Q(resolution="") & Q(handled_at__isnull=False)),
                name="report_handled_has_time",
            ),
        ]
        indexes = [models.Index(fields=["comment", "handled_at"], name="report_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on comment {self.comment_id}"

    @property
    def is_open(self) -> bool:
        return self.handled_at is None


class WordRule(models.Model):
    """A word or phrase that rejects (banned) or holds (suspect) a new comment.

    Matched on whole words, ignoring case and accents (see ``comments.wordrules``);
    a trailing ``*`` matches any ending (``scam*``: scam, scams, scammer).
    """

    class Kind(models.TextChoices):
        BANNED = "banned", "Banned: the comment is rejected"
        SUSPECT = "suspect", "Suspect: the comment is held for review"

    phrase = models.CharField(max_length=100)
    key = models.CharField(
        max_length=100, unique=True, editable=False, help_text="The phrase as it is matched."
    )
    kind = models.CharField(max_length=10, choices=Kind)
    note = models.CharField(max_length=200, blank=True, help_text="For moderators only.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = "word rule"

    def __str__(self) -> str:
        return f"{self.phrase} ({self.get_kind_display()})"


class BanQuerySet(models.QuerySet):
    def active(self, *, at=None) -> BanQuerySet:
        """Bans in force at ``at`` (now): not lifted, not expired."""
        moment = at or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=moment)
        )


class Ban(models.Model):
    """Keeps a reader from commenting, voting and reporting, for good or until ``expires_at``.

    A ban targets an account, an e-mail address (compared after trimming and
    lower-casing) or an IP address or network (stored as a CIDR network; a
    single address is a /32 or /128). See ``comments.bans``.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        EMAIL = "email", "E-mail address"
        NETWORK = "network", "IP address or network"

    kind = models.CharField(max_length=10, choices=Kind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_bans",
    )
    email = models.CharField(max_length=254, blank=True)
    network = models.CharField(max_length=50, blank=True)
    reason = models.CharField(max_length=255, blank=True, help_text="For moderators only.")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until lifted.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="account", user__isnull=False, email="", network="")
                | (Q(kind="email", user__isnull=True, network="") & ~Q(email=""))
                | (Q(kind="network", user__isnull=True, email="") & ~Q(network="")),
                name="ban_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Ban on {self.target}"

    @property
    def target(self) -> str:
        if self.kind == self.Kind.ACCOUNT:
            return self.user.get_username() if self.user_id else "an account"
        if self.kind == self.Kind.EMAIL:
            return self.email
        return self.network.removesuffix("/32").removesuffix("/128")

    @property
    def is_suspension(self) -> bool:
        return self.expires_at is not None

    def is_active(self, at=None) -> bool:
        moment = at or timezone.now()
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > moment)


class ModerationActionQuerySet(models.QuerySet):
    """The audit log is append-only: rows are never updated or deleted in bulk."""

    def update(self, **kwargs):
        raise TypeError("The moderation log cannot be changed.")

    def delete(self):
        raise TypeError("The moderation log cannot be changed.")


class ModerationAction(models.Model):
    """One entry of the moderation log: who did what, when, to what, and why.

    Entries are written by the services in the same transaction as the action
    and never change afterwards. The references to the comment, article and
    moderator are plain ids without database constraints, so deleting any of
    them later leaves the entry as it was.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        REMOVE = "remove", "Removed"
        RESTORE = "restore", "Restored"
        AUTO = "auto", "Held or refused automatically"
        HELD_REPORTED = "held_reported", "Held after readers' reports"
        DISMISS_REPORTS = "dismiss_reports", "Reports dismissed"
        AUTHOR_DELETE = "author_delete", "Deleted by its author"
        PIN = "pin", "Pinned"
        UNPIN = "unpin", "Unpinned"
        CLOSE_COMMENTS = "close_comments", "Closed an article's comments"
        OPEN_COMMENTS = "open_comments", "Reopened an article's comments"
        BAN = "ban", "Banned"
        LIFT_BAN = "lift_ban", "Lifted a ban"
        ADD_RULE = "add_rule", "Added a word rule"
        DELETE_RULE = "delete_rule", "Deleted a word rule"
        PREMODERATION = "premoderation", "Changed a section's pre-moderation"

    action = models.CharField(max_length=20, choices=Action)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="Empty: the site itself (a rule) or the comment's author.",
    )
    moderator_name = models.CharField(max_length=150, blank=True)
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log"
        indexes = [
            models.Index(fields=["created_at"], name="modlog_time"),
            models.Index(fields=["comment", "created_at"], name="modlog_comment"),
            models.Index(fields=["moderator", "created_at"], name="modlog_moderator"),
        ]

    def __str__(self) -> str:
        who = self.moderator_name or "the site"
        return f"{self.get_action_display()} by {who} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("The moderation log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The moderation log cannot be changed.")


# --- Subscriptions and notifications (see comments/notifications.py) ----------


class Subscriber(models.Model):
    """An e-mail address that follows discussions, with how it wants its e-mails.

    One row per address, stored lower-cased: addresses are only ever compared
    exactly (never with LIKE or wildcards), so a subscriber is one mailbox.
    """

    class Delivery(models.TextChoices):
        INSTANT = "instant", "An e-mail for each new comment"
        DAILY = "daily", "One daily digest"

    email = models.EmailField(max_length=254, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comment_subscribers",
        help_text="The account whose verified address this is, if any.",
    )
    delivery = models.CharField(max_length=10, choices=Delivery, default=Delivery.INSTANT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower(F("email"))), name="subscriber_email_is_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> SubscriptionQuerySet:
        return self.filter(status=Subscription.Status.ACTIVE)

    def pending(self) -> SubscriptionQuerySet:
        return self.filter(status=Subscription.Status.PENDING)

    def for_listing(self) -> SubscriptionQuerySet:
        """The shape of the "manage my subscriptions" page."""
        return self.select_related("article__section", "comment").order_by("-created_at", "-pk")


class Subscription(models.Model):
    """One subscriber follows an article's discussion, or the replies to one comment.

    ``pending`` until the address owner confirms (double opt-in; signed-in
    readers with a verified address skip it). Unsubscribing deletes the row.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "New comments on the article"
        REPLIES = "replies", "Replies to a comment"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Active"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comment_subscriptions"
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_subscriptions",
        help_text="For replies: the comment whose replies are followed.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["article", "kind", "status"], name="subscription_fanout"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "article"],
                condition=Q(kind="article"),
                name="subscription_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "comment"],
                condition=Q(kind="replies"),
                name="subscription_one_per_comment",
            ),
            models.CheckConstraint(
                condition=Q(kind="article", comment__isnull=True)
                | Q(kind="replies", comment__isnull=False),
                name="subscription_comment_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        target = f"replies to comment {self.comment_id}" if self.comment_id else "comments"
        return f"{self.subscriber_id} follows {target} on article {self.article_id}"


class NotificationEvent(models.Model):
    """A comment has just become visible: written in the same transaction.

    The worker fans each event out into one ``OutboxMessage`` per subscriber,
    so publishing a comment costs the same whatever the number of subscribers.
    """

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="notification_event"
    )
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(processed_at__isnull=True),
                name="notification_event_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} became visible"


class OutboxMessageQuerySet(models.QuerySet):
    def due(self, now) -> OutboxMessageQuerySet:
        """Messages to send now: waiting ones, and ones whose sender's lease ran out."""
        return self.filter(
            state__in=[OutboxMessage.State.PENDING, OutboxMessage.State.SENDING], due_at__lte=now
        )

    def failed(self) -> OutboxMessageQuerySet:
        return self.filter(state=OutboxMessage.State.FAILED)


class OutboxMessage(models.Model):
    """One e-mail to send (or a notification held for tomorrow's digest).

    Rows are written in the transaction of what causes them and sent by the
    worker, which claims a batch (state ``sending`` with a lease in
    ``due_at``), sends each and marks it ``sent`` in its own transaction. A
    message claimed by a worker that died is claimed again once its lease has
    run out; its Message-ID is derived from the row, so a re-sent copy is the
    same message to every mail system.
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "Confirm a subscription"
        MANAGE = "manage", "Link to manage subscriptions"
        COMMENT = "comment", "New comment"
        DIGEST = "digest", "Daily digest"
        MODERATION = "moderation", "Comments waiting for moderators"

    class State(models.TextChoices):
        HELD = "held", "Held for the daily digest"
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        DIGESTED = "digested", "Sent in a digest"
        SKIPPED = "skipped", "Not sent (no longer relevant)"

    # Lower goes first: a reader is waiting for a confirmation link.
    PRIORITY = {
        Kind.CONFIRM: 0,
        Kind.MANAGE: 0,
        Kind.MODERATION: 2,
        Kind.COMMENT: 5,
        Kind.DIGEST: 9,
    }

    kind = models.CharField(max_length=10, choices=Kind)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    priority = models.PositiveSmallIntegerField(default=5)
    subscriber = models.ForeignKey(
        Subscriber,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
        help_text="The reader's address (every kind but moderators' alerts).",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="For moderators' alerts: the moderator.",
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
        help_text="For a notification sent in a digest: that digest.",
    )
    digest_until = models.DateTimeField(
        null=True, blank=True, help_text="For a digest: it covers notifications held before this."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(
        default=timezone.now,
        help_text="Pending: when to send (retries wait). Sending: when the lease runs out.",
    )
    claimed_by = models.CharField(max_length=32, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "outbox message"
        indexes = [
            models.Index(fields=["state", "due_at"], name="outbox_due"),
            models.Index(fields=["subscriber", "kind", "created_at"], name="outbox_by_address"),
            models.Index(
                fields=["user", "state"],
                condition=Q(kind="moderation"),
                name="outbox_moderator_alerts",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "comment"],
                condition=Q(kind="comment"),
                name="outbox_one_notification_per_comment",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "digest_until"],
                condition=Q(kind="digest"),
                name="outbox_one_digest_per_period",
            ),
            # Held comments are announced to a moderator by one alert at a
            # time: while one waits, later holds are in it (it is written when
            # it is sent).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(kind="moderation", state="pending"),
                name="outbox_one_waiting_alert_per_moderator",
            ),
            models.CheckConstraint(
                condition=Q(kind="moderation", subscriber__isnull=True, user__isnull=False)
                | (~Q(kind="moderation") & Q(subscriber__isnull=False, user__isnull=True)),
                name="outbox_recipient_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"

    @property
    def message_id(self) -> str:
        """The same for every attempt, so a re-sent copy is recognised as one message."""
        domain = urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"
        return f"<newsroom.{self.kind}.{self.pk}.{int(self.created_at.timestamp())}@{domain}>"

    @property
    def recipient(self) -> str:
        """The address it goes to."""
        if self.user_id:
            return self.user.email
        return self.subscriber.email


class ThreadMute(models.Model):
    """A follower of an article's discussion silences one of its threads.

    The subscription stays: new comments elsewhere on the article still
    arrive. ``thread`` is the thread's top-level comment. Replies to the
    reader's own comments come through their own subscriptions, which a mute
    does not touch (they are addressed to the reader, and have their own
    unsubscribe link).
    """

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="muted_threads"
    )
    thread = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "thread"], name="mute_once"),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.subscription_id} mutes thread {self.thread_id}"


class EmailTemplate(models.Model):
    """The wording of one kind of notification e-mail, as editors changed it.

    Empty fields use the default wording, from the files in
    ``templates/comments/email/wording/``. The layout of the e-mails, the
    comment itself, the buttons and the List-Unsubscribe headers are not
    editable; what is, is checked on save (``comments/wording.py``): it must
    render, use known placeholders only, and keep the links readers need
    (the unsubscribe link above all).
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "Confirmation request (double opt-in)"
        MANAGE = "manage", "Link to manage notifications"
        COMMENT = "comment", "New comment in a followed discussion"
        REPLY = "reply", "Reply to the reader's comment"
        DIGEST = "digest", "Daily digest"
        MODERATION = "moderation", "Comments waiting for moderators"

    kind = models.CharField(max_length=10, choices=Kind, unique=True, editable=False)
    subject = models.CharField(max_length=200, blank=True)
    heading = models.CharField(max_length=200, blank=True)
    intro = models.TextField(
        blank=True, help_text="Shown above the comment, list or button of the e-mail."
    )
    footer = models.TextField(blank=True, help_text="The small print at the end.")
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "notification e-mail"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class AnchorQuerySet(models.QuerySet):
    def anchored(self) -> AnchorQuerySet:
        """Anchors still attached to their passage (highlighted on the page)."""
        return self.filter(state=Anchor.State.ANCHORED)

    def orphaned(self) -> AnchorQuerySet:
        return self.filter(state=Anchor.State.ORPHANED)


class Anchor(models.Model):
    """The passage of the article body an inline feedback comments on.

    Stored as the W3C Web Annotation model does (see ``articles.anchoring``):
    a TextQuoteSelector (``exact``, ``prefix``, ``suffix``), a
    TextPositionSelector (``start``, ``end`` in the body's anchor text), and
    the ids of the blocks the passage starts and ends in. Only top-level
    comments have one; replies to a feedback are ordinary replies.

    ``exact`` follows the text when an editor rewrites a few words of the
    passage; ``original_exact`` keeps the words the reader selected, shown when
    the passage could no longer be found (``state`` orphaned).
    """

    class State(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        ORPHANED = "orphaned", "Orphaned (the passage was edited away)"

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="anchor"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        "articles.PassageQuestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        help_text="The editors' question this feedback answers, if any.",
    )
    exact = models.TextField(help_text="The passage as it reads now.")
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    block_id = models.CharField(max_length=20)
    end_block_id = models.CharField(max_length=20)
    original_exact = models.TextField(help_text="The passage as the reader selected it.")
    state = models.CharField(max_length=10, choices=State, default=State.ANCHORED)
    resolved_at = models.DateTimeField(help_text="When the passage was last located.")

    objects = AnchorQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["article", "state"], name="anchor_article_state")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="anchor_not_empty"),
        ]

    def __str__(self) -> str:
        return f"“{self.exact[:60]}” ({self.get_state_display()})"

    @property
    def is_orphaned(self) -> bool:
        return self.state == self.State.ORPHANED

    @property
    def selector(self) -> Selector:
        return Selector(self.exact, self.prefix, self.suffix, self.start, self.end)

    def apply(self, passage: Passage) -> None:
        """Point at ``passage`` (found again, perhaps elsewhere or reworded)."""
        self.exact, self.prefix, self.suffix = passage.exact, passage.prefix, passage.suffix
        self.start, self.end = passage.start, passage.end
        self.block_id, self.end_block_id = passage.block_id, passage.end_block_id
        self.state = self.State.ANCHORED
