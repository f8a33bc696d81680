"""The editors' workspace: articles and everything around them."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import IntegerField, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from reversion.admin import VersionAdmin
from taggit.models import Tag

from newsroom.csp import EditorMediaNonceMixin

from . import anchoring, html, services
from .forms import ImageUploadField
from .models import (
    MAX_RELATED_PINS,
    Article,
    ArticleNote,
    ArticleSlugRedirect,
    ArticleType,
    Author,
    Byline,
    Disclaimer,
    Image,
    PassageQuestion,
    PullQuote,
    RecommenderRun,
    RelatedArticle,
    RelatedClick,
    RelatedExclusion,
    RelatedPin,
    RelatedStat,
    Section,
    TranscriptTurn,
)
from .views import related_teasers

PRESENCE_SECONDS = 90
RELATED_STATS_DAYS = 30
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
logger = logging.getLogger(__name__)


class EditorialAdmin(admin.ModelAdmin):
    """Admin for things shown on many pages: a change renews every page's caches."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.editorial_changed()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        services.editorial_changed()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        services.editorial_changed()


@admin.register(Disclaimer)
class DisclaimerAdmin(EditorialAdmin):
    list_display = ["name", "placement"]
    search_fields = ["name", "text"]


@admin.register(Section)
class SectionAdmin(EditorialAdmin):
    list_display = [
        "name",
        "slug",
        "position",
        "comments_close_after_days",
        "comment_premoderation",
    ]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["disclaimers"]
    search_fields = ["name"]

    # Pre-moderation is a moderation rule, not an editorial choice: moderators
    # set it on the moderation rules page, where the change is logged. Here
    # it is only shown.
    readonly_fields = ["comment_premoderation"]


@admin.register(ArticleType)
class ArticleTypeAdmin(EditorialAdmin):
    list_display = ["name", "slug", "label", "schema_type", "is_opinion"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["disclaimers"]
    search_fields = ["name"]


@admin.register(Image)
class ImageAdmin(EditorialAdmin):
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["thumbnail", "width", "height"]

    @admin.display(description="Preview")
    def thumbnail(self, obj: Image) -> str:
        if not obj.pk or not obj.file:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="120" class="nr-thumb">', obj.rendition_url(320)
        )


