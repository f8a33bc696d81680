"""Import a WordPress export (WXR) into articles, authors, sections, tags and comments.

>>> summary = import_export(Path("export.xml"), ImportOptions(timezone=ZoneInfo("UTC")))
>>> print("\\n".join(summary.lines()))

Two passes over the file, both streamed:

1. **Survey**: the whole file is read once before anything is written. A file
   that is not well-formed XML, is truncated, or is not a WordPress export
   stops the import here with an error naming the line, and the database is
   untouched; so does a post that lacks a tag WordPress always exports
   (``ImportOptions.lenient`` imports it anyway). The survey also collects
   what items refer to across the file (authors, categories, attachments for
   featured images) and the totals for the progress bars.
2. **Import**: items are written in batches, each batch in one transaction.
   What each WordPress post and comment became is recorded in the same
   transaction (``newsroom.wordpress.models``), with a fingerprint of the
   exported data. Re-running updates what changed in the export and skips
   what did not, so a run that was interrupted (killed, database gone) is
   completed by running it again, and nothing is ever imported twice.
   Related articles are not updated post by post meanwhile: when the pass is
   over, one full computation is queued if any article changed.

Mapping (see also the README, "Importing from WordPress"):

* ``post`` items become articles (other post types with ``--post-type``);
  pages, attachments, menus and unknown types are reported and skipped;
* status: publish → published, future → scheduled, draft/pending → draft,
  private or password-protected → unpublished (not public), trash and
  auto-draft → skipped (a post imported before and trashed since is
  unpublished); a live post without a body or a title is imported as a
  draft, as our editors' rules require;
* the first category (Yoast's primary category if set) → the section, the
  other categories and the tags → tags; authors matched by login (the
  author's slug is the login); sticky → featured; ``_thumbnail_id`` → the hero
  image when the file is found under ``--media-root``;
* comments keep their threads, authors, dates, addresses and statuses
  (1 → approved, 0 → pending, spam → spam, trash → removed, so a reply's
  thread keeps its shape); pingbacks, trackbacks and other comment types are
  skipped. They are written by ``comments.services.comments_import``: no
  moderation, no notification.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from articles.models import (
    RESERVED_SECTION_SLUGS,
    Article,
    ArticleSlugRedirect,
    ArticleType,
    Author,
    Byline,
    Image,
    Section,
)
from articles.receivers import related_updates_paused
from articles.services import article_after_edit, article_unpublish
from articles.tasks import recompute_related_articles
from comments import text as comment_text
from comments.models import Comment
from comments.services import ImportedComment, comments_import

from .content import plain_text, to_body
from .models import WordPressComment, WordPressPost
from .wxr import WXRAuthor, WXRCategory, WXRComment, WXRError, WXRItem, WXRReader

logger = logging.getLogger(__name__)

#: Changing how items are converted? Bump this so re-runs re-apply every post.
CONVERSION_VERSION = "1"

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.UNPUBLISHED,
}
SKIPPED_STATUSES = {"trash": "in the trash", "auto-draft": "an auto-draft", "inherit": "a revision"}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
COMMENT_TYPES = {"", "comment"}
NOT_IMPORTED_TYPES = {
    "page": "pages are not articles",
    "attachment": "attachments are used only as featured images",
    "revision": "revisions are not imported",
    "nav_menu_item": "menus are not imported",
}
_http_url = URLValidator(schemes=["http", "https"])


@dataclass
class ImportOptions:
    """How to read the export. ``timezone`` is the WordPress site's (for local dates)."""

    timezone: tzinfo
    media_root: Path | None = None
    post_types: frozenset[str] = frozenset({"post"})
    #: category slug → article type slug, e.g. {"opinion": "opinion"}.
    category_types: dict[str, str] = field(default_factory=dict)
    default_section: str = "uncategorized"
    #: Import posts that lack tags WordPress always exports (see ``_missing_tags``).
    lenient: bool = False
    force: bool = False
    batch_size: int = 100
    progress: bool = True
    progress_file: IO[str] | None = None

    def signature(self) -> str:
        """What in the options changes the result (part of every fingerprint)."""
        return json.dumps(
            [
                CONVERSION_VERSION,
                str(self.timezone),
                str(self.media_root or ""),
                sorted(self.category_types.items()),
                self.default_section,
            ]
        )


