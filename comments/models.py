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

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

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
