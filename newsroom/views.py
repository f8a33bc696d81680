"""Site-wide pages that belong to no app: robots.txt, the news sitemap, errors."""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from articles.sitemaps import SITEMAPS, news_sitemap_articles

from .http import public_page


@require_GET
@public_page
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": f"{settings.NEWSROOM_SITE_URL}/sitemap.xml"},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@public_page
def site_sitemap(request):
    return sitemap(request, sitemaps=SITEMAPS)


@require_GET
@public_page
def news_sitemap(request):
    return render(
        request,
        "news_sitemap.xml",
        {"articles": news_sitemap_articles(), "language": settings.LANGUAGE_CODE[:2]},
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@public_page
def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the admin).
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def server_error(request):
    # Rendered without context processors: the database may be what failed.
    return render(request, "500.html", status=500)
