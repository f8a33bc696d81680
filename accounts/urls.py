from django.urls import path, re_path

from . import avatars, views

app_name = "accounts"

# Included at the site root, before allauth's own "accounts/" URLs.
urlpatterns = [
    path("accounts/", views.account_home, name="home"),
    path("accounts/profile/", views.profile_edit, name="profile"),
    path("accounts/data/", views.data_download, name="data"),
    path("accounts/delete/", views.account_delete, name="delete"),
    path("accounts/deleted/", views.account_deleted, name="deleted"),
    path("readers/<str:public_id>/", views.ReaderDetailView.as_view(), name="reader"),
    re_path(rf"^avatars/(?P<seed>{avatars.SEED_PATTERN})\.svg$", views.avatar, name="avatar"),
]
