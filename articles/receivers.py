"""The articles app listening to its own signals (connected in ``apps.py``).

Recommendations react to ``article_changed`` like any other listener would:
the service that changed the article knows nothing about them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.utils import timezone

from .models import Article
from .signals import article_changed


def schedule_related_update(sender, *, article: Article, **kwargs) -> None:
    """Recompute the article's related list in the background once the change is committed.

    Also when it went private: it then leaves the lists it was in, freeing their room.
    """
    from .tasks import update_related_articles

    transaction.on_commit(partial(update_related_articles.enqueue, article.pk))


def schedule_related_renewal(sender, *, article: Article, **kwargs) -> None:
    """A scheduled article appears in other articles' blocks by the clock alone;
    their pages are renewed at that moment (where the task backend can defer).

    A receiver of its own so that bulk imports, which pause the updates above,
    still renew those pages when their scheduled articles go live.
    """
    from .tasks import renew_related_pages

    if (
        article.published_at
        and article.published_at > timezone.now()
        and article.status in {Article.Status.PUBLISHED, Article.Status.SCHEDULED}
        and renew_related_pages.get_backend().supports_defer
    ):
        deferred = renew_related_pages.using(run_after=article.published_at)
        transaction.on_commit(partial(deferred.enqueue, article.pk))


def connect() -> None:
    article_changed.connect(schedule_related_update, dispatch_uid="articles.related_update")
    article_changed.connect(schedule_related_renewal, dispatch_uid="articles.related_renewal")


@contextmanager
def related_updates_paused() -> Iterator[None]:
    """For bulk imports: no per-article update while loading; run
    ``manage.py recompute_related`` (or queue ``recompute_related_articles``)
    afterwards: one full computation is far cheaper than thousands of
    incremental ones, the first of which, on a new site, is a full one anyway."""
    article_changed.disconnect(dispatch_uid="articles.related_update")
    try:
        yield
    finally:
        article_changed.connect(schedule_related_update, dispatch_uid="articles.related_update")
