"""Actions on articles. The admin, management commands and importers call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsroom import cache, purge

from . import anchoring
from .models import Article, PassageQuestion, RelatedClick, RelatedStat
from .signals import article_body_changed, article_changed
from .tasks import purge_article_pages

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
        report.summaries.append(_questions_reanchor(article=article, previous_body=previous_body))
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
    transaction.on_commit(lambda: cache.bump("articles", cache.article_version_name(article.pk)))
    if purge.enabled():
        transaction.on_commit(lambda: purge_article_pages.enqueue(article.pk))
    return report


def _questions_reanchor(*, article: Article, previous_body: str) -> dict[str, int]:
    """Find the editors' questions' passages again in the edited body (see ``anchoring``)."""
    old, new = anchoring.BodyText.of(previous_body), anchoring.BodyText.of(article.body)
    summary = {"anchors_total": 0, "anchors_moved": 0, "anchors_orphaned": 0}
    changed = []
    for question in PassageQuestion.objects.filter(article=article):
        summary["anchors_total"] += 1
        passage = anchoring.reanchor(old, new, question.selector) if question.exact else None
        if passage is None:
            if not question.is_orphaned:
                question.is_orphaned = True
                summary["anchors_orphaned"] += 1
                changed.append(question)
            continue
        if anchoring.moved(question.selector, passage) or question.is_orphaned:
            summary["anchors_moved"] += 1
        elif passage.selector == question.selector and passage.block_id == question.block_id:
            continue
        question.apply(passage)
        changed.append(question)
    fields = [
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "block_id",
        "end_block_id",
        "is_orphaned",
    ]
    PassageQuestion.objects.bulk_update(changed, fields)
    return summary


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


def editorial_changed() -> None:
    """Sections, authors, article types, disclaimers or images changed.

    They show on many pages, so every page's cached parts are renewed, in the
    app's cache and in shared caches.
    """
    transaction.on_commit(lambda: cache.bump(cache.EDITORIAL, "articles"))
    purge.schedule_purge(["/*"])
