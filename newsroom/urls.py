from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from . import media, session, views

# The admin has no login page of its own: staff sign in through allauth, where
# rate limits and two-factor authentication apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.site_sitemap, name="sitemap"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Answered only in development or with NEWSROOM_SERVE_MEDIA=1 (see newsroom/media.py).
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media.serve_media, name="media"),
    path("session.json", session.session_state, name="session_state"),
    path("comments/", include("comments.urls")),
    path("moderation/", include("comments.moderation_urls")),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("articles.urls")),
]

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
