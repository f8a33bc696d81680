"""Site-wide pages that belong to no app: robots.txt, the news sitemap, errors."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_GET

from articles.sitemaps import SITEMAPS, news_sitemap_articles

from .http import NOT_FOUND_S_MAXAGE, mark_private, mark_public, public_page


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


CONFIRM_TEXT_FIELDS = {"body", "note"}
NEVER_ECHOED = {"csrfmiddlewaretoken"}


def _same_origin(request) -> bool:
    """Did this POST come from one of our own pages (Origin, else Referer)?"""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    host = urlsplit(source).netloc
    return bool(host) and host == request.get_host()


def csrf_failure(request, reason=""):
    """A CSRF failure that is probably a reader on a cached page, not an attack.

    Reader pages carry no token (they are shared by everyone); the page's
    script adds one. If the reader posted before that, or without JavaScript,
    we show their submission back with a fresh token and ask them to confirm,
    instead of losing what they wrote. Only for our own pages (same origin)
    and only for the endpoints listed in ``NEWSROOM_CSRF_CONFIRMABLE``.
    """
    try:
        match = resolve(request.path_info)
        view_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    except Resolver404:
        view_name = ""
    if (
        request.method == "POST"
        and view_name in settings.NEWSROOM_CSRF_CONFIRMABLE
        and _same_origin(request)
    ):
        fields = [
            (name, value)
            for name, value in request.POST.items()
            if name not in NEVER_ECHOED and name not in CONFIRM_TEXT_FIELDS
        ]
        texts = [
            (name, request.POST.get(name, ""))
            for name in CONFIRM_TEXT_FIELDS
            if name in request.POST
        ]
        if "ts" in request.POST or view_name == "comments:post":
            from comments.forms import new_timestamp

            fields = [(n, v) for n, v in fields if n != "ts"] + [("ts", new_timestamp())]
        response = render(
            request,
            "csrf_confirm.html",
            {"action": request.path, "fields": fields, "texts": texts},
            status=403,
        )
        return mark_private(response)
    return mark_private(
        render(
            request,
            "403.html",
            {
                "exception": "This form was sent from somewhere we could not verify. Go back, "
                "reload the page and try again."
            },
            status=403,
        )
    )


def page_not_found(request, exception=None):
    """The friendly 404, cacheable for a few seconds only (it may be an article
    scheduled to appear)."""
    response = render(request, "404.html", status=404)
    return mark_public(response, s_maxage=NOT_FOUND_S_MAXAGE)


def server_error(request):
    # Rendered without context processors: the database may be what failed.
    return render(request, "500.html", status=500)
