from django.urls import path

from . import views

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
    path("article/<int:article_pk>/passage/", views.passage_threads, name="passage_threads"),
]
