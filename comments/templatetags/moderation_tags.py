"""Small helpers for the moderation workspace's templates."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def anchor_exact(comment) -> str:
    """The passage an inline-feedback comment quotes, or "" for an ordinary comment.

    Inline feedback stores its passage in a one-to-one ``anchor``: ``exact``
    as the passage reads now, ``original_exact`` as the reader selected it
    (what is left to show once an edit removed the passage).
    """
    try:
        anchor = getattr(comment, "anchor", None)
    except ObjectDoesNotExist:  # a one-to-one without its row
        return ""
    if anchor is None:
        return ""
    if getattr(anchor, "is_orphaned", False):
        return getattr(anchor, "original_exact", "") or ""
    return getattr(anchor, "exact", "") or ""


@register.filter
def signal_class(points) -> str:
    """A CSS class for one spam signal: raising or lowering the score."""
    try:
        return "signal-down" if int(points) < 0 else "signal-up"
    except (TypeError, ValueError):
        return "signal-up"
