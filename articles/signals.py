"""Signals the articles app sends, for other apps to act on.

``articles`` never imports the apps that listen (comments, caches,
recommendations); it announces what happened and they react.

article_changed
    Sent after any change readers could see (content, status, metadata,
    related rows), once the whole admin save is done, inside its transaction.
    Arguments: ``article`` (the saved Article), ``user`` (who did it, or
    None), ``went_public`` (True when this change made the article visible),
    ``went_private`` (True when it stopped being visible).

article_body_changed
    Sent when the text of the body changed, inside the saving transaction,
    before ``article_changed``. Arguments: ``article`` (already saved, its
    ``body`` is the new clean body), ``previous_body`` (the clean body as it
    was). Receivers may return a dict summarising what they did, e.g.
    ``{"anchors_moved": 2, "anchors_orphaned": 0}``; the admin shows it.
"""

from django.dispatch import Signal

article_changed = Signal()
article_body_changed = Signal()
