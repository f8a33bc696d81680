from django.urls import path

from . import subscription_views, views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/report/", views.report, name="report"),
    path("thread/<int:pk>/", views.thread, name="thread"),
    path("article/<int:article_pk>/", views.article_page, name="article_page"),
    path("article/<int:article_pk>/mine/", views.own_comments, name="mine"),
    # Following discussions (comments/subscription_views.py)
    path("subscribe/", subscription_views.subscribe, name="subscribe"),
    path("subscriptions/", subscription_views.subscriptions_home, name="subscriptions"),
    path(
        "subscriptions/confirm/<str:token>/",
        subscription_views.subscription_confirm,
        name="subscription_confirm",
    ),
    path(
        "subscriptions/manage/<str:token>/",
        subscription_views.subscriptions_manage,
        name="subscriptions_manage",
    ),
    path("subscriptions/mute/<str:token>/", subscription_views.mute, name="mute"),
    path("unsubscribe/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
    path("article/<int:article_pk>/passage/", views.passage_threads, name="passage_threads"),
]
