"""Actions on articles. The admin, management commands and importers call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsroom import cache

from .models import Article, RelatedClick, RelatedStat
from .signals import article_body_changed, article_changed

User = AbstractBaseUser | AnonymousUser | None


@dataclass
class ChangeReport:
    """What an article change set off in other apps (shown to the editor)."""

    summaries: list[dict[str, Any]] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for summary in self.summaries:
            for key, value in summary.items():
                if isinstance(value, int):
                    totals[key] = totals.get(key, 0) + value
        return totals


def _announce(
    article: Article, *, user: User, was_public: bool, previous_body: str | None
) -> ChangeReport:
    report = ChangeReport()
    if previous_body is not None and previous_body != article.body:
        for _receiver, response in article_body_changed.send(
            sender=Article, article=article, previous_body=previous_body
        ):
            if isinstance(response, dict):
                report.summaries.append(response)
    is_public = article.is_public
    article_changed.send(
        sender=Article,
        article=article,
        user=user,
        went_public=is_public and not was_public,
        went_private=was_public and not is_public,
    )
    transaction.on_commit(lambda: cache.bump("articles", f"article:{article.pk}"))
    return report


@transaction.atomic
def article_after_edit(
    *, article: Article, user: User, was_public: bool, previous_body: str | None
) -> ChangeReport:
    """Finish an edit made in the admin, after the article and its inlines are saved.

    Re-composes the rendered body (pull quotes and transcript are inlines) and
    tells other apps what changed.
    """
    composed = article.compose_body()
    if composed != article.body_html:
        article.body_html = composed
        Article.objects.filter(pk=article.pk).update(body_html=composed)
    return _announce(article, user=user, was_public=was_public, previous_body=previous_body)


@transaction.atomic
def article_publish(*, article: Article, user: User = None, at: datetime | None = None) -> Article:
    """Publish now, or schedule for ``at`` (a future time). Validates the article first."""
    was_public = article.is_public
    article.status = Article.Status.PUBLISHED
    if at is not None:
        article.published_at = at
    elif article.published_at is None:
        article.published_at = timezone.now()
    article.full_clean()
    article.save()
    _announce(article, user=user, was_public=was_public, previous_body=None)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: User = None) -> Article:
    """Take an article off the site (its URL answers 404 until republished)."""
    was_public = article.is_public
    article.status = Article.Status.UNPUBLISHED
    article.save()
    _announce(article, user=user, was_public=was_public, previous_body=None)
    return article


@transaction.atomic
def related_impression_record(*, article: Article) -> None:
    """Count one view of an article's related block today (anonymous, see ``clicks``)."""
    today = timezone.localdate()
    stat, _ = RelatedStat.objects.get_or_create(article=article, day=today)
    RelatedStat.objects.filter(pk=stat.pk).update(impressions=F("impressions") + 1)


@transaction.atomic
def related_click_record(*, article: Article, target: Article) -> None:
    """Count one click from an article's related block to ``target`` today."""
    today = timezone.localdate()
    stat, _ = RelatedStat.objects.get_or_create(article=article, day=today)
    RelatedStat.objects.filter(pk=stat.pk).update(clicks=F("clicks") + 1)
    click, _ = RelatedClick.objects.get_or_create(article=article, target=target, day=today)
    RelatedClick.objects.filter(pk=click.pk).update(clicks=F("clicks") + 1)