@admin.register(Author)
class AuthorAdmin(EditorialAdmin):
    list_display = ["name", "job_title", "slug", "user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    autocomplete_fields = ["photo", "user"]
    list_select_related = ["user"]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    min_num = 1
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "byline"


class PullQuoteInline(admin.StackedInline):
    model = PullQuote
    extra = 0


class TranscriptTurnInline(admin.TabularInline):
    model = TranscriptTurn
    extra = 0
    verbose_name_plural = "interview transcript (questions and answers, in order)"
    fields = ["position", "speaker", "is_question", "text"]


class ArticleNoteInline(admin.StackedInline):
    model = ArticleNote
    extra = 0
    verbose_name_plural = "corrections, updates and editor's notes (public log)"


class RelatedTargetFormSet(BaseInlineFormSet):
    """Pins and exclusions: never the article itself."""

    def targets(self) -> list[tuple[forms.Form, Article]]:
        found = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("target") and not data.get("DELETE"):
                found.append((form, data["target"]))
        return found

    def clean(self) -> None:
        super().clean()
        for form, target in self.targets():
            if self.instance.pk and target.pk == self.instance.pk:
                form.add_error("target", "An article cannot be related to itself.")


class RelatedExclusionFormSet(RelatedTargetFormSet):
    def clean(self) -> None:
        super().clean()
        # The pins are another formset of the same form: read what was sent for them.
        prefix = RelatedPinInline.prefix
        pinned = set()
        total = self.data.get(f"{prefix}-TOTAL_FORMS", "0")
        for i in range(min(int(total) if total.isdigit() else 0, MAX_RELATED_PINS + 50)):
            if not self.data.get(f"{prefix}-{i}-DELETE"):
                pinned.add(self.data.get(f"{prefix}-{i}-target"))
        for form, target in self.targets():
            if str(target.pk) in pinned:
                form.add_error(
                    "target", "This article is also pinned: keep it in one of the two lists."
                )


class RelatedPinInline(admin.TabularInline):
    model = RelatedPin
    fk_name = "article"
    prefix = "related_pins"
    formset = RelatedTargetFormSet
    extra = 0
    max_num = MAX_RELATED_PINS
    autocomplete_fields = ["target"]
    fields = ["target", "position"]
    verbose_name = "pinned related article"
    verbose_name_plural = "related articles: pinned (shown first, by position)"


class RelatedExclusionInline(admin.TabularInline):
    model = RelatedExclusion
    fk_name = "article"
    prefix = "related_exclusions"
    formset = RelatedExclusionFormSet
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target"]
    verbose_name = "excluded related article"
    verbose_name_plural = "related articles: never show these"


def _percent(clicks: int, impressions: int) -> str:
    return f"{clicks / impressions:.1%}" if impressions else "—"


def _body_being_saved(article: Article) -> anchoring.BodyText:
    """The anchor text of the body as this save will store it (block ids carried over)."""
    cached = getattr(article, "_admin_anchor_text", None)
    if cached is None:
        stored = (
            Article.objects.filter(pk=article.pk).values_list("body", flat=True).first()
            if article.pk
            else ""
        )
        cached = anchoring.BodyText.of(html.clean_body(article.body, previous=stored or ""))
        article._admin_anchor_text = cached
    return cached


class PassageQuestionForm(forms.ModelForm):
    block_id = forms.ChoiceField(label="Paragraph")

    class Meta:
        model = PassageQuestion
        fields = ["question", "block_id", "exact"]
        widgets = {"exact": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, blocks: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(blocks)
        current = self.instance.block_id if self.instance.pk else ""
        if current and current not in dict(choices):
            choices.append((current, "(a paragraph no longer in the article)"))
        self.fields["block_id"].choices = [("", "Choose the paragraph…"), *choices]

    def clean(self):
        cleaned = super().clean()
        block_id, words = cleaned.get("block_id"), cleaned.get("exact", "")
        article = self.instance.article
        if not block_id or article is None:
            return cleaned
        text = _body_being_saved(article)
        if text.block(block_id) is None:
            self.add_error(
                "block_id", "This paragraph is not in the body you are saving; choose another."
            )
        elif text.describe_block(block_id, words) is None:
            self.add_error(
                "exact",
                "These words are not in the paragraph you chose. Copy them exactly from it, "
                "or leave this empty to ask about the whole paragraph.",
            )
        return cleaned


class PassageQuestionInline(admin.StackedInline):
    model = PassageQuestion
    form = PassageQuestionForm
    extra = 0
    verbose_name = "question on a passage"
    verbose_name_plural = "questions on passages (readers answer with inline feedback)"
    readonly_fields = ["placement"]
    fields = ["question", "block_id", "exact", "placement"]

    @staticmethod
    def block_choices(article: Article | None) -> list[tuple[str, str]]:
        if article is None:
            return []
        text = _body_being_saved(article)
        choices = []
        for number, block in enumerate(text.blocks, start=1):
            words = text.text[block.start : block.end]
            if words:
                label = words if len(words) <= 90 else words[:89] + "…"
                choices.append((block.id, f"¶{number}: {label}"))
        return choices

    def get_max_num(self, request, obj=None, **kwargs):
        # Passages can be chosen once the article has a saved body.
        return 0 if obj is None or obj.pk is None else 50

    @admin.display(description="Where")
    def placement(self, obj: PassageQuestion) -> str:
        if not obj.pk:
            return "—"
        if obj.is_orphaned:
            return "The passage was edited away: readers no longer see this question."
        return format_html("Anchored: “{}”", obj.exact[:200])


class ArticleAdminForm(forms.ModelForm):
    # The version the editor started from: saving over someone else's newer
    # save is refused instead of silently losing their work.
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 -- the admin narrows this to its fieldsets
        error_messages = {
            "slug": {"unique": "Another article already uses this slug. Choose another."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        problems = []
        for name in tags:
            if len(name) > TAG_MAX_LENGTH:
                problems.append(
                    f"“{name[:30]}…” is longer than {TAG_MAX_LENGTH} characters; shorten it."
                )
            elif not slugify(name, allow_unicode=True):
                problems.append(
                    f"“{name}” has no letters or digits to make an address from; reword it."
                )
        if problems:
            raise ValidationError(problems)
        return tags

    def clean(self):
        cleaned = super().clean()
        loaded = self.cleaned_data.get("loaded_version")
        if self.instance.pk and loaded:
            current = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current is not None and current.isoformat() != loaded:
                raise ValidationError(
                    "Someone else saved this article at %(time)s, after you opened it. "
                    "Your changes are still in this form: copy them, reload the page to see "
                    "the other version, and apply them again.",
                    params={"time": timezone.localtime(current).strftime("%H:%M:%S")},
                )
        return cleaned


@admin.register(Article)
class ArticleAdmin(EditorMediaNonceMixin, VersionAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "section",
        "article_type",
        "status_label",
        "published_at",
        "byline",
        "updated_at",
        "related_ctr",
    ]
    list_filter = [
        "status",
        "section",
        "article_type",
        ("authors", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["section", "article_type"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "article_type", "hero_image"]
    filter_horizontal = ["disclaimers"]
    inlines = [
        BylineInline,
        PullQuoteInline,
        TranscriptTurnInline,
        PassageQuestionInline,
        ArticleNoteInline,
        RelatedPinInline,
        RelatedExclusionInline,
    ]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["preview_link", "old_urls", "related_overview"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "section", "article_type", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "is_featured", "preview_link"]}),
        ("Hero image", {"fields": ["hero_image", "hero_caption"]}),
        ("Body", {"fields": ["body"]}),
        ("Disclaimers", {"fields": ["disclaimer_mode", "disclaimers"]}),
        (
            "Comments",
            {
                "fields": ["comments_mode", "comments_close_after_days", "comment_prompt"],
                "classes": ["collapse"],
            },
        ),
        ("Former URLs", {"fields": ["old_urls"], "classes": ["collapse"]}),
        ("Related articles", {"fields": ["related_overview"]}),
        (None, {"fields": ["loaded_version"]}),
    ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PassageQuestionInline):
            kwargs["form_kwargs"] = {"blocks": inline.block_choices(obj)}
        return kwargs

    def get_queryset(self, request):
        since = timezone.localdate() - timedelta(days=RELATED_STATS_DAYS)

        def total(field: str) -> Coalesce:
            stats = (
                RelatedStat.objects.filter(article=OuterRef("pk"), day__gte=since)
                .values("article")
                .annotate(total=Sum(field))
                .values("total")
            )
            return Coalesce(Subquery(stats, output_field=IntegerField()), 0)

        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("authors", queryset=Author.objects.order_by("byline__position"))
            )
            .annotate(related_impressions=total("impressions"), related_clicks=total("clicks"))
        )

    @admin.display(description=f"related CTR ({RELATED_STATS_DAYS} days)")
    def related_ctr(self, obj: Article) -> str:
        impressions = getattr(obj, "related_impressions", 0)
        clicks = getattr(obj, "related_clicks", 0)
        if not impressions:
            return "—"
        return f"{_percent(clicks, impressions)} ({clicks}/{impressions})"

    @admin.display(description="Computed related articles (why related)")
    def related_overview(self, obj: Article) -> str:
        if not obj.pk:
            return "Computed once the article is saved."
        return _related_overview(obj)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Article) -> str:
        if obj.status == Article.Status.SCHEDULED and not obj.is_public:
            return format_html(
                "Scheduled for {}",
                timezone.localtime(obj.published_at).strftime("%d %b %Y %H:%M"),
            )
        return Article.Status(obj.effective_status).label

    @admin.display(description="byline")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description="Preview")
    def preview_link(self, obj: Article) -> str:
        if not obj.pk:
            return "Save the article to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview as readers will see it</a>',
            reverse("articles:preview", args=[obj.pk]),
        )

    @admin.display(description="Former slugs (redirect here)")
    def old_urls(self, obj: Article) -> str:
        slugs = ArticleSlugRedirect.objects.filter(article=obj).values_list("old_slug", flat=True)
        return format_html_join(", ", "{}", ((slug,) for slug in slugs)) or "—"

    # --- saving: validation in the form, side effects through the service ---

    @staticmethod
    def _stored_state(pk) -> dict | None:
        return Article.objects.filter(pk=pk).values("body", "status", "published_at").first()

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        if hasattr(request, "_article_before_revert"):
            previous = request._article_before_revert
        else:
            previous = self._stored_state(obj.pk) if change else None
        obj._edit_previous_body = previous["body"] if previous else None
        obj._edit_was_public = bool(
            previous
            and previous["status"] in {Article.Status.PUBLISHED, Article.Status.SCHEDULED}
            and previous["published_at"] is not None
            and previous["published_at"] <= timezone.now()
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        article: Article = form.instance
        report = services.article_after_edit(
            article=article,
            user=request.user,
            was_public=getattr(article, "_edit_was_public", False),
            previous_body=getattr(article, "_edit_previous_body", None),
        )
        totals = report.totals()
        if totals.get("anchors_total"):
            self.message_user(
                request,
                "Inline feedback: {moved} anchor(s) moved with the text, {orphaned} could not "
                "be found in the new text and are kept with their original quote.".format(
                    moved=totals.get("anchors_moved", 0), orphaned=totals.get("anchors_orphaned", 0)
                ),
                messages.WARNING if totals.get("anchors_orphaned") else messages.INFO,
            )

    # --- restoring a revision (django-reversion) ---------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reversion writes the old version into the row before the change form
        # runs, so save_model would read the restored body as the previous one
        # and inline feedback would never be re-anchored: read it first.
        if request.method == "POST" and object_id.isdigit():
            request._article_before_revert = self._stored_state(int(object_id))
        return super().revision_view(request, object_id, version_id, extra_context)

    # (recover_view needs nothing: a deleted article's feedback went with it.)

    # --- bulk actions -----------------------------------------------------

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish_selected(self, request, queryset) -> None:
        published, refused = 0, []
        for article in queryset.select_related("section"):
            try:
                services.article_publish(article=article, user=request.user)
            except ValidationError as error:
                refused.append(f"“{article.title}”: {' '.join(error.messages)}")
            else:
                published += 1
        if published:
            self.message_user(request, f"Published {published} article(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not published: {line}", messages.ERROR)

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish_selected(self, request, queryset) -> None:
        count = 0
        for article in queryset:
            services.article_unpublish(article=article, user=request.user)
            count += 1
        self.message_user(request, f"Unpublished {count} article(s).", messages.SUCCESS)

    # --- "someone else has this article open" --------------------------------

    def get_urls(self):
        urls = super().get_urls()
        custom = [
            path(
                "<int:pk>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="articles_article_presence",
            )
        ]
        return custom + urls

    def _touch_presence(self, request, pk: int) -> list[str]:
        """Record that this editor has the article open; return the others' names."""
        key = f"article-presence:{pk}"
        now = time.time()
        try:
            present = cache.get(key) or {}
        except Exception:
            present = {}
        present = {
            uid: entry for uid, entry in present.items() if now - entry["seen"] < PRESENCE_SECONDS
        }
        present[str(request.user.pk)] = {
            "name": request.user.get_full_name() or request.user.get_username(),
            "seen": now,
        }
        try:
            cache.set(key, present, PRESENCE_SECONDS * 2)
        except Exception:  # presence is a courtesy; never block editing on it
            logger.warning("cache unavailable for editor presence", exc_info=True)
        return sorted(
            entry["name"] for uid, entry in present.items() if uid != str(request.user.pk)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id and object_id.isdigit():
            others = self._touch_presence(request, int(object_id))
            if others:
                self.message_user(
                    request,
                    "{} also has this article open. Coordinate before saving: the second "
                    "save will be refused.".format(", ".join(others)),
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def presence_view(self, request, pk: int):
        # Called by presence.js every 30 seconds while the change form is open.
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return JsonResponse({"others": self._touch_presence(request, pk)})

    class Media:
        js = ["articles/admin/presence.js"]


def _related_overview(article: Article) -> str:
    """The stored list with each score's parts, what readers see, and the block's audience."""
    rows = list(
        RelatedArticle.objects.filter(article=article)
        .select_related("target__section", "target__article_type")
        .order_by("-score", "target_id")
    )
    shown = {a.pk for a in related_teasers(article)}
    excluded = set(
        RelatedExclusion.objects.filter(article=article).values_list("target", flat=True)
    )
    pinned = set(RelatedPin.objects.filter(article=article).values_list("target", flat=True))
    since = timezone.localdate() - timedelta(days=RELATED_STATS_DAYS)
    clicks = dict(
        RelatedClick.objects.filter(article=article, day__gte=since)
        .values("target")
        .annotate(total=Sum("clicks"))
        .values_list("target", "total")
    )
    recent = RelatedStat.objects.filter(article=article, day__gte=since).aggregate(
        impressions=Sum("impressions"), clicks=Sum("clicks")
    )
    impressions, total_clicks = recent["impressions"] or 0, recent["clicks"] or 0
    run = (
        RecommenderRun.objects.filter(stage=RecommenderRun.Stage.DONE)
        .order_by("-finished_at")
        .only("min_score", "finished_at")
        .first()
    )

    # Small sites have no topic space (see recommendations.MIN_TOPICS).
    topics = any(row.parts.get("topics") for row in rows)

    def status(target: Article) -> str:
        if target.pk in excluded:
            return "excluded"
        if not target.is_public:
            return "not public"
        if target.pk in pinned:
            return "pinned"
        return "shown" if target.pk in shown else "below the others"

    def percent(value: float) -> str:
        return f"{value:.0%}"

    table = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a><br><small>{} · {}</small></td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                reverse("admin:articles_article_change", args=[row.target_id]),
                row.target.title,
                row.target.section.name,
                row.target.article_type.name,
                status(row.target),
                f"{row.score:.3f}",
                percent(row.parts.get("keywords", 0)),
                percent(row.parts["topics"]) if topics else "—",
                percent(row.parts.get("tags", 0)),
                "yes" if row.parts.get("section") else "no",
                f"×{row.parts.get('decay', 1):.2f} ({row.parts.get('days', 0):.0f} d)",
                clicks.get(row.target_id, 0),
            )
            for row in rows
        ),
    )
    summary = format_html(
        "<p>Last {} days: the block was seen {} times, its teasers were clicked {} times: "
        "click-through rate {}.</p>",
        RELATED_STATS_DAYS,
        impressions,
        total_clicks,
        _percent(total_clicks, impressions),
    )
    if not rows:
        return format_html(
            "{}<p>No computed related articles{}. They are computed in the background after "
            "each save; an article whose best candidates all score under the minimum shows "
            "only its pinned articles.</p>",
            summary,
            format_html(" (minimum score {:.3f})", run.min_score) if run else "",
        )
    return format_html(
        "{}<p>Computed {}; minimum score {}. Score = text (the mean of keywords and topics) "
        "× (1 + section weight if same section) + tags × tag weight, times the time decay "
        "(see articles/recommendations.py).</p>"
        '<table class="nr-related"><thead><tr><th>Article</th><th>Status</th><th>Score</th>'
        "<th>Keywords</th><th>Topics</th><th>Tags</th><th>Same section</th><th>Decay</th>"
        "<th>Clicks ({} d)</th></tr></thead><tbody>{}</tbody></table>",
        summary,
        timezone.localtime(max(r.computed_at for r in rows)).strftime("%d %b %Y %H:%M"),
        f"{run.min_score:.3f}" if run else "—",
        RELATED_STATS_DAYS,
        table,
    )
