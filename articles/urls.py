from django.urls import path, register_converter

from . import views
from .feeds import AuthorFeed, LatestFeed, SectionFeed, TagFeed, atom

app_name = "articles"


class UnicodeSlugConverter:
    """Slugs in any script: tags such as “مرحبا” or “élections” get unicode slugs."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")

# Fixed prefixes first; the section and article patterns catch what is left.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("api/related/event/", views.related_event, name="related_event"),
    path("feeds/rss/", LatestFeed(), name="feed_rss"),
    path("feeds/atom/", atom(LatestFeed)(), name="feed_atom"),
    path("feeds/section/<slug:slug>/rss/", SectionFeed(), name="section_feed_rss"),
    path("feeds/section/<slug:slug>/atom/", atom(SectionFeed)(), name="section_feed_atom"),
    path("feeds/tag/<uslug:slug>/rss/", TagFeed(), name="tag_feed_rss"),
    path("feeds/tag/<uslug:slug>/atom/", atom(TagFeed)(), name="tag_feed_atom"),
    path("feeds/author/<slug:slug>/rss/", AuthorFeed(), name="author_feed_rss"),
    path("feeds/author/<slug:slug>/atom/", atom(AuthorFeed)(), name="author_feed_atom"),
    path("tag/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