@dataclass
class Attachment:
    attached_file: str
    url: str
    alt: str
    caption: str


@dataclass
class Survey:
    """What the first pass learnt about the whole file."""

    source: str = ""
    items: int = 0
    comments: int = 0
    authors: dict[str, WXRAuthor] = field(default_factory=dict)
    categories: dict[str, WXRCategory] = field(default_factory=dict)
    category_ids: dict[int, str] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    posts: Counter[str] = field(default_factory=Counter)
    posts_skipped: Counter[str] = field(default_factory=Counter)
    comments: Counter[str] = field(default_factory=Counter)
    comments_skipped: Counter[str] = field(default_factory=Counter)
    created: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    related_queued: bool = False

    MAX_WARNINGS = 50

    @property
    def changed_articles(self) -> int:
        return (
            self.posts["imported"]
            + self.posts["updated"]
            + self.posts["unpublished (trashed on WordPress)"]
        )

    def warn(self, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < self.MAX_WARNINGS:
            self.warnings.append(message)
        logger.debug("wordpress import: %s", message)

    def lines(self) -> list[str]:
        def counts(counter: Counter[str], names: Iterable[str]) -> str:
            return ", ".join(f"{counter[name]:,} {name}" for name in names)

        def reasons(counter: Counter[str]) -> str:
            return "; ".join(f"{reason} ×{n:,}" for reason, n in counter.most_common())

        lines = [
            "Posts: "
            + counts(self.posts, ["imported", "updated", "unchanged"])
            + f", {self.posts_skipped.total():,} skipped",
        ]
        if self.posts["unpublished (trashed on WordPress)"]:
            lines.append(
                f"  {self.posts['unpublished (trashed on WordPress)']:,} imported before and "
                "trashed since: unpublished"
            )
        if self.posts_skipped:
            lines.append(f"  skipped: {reasons(self.posts_skipped)}")
        lines.append(
            "Comments: "
            + counts(self.comments, ["imported", "updated", "unchanged"])
            + f", {self.comments_skipped.total():,} skipped"
        )
        if self.comments_skipped:
            lines.append(f"  skipped: {reasons(self.comments_skipped)}")
        if self.images:
            lines.append("Images: " + counts(self.images, sorted(self.images)))
        if self.created:
            lines.append("Created: " + counts(self.created, sorted(self.created)))
        if self.related_queued:
            lines.append(
                "Related articles: one full computation queued for the background worker "
                "(where none runs: manage.py recompute_related)"
            )
        if self.warning_count:
            shown = len(self.warnings)
            more = f" (first {shown})" if shown < self.warning_count else ""
            lines.append(f"Warnings: {self.warning_count:,}{more}")
            lines.extend(f"  {warning}" for warning in self.warnings)
        return lines


# --- Values ---------------------------------------------------------------------


def parse_wp_date(value: str, zone: tzinfo) -> datetime | None:
    """A WordPress ``YYYY-MM-DD HH:MM:SS`` in ``zone``; None when empty or zero."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        naive = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 -- zone below
    except ValueError:
        return None
    return naive.replace(tzinfo=zone)


def post_datetime(gmt: str, local: str, pub_date: str, zone: tzinfo) -> datetime | None:
    """The GMT date when there is one, else the local date in the site's zone, else pubDate."""
    found = parse_wp_date(gmt, UTC) or parse_wp_date(local, zone)
    if found is None and pub_date:
        try:
            parsed = parsedate_to_datetime(pub_date)
        except (TypeError, ValueError, IndexError):
            return None
        # Drafts carry placeholder pubDates (1970, or year -1).
        if parsed.tzinfo is not None and parsed.year > 1970:
            found = parsed
    return found


def source_of(url: str) -> str:
    """``https://Example.org/blog/`` → ``example.org/blog``: names the exported site."""
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"[:200]


def _slug(value: str, *, max_length: int, fallback: str) -> str:
    slug = slugify(unquote(value))[:max_length].strip("-")
    return slug or fallback


def _short_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:8]


