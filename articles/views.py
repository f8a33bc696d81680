"""Reader pages. Every page here is the same for every reader and publicly cacheable."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Q, When
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited
from taggit.models import Tag

from newsroom import cache
from newsroom.clientip import client_ip
from newsroom.http import PublicPageMixin, mark_private, not_modified, page_etag
from newsroom.prepared import PreparedQuery, RowLoader

from . import clicks, services
from .models import Article, ArticleSlugRedirect, Author, Section

LATEST_PER_SECTION = 4
#: The home page ranks this many newest articles; a section with none of them is left off.
HOME_CANDIDATES = 400


class ListingCacheMixin(PublicPageMixin):
    """Listings change by themselves when a scheduled article goes live.

    No edit happens at that moment, so nothing purges the shared caches: the
    listing tells them to keep it no longer than until the next scheduled
    publication.
    """

    def get_s_maxage(self) -> int | None:
        upcoming = Article.objects.next_publication()  # one indexed MIN()
        default = settings.NEWSROOM_PUBLIC_S_MAXAGE
        if upcoming is None:
            return default
        seconds = int((upcoming - timezone.now()).total_seconds()) + 1
        return max(0, min(default, seconds))


class HomeView(ListingCacheMixin, TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        published = Article.objects.published(at=now).for_listing()
        # Only the newest articles compete for the lead and the section blocks:
        # the ranking then sorts a few hundred rows, not the whole archive.
        recent = (
            Article.objects.published(at=now)
            .order_by("-published_at", "-pk")
            .values("pk")[:HOME_CANDIDATES]
        )
        # The lead: the newest featured story of the last two days, else the newest.
        lead = (
            published.filter(pk__in=recent)
            .annotate(
                lead_rank=Case(
                    When(Q(is_featured=True, published_at__gte=now - timedelta(days=2)), then=0),
                    default=1,
                    output_field=IntegerField(),
                )
            )
            .order_by("lead_rank", "-published_at", "-pk")
            .first()
        )
        latest = list(
            published.filter(pk__in=recent)
            .exclude(pk=getattr(lead, "pk", None))
            .annotate(
                section_rank=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(section_rank__lte=LATEST_PER_SECTION)
        )
        by_section: dict[int, list[Article]] = {}
        for article in latest:
            by_section.setdefault(article.section_id, []).append(article)
        sections = [article.section for article in latest]
        ordered_sections = sorted(
            {s.pk: s for s in sections}.values(), key=lambda s: (s.position, s.name)
        )
        context.update(
            lead=lead,
            section_blocks=[(section, by_section[section.pk]) for section in ordered_sections],
        )
        return context


class ArticleListView(ListingCacheMixin, ListView):
    """Base for paginated listings of published articles."""

    paginate_by = settings.NEWSROOM_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class SectionView(ArticleListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, current_section=self.section, **kwargs
        )


class TagView(ArticleListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(ArticleListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.select_related("photo"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class SearchView(ArticleListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:200]
        if not self.query:
            return Article.objects.none()
        return (
            super()
            .get_queryset()
            .filter(Q(title__icontains=self.query) | Q(standfirst__icontains=self.query))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


# The article an article page shows, found by its slug: run on every view of
# every article, so compiled once (building and compiling the query was a
# quarter of a page served from the fragment caches).
PAGE_ARTICLE_ROW = RowLoader(Article, "section", "article_type", "hero_image")
PAGE_ARTICLE = PreparedQuery(
    lambda slug, now: (
        Article.objects.published(at=now)
        .filter(slug=slug)
        .values_list(*PAGE_ARTICLE_ROW.columns)[:1]
    )
)

# The related block's candidates in order (pinned, then by score), public or not
# yet: a few dozen ids at most, since only the best computed ones are stored.
RELATED_CANDIDATES = PreparedQuery(
    lambda article_id: Article.objects.related_to(article_id).values_list("pk", "pin_position")
)


def related_teasers(article: Article, *, count: int | None = None) -> list[Article]:
    """The related block: every public pinned article, in the editor's order, then the
    best computed ones (``articles.recommendations``) up to ``count`` teasers.

    Two queries, the same as ``published().related_to(article)`` in one: the
    candidates' ids (compiled once, see ``newsroom.prepared``), then those of
    them that are public now, with what a teaser shows.
    """
    if count is None:
        count = settings.NEWSROOM_RELATED.get("COUNT", 5)
    candidates = RELATED_CANDIDATES(article_id=article.pk)
    if not candidates:
        return []
    public = (
        Article.objects.published()
        .filter(pk__in=[pk for pk, _pin in candidates])
        .select_related("section", "article_type", "hero_image")
        .defer("body", "body_html")
        .in_bulk()
    )
    shown: list[Article] = []
    for pk, pin_position in candidates:
        candidate = public.get(pk)
        if candidate is not None and (pin_position is not None or len(shown) < count):
            candidate.pin_position = pin_position
            shown.append(candidate)
    return shown


def _detail_queryset():
    return Article.objects.for_detail().prefetch_related(
        "disclaimers", "section__disclaimers", "article_type__disclaimers"
    )


class ArticleDetailView(PublicPageMixin, DetailView):
    """The article page, built to be cheap when nothing changed.

    One query finds the article. Everything else on the page is cached by
    version (``newsroom.cache``): the article's own parts, its related
    articles and its discussion each have a version that changes when they
    change. From those versions comes an ETag, so a reader's browser or a
    shared cache that already holds this version gets a 304 without the page
    being built at all; otherwise the page is assembled from cached fragments,
    and only the parts that changed are rendered again.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        found = PAGE_ARTICLE(slug=slug, now=timezone.now())
        article = PAGE_ARTICLE_ROW.load(found[0]) if found else None
        if article is None:
            # A former slug answers with a permanent redirect to the current URL.
            redirect = (
                ArticleSlugRedirect.objects.filter(old_slug=slug)
                .select_related("article__section")
                .first()
            )
            if redirect and redirect.article.is_public:
                return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
            raise Http404("No such article")
        if article.section.slug != kwargs["section"]:
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        etag = fragment_version = related_version = None
        versions = cache.get_versions(
            cache.EDITORIAL,
            cache.article_version_name(article.pk),
            cache.discussion_version_name(article.pk),
            cache.related_version_name(article.pk),
        )
        if versions is not None:
            editorial, own, _discussion, _related = versions.split("-")
            etag = page_etag(
                article.pk, article.updated_at.timestamp(), versions, article.comments_open
            )
            if response := not_modified(request, etag):
                return response
            fragment_version = page_etag(
                article.pk, article.updated_at.timestamp(), editorial, own
            ).strip('"')
            related_version = page_etag(article.pk, editorial, _related).strip('"')
        self.object = article
        context = self.get_context_data(
            object=article,
            fragment_version=fragment_version,
            related_version=related_version,
            # Queried only if the related block is not in the cache already.
            related_articles=SimpleLazyObject(lambda: related_teasers(article)),
        )
        response = self.render_to_response(context)
        if etag:
            response["ETag"] = etag
        return response


