"""Write the demo content into the database, idempotently.

Everything is matched on a natural key (slugs, names, positions) and updated
in place, so loading twice leaves the same rows, and a teammate's data that
points at demo rows (comments on an article, anchors on a transcript turn)
survives a reload. Articles go through the model's normal save, so bodies are
sanitised and get their block ids, then through
:func:`articles.services.article_after_edit`, exactly like an admin edit:
the rendered body is recomposed with its pull quotes and transcript, and the
other apps are told what changed.

Pictures are drawn by :mod:`articles.demo.art` and stored under
``MEDIA_ROOT/demo/``, named after a fingerprint of what they show: a picture
whose inputs did not change is neither drawn nor written again.

>>> report = load_demo_content(image_scale=0.1)  # doctest: +SKIP
>>> report.articles_created
32
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage

from articles import html, services
from articles.models import (
    Article,
    ArticleNote,
    ArticleType,
    Author,
    Byline,
    Disclaimer,
    Image,
    PullQuote,
    RelatedPin,
    Section,
    TranscriptTurn,
)

from . import art
from .catalogue import ARTICLES, AUTHORS, DISCLAIMERS, SECTIONS
from .spec import ArticleSpec, AuthorSpec

HERO_SIZE = (1600, 1000)
PORTRAIT_SIZE = 600
CREDIT = "Illustration: Newsroom demo"
DEMO_MEDIA = "demo/"

T = TypeVar("T")
Progress = Callable[[Sequence[T], str], Iterable[T]]


def _no_progress(items: Sequence[T], label: str) -> Iterable[T]:
    return items


@dataclass
class LoadReport:
    """What a load did, for the command to print."""

    articles_created: int = 0
    articles_updated: int = 0
    authors: int = 0
    sections: int = 0
    images_drawn: int = 0
    images_kept: int = 0


def load_demo_content(
    *,
    image_scale: float = 1.0,
    now: datetime | None = None,
    progress: Progress = _no_progress,
    articles: Sequence[ArticleSpec] = ARTICLES,
) -> LoadReport:
    """Create or update the demo sections, disclaimers, authors and articles.

    ``image_scale`` shrinks the generated pictures (tests draw them tiny);
    ``now`` is the moment publication times are counted back from;
    ``articles`` narrows the load to some of the articles.
    """
    if not 0 < image_scale <= 1:
        raise ValueError("image_scale must be more than 0 and at most 1.")
    now = now or timezone.now()
    report = LoadReport()
    with transaction.atomic():
        _load_sections()
        _load_disclaimers()
        report.sections = len(SECTIONS)
    for spec in progress(AUTHORS, "Authors"):
        _load_author(spec, image_scale=image_scale, report=report)
    report.authors = len(AUTHORS)
    for spec in progress(articles, "Articles"):
        _load_article(spec, now=now, image_scale=image_scale, report=report)
    _load_pins(articles)
    return report


def _load_sections() -> None:
    for spec in SECTIONS:
        Section.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "position": spec.position,
                "comment_prompt": spec.comment_prompt,
            },
        )


def _load_disclaimers() -> None:
    for spec in DISCLAIMERS:
        disclaimer = Disclaimer.objects.filter(name=spec.name).first() or Disclaimer(name=spec.name)
        disclaimer.text = spec.text
        disclaimer.placement = spec.placement
        disclaimer.save()
        for article_type in ArticleType.objects.filter(slug__in=spec.article_types):
            article_type.disclaimers.add(disclaimer)
        for section in Section.objects.filter(slug__in=spec.sections):
            section.disclaimers.add(disclaimer)


def _initials(name: str) -> str:
    words = [word for word in name.replace("-", " ").split() if word[:1].isupper()]
    if words and words[0].rstrip(".") in {"Dr", "Prof"}:
        words = words[1:]
    return (words[0][0] + words[-1][0]) if len(words) > 1 else name[:2].upper()


def _stored_picture(
    current: Image | None,
    *,
    name: str,
    draw: Callable[[], PILImage.Image],
    alt_text: str,
    caption: str,
    report: LoadReport,
) -> Image:
    """The Image row for a generated picture, drawing and storing it only if needed."""
    if default_storage.exists(name):
        report.images_kept += 1
    else:
        picture = draw()
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
        stored = default_storage.save(name, ContentFile(buffer.getvalue()))
        if stored != name:  # another process wrote it meanwhile: use one copy
            default_storage.delete(stored)
        report.images_drawn += 1
    # Only a picture we made is redrawn in place: an editor may have attached a
    # real photo instead, possibly shared with other articles; leave that alone.
    ours = current is not None and current.file.name.startswith(DEMO_MEDIA)
    image = current if ours else Image()
    previous_name = image.file.name if image.pk else ""
    if image.file.name != name:
        image.file.name = name
        with default_storage.open(name, "rb") as handle, PILImage.open(handle) as opened:
            image.width, image.height = opened.size
    image.alt_text = alt_text
    image.caption = caption
    image.credit = CREDIT
    image.save()
    if previous_name and previous_name != name:
        default_storage.delete(previous_name)
    return image


def _load_author(spec: AuthorSpec, *, image_scale: float, report: LoadReport) -> None:
    author = Author.objects.select_related("photo").filter(slug=spec.slug).first()
    author = author or Author(slug=spec.slug)
    size = max(int(PORTRAIT_SIZE * image_scale), 16)
    initials = _initials(spec.name)
    fingerprint = art.fingerprint("portrait", initials, spec.colour, size)
    name = f"{DEMO_MEDIA}authors/{spec.slug}-{fingerprint}.jpg"
    with transaction.atomic():
        author.photo = _stored_picture(
            author.photo,
            name=name,
            draw=lambda: art.portrait(
                initials=initials, colour=spec.colour, seed=spec.slug, size=size
            ),
            alt_text=f"Portrait illustration for {spec.name}",
            caption="",
            report=report,
        )
        author.name = spec.name
        author.job_title = spec.job_title
        author.bio = spec.bio
        author.save()


def _publication_time(spec: ArticleSpec, now: datetime) -> datetime | None:
    if spec.status == "draft":
        return None
    moment = now - spec.age
    if abs(spec.age) >= timedelta(days=1):
        # Stories from other days keep their day but get a daytime time, from
        # 07:00 to 20:59, whenever the demo is loaded: a story of three days
        # ago was not published at 2am just because the demo was loaded then.
        spread = zlib.crc32(spec.slug.encode())
        moment = timezone.localtime(moment).replace(hour=7 + spread % 14, minute=spread // 14 % 60)
    # Whole minutes, as an editor would set them.
    return moment.replace(second=0, microsecond=0)


@transaction.atomic
def _load_article(
    spec: ArticleSpec, *, now: datetime, image_scale: float, report: LoadReport
) -> None:
    article = Article.objects.select_related("hero_image").filter(slug=spec.slug).first()
    created = article is None
    previous_body = None if created else article.body
    was_public = False if created else article.is_public
    article = article or Article(slug=spec.slug)

    if spec.art:
        size = (
            max(int(HERO_SIZE[0] * image_scale), 16),
            max(int(HERO_SIZE[1] * image_scale), 10),
        )
        options = dict(spec.art.options)
        fingerprint = art.fingerprint(spec.art.kind, spec.art.palette, options, size, spec.slug)
        article.hero_image = _stored_picture(
            article.hero_image,
            name=f"{DEMO_MEDIA}heroes/{spec.slug}-{fingerprint}.jpg",
            draw=lambda: art.render(
                spec.art.kind,
                seed=spec.slug,
                palette=spec.art.palette,
                size=size,
                options=options,
            ),
            alt_text=spec.art.alt,
            caption=spec.art.caption,
            report=report,
        )
    else:
        article.hero_image = None

    article.title = spec.title
    article.standfirst = spec.standfirst
    article.section = Section.objects.get(slug=spec.section)
    article.article_type = ArticleType.objects.get(slug=spec.article_type)
    article.body = spec.body
    article.is_featured = spec.featured
    article.status = {
        "published": Article.Status.PUBLISHED,
        "scheduled": Article.Status.SCHEDULED,
        "draft": Article.Status.DRAFT,
    }[spec.status]
    article.published_at = _publication_time(spec, now)
    article.full_clean()
    article.save()

    _sync_bylines(article, spec.authors)
    article.tags.set(list(spec.tags))
    _sync_pull_quotes(article, spec)
    _sync_transcript(article, spec)
    _sync_notes(article, spec)

    # The demo decides when an article was "updated", not the moment of loading.
    content_updated_at = (
        article.published_at + spec.updated_after
        if spec.updated_after is not None and article.published_at
        else None
    )
    Article.objects.filter(pk=article.pk).update(content_updated_at=content_updated_at)
    article.content_updated_at = content_updated_at

    services.article_after_edit(
        article=article, user=None, was_public=was_public, previous_body=previous_body
    )
    if created:
        report.articles_created += 1
    else:
        report.articles_updated += 1


def _load_pins(specs: Sequence[ArticleSpec]) -> None:
    """The editors' pins, once the articles they name exist (a narrowed load may
    not have them: those are left for a full load).

    Added, never removed: pins an editor made in the admin survive a reload.
    """
    for spec in specs:
        if not spec.pinned:
            continue
        article = Article.objects.get(slug=spec.slug)
        targets = {a.slug: a for a in Article.objects.filter(slug__in=spec.pinned)}
        with transaction.atomic():
            added = False
            for position, slug in enumerate(spec.pinned):
                if slug in targets:
                    _pin, created = RelatedPin.objects.get_or_create(
                        article=article, target=targets[slug], defaults={"position": position}
                    )
                    added = added or created
            if added:  # announced like a pin added in the admin: the page changed
                services.article_after_edit(
                    article=article, user=None, was_public=article.is_public, previous_body=None
                )


def _sync_bylines(article: Article, slugs: Sequence[str]) -> None:
    authors = {author.slug: author for author in Author.objects.filter(slug__in=slugs)}
    missing = set(slugs) - set(authors)
    if missing:
        raise ValueError(f"{article.slug}: unknown author(s) {', '.join(sorted(missing))}")
    for position, slug in enumerate(slugs):
        Byline.objects.update_or_create(
            article=article, author=authors[slug], defaults={"position": position}
        )
    article.bylines.exclude(author__slug__in=slugs).delete()


def _sync_in_order(existing: list, wanted: int, model, make: Callable[[int], dict]) -> None:
    """Update rows in place by position; create missing ones; delete extras."""
    for index in range(wanted):
        values = make(index)
        if index < len(existing):
            row = existing[index]
            changed = [key for key, value in values.items() if getattr(row, key) != value]
            for key in changed:
                setattr(row, key, values[key])
            if changed:
                row.save(update_fields=changed)
        else:
            model.objects.create(**values)
    for row in existing[wanted:]:
        row.delete()


def _sync_pull_quotes(article: Article, spec: ArticleSpec) -> None:
    _sync_in_order(
        list(article.pull_quotes.order_by("pk")),
        len(spec.quotes),
        PullQuote,
        lambda i: {
            "article": article,
            "text": spec.quotes[i].text,
            "attribution": spec.quotes[i].attribution,
            "after_paragraph": spec.quotes[i].after,
        },
    )


def _sync_transcript(article: Article, spec: ArticleSpec) -> None:
    _sync_in_order(
        list(article.transcript_turns.order_by("position", "pk")),
        len(spec.transcript),
        TranscriptTurn,
        lambda i: {
            "article": article,
            "position": i,
            "speaker": spec.transcript[i].speaker,
            "is_question": spec.transcript[i].is_question,
            "text": spec.transcript[i].text,
        },
    )


def _sync_notes(article: Article, spec: ArticleSpec) -> None:
    published = article.published_at or timezone.now()
    _sync_in_order(
        list(article.notes.order_by("pk")),
        len(spec.notes),
        ArticleNote,
        lambda i: {
            "article": article,
            "kind": spec.notes[i].kind,
            # Compared with the stored text, which is cleaned on save.
            "text": html.clean_light(spec.notes[i].text),
            "noted_at": published + spec.notes[i].after,
        },
    )
