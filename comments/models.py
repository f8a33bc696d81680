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
from django.db.models.functions import Lower
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

    def sorted_by(self, sort: str) -> CommentQuerySet:
        """Order threads: ``newest``, ``oldest`` or ``votes`` (most voted first)."""
        if sort == "oldest":
            return self.order_by("created_at", "pk")
        if sort == "votes":
            return self.order_by("-score", "created_at", "pk")
        return self.order_by("-created_at", "-pk")


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
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When subscribers were told about it: once, the first time it became visible.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["article", "depth", "status", "created_at"], name="comment_threads"
            ),
            models.Index(fields=["article", "depth", "score"], name="comment_threads_votes"),
            models.Index(fields=["thread", "path"], name="comment_thread_order"),
            models.Index(fields=["status", "created_at"], name="comment_status_time"),
            models.Index(fields=["user", "created_at"], name="comment_user_time"),
            models.Index(fields=["author_email"], name="comment_author_email"),
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

    class State(models.TextChoices):
        HELD = "held", "Held for the daily digest"
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        DIGESTED = "digested", "Sent in a digest"
        SKIPPED = "skipped", "Not sent (no longer relevant)"

    # Lower goes first: a reader is waiting for a confirmation link.
    PRIORITY = {Kind.CONFIRM: 0, Kind.MANAGE: 0, Kind.COMMENT: 5, Kind.DIGEST: 9}

    kind = models.CharField(max_length=10, choices=Kind)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    priority = models.PositiveSmallIntegerField(default=5)
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="outbox_messages"
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
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"

    @property
    def message_id(self) -> str:
        """The same for every attempt, so a re-sent copy is recognised as one message."""
        domain = urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"
        return f"<newsroom.{self.kind}.{self.pk}.{int(self.created_at.timestamp())}@{domain}>"


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