def article_preview(request, pk: int):
    """Staff-only preview of any article, exactly as readers will see it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_staff and request.user.has_perm("articles.view_article")):
        raise PermissionDenied
    article = get_object_or_404(_detail_queryset(), pk=pk)
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "is_preview": True, "related_articles": related_teasers(article)},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return mark_private(response)


def _client_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value and len(value) < 20 else None
    except ValueError:
        return None


@require_POST
def related_event(request: HttpRequest) -> HttpResponse:
    """Count a view of an article's related block, or a click on one of its teasers.

    Sent in the background by static/js/related.js; keeps no personal data in the
    database (the cache keeps a keyed hash of the client address for a day at most).
    Why it works this way, and how it resists inflation: ``articles/clicks.py``.
    Answers 204 whether or not this report was counted (repeats are not).
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return mark_private(HttpResponseForbidden("Cross-site reports are not counted."))
    kind = request.POST.get("kind")
    article_id = _int(request.POST.get("article"))
    target_id = _int(request.POST.get("target"))
    if kind not in {"impression", "click"} or article_id is None:
        return mark_private(HttpResponseBadRequest("Expected kind=impression|click and article."))
    if kind == "click" and target_id is None:
        return mark_private(HttpResponseBadRequest("A click needs its target article."))
    if is_ratelimited(
        request,
        group="articles.related_event",
        key=_client_key,
        rate=settings.NEWSROOM_RELATED_CLICK_RATE,
        increment=True,
    ):
        return mark_private(HttpResponse("Too many reports; try again later.", status=429))
    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return mark_private(HttpResponseBadRequest("No such public article."))
    client = _client_key("", request)
    if kind == "impression":
        if clicks.first_time(client, "impression", article.pk, window=clicks.IMPRESSION_WINDOW):
            services.related_impression_record(article=article)
        return mark_private(HttpResponse(status=204))
    target = Article.objects.published().related_to(article).filter(pk=target_id).first()
    if target is None:
        return mark_private(HttpResponseBadRequest("That article is not offered under this one."))
    if clicks.first_time(client, "click", article.pk, target.pk, window=clicks.CLICK_WINDOW):
        services.related_click_record(article=article, target=target)
    return mark_private(HttpResponse(status=204))
