"""Votes, edits and deletions by readers, through HTTP."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentRevision, Vote
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

POST_URL = "/comments/post/"


def vote(client, comment, value, **extra):
    return client.post(
        f"/comments/{comment.pk}/vote/", {"value": value}, HTTP_ACCEPT="application/json", **extra
    )


@pytest.mark.django_db
def test_reader_votes_changes_the_vote_and_withdraws_it(client):
    comment = make_comment(ArticleFactory())
    client.force_login(UserFactory())

    assert vote(client, comment, 1).json() == {
        "ok": True, "id": comment.pk, "up": 1, "down": 0, "score": 1, "mine": 1,
    }  # fmt: skip
    assert vote(client, comment, -1).json()["down"] == 1
    assert vote(client, comment, -1).json()["score"] == -1
    assert vote(client, comment, 0).json()["score"] == 0
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_guests_vote_once_per_browser_and_once_per_client(client):
    comment = make_comment(ArticleFactory())

    assert vote(client, comment, 1).json()["up"] == 1
    assert vote(client, comment, 1).json()["up"] == 1
    fresh_cookies = Client()
    refused = vote(fresh_cookies, comment, 1)

    assert refused.status_code == 400
    assert "already been cast" in refused.json()["error"]
    assert vote(Client(), comment, 1, HTTP_USER_AGENT="Another browser").json()["up"] == 2


@pytest.mark.django_db
def test_votes_are_refused_on_comments_that_are_not_published(client):
    comment = make_comment(ArticleFactory(), status=Comment.Status.PENDING)
    assert vote(client, comment, 1).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_never_double_count():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; this race needs PostgreSQL")
    comment = make_comment(ArticleFactory())
    voters = [f"u:{n}" for n in range(8)] + ["u:same"] * 6
    barrier = threading.Barrier(len(voters))
    errors = []

    def cast(voter):
        try:
            barrier.wait()
            services.comment_vote(comment=comment, voter=voter, value=1)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=cast, args=(v,)) for v in voters]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    comment.refresh_from_db()
    assert errors == []
    assert comment.upvotes == 9 == Vote.objects.filter(comment=comment).count()


@pytest.mark.django_db
def test_author_edits_within_the_window_and_the_old_text_is_kept_for_moderators(client, post_data):
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="Teh first version"))
    comment = Comment.objects.get()

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "The first version"})

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.body == "The first version" and comment.edited_at
    assert CommentRevision.objects.get(comment=comment).body == "Teh first version"
    assert "(edited)" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_earlier_texts_are_shown_to_moderators_and_never_to_readers(client, post_data):
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="Teh first verison, with typos"))
    comment = Comment.objects.get()
    client.post(f"/comments/{comment.pk}/edit/", {"body": "The first version, corrected"})
    staff = Client()
    staff.force_login(moderator())

    record = staff.get(f"/moderation/comments/{comment.pk}/").content.decode()
    admin = staff.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    public = [
        Client().get(article.get_absolute_url()).content.decode(),
        Client().get(f"/comments/thread/{comment.pk}/").content.decode(),
        client.get(article.get_absolute_url()).content.decode(),  # its author's browser too
        json.dumps(client.get(f"/session.json?article={article.pk}").json()),
    ]

    assert "Earlier texts" in record and "Teh first verison, with typos" in record
    assert "The first version, corrected" in record
    assert "earlier versions (edits by the author)" in admin.lower()
    assert "Teh first verison, with typos" in admin
    for html in public:
        assert "Teh first verison" not in html
    assert "The first version, corrected" in public[0] and "(edited)" in public[0]


@pytest.mark.django_db
def test_editing_is_refused_after_the_window_and_once_someone_replied(client, post_data):
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="Original words"))
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))

    late = client.post(f"/comments/{comment.pk}/edit/", {"body": "Changed words"})
    assert late.status_code == 400 and "that time is over" in late.content.decode()
    assert "Changed words" in late.content.decode()

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now())
    make_comment(article, parent=comment, body="A reply")
    replied = client.post(f"/comments/{comment.pk}/edit/", {"body": "Changed words"})
    assert replied.status_code == 400 and "Someone has replied" in replied.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Original words"


@pytest.mark.django_db
def test_editing_is_refused_once_someone_replied_below_the_nesting_limit(
    client, post_data, settings
):
    # Two levels: a reply to a reply nests beside it and names it in in_reply_to.
    settings.NEWSROOM_COMMENT_MAX_DEPTH = 2
    article = ArticleFactory()
    top = make_comment(article, body="The top of the thread")
    client.post(POST_URL, post_data(article, parent=top.pk, body="My reply, at the limit"))
    mine = Comment.objects.get(body="My reply, at the limit")
    answer = make_comment(article, parent=mine, body="An answer to that reply")
    assert (answer.parent_id, answer.in_reply_to_id) == (top.pk, mine.pk)

    state = client.get(f"/session.json?article={article.pk}").json()["comments"]
    form = client.get(f"/comments/{mine.pk}/edit/")
    refused = client.post(f"/comments/{mine.pk}/edit/", {"body": "Quietly rewritten"})

    assert state["editable"] == [] and state["deletable"] == [mine.pk]
    assert "can no longer be edited" in form.content.decode()
    assert refused.status_code == 400 and "Someone has replied" in refused.content.decode()
    mine.refresh_from_db()
    assert mine.body == "My reply, at the limit"


@pytest.mark.django_db
def test_nobody_else_can_edit_or_delete_a_comment(client, post_data):
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="Mine"))
    comment = Comment.objects.get()
    stranger = Client()

    assert stranger.post(f"/comments/{comment.pk}/edit/", {"body": "Hijacked"}).status_code == 404
    assert stranger.post(f"/comments/{comment.pk}/delete/").status_code == 404
    stranger.force_login(UserFactory())
    assert stranger.post(f"/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Mine" and comment.status == Comment.Status.APPROVED


@pytest.mark.django_db
def test_deleted_comment_shows_as_removed_and_keeps_its_replies(client, post_data):
    article = ArticleFactory()
    client.force_login(UserFactory())
    client.post(POST_URL, post_data(article, body="Regrettable words", name=None, email=None))
    comment = Comment.objects.get()
    make_comment(article, parent=comment, body="A reply that stays")

    assert client.get(f"/comments/{comment.pk}/delete/").status_code == 200
    response = client.post(f"/comments/{comment.pk}/delete/")

    html = Client().get(article.get_absolute_url()).content.decode()
    assert response.status_code == 302
    assert "Regrettable words" not in html
    assert "Comment removed" in html and "A reply that stays" in html
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REMOVED


@pytest.mark.django_db
def test_deleted_comment_without_replies_disappears(client, post_data):
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="Gone soon"))
    comment = Comment.objects.get()
    client.post(f"/comments/{comment.pk}/delete/")
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Gone soon" not in html and "Comment removed" not in html


# --- Without JavaScript: the reader's own comments on a private page ------------------


def own_page(client, article):
    response = client.get(f"/comments/article/{article.pk}/mine/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    return response.content.decode()


@pytest.mark.django_db
def test_guest_edits_and_deletes_own_comments_without_javascript(client, post_data):
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="Frist draft of my view"))
    client.post(POST_URL, post_data(article, body="A second thought"))
    first, second = Comment.objects.order_by("pk")
    make_comment(article, parent=second, body="Someone answered")
    link = f'href="/comments/article/{article.pk}/mine/"'
    # The way there is on the cached page, the same for every reader.
    assert link in Client().get(article.get_absolute_url()).content.decode()

    html = own_page(client, article)

    assert "Frist draft of my view" in html and "A second thought" in html
    assert "Someone answered" not in html
    assert f'href="/comments/{first.pk}/edit/"' in html
    assert f'href="/comments/{second.pk}/edit/"' not in html  # it has a reply
    assert f'href="/comments/{first.pk}/delete/"' in html
    assert f'href="/comments/{second.pk}/delete/"' in html

    edited = client.post(f"/comments/{first.pk}/edit/", {"body": "First draft of my view"})
    deleted = client.post(f"/comments/{second.pk}/delete/")

    assert edited.status_code == deleted.status_code == 302
    html = own_page(client, article)
    assert "First draft of my view" in html and "(edited)" in html
    assert "A second thought" not in html
    assert Comment.objects.get(pk=second.pk).status == Comment.Status.REMOVED


@pytest.mark.django_db
def test_signed_in_reader_sees_their_own_comments_held_ones_included(client, post_data, settings):
    article = ArticleFactory()
    client.force_login(UserFactory())
    client.post(POST_URL, post_data(article, body="Published words", name=None, email=None))
    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    client.post(POST_URL, post_data(article, body="Held words", name=None, email=None))
    make_comment(article, body="Another reader's words")
    published, held = Comment.objects.filter(user__isnull=False).order_by("pk")

    html = own_page(client, article)

    assert "Published words" in html and "Held words" in html
    assert "Awaiting moderation" in html
    assert "Another reader's words" not in html
    for comment in (published, held):
        assert f'href="/comments/{comment.pk}/edit/"' in html
        assert f'href="/comments/{comment.pk}/delete/"' in html


@pytest.mark.django_db
def test_another_reader_sees_none_of_someone_elses_comments(client, post_data):
    article = ArticleFactory()
    client.post(POST_URL, post_data(article, body="A guest's comment"))
    signed_in = Client()
    signed_in.force_login(UserFactory())
    signed_in.post(POST_URL, post_data(article, body="A member's comment", name=None, email=None))

    for reader_client in (Client(), signed_in, client):
        html = own_page(reader_client, article)
        assert ("A guest's comment" in html) is (reader_client is client)
        assert ("A member's comment" in html) is (reader_client is signed_in)
    other = Client()
    other.force_login(UserFactory())
    html = own_page(other, article)
    assert "You have no comments on this article." in html
    assert "/edit/" not in html and "/delete/" not in html


@pytest.mark.django_db
def test_own_comments_page_query_count_does_not_grow_with_comments(client, post_data, settings):
    settings.NEWSROOM_COMMENT_POST_RATE = "100/m"
    client.force_login(UserFactory())

    def queries(comments: int) -> int:
        article = ArticleFactory()
        for n in range(comments):
            client.post(POST_URL, post_data(article, body=f"Mine {n}", name=None, email=None))
        own_page(client, article)  # the site navigation is cached from then on
        with CaptureQueriesContext(connection) as captured:
            html = own_page(client, article)
        assert html.count("/delete/") == comments
        return len(captured)

    assert queries(1) == queries(4)
