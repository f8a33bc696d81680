"""What the WordPress importer remembers: which WordPress post or comment became what.

These rows make re-running an import update instead of duplicating, let an
interrupted run continue where it stopped (a post whose export is unchanged
is skipped by its fingerprint), and answer the site's old WordPress URLs with
redirects (``newsroom.wordpress.redirects``).

They live with the importer rather than in ``articles`` and ``comments``:
they are about the migration, not about articles or comments, and a site that
has moved for good can drop them without touching either app.
"""

from __future__ import annotations

from django.db import models

from articles.models import Article, Image
from comments.models import Comment


class WordPressPost(models.Model):
    """A WordPress post (or attachment) and the article (or image) made from it."""

    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="The exported site (its base URL without the scheme), so that two "
        "WordPress sites' ids never mix.",
    )
    wp_id = models.PositiveBigIntegerField(verbose_name="WordPress id")
    post_type = models.CharField(max_length=40)
    wp_slug = models.CharField(
        max_length=200, blank=True, help_text="The post's slug on WordPress (its old URL)."
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="The date in the post's WordPress URL, if any."
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Of the exported data last imported."
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "WordPress post"
        constraints = [
            models.UniqueConstraint(fields=["source", "wp_id"], name="wordpress_post_once")
        ]
        indexes = [
            models.Index(fields=["wp_slug"], name="wordpress_post_slug"),
            models.Index(fields=["wp_id"], name="wordpress_post_id"),
        ]

    def __str__(self) -> str:
        return f"{self.post_type} {self.wp_id} of {self.source or 'WordPress'}"


class WordPressComment(models.Model):
    """A WordPress comment and the comment made from it."""

    source = models.CharField(max_length=200, blank=True)
    wp_id = models.PositiveBigIntegerField(verbose_name="WordPress id")
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "WordPress comment"
        constraints = [
            models.UniqueConstraint(fields=["source", "wp_id"], name="wordpress_comment_once")
        ]

    def __str__(self) -> str:
        return f"comment {self.wp_id} of {self.source or 'WordPress'}"