def fingerprint(item: WXRItem, options: ImportOptions) -> str:
    data = asdict(item)
    data.pop("line")
    data.pop("present")
    payload = json.dumps([data, options.signature()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- The two passes ---------------------------------------------------------------


def article_types(options: ImportOptions) -> dict[str, ArticleType]:
    """The site's article types by slug; ValueError if the options name one that is not."""
    types = {t.slug: t for t in ArticleType.objects.all()}
    unknown = {slug for slug in options.category_types.values() if slug not in types}
    if unknown:
        raise ValueError(
            f"no article type {', '.join(sorted(unknown))}; the types are "
            f"{', '.join(sorted(types))}"
        )
    return types


class _Counting:
    """A binary file that tells a progress bar how much has been read."""

    def __init__(self, handle: IO[bytes], bar: tqdm) -> None:
        self.handle, self.bar = handle, bar

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.bar.update(len(data))
        return data


def _missing_tags(item: WXRItem) -> list[str]:
    """Tags WordPress's exporter writes for every post that this one lacks.

    An import needs them (an id to be idempotent, a title, an author, a status,
    a date): a post without them is refused with the whole file, not guessed.
    """
    required = {
        "post_id": "wp:post_id",
        "title": "title",
        "creator": "dc:creator",
        "status": "wp:status",
    }
    missing = [tag for name, tag in required.items() if name not in item.present]
    if not ({"post_date", "post_date_gmt"} & item.present):
        missing.append("wp:post_date")
    return missing


def survey(path: Path, options: ImportOptions) -> Survey:
    """Read the whole file once, writing nothing. Raises WXRError if it cannot be imported."""
    found = Survey()
    with ExitStack() as stack:
        handle = stack.enter_context(path.open("rb"))
        bar = stack.enter_context(
            tqdm(
                total=path.stat().st_size,
                unit="B",
                unit_scale=True,
                desc="Checking",
                disable=not options.progress,
                file=options.progress_file,
                leave=False,
            )
        )
        reader = WXRReader(_Counting(handle, bar))
        for record in reader:
            if isinstance(record, WXRAuthor):
                if record.login:
                    found.authors.setdefault(record.login, record)
            elif isinstance(record, WXRCategory):
                if record.slug:
                    found.categories.setdefault(record.slug, record)
                    if record.term_id is not None:
                        found.category_ids[record.term_id] = record.slug
            elif isinstance(record, WXRItem):
                found.items += 1
                found.comments += len(record.comments)
                if record.post_type == "attachment" and record.post_id is not None:
                    found.attachments[record.post_id] = Attachment(
                        attached_file=record.meta.get("_wp_attached_file", "").strip(),
                        url=record.attachment_url or record.guid,
                        alt=plain_text(record.meta.get("_wp_attachment_image_alt", "")),
                        caption=plain_text(record.excerpt),
                    )
                elif not options.lenient and record.post_type in options.post_types:
                    missing = _missing_tags(record)
                    if missing:
                        raise WXRError(
                            f"post {record.post_id or '(no id)'} lacks {', '.join(missing)}, "
                            "which WordPress always exports: the file was cut or edited by "
                            "hand (--lenient imports such posts anyway, with warnings)",
                            line=record.line,
                        )
        site = reader.site
        found.source = source_of(site.base_site_url or site.base_blog_url or site.link)
        found.warnings = [f"line {line}: {message}" for line, message in reader.warnings]
    return found


def import_export(path: Path, options: ImportOptions) -> ImportSummary:
    """Import one export file. Raises WXRError (nothing written) if the file is unreadable."""
    article_types(options)  # unknown types in the options: refused before reading
    checked = path.stat()
    found = survey(path, options)
    now = path.stat()
    if (now.st_size, now.st_mtime_ns) != (checked.st_size, checked.st_mtime_ns):
        raise WXRError("the file changed while it was being checked; try again")
    importer = _Importer(found, options)
    for warning in found.warnings:
        importer.summary.warn(warning)
    with ExitStack() as stack:
        items_bar = stack.enter_context(
            tqdm(
                total=found.items,
                unit=" items",
                desc="Items",
                disable=not options.progress,
                file=options.progress_file,
                position=0,
            )
        )
        comments_bar = stack.enter_context(
            tqdm(
                total=found.comments,
                unit=" comments",
                desc="Comments",
                disable=not options.progress,
                file=options.progress_file,
                position=1,
            )
        )
        handle = stack.enter_context(path.open("rb"))
        # One full computation of related articles at the end rather than an
        # incremental one per post, each scoring it against every article.
        stack.enter_context(related_updates_paused())
        try:
            for batch in _batches(WXRReader(handle), options.batch_size):
                with transaction.atomic():
                    for item in batch:
                        importer.item(item)
                        items_bar.update(1)
                        comments_bar.update(len(item.comments))
        except WXRError as exc:  # only if the file changed after the survey
            raise WXRError(
                f"{exc.message} (the file changed during the import: the items before this "
                "line were imported; fix the file and run again to complete it)",
                line=exc.line,
            ) from exc
    if importer.summary.changed_articles:
        transaction.on_commit(recompute_related_articles.enqueue)
        importer.summary.related_queued = True
    return importer.summary


def _batches(records: Iterable[Any], size: int) -> Iterator[list[WXRItem]]:
    batch: list[WXRItem] = []
    for record in records:
        if isinstance(record, WXRItem):
            batch.append(record)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


# --- Writing ----------------------------------------------------------------------


#: Cached section keys, author logins and summary counters before a post is written.
_Checkpoint = tuple[set[str], set[str], dict[str, Counter[str]]]


class _Importer:
    #: Summary counters a post adds to while it is written (restored if it fails).
    COUNTERS = ("posts", "comments", "comments_skipped", "created", "images")

    def __init__(self, found: Survey, options: ImportOptions) -> None:
        self.found = found
        self.options = options
        self.source = found.source
        self.summary = ImportSummary()
        self.sections: dict[str, Section] = {}
        self.authors: dict[str, Author] = {}
        self.types = article_types(options)
        self.wp_author_ids = {a.id: a.login for a in found.authors.values() if a.id}

    # Items ----------------------------------------------------------------------

    def item(self, item: WXRItem) -> None:
        where = f"line {item.line}, post {item.post_id or '(no id)'}"
        if item.post_id is None:
            return self._skip_post(item, "no wp:post_id", where)
        if item.post_type not in self.options.post_types:
            reason = NOT_IMPORTED_TYPES.get(item.post_type, "not an article type")
            return self._skip_post(item, f"{item.post_type or 'no post type'} ({reason})")
        if item.status in SKIPPED_STATUSES:
            self._take_down(item)
            return self._skip_post(item, SKIPPED_STATUSES[item.status])
        if item.status not in STATUSES:
            return self._skip_post(item, f"unknown status {item.status!r}", where)
        mapping = (
            WordPressPost.objects.filter(source=self.source, wp_id=item.post_id)
            .select_related("article")
            .first()
        )
        print_ = fingerprint(item, self.options)
        if mapping and mapping.article and mapping.fingerprint == print_ and not self.options.force:
            self.summary.posts["unchanged"] += 1
            self.summary.comments["unchanged"] += len(item.comments)
            return None
        before = self._checkpoint()
        try:
            with transaction.atomic():
                self._write_post(item, mapping, print_, where)
        except (ValidationError, DatabaseError, ValueError, OSError) as exc:
            self._roll_back(before)
            detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self._skip_post(item, "could not be saved", f"{where}: {detail}")
        return None

    def _checkpoint(self) -> _Checkpoint:
        counters = {name: getattr(self.summary, name).copy() for name in self.COUNTERS}
        return set(self.sections), set(self.authors), counters

    def _roll_back(self, before: _Checkpoint) -> None:
        """Forget what a post whose savepoint was rolled back created or counted.

        Its new section or author no longer exists: cached, it would make the
        next post of that category or author fail too ("not a valid choice"),
        and the summary would count it.
        """
        sections, authors, counters = before
        for key in set(self.sections) - sections:
            del self.sections[key]
        for login in set(self.authors) - authors:
            del self.authors[login]
        for name, counter in counters.items():
            setattr(self.summary, name, counter)

    def _take_down(self, item: WXRItem) -> None:
        """A post imported before and trashed since on WordPress is taken off the site."""
        mapping = (
            WordPressPost.objects.filter(source=self.source, wp_id=item.post_id)
            .select_related("article")
            .first()
        )
        if mapping and mapping.article and mapping.article.status != Article.Status.UNPUBLISHED:
            article_unpublish(article=mapping.article)
            self.summary.posts["unpublished (trashed on WordPress)"] += 1

    def _skip_post(self, item: WXRItem, reason: str, warning: str | None = None) -> None:
        self.summary.posts_skipped[reason] += 1
        if item.comments:
            self.summary.comments_skipped["on a skipped post"] += len(item.comments)
        if warning:
            self.summary.warn(f"{warning}: skipped, {reason}")

    def _write_post(
        self, item: WXRItem, mapping: WordPressPost | None, print_: str, where: str
    ) -> None:
        zone = self.options.timezone
        article = mapping.article if mapping and mapping.article else Article()
        is_new = article.pk is None
        was_public = False if is_new else article.is_public
        previous_body = None if is_new else article.body

        title = plain_text(item.title)
        converted = to_body(item.content)
        inline_images = converted.html.lower().count("<img")
        if inline_images:
            # Not copied: they keep their addresses (serve the old uploads folder there).
            self.summary.images["in post text, left at their addresses"] += inline_images
        for name, count in converted.removed_shortcodes.items():
            self.summary.warn(f"{where}: [{name}] removed ×{count} (no equivalent here)")
        for name, count in converted.unknown_shortcodes.items():
            self.summary.warn(f"{where}: unknown shortcode [{name}] left as text ×{count}")

        status = STATUSES[item.status]
        published_at = post_datetime(item.post_date_gmt, item.post_date, item.pub_date, zone)
        if item.post_password and status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
            self.summary.warn(f"{where}: password-protected, imported as not public")
            status = Article.Status.UNPUBLISHED
        if status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED):
            if not title or not plain_text(converted.html):
                self.summary.warn(f"{where}: no {'title' if not title else 'body'}; draft")
                status = Article.Status.DRAFT
            elif published_at is None:
                self.summary.warn(f"{where}: no date in the export; dated at import time")
                published_at = timezone.now()
        if status == Article.Status.DRAFT:
            published_at = None
        if not title:
            title = f"Untitled (WordPress post {item.post_id})"

        wp_slug = unquote(item.post_name).strip()
        categories = self._categories(item)
        article.title = title[:300]
        if is_new or not mapping or mapping.wp_slug != wp_slug:
            article.slug = self._unique_slug(
                _slug(wp_slug or title, max_length=190, fallback=f"post-{item.post_id}"),
                article.pk,
            )
        excerpt = plain_text(item.excerpt)
        if len(excerpt) > 600:
            excerpt = excerpt[:599].rsplit(" ", 1)[0] + "…"
        article.standfirst = excerpt
        article.body = converted.html
        article.section = self._section(categories[0] if categories else None)
        article.article_type = self._article_type(categories)
        article.status = status
        article.published_at = published_at
        article.is_featured = item.is_sticky
        article.comments_mode = (
            Article.CommentsMode.CLOSED
            if item.comment_status == "closed"
            else Article.CommentsMode.OPEN
        )
        hero = self._featured_image(item, where)
        if hero is not None:
            article.hero_image = hero
        article.full_clean()
        article.save()
        modified = post_datetime(item.post_modified_gmt, item.post_modified, "", zone)
        updated_at = (
            modified
            if modified and published_at and (modified - published_at).total_seconds() > 300
            else None
        )
        if article.content_updated_at != updated_at:
            article.content_updated_at = updated_at
            Article.objects.filter(pk=article.pk).update(content_updated_at=updated_at)

        self._byline(article, item, where)
        tags = [self._category_name(term) for term in categories[1:]] + [
            plain_text(term.name)[:100] for term in item.terms if term.domain == "post_tag"
        ]
        tags = [tag for tag in dict.fromkeys(tags) if tag]
        if is_new:
            article.tags.add(*tags)
        elif sorted(article.tags.names()) != sorted(tags):
            article.tags.set(tags)
        article_after_edit(
            article=article, user=None, was_public=was_public, previous_body=previous_body
        )
        local = parse_wp_date(item.post_date, zone) or (
            timezone.localtime(published_at, zone) if published_at else None
        )
        WordPressPost.objects.update_or_create(
            source=self.source,
            wp_id=item.post_id,
            defaults={
                "post_type": item.post_type,
                "wp_slug": wp_slug[:200],
                "published_on": local.date() if isinstance(local, datetime) else None,
                "article": article,
                "fingerprint": print_,
            },
        )
        self.summary.posts["imported" if is_new else "updated"] += 1
        self._comments(article, item)

    def _unique_slug(self, base: str, pk: int | None) -> str:
        candidate, n = base, 1
        while (
            Article.objects.filter(slug=candidate).exclude(pk=pk).exists()
            or ArticleSlugRedirect.objects.filter(old_slug=candidate)
            .exclude(article_id=pk)
            .exists()
        ):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    # Sections, types, tags ----------------------------------------------------

    def _categories(self, item: WXRItem) -> list[Any]:
        """The item's categories, the primary one first."""
        if any(term.domain for term in item.terms):
            categories = [t for t in item.terms if t.domain == "category"]
        else:  # plain RSS: a bare <category> is a category
            categories = list(item.terms)
        unique = list({(t.slug or t.name): t for t in reversed(categories)}.values())[::-1]
        primary_id = item.meta.get("_yoast_wpseo_primary_category", "").strip()
        if primary_id.isdigit():
            primary = self.found.category_ids.get(int(primary_id))
            unique.sort(key=lambda t: t.slug != primary)
        return unique

    def _category_name(self, term: Any) -> str:
        known = self.found.categories.get(term.slug)
        return plain_text(term.name or (known.name if known else "") or term.slug)[:100]

    def _section(self, term: Any) -> Section:
        key = term.slug or term.name if term else ""
        if key in self.sections:
            return self.sections[key]
        if term is None:
            slug = self.options.default_section
            name = slug.replace("-", " ").capitalize()
            description = ""
        else:
            slug = _slug(key, max_length=90, fallback=f"section-{_short_hash(key)}")
            if slug in RESERVED_SECTION_SLUGS:
                slug = f"{slug}-section"
            name = self._category_name(term) or slug
            known = self.found.categories.get(term.slug)
            description = plain_text(known.description) if known else ""
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            if Section.objects.filter(name=name).exists():
                name = f"{name} ({slug})"[:100]
            section = Section(name=name, slug=slug, description=description)
            section.full_clean()
            section.save()
            self.summary.created["sections"] += 1
        self.sections[key] = section
        return section

    def _article_type(self, categories: list[Any]) -> ArticleType:
        for term in categories:
            chosen = self.options.category_types.get(term.slug)
            if chosen:
                return self.types[chosen]
        return self.types["news"]

    # Authors ------------------------------------------------------------------

    def _byline(self, article: Article, item: WXRItem, where: str) -> None:
        login = item.creator.strip()
        if not login:
            self.summary.warn(f"{where}: no author in the export; no byline")
            Byline.objects.filter(article=article).delete()
            return
        author = self._author(login)
        current = list(Byline.objects.filter(article=article).values_list("author_id", flat=True))
        if current != [author.pk]:
            Byline.objects.filter(article=article).delete()
            Byline.objects.create(article=article, author=author, position=0)

    def _author(self, login: str) -> Author:
        if login in self.authors:
            return self.authors[login]
        slug = _slug(login, max_length=150, fallback=f"author-{_short_hash(login)}")
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            known = self.found.authors.get(login)
            full = " ".join(p for p in (known.first_name, known.last_name) if p) if known else ""
            name = plain_text((known.display_name if known else "") or full or login)[:150]
            author = Author(name=name or login[:150], slug=slug)
            author.full_clean()
            author.save()
            self.summary.created["authors"] += 1
        self.authors[login] = author
        return author

    # Featured image -----------------------------------------------------------

    def _featured_image(self, item: WXRItem, where: str) -> Image | None:
        raw = item.meta.get("_thumbnail_id", "").strip()
        if not raw.isdigit():
            return None
        wp_id = int(raw)
        known = WordPressPost.objects.filter(
            source=self.source, wp_id=wp_id, image__isnull=False
        ).first()
        if known:
            return known.image
        attachment = self.found.attachments.get(wp_id)
        if attachment is None:
            self.summary.images["not in the export"] += 1
            self.summary.warn(f"{where}: featured image {wp_id} is not in the export")
            return None
        path = self._local_file(attachment)
        if path is None:
            self.summary.images["not found locally"] += 1
            hint = "" if self.options.media_root else " (give --media-root)"
            self.summary.warn(f"{where}: featured image {attachment.url} not found{hint}")
            return None
        with path.open("rb") as handle:
            image = Image(
                file=File(handle, name=path.name),
                alt_text=attachment.alt[:300],
                caption=attachment.caption[:500],
            )
            try:
                image.full_clean()
            except ValidationError as exc:
                self.summary.images["refused"] += 1
                self.summary.warn(f"{where}: featured image {path.name}: {'; '.join(exc.messages)}")
                return None
            image.save()
        WordPressPost.objects.update_or_create(
            source=self.source,
            wp_id=wp_id,
            defaults={"post_type": "attachment", "image": image},
        )
        self.summary.images["imported"] += 1
        return image

    def _local_file(self, attachment: Attachment) -> Path | None:
        root = self.options.media_root
        if root is None:
            return None
        root = root.resolve()
        url_path = unquote(urlsplit(attachment.url).path)
        candidates = [attachment.attached_file]
        if "/uploads/" in url_path:
            candidates.append(url_path.split("/uploads/", 1)[1])
        candidates.append(url_path.lstrip("/"))
        for candidate in candidates:
            if not candidate:
                continue
            path = (root / candidate.lstrip("/")).resolve()
            # Never read outside the folder we were given (../../etc/passwd).
            if path.is_relative_to(root) and path.is_file():
                return path
        return None

    # Comments -----------------------------------------------------------------

    def _comments(self, article: Article, item: WXRItem) -> None:
        zone = self.options.timezone
        kept: dict[int, WXRComment] = {}
        bodies: dict[int, str] = {}
        parents: dict[int, int] = {}
        for comment in item.comments:
            body = comment_text.from_html(comment.content)
            reason = self._comment_problem(comment, kept, body)
            if reason:
                self.summary.comments_skipped[reason] += 1
                parents.setdefault(comment.id or 0, comment.parent)
                continue
            kept[comment.id] = comment  # type: ignore[index]
            bodies[comment.id] = body  # type: ignore[index]
            parents[comment.id] = comment.parent  # type: ignore[index]
        if not kept:
            return
        existing = dict(
            WordPressComment.objects.filter(
                source=self.source, wp_id__in=list(kept), comment__article=article
            ).values_list("wp_id", "comment_id")
        )
        dates = {
            wp_id: post_datetime(c.date_gmt, c.date, "", zone)
            or article.published_at
            or timezone.now()
            for wp_id, c in kept.items()
        }
        post_author_id = next(
            (id_ for id_, login in self.wp_author_ids.items() if login == item.creator), None
        )

        def answered(wp_id: int) -> int | None:
            """The nearest kept ancestor (skipped ones are stepped over; cycles end it)."""
            seen = {wp_id}
            parent = parents.get(wp_id, 0)
            while parent and parent not in kept:
                if parent in seen:
                    return None
                seen.add(parent)
                parent = parents.get(parent, 0)
            return parent if parent and parent not in seen else None

        order = sorted(kept, key=lambda wp_id: (dates[wp_id], wp_id))
        entries: list[ImportedComment] = []
        index_of: dict[int, int] = {}
        placing: set[int] = set()

        def place(wp_id: int) -> None:
            if wp_id in index_of:
                return
            placing.add(wp_id)
            parent = answered(wp_id)
            if parent is not None and (parent in placing and parent not in index_of):
                parent = None  # a loop of replies: start a thread here
            if parent is not None:
                place(parent)
            entries.append(
                replace(
                    self._entry(kept[wp_id], bodies[wp_id], dates[wp_id], post_author_id),
                    parent=index_of.get(parent) if parent is not None else None,
                    existing_pk=existing.get(wp_id),
                )
            )
            index_of[wp_id] = len(entries) - 1

        for wp_id in order:
            place(wp_id)
        wp_ids = list(index_of)
        saved = comments_import(article=article, comments=entries)
        WordPressComment.objects.bulk_create(
            [
                WordPressComment(source=self.source, wp_id=wp_id, comment=comment)
                for wp_id, comment in zip(wp_ids, saved, strict=True)
                if wp_id not in existing
            ]
        )
        self.summary.comments["updated"] += len(existing)
        self.summary.comments["imported"] += len(saved) - len(existing)

    def _comment_problem(self, comment: WXRComment, kept: dict[int, WXRComment], body: str) -> str:
        if comment.id is None:
            return "no wp:comment_id"
        if comment.id in kept:
            return "duplicate comment id"
        if comment.type not in COMMENT_TYPES:
            return f"{comment.type} (not a reader comment)"
        if comment.approved not in COMMENT_STATUSES:
            return f"unknown status {comment.approved!r}"
        if not body:
            return "empty"
        return ""

    def _entry(
        self, comment: WXRComment, body: str, created_at: datetime, post_author_id: int | None
    ) -> ImportedComment:
        email = comment.author_email[:254]
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        url = comment.author_url
        try:
            _http_url(url)
        except ValidationError:
            url = ""
        if len(url) > 200:
            url = ""
        try:
            ip = str(ipaddress.ip_address(comment.author_ip)) if comment.author_ip else None
        except ValueError:
            ip = None
        if comment.user_id and comment.user_id == post_author_id:
            role = Comment.Role.AUTHOR
        elif comment.user_id and comment.user_id in self.wp_author_ids:
            role = Comment.Role.STAFF
        else:
            role = Comment.Role.READER
        return ImportedComment(
            body=body,
            author_name=plain_text(comment.author)[:80] or "Anonymous",
            author_email=email,
            author_url=url,
            author_role=role,
            status=COMMENT_STATUSES[comment.approved],
            ip_address=ip,
            created_at=created_at,
        )


def describe_error(exc: WXRError, path: Path) -> str:
    where = f"{path}, line {exc.line}" if exc.line else str(path)
    return f"{where}: {exc.message}"
