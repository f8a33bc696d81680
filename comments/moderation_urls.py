"""The moderation workspace, under /moderation/ (see comments/moderation_views.py)."""

from django.urls import path

from . import moderation_views as views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="home"),
    path("act/", views.act, name="act"),
    path("comments/<int:pk>/", views.comment_detail, name="comment"),
    path("bans/", views.ban_list, name="bans"),
    path("bans/new/", views.ban_new, name="ban_new"),
    path("bans/<int:pk>/lift/", views.ban_lift, name="ban_lift"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("sections/<int:pk>/premoderation/", views.section_premoderation, name="premoderation"),
    path("log/", views.log, name="log"),
    path("<slug:queue>/", views.queue, name="queue"),
]
