"""The editorial model: sections, authors, article types, disclaimers, images, articles.

An article is public when its status is published or scheduled and its
publication time has come (``Article.objects.published()``): a scheduled
article goes live by the passing of time alone, with no cron job.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from . import anchoring, html
from .images import make_renditions, validate_image_file

#: Slugs a section may not take, because they are the site's own URL prefixes.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin", "accounts", "api", "author", "authors", "comments", "feeds", "media",
        "moderation", "preview", "search", "section", "sitemap.xml", "static", "tag",
        "tags", "robots.txt", "news-sitemap.xml", "healthz", "me", "readers", "avatars",
    }
)  # fmt: skip

EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "ListItem": True,
    "OrderedList": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    "Figure": True,
    "Caption": True,
    "NodeClass": {"options": {"paragraph": ["editors-note"], "blockquote": ["editors-note"]}},
    "History": True,
    "HTML": True,
    "SpecialCharacters": True,
}


def validate_section_slug(value: str) -> None:
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by the site itself; choose another slug.",
            params={"slug": value},
        )


class Disclaimer(models.Model):
    """A reusable notice shown with articles, e.g. the opinion-column disclaimer."""

    class Placement(models.TextChoices):
        ABOVE = "above", "Above the body"
        BELOW = "below", "Below the body"
        BOTH = "both", "Above and below the body"

    name = models.CharField(max_length=100, unique=True, help_text="For editors only.")
    text = models.TextField(help_text="Shown to readers. Links and emphasis are allowed.")
    placement = models.CharField(max_length=5, choices=Placement, default=Placement.BOTH)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.text = html.clean_light(self.text)
        super().save(*args, **kwargs)

    @property
    def shows_above(self) -> bool:
        return self.placement in {self.Placement.ABOVE, self.Placement.BOTH}

    @property
    def shows_below(self) -> bool:
        return self.placement in {self.Placement.BELOW, self.Placement.BOTH}


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, validators=[validate_section_slug])
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the navigation.")
    disclaimers = models.ManyToManyField(
        Disclaimer,
        blank=True,
        related_name="sections",
        help_text="Shown by default on every article of this section.",
    )
    comments_close_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Default for this section's articles: close comments this many days after "
        "publication. Empty: never.",
    )
    comment_prompt = models.CharField(
        max_length=200, blank=True, help_text="Replaces the site's “What do you think?”."
    )
    comment_premoderation = models.CharField(
        max_length=10,
        choices=[
            ("", "Site default"),
            ("none", "None: comments appear at once"),
            ("first_time", "First-time commenters are checked first"),
            ("all", "Every comment is checked first"),
        ],
        blank=True,
        default="",
        verbose_name="comment pre-moderation",
        help_text="Overrides the site's pre-moderation setting for this section's articles.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})


class ArticleType(models.Model):
    """News, opinion, analysis, interview… A first-class, editor-managed kind of article."""

    class SchemaType(models.TextChoices):
        NEWS = "NewsArticle", "NewsArticle"
        OPINION = "OpinionNewsArticle", "OpinionNewsArticle"
        ANALYSIS = "AnalysisNewsArticle", "AnalysisNewsArticle"
        REPORTAGE = "ReportageNewsArticle", "ReportageNewsArticle"
        REVIEW = "ReviewNewsArticle", "ReviewNewsArticle"
        BACKGROUND = "BackgroundNewsArticle", "BackgroundNewsArticle"

    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    label = models.CharField(
        max_length=50, blank=True, help_text="Label shown above headlines; empty for none."
    )
    schema_type = models.CharField(max_length=40, choices=SchemaType, default=SchemaType.NEWS)
    is_opinion = models.BooleanField(
        default=False, help_text="Opinion pieces are kept apart from news in recommendations."
    )
    disclaimers = models.ManyToManyField(
        Disclaimer,
        blank=True,
        related_name="article_types",
        help_text="Shown by default on every article of this type.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="Describe the image for readers who cannot see it. Empty only if decorative.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    renditions = models.JSONField(default=list, editable=False, blank=True)
    rendition_source = models.CharField(max_length=255, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.alt_text or self.caption or self.file.name

    @transaction.atomic
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Renditions are derived from the file like a cached column: made once,
        # when the file changes, never while a page is served.
        if self.file and self.rendition_source != self.file.name:
            try:
                self.renditions = make_renditions(
                    self.file.name,
                    key=str(self.pk),
                    previous=[rendition["name"] for rendition in self.renditions],
                )
            except Exception:
                # The row is rolled back (atomic): do not leave its new file
                # behind in media/ with nothing pointing to it.
                self.file.storage.delete(self.file.name)
                raise
            self.rendition_source = self.file.name
            super().save(update_fields=["renditions", "rendition_source"])

    def rendition_url(self, width: int) -> str:
        """URL of the smallest rendition at least ``width`` wide (or the largest)."""
        from django.core.files.storage import default_storage

        if not self.renditions:
            return self.file.url
        chosen = self.renditions[-1]
        for rendition in self.renditions:
            if rendition["width"] >= width:
                chosen = rendition
                break
        return default_storage.url(chosen["name"])

    def display_size(self, width: int) -> tuple[int, int]:
        """Width and height to give an ``<img>`` at most ``width`` wide.

        From the largest rendition, which is upright: a photo taken sideways
        (EXIF orientation) has its width and height swapped compared to the file.
        """
        if self.renditions:
            largest = self.renditions[-1]
            shown = min(width, largest["width"])
            return shown, max(1, round(largest["height"] * shown / largest["width"]))
        if self.width and self.height:
            shown = min(width, self.width)
            return shown, max(1, round(self.height * shown / self.width))
        return width, 0

    @property
    def large_url(self) -> str:
        """The rendition for sharing (Open Graph, JSON-LD): 1280 wide or the largest."""
        return self.rendition_url(1280)

    @property
    def srcset(self) -> str:
        from django.core.files.storage import default_storage

        return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in self.renditions)


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    job_title = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(Image, null=True, blank=True, on_delete=models.SET_NULL)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The site account of this author, if any (marks their comments).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None) -> ArticleQuerySet:
        """Articles readers may see: published or scheduled, and due."""
        moment = at or timezone.now()
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__lte=moment,
        )

    def upcoming(self) -> ArticleQuerySet:
        """Scheduled articles whose time has not come yet."""
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__gt=timezone.now(),
        )

    def next_publication(self):
        """When the next scheduled article goes live (None if none is scheduled)."""
        return self.upcoming().aggregate(next=models.Min("published_at"))["next"]

    def for_listing(self) -> ArticleQuerySet:
        """Everything a teaser shows, in a fixed number of queries."""
        return (
            self.select_related("section", "article_type", "hero_image")
            .prefetch_related(
                Prefetch("authors", queryset=Author.objects.order_by("byline__position"))
            )
            .defer("body", "body_html")
            .order_by("-published_at", "-pk")
        )

    def related_to(self, article: Article | int) -> ArticleQuerySet:
        """The related block's candidates for ``article``: pinned first, in the editor's
        order, then computed ones by score; never excluded ones or the article itself.

        One query with what a related teaser shows. Combine with ``published()`` so
        that an article that is not public at render time never appears, whatever
        was stored when it was computed.
        """
        article_id = article if isinstance(article, int) else article.pk
        pins = RelatedPin.objects.filter(article_id=article_id, target=OuterRef("pk"))
        computed = RelatedArticle.objects.filter(article_id=article_id, target=OuterRef("pk"))
        return (
            self.filter(
                Q(pk__in=RelatedPin.objects.filter(article_id=article_id).values("target"))
                | Q(pk__in=RelatedArticle.objects.filter(article_id=article_id).values("target"))
            )
            .exclude(pk=article_id)
            .exclude(pk__in=RelatedExclusion.objects.filter(article_id=article_id).values("target"))
            .annotate(
                pin_position=Subquery(pins.values("position")[:1]),
                related_score=Subquery(computed.values("score")[:1]),
            )
            .select_related("section", "article_type", "hero_image")
            .defer("body", "body_html")
            .order_by(
                F("pin_position").asc(nulls_last=True),
                F("related_score").desc(nulls_last=True),
                "-published_at",
                "-pk",
            )
        )

    def for_detail(self) -> ArticleQuerySet:
        """Everything the article page shows, in a fixed number of queries."""
        return self.select_related("section", "article_type", "hero_image").prefetch_related(
            Prefetch(
                "authors",
                queryset=Author.objects.select_related("photo").order_by("byline__position"),
            ),
            "tags",
            "notes",
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class CommentsMode(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed (existing comments stay visible)"
        DISABLED = "disabled", "Disabled (no comments area)"

    class DisclaimerMode(models.TextChoices):
        DEFAULT = "default", "Use the section's and type's disclaimers"
        CUSTOM = "custom", "Use only the disclaimers chosen below"
        NONE = "none", "No disclaimer"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(600)],
        help_text="One or two sentences under the headline.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    article_type = models.ForeignKey(
        ArticleType, on_delete=models.PROTECT, related_name="articles", verbose_name="type"
    )
    authors = models.ManyToManyField(
        Author, through="Byline", related_name="articles", verbose_name="byline"
    )
    tags = TaggableManager(blank=True)
    hero_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_caption = models.CharField(
        max_length=500, blank=True, help_text="Empty: the image's own caption."
    )
    body = ProseEditorField(config={"extensions": EDITOR_EXTENSIONS}, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    disclaimer_mode = models.CharField(
        max_length=10, choices=DisclaimerMode, default=DisclaimerMode.DEFAULT
    )
    disclaimers = models.ManyToManyField(
        Disclaimer, blank=True, related_name="articles", verbose_name="own disclaimers"
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Publication time. In the future, the article is scheduled and goes live "
        "by itself. Empty when publishing: now.",
    )
    content_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_featured = models.BooleanField(
        default=False, help_text="Prefer this article as the home page's lead story."
    )
    comments_mode = models.CharField(
        max_length=10, choices=CommentsMode, default=CommentsMode.OPEN, verbose_name="comments"
    )
    comments_close_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Close comments this many days after publication. Empty: the section's default.",
    )
    comment_prompt = models.CharField(
        max_length=200, blank=True, help_text="Replaces the section's or site's prompt."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_pub"),
            models.Index(fields=["section", "status", "published_at"], name="article_section_pub"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "unpublished"]) | Q(published_at__isnull=False),
                name="article_live_has_published_at",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._loaded_slug = self.slug if self.pk else None

    def save(self, *args, **kwargs) -> None:
        now = timezone.now()
        self._settle_publication(now)
        previous_body = ""
        if self.pk:
            previous = (
                Article.objects.filter(pk=self.pk)
                .values("body", "title", "standfirst", "status", "published_at")
                .first()
            )
            if previous:
                previous_body = previous["body"]
                content_changed = (
                    previous["body"] != self.body
                    or previous["title"] != self.title
                    or previous["standfirst"] != self.standfirst
                )
                was_live = (
                    previous["status"] in {self.Status.PUBLISHED, self.Status.SCHEDULED}
                    and previous["published_at"] is not None
                    and previous["published_at"] <= now - timedelta(minutes=5)
                )
                if content_changed and was_live:
                    self.content_updated_at = now
        self.body = html.clean_body(self.body, previous=previous_body)
        self.body_html = self.compose_body()
        super().save(*args, **kwargs)
        if self._loaded_slug and self._loaded_slug != self.slug:
            ArticleSlugRedirect.objects.update_or_create(
                old_slug=self._loaded_slug, defaults={"article": self}
            )
            ArticleSlugRedirect.objects.filter(old_slug=self.slug).delete()
        self._loaded_slug = self.slug

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"section": self.section.slug, "slug": self.slug})

    def clean(self) -> None:
        # Before the constraints are validated: "publish" with no time means now.
        self._settle_publication(timezone.now())
        errors: dict[str, list[str]] = {}
        going_live = self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}
        if going_live and html.body_is_empty(self.body):
            errors.setdefault("body", []).append(
                "An article needs a body before it can be published or scheduled."
            )
        if going_live and not (self.title or "").strip():
            errors.setdefault("title", []).append("An article needs a headline to go live.")
        if self.slug:
            clash = ArticleSlugRedirect.objects.filter(old_slug=self.slug)
            if self.pk:
                clash = clash.exclude(article_id=self.pk)
            if clash.exists():
                errors.setdefault("slug", []).append(
                    "This slug was used by another article and still redirects to it; "
                    "choose another."
                )
        if errors:
            raise ValidationError(errors)

    def _settle_publication(self, now) -> None:
        """Going live with no time means now; a future time makes it a schedule."""
        if self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}:
            if self.published_at is None:
                self.published_at = now
            # The stored status says what readers see: a future time is a schedule.
            self.status = (
                self.Status.SCHEDULED if self.published_at > now else self.Status.PUBLISHED
            )

    def compose_body(self) -> str:
        """The rendered body: clean body + pull quotes + transcript (see ``articles.html``)."""
        if not self.pk:
            return html.compose(self.body)
        return html.compose(
            self.body,
            pull_quotes=[
                html.PullQuoteSpec(q.text, q.attribution, q.after_paragraph)
                for q in self.pull_quotes.all()
            ],
            transcript=[
                html.TranscriptTurnSpec(t.pk, t.speaker, t.is_question, t.text)
                for t in self.transcript_turns.all()
            ],
        )

    @property
    def is_public(self) -> bool:
        return (
            self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def effective_status(self) -> str:
        """What readers experience now: a scheduled article whose time came is published."""
        if self.status == self.Status.SCHEDULED and self.is_public:
            return self.Status.PUBLISHED
        return self.status

    @cached_property
    def byline_authors(self) -> list[Author]:
        """The byline's authors in their order (from the prefetch when there is one)."""
        if "authors" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.authors.all())
        return list(self.authors.order_by("byline__position", "byline__pk"))

    @cached_property
    def sorted_tags(self) -> list:
        """The article's tags in alphabetical order (from the prefetch when there is one)."""
        return sorted(self.tags.all(), key=lambda tag: tag.name.casefold())

    @cached_property
    def shown_disclaimers(self) -> list[Disclaimer]:
        """Disclaimers for this article, in a stable order, without duplicates.

        Uses prefetched relations when the view loaded them (see ``for_detail``).
        """
        if self.disclaimer_mode == self.DisclaimerMode.NONE:
            return []
        if self.disclaimer_mode == self.DisclaimerMode.CUSTOM:
            chosen = list(self.disclaimers.all())
        elif "disclaimers" in getattr(self.article_type, "_prefetched_objects_cache", {}):
            chosen = list(self.article_type.disclaimers.all()) + list(
                self.section.disclaimers.all()
            )
        else:
            # One query for both defaults: the type's disclaimers first, then the section's.
            from_type = Q(article_types=self.article_type_id)
            chosen = list(
                Disclaimer.objects.filter(from_type | Q(sections=self.section_id))
                .annotate(
                    rank=models.Case(
                        models.When(from_type, then=0),
                        default=1,
                        output_field=models.IntegerField(),
                    )
                )
                .order_by("rank", "name", "pk")
            )
        seen: set[int] = set()
        unique = []
        for disclaimer in chosen:
            if disclaimer.pk not in seen:
                seen.add(disclaimer.pk)
                unique.append(disclaimer)
        return unique

    @property
    def disclaimers_above(self) -> list[Disclaimer]:
        return [d for d in self.shown_disclaimers if d.shows_above]

    @property
    def disclaimers_below(self) -> list[Disclaimer]:
        return [d for d in self.shown_disclaimers if d.shows_below]

    @property
    def shows_type_label(self) -> bool:
        """A label such as "Opinion", unless the section already says so."""
        label = self.article_type.label
        return bool(label) and label.casefold() != self.section.name.casefold()

    @property
    def shown_caption(self) -> str:
        if self.hero_caption:
            return self.hero_caption
        return self.hero_image.caption if self.hero_image else ""

    @property
    def comments_close_at(self):
        """When comments close by themselves, or None."""
        days = self.comments_close_after_days
        if days is None:
            days = self.section.comments_close_after_days
        if days is None or self.published_at is None:
            return None
        return self.published_at + timedelta(days=days)

    @property
    def comments_enabled(self) -> bool:
        return self.comments_mode != self.CommentsMode.DISABLED

    @property
    def comments_open(self) -> bool:
        """New comments are accepted: open, not past the automatic close, and public."""
        if self.comments_mode != self.CommentsMode.OPEN or not self.is_public:
            return False
        closes = self.comments_close_at
        return closes is None or timezone.now() < closes

    @property
    def effective_comment_prompt(self) -> str:
        return (
            self.comment_prompt
            or self.section.comment_prompt
            or getattr(settings, "NEWSROOM_COMMENT_PROMPT", "What do you think?")
        )


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="byline")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class PullQuote(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pull_quotes")
    text = models.TextField(max_length=500)
    attribution = models.CharField(max_length=200, blank=True)
    after_paragraph = models.PositiveSmallIntegerField(
        default=2, help_text="Place the quote after this paragraph (0: before the first)."
    )

    class Meta:
        ordering = ["after_paragraph", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class TranscriptTurn(models.Model):
    """One speaker's turn in an interview transcript."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transcript_turns")
    position = models.PositiveSmallIntegerField(default=0)
    speaker = models.CharField(max_length=100)
    is_question = models.BooleanField(
        default=False, help_text="Ticked for the interviewer's questions."
    )
    text = models.TextField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:40]}"


class ArticleNote(models.Model):
    """A public, dated entry of an article's corrections and updates log."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor's note"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    noted_at = models.DateTimeField(default=timezone.now, verbose_name="date")
    text = models.TextField()

    class Meta:
        ordering = ["noted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.article}"

    def save(self, *args, **kwargs) -> None:
        self.text = html.clean_light(self.text)
        super().save(*args, **kwargs)


class PassageQuestion(models.Model):
    """An editor's question on a passage of the body ("Do you agree with this?").

    Readers answer it with inline feedback on that passage. The passage is
    anchored like reader feedback (``articles.anchoring``): the editor picks a
    paragraph and, optionally, the words in it; the selectors are worked out on
    save and re-resolved whenever the body is edited.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passage_questions")
    question = models.CharField(max_length=200, help_text="E.g. “Do you agree with this?”")
    block_id = models.CharField(max_length=20, verbose_name="paragraph")
    exact = models.TextField(
        blank=True,
        max_length=anchoring.MAX_QUOTE_LENGTH,
        verbose_name="passage",
        help_text="Copy the words from the paragraph. Empty: the whole paragraph.",
    )
    prefix = models.CharField(max_length=64, blank=True, editable=False)
    suffix = models.CharField(max_length=64, blank=True, editable=False)
    start = models.PositiveIntegerField(null=True, editable=False)
    end = models.PositiveIntegerField(null=True, editable=False)
    end_block_id = models.CharField(max_length=20, blank=True, editable=False)
    is_orphaned = models.BooleanField(
        default=False,
        editable=False,
        help_text="The passage was edited away; readers no longer see the question.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.question

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._located_from = (self.block_id, self.exact) if self.pk else None

    def save(self, *args, **kwargs) -> None:
        # What the editor chose (paragraph, words) becomes selectors once, when
        # it is chosen; later body edits move them (``questions_reanchor``).
        if self._located_from != (self.block_id, self.exact) or self.start is None:
            self.locate(anchoring.BodyText.of(self.article.body))
        super().save(*args, **kwargs)
        self._located_from = (self.block_id, self.exact)

    def locate(self, text: anchoring.BodyText) -> bool:
        """Set the selectors from the chosen paragraph and words; False if not found."""
        passage = text.describe_block(self.block_id, self.exact)
        if passage is None:
            self.is_orphaned = True
            return False
        self.apply(passage)
        return True

    def apply(self, passage: anchoring.Passage) -> None:
        self.exact, self.prefix, self.suffix = passage.exact, passage.prefix, passage.suffix
        self.start, self.end = passage.start, passage.end
        self.block_id, self.end_block_id = passage.block_id, passage.end_block_id
        self.is_orphaned = False

    @property
    def selector(self) -> anchoring.Selector:
        return anchoring.Selector(self.exact, self.prefix, self.suffix, self.start, self.end)


class ArticleSlugRedirect(models.Model):
    """An article's former slug: its old URL answers with a permanent redirect."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.article_id}"


# --- Related articles (see articles/recommendations.py) -----------------------------


#: Editors may pin at most this many related articles under one article.
MAX_RELATED_PINS = 10


class RelatedPin(models.Model):
    """An article an editor wants shown first under another, in this order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_pins")
    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name="pinned article"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "pinned related article"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="related_pin_unique"),
            models.CheckConstraint(
                condition=~Q(article=models.F("target")), name="related_pin_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} pinned under {self.article_id}"


class RelatedExclusion(models.Model):
    """An article an editor never wants recommended under another."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_exclusions"
    )
    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name="excluded article"
    )

    class Meta:
        verbose_name = "excluded related article"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="related_exclusion_unique"),
            models.CheckConstraint(
                condition=~Q(article=models.F("target")), name="related_exclusion_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} excluded under {self.article_id}"


class RelatedArticle(models.Model):
    """A computed recommendation, with the parts of its score (the editors' "why related")."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_computed")
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    parts = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-score", "target"]
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="related_article_unique"),
        ]
        indexes = [models.Index(fields=["article", "-score"], name="related_article_rank")]

    def __str__(self) -> str:
        return f"{self.target_id} under {self.article_id} ({self.score:.3f})"


class RecommenderRun(models.Model):
    """One fit of the text model, and the progress of the full recomputation that made it.

    The fitted state (IDF weights, LSA projection, calibrated minimum score) is
    what lets one article be scored against all the others later without
    refitting (see ``recommendations.update_article``).
    """

    class Stage(models.TextChoices):
        FIT = "fit", "Fitting the text model"
        VECTORS = "vectors", "Vectorising articles"
        CALIBRATE = "calibrate", "Calibrating the minimum score"
        NEIGHBOURS = "neighbours", "Computing related articles"
        DONE = "done", "Done"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=12, choices=Stage, default=Stage.FIT)
    cursor = models.BigIntegerField(
        default=0, help_text="Last article id done in the current stage (for resuming)."
    )
    articles = models.PositiveIntegerField(default=0, help_text="Articles the model was fitted on.")
    params = models.JSONField(default=dict)
    state = models.BinaryField(default=bytes, editable=False)
    min_score = models.FloatField(default=0.0)

    class Meta:
        get_latest_by = "started_at"
        verbose_name = "related-articles computation"

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_stage_display()})"


class ArticleVector(models.Model):
    """An article's text, as the fitted model sees it: keyword weights and topic coordinates."""

    run = models.ForeignKey(RecommenderRun, on_delete=models.CASCADE, related_name="vectors")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    keywords = models.BinaryField()
    topics = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "article"], name="article_vector_unique"),
        ]

    def __str__(self) -> str:
        return f"Vector of {self.article_id} in run {self.run_id}"


class RelatedStat(models.Model):
    """A day of a related block's audience: views of the block and clicks on its teasers.

    Anonymous counts only; see ``articles/clicks.py`` for what is (not) stored.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_stats")
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="related_stat_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.clicks}/{self.impressions}"


class RelatedClick(models.Model):
    """A day of clicks from one article's related block to one teaser."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target", "day"], name="related_click_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}→{self.target_id} on {self.day}: {self.clicks}"
