"""Who may moderate, and what readers may never see, checked through HTTP."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.shortcuts import resolve_url
from django.test import Client

from articles.models import Article
from comments import services
from comments.models import Comment, ModerationAction
from tests.factories import (
    ArticleFactory,
    UserFactory,
    editor,
    make_comment,
    moderator,
)

pytestmark = pytest.mark.django_db

WORKSPACE_PAGES = [
    "/moderation/",
    "/moderation/pending/",
    "/moderation/reported/",
    "/moderation/bans/",
    "/moderation/bans/new/",
    "/moderation/rules/",
    "/moderation/log/",
]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", WORKSPACE_PAGES)
def test_strangers_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize("url", WORKSPACE_PAGES)
def test_readers_and_editors_cannot_open_the_workspace(url):
    for user in (UserFactory(), editor()):
        assert logged_in(user).get(url).status_code == 403


def test_editors_cannot_moderate_even_by_posting_directly():
    comment = make_comment(ArticleFactory(), status=Comment.Status.PENDING)
    as_editor = logged_in(editor())

    responses = [
        as_editor.post("/moderation/act/", {"do": f"approve:{comment.pk}"}),
        as_editor.post("/moderation/act/", {"bulk": "spam", "ids": [comment.pk]}),
        as_editor.post("/moderation/bans/new/", {"kind": "email", "email": "x@example.com"}),
        as_editor.post("/moderation/rules/", {"phrase": "idiot", "kind": "banned"}),
        as_editor.post(
            "/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]}
        ),
    ]

    assert all(response.status_code == 403 for response in responses), [
        r.status_code for r in responses
    ]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert (
        not ModerationAction.objects.exclude(action="auto").filter(moderator__isnull=False).exists()
    )


def test_an_editor_who_is_also_a_moderator_can_moderate():
    both = editor()
    both.groups.add(Group.objects.get(name="Moderators"))
    comment = make_comment(ArticleFactory(), status=Comment.Status.PENDING)
    client = logged_in(both)

    assert client.get("/moderation/pending/").status_code == 200
    client.post("/moderation/act/", {"do": f"approve:{comment.pk}"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_moderators_can_read_articles_in_the_admin_but_not_change_or_add_them():
    article = ArticleFactory(title="Untouchable")
    client = logged_in(moderator())
    change_url = f"/admin/articles/article/{article.pk}/change/"

    view = client.get(change_url)
    edit = client.post(change_url, {"title": "Defaced", "slug": article.slug})
    add = client.get("/admin/articles/article/add/")
    delete = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})

    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
    assert (edit.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    article.refresh_from_db()
    assert article.title == "Untouchable"


def test_closing_comments_is_the_only_article_change_a_moderator_can_make():
    article = ArticleFactory()
    comment = make_comment(article)
    client = logged_in(moderator())

    client.post("/moderation/act/", {"do": f"close:{comment.pk}"})

    article.refresh_from_db()
    assert article.comments_mode == Article.CommentsMode.CLOSED
    assert (
        logged_in(editor()).post("/moderation/act/", {"do": f"open:{comment.pk}"}).status_code
        == 403
    )


def test_readers_never_see_someone_elses_held_rejected_or_spam_comment(post_data, settings):
    article = ArticleFactory()
    make_comment(article, body="Published words")
    author = Client()
    bodies = {
        "pending": "Secret pending words",
        "rejected": "Secret rejected words",
        "spam": "Secret spam words",
    }
    for status, body in bodies.items():
        author.post("/comments/post/", post_data(article, body=body))
        comment = Comment.objects.get(body=body)
        Comment.objects.filter(pk=comment.pk).update(status=status)
    hidden = Comment.objects.exclude(status="approved")
    root = Comment.objects.get(body="Published words")

    stranger, signed_in = Client(), logged_in(UserFactory())
    for reader in (stranger, signed_in):
        pages = [
            reader.get(article.get_absolute_url()),
            reader.get(f"/comments/article/{article.pk}/?page=1"),
            reader.get(f"/comments/thread/{root.pk}/"),
            reader.get(f"/session.json?article={article.pk}"),
            reader.get(article.section.get_absolute_url()),
            reader.get("/"),
            reader.get("/feeds/rss/"),
            reader.get("/feeds/atom/"),
            reader.get(f"/feeds/section/{article.section.slug}/rss/"),
        ]
        for response in pages:
            text = response.content.decode()
            assert not any(body in text for body in bodies.values()), response.request["PATH_INFO"]
        html = pages[0].content.decode()
        assert 'Comments <span class="comments-count">(1)</span>' in html
        for comment in hidden:
            assert reader.get(f"/comments/{comment.pk}/").status_code == 404
            assert reader.get(f"/comments/{comment.pk}/report/").status_code == 404
            assert reader.get(f"/comments/{comment.pk}/edit/").status_code == 404
    # The author sees their own: pending and spam as awaiting moderation, the
    # rejected one with its reason.
    own = author.get(f"/session.json?article={article.pk}").json()["comments"]
    assert {item["id"] for item in own["pending"]} == set(
        hidden.filter(status__in=["pending", "spam"]).values_list("pk", flat=True)
    )
    assert [item["id"] for item in own["declined"]] == [hidden.get(status="rejected").pk]
    spam_item = next(i for i in own["pending"] if i["id"] == hidden.get(status="spam").pk)
    assert "Awaiting moderation" in spam_item["html"]


# --- The way in: the masthead's account menu ------------------------------------------------


def session_account(client) -> dict:
    return json.loads(client.get("/session.json").content)["account"]


def test_moderators_see_moderation_with_the_number_waiting_and_the_admin_in_the_masthead(
    django_assert_num_queries,
):
    article = ArticleFactory()
    for n in range(2):
        make_comment(article, body=f"Held {n}", status=Comment.Status.PENDING)
    make_comment(article, body="Published")
    client = logged_in(moderator(username="maria"))
    client.get("/session.json")  # the session's first request saves it

    # session, user, profile, permissions (the user's and their groups'), the count
    with django_assert_num_queries(6):
        account = session_account(client)

    assert account["staff_links"] == [
        {
            "name": "moderation",
            "label": "Moderation",
            "url": "/moderation/",
            "count": 2,
            "count_text": "2",
        }
    ]
    assert account["admin_url"] == "/admin/"
    # Private pages render the same menu on the server.
    html = client.get("/accounts/").content.decode()
    nav = re.search(r'<nav class="account-nav".*?</nav>', html, re.S).group(0)
    assert '<a href="/moderation/" data-staff-link="moderation">Moderation' in nav
    assert '<span class="account-nav-count">2</span>' in nav and 'href="/admin/"' in nav


def test_a_long_queue_shows_as_more_than_the_cap(monkeypatch):
    from accounts import pages

    monkeypatch.setattr(pages, "COUNT_CAP", 2)
    article = ArticleFactory()
    for n in range(4):
        make_comment(article, body=f"Held {n}", status=Comment.Status.PENDING)

    link = session_account(logged_in(moderator()))["staff_links"][0]

    assert (link["count"], link["count_text"]) == (3, "2+")


def test_an_empty_queue_shows_moderation_without_a_number():
    link = session_account(logged_in(moderator()))["staff_links"][0]
    assert (link["label"], link["count"], link["count_text"]) == ("Moderation", 0, "")


def test_editors_see_the_admin_but_not_moderation_and_readers_see_neither():
    make_comment(ArticleFactory(), status=Comment.Status.PENDING)
    editors_view = session_account(logged_in(editor()))
    readers_view = session_account(logged_in(UserFactory()))

    assert editors_view["staff_links"] == [] and editors_view["admin_url"] == "/admin/"
    assert "staff_links" not in readers_view and "admin_url" not in readers_view
    html = logged_in(editor()).get("/accounts/").content.decode()
    assert "data-staff-link" not in html and 'href="/admin/"' in html


def test_staff_without_any_permission_get_no_admin_link_and_non_staff_moderators_no_way_in():
    bare_staff = UserFactory(is_staff=True)
    assert "admin_url" not in session_account(logged_in(bare_staff))
    assert session_account(logged_in(bare_staff))["staff_links"] == []

    # The moderation permission without a staff account: staff sessions and
    # two-factor sign-in would not apply, so the workspace stays closed.
    not_staff = UserFactory(groups=["Moderators"])
    client = logged_in(not_staff)
    assert client.get("/moderation/pending/").status_code == 403
    account = session_account(client)
    assert "staff_links" not in account and "admin_url" not in account


def test_a_comment_held_after_reports_shows_readers_only_a_placeholder_above_its_replies():
    """Readers' reports hold a published comment that already has replies: the
    replies stay, but nobody but its author sees who wrote it or what it said."""
    article = ArticleFactory()
    held = make_comment(article, body="Reported words", author_name="Reported Person")
    make_comment(article, parent=held, body="A reply that stays", author_name="Replier")
    for number in range(settings.NEWSROOM_COMMENT_REPORTS_TO_HOLD):
        services.comment_report(
            comment=held, reporter=f"g:reader-{number}", client=f"c{number}", reason="abuse"
        )
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING and held.descendant_count == 1

    for reader in (Client(), logged_in(UserFactory())):
        for url in (
            article.get_absolute_url(),
            f"/comments/article/{article.pk}/?page=1",
            f"/comments/thread/{held.pk}/",
        ):
            text = reader.get(url).content.decode()
            assert "A reply that stays" in text, url
            assert "Reported words" not in text and "Reported Person" not in text, url
            assert "held for review" in text, url
