"""The articles app listening to its own signals (connected in ``apps.py``).

Recommendations react to ``article_changed`` like any other listener would:
the service that changed the article knows nothing about them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.db import transaction

from .models import Article
from .signals import article_changed


def schedule_related_update(sender, *, article: Article, **kwargs) -> None:
    """Recompute the article's related list in the background once the change is committed.

    Also when it went private: it then leaves the lists it was in, freeing their room.
    """
    from .tasks import update_related_articles

    transaction.on_commit(partial(update_related_articles.enqueue, article.pk))


def connect() -> None:
    article_changed.connect(schedule_related_update, dispatch_uid="articles.related_update")


@contextmanager
def related_updates_paused() -> Iterator[None]:
    """For bulk imports: no per-article update while loading; run
    ``manage.py recompute_related`` afterwards (one full computation is far
    cheaper than thousands of incremental ones)."""
    article_changed.disconnect(dispatch_uid="articles.related_update")
    try:
        yield
    finally:
        connect()
