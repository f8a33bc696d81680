"""The comment list template escapes every text value it writes (comments/render.py).

Its autoescape is off for speed (see templates/comments/includes/comment_list.jinja),
so these tests make every text attribute of a comment hostile, in each state the
template renders differently, and look for the markup surviving.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comments.render import render_items
from comments.threads import CommentRow

HOSTILE = '"><img src=x onerror=alert(1)>'
#: Attributes that only steer the template (compared, never written) or are
#: numbers, set to realistic values; every other text attribute is hostile.
STEERING = {
    "status",
    "passage_state",
    "author_role",
    "body_html",
    "created_at",
    "edited_at",
    "pinned_at",
}


def hostile_row(**overrides) -> CommentRow:
    row = CommentRow(())
    numbers = {
        "pk": 7,
        "article_id": 1,
        "parent_id": 3,
        "thread_id": 3,
        "in_reply_to_id": 3,
        "depth": 1,
        "user_id": None,
        "upvotes": 2,
        "downvotes": 1,
        "score": 1,
        "descendant_count": 0,
        "more_replies": 4,
    }
    for name in CommentRow.__slots__:
        setattr(row, name, HOSTILE)
    for name, value in numbers.items():
        setattr(row, name, value)
    row.status, row.author_role, row.body_html = "approved", "author", "<p>Safe body</p>"
    row.passage_state = "anchored"
    row.created_at = row.edited_at = row.pinned_at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    row.opens_replies, row.close_levels, row.is_last_in_thread = False, range(1), True
    row.shown_to_author = row.is_own = False
    for name, value in overrides.items():
        setattr(row, name, value)
    return row


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"passage_state": "orphaned"},
        {"status": "pending", "is_own": True},
        {"status": "rejected", "is_own": True, "shown_to_author": True},
        {"status": "pending"},
        {"status": "removed"},
    ],
    ids=["approved", "orphaned-passage", "own-pending", "own-declined", "held", "removed"],
)
def test_every_text_value_is_escaped_in_every_state(state):
    html = render_items([hostile_row(**state)])

    # Unescaped, the value would close its attribute or element and open an <img>.
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_hostile_row_still_renders_its_safe_body_and_numbers():
    html = render_items([hostile_row()])

    assert "<p>Safe body</p>" in html
    assert 'id="comment-7"' in html and "Show 4 more replies" in html
