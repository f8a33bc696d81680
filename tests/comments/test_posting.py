"""Posting, replying and the article page's discussion, through HTTP."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, bulk_comments, make_comment

pytestmark = pytest.mark.django_db
POST_URL = "/comments/post/"


def article_html(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_article_page_invites_comments_with_prompt_count_and_form(client):
    article = ArticleFactory()
    make_comment(article, body="First!")

    html = article_html(client, article)

    assert "What do you think?" in html
    assert 'Comments <span class="comments-count">(1)</span>' in html
    assert 'action="/comments/post/"' in html
    assert "First!" in html


def test_prompt_can_be_set_per_section_and_per_article(client):
    article = ArticleFactory()
    article.section.comment_prompt = "Tell us what you saw"
    article.section.save()
    assert "Tell us what you saw" in article_html(client, article)
    article.comment_prompt = "Were you affected?"
    article.save()
    assert "Were you affected?" in article_html(client, article)


def test_guest_posts_without_javascript_and_lands_on_the_new_comment(client, post_data):
    article = ArticleFactory()

    response = client.post(POST_URL, post_data(article))

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{comment.pk}/"
    assert comment.author_name == "Ines Park" and comment.status == Comment.Status.APPROVED
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"].endswith(f"?sort=oldest#comment-{comment.pk}")
    html = client.get(landing["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "ines@example.com" not in html


def test_guest_posts_with_javascript_and_gets_the_rendered_comment(client, post_data):
    article = ArticleFactory()

    response = client.post(POST_URL, post_data(article), HTTP_ACCEPT="application/json")

    data = response.json()
    assert response.status_code == 201 and data["ok"]
    assert f'id="comment-{data["id"]}"' in data["html"]
    assert "the numbers quoted are right" in data["html"]
    assert response.cookies["nr_client"]["httponly"]
    assert "no-store" in response["Cache-Control"]


def test_signed_in_reader_posts_as_themselves(client, post_data):
    article = ArticleFactory()
    user = UserFactory(username="tomas", first_name="Tomás", last_name="Reyes")
    client.force_login(user)

    client.post(POST_URL, post_data(article, name=None, email=None))

    comment = Comment.objects.get()
    assert comment.user == user and comment.author_name == "Tomás Reyes"
    assert comment.author_email == user.email


def test_comments_by_the_articles_author_and_by_staff_carry_a_badge(client):
    author_user = UserFactory()
    article = ArticleFactory(authors=[AuthorFactory(user=author_user)])
    make_comment(article, user=author_user, body="Author here.")
    make_comment(article, user=UserFactory(is_staff=True), body="Staff here.")

    html = article_html(client, article)

    assert '<span class="badge badge-author">Author</span>' in html
    assert '<span class="badge badge-staff">Staff</span>' in html


def test_replies_nest_three_levels_and_deeper_ones_attach_at_the_limit(client, post_data, settings):
    settings.NEWSROOM_COMMENT_MAX_DEPTH = 3
    article = ArticleFactory()
    top = make_comment(article, body="Level one", author_name="Ana")
    second = make_comment(article, parent=top, body="Level two", author_name="Ben")
    third = make_comment(article, parent=second, body="Level three", author_name="Cai")

    client.post(POST_URL, post_data(article, parent=third.pk, body="Level four?"))

    deep = Comment.objects.get(body="Level four?")
    assert (third.depth, deep.depth) == (2, 2)
    assert deep.parent == second and deep.in_reply_to == third and deep.thread_id == top.pk
    html = article_html(client, article)
    assert html.index("Level one") < html.index("Level two") < html.index("Level three")
    assert html.index("Level three") < html.index("Level four?")
    assert f'Replying to <a href="#comment-{third.pk}">Cai</a>' in html
    assert html.count('<ol class="replies">') == 2


def test_sort_is_kept_in_the_url(client):
    article = ArticleFactory()
    old = make_comment(article, body="Oldest words", now=timezone.now() - timedelta(hours=2))
    new = make_comment(article, body="Newest words")
    Comment.objects.filter(pk=old.pk).update(score=5)

    newest = article_html(client, article, "?sort=newest")
    oldest = article_html(client, article, "?sort=oldest")
    voted = article_html(client, article, "?sort=votes")

    assert newest.index("Newest words") < newest.index("Oldest words")
    assert oldest.index("Oldest words") < oldest.index("Newest words")
    assert voted.index("Oldest words") < voted.index("Newest words")
    assert 'href="?sort=votes#comments" aria-current="true"' in voted
    assert new.pk


def test_threads_are_paginated_with_load_more_and_long_threads_show_more_replies(client, settings):
    settings.NEWSROOM_COMMENT_THREADS_PER_PAGE = 3
    settings.NEWSROOM_COMMENT_REPLIES_SHOWN = 2
    article = ArticleFactory()
    roots = bulk_comments(article, threads=5, replies_per_thread=4)

    html = article_html(client, article, "?sort=oldest")
    assert html.count('class="comment"') + html.count('class="comment comment-reply"') == 3 * 3
    assert "Load more comments" in html and "page=2" in html
    assert "Show 2 more replies" in html

    fragment = client.get(f"/comments/article/{article.pk}/?sort=oldest&page=2")
    assert fragment.status_code == 200 and "public" in fragment["Cache-Control"]
    assert f'id="comment-{roots[3].pk}"' in fragment.content.decode()
    assert "Load more comments" not in fragment.content.decode()

    thread = client.get(f"/comments/thread/{roots[0].pk}/?fragment=1").content.decode()
    assert thread.count("Reply ") == 4


def test_held_comment_is_seen_only_in_its_authors_browser(post_data, settings):
    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    article = ArticleFactory()
    author, stranger = Client(), Client()

    response = author.post(POST_URL, post_data(article, body="Please approve me"))

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "Please approve me" not in article_html(author, article)
    own = author.get(f"/session.json?article={article.pk}").json()["comments"]
    assert own["pending"][0]["id"] == comment.pk
    assert "Awaiting moderation" in own["pending"][0]["html"]
    landing = author.get(response["Location"])
    assert landing.status_code == 200 and "Please approve me" in landing.content.decode()
    assert stranger.get(f"/session.json?article={article.pk}").json()["comments"]["pending"] == []
    assert stranger.get(response["Location"]).status_code == 404


def test_closed_article_keeps_its_comments_but_refuses_new_ones(client, post_data):
    article = ArticleFactory()
    make_comment(article, body="Said before closing")
    Article.objects.filter(pk=article.pk).update(comments_mode=Article.CommentsMode.CLOSED)

    html = article_html(client, article)
    response = client.post(POST_URL, post_data(article, body="Too late"))

    assert "Said before closing" in html and "Comments are closed on this article." in html
    assert 'action="/comments/post/"' not in html
    assert response.status_code == 400
    assert "Comments are closed on this article." in response.content.decode()
    assert "Too late" in response.content.decode()
    assert not Comment.objects.filter(body="Too late").exists()


def test_comments_close_automatically_after_the_sections_delay(client, post_data):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=10))
    article.section.comments_close_after_days = 7
    article.section.save()

    response = client.post(POST_URL, post_data(article))

    assert response.status_code == 400 and Comment.objects.count() == 0
    assert "Comments are closed" in article_html(client, article)


def test_disabled_comments_show_no_comment_area(client):
    article = ArticleFactory(comments_mode=Article.CommentsMode.DISABLED)
    assert 'id="comments"' not in article_html(client, article)


def comment_form_fields(html: str) -> set[str]:
    """The names of the comment form's fields (not the subscribe form's) in a page."""
    form = lxml_html.fromstring(html).find_class("comment-form")[0]
    return {field.get("name") for field in form.iter("input", "textarea", "select")}


def test_guest_commenting_can_be_switched_off(client, post_data, settings):
    article = ArticleFactory()
    assert {"name", "email"} <= comment_form_fields(article_html(client, article))  # cached
    settings.NEWSROOM_COMMENTS_ALLOW_GUESTS = False
    sign_in = f'href="/accounts/login/?next={article.get_absolute_url()}%23comments"'

    region = article_html(client, article)
    form_page = client.get(f"{POST_URL}?article={article.pk}").content.decode()
    response = client.post(POST_URL, post_data(article, body="Typed as a guest"))

    for html in (region, form_page):
        assert "Sign in to comment" in html and sign_in in html
        assert not {"name", "email"} & comment_form_fields(html)
    assert response.status_code == 400 and "Sign in to comment." in response.content.decode()
    assert "Typed as a guest" in response.content.decode()
    assert Comment.objects.count() == 0
    state = client.get(f"/session.json?article={article.pk}").json()
    assert state["user"] is None and state["comments"]["guests_allowed"] is False


def test_signed_in_readers_still_comment_when_guests_may_not(client, post_data, settings):
    settings.NEWSROOM_COMMENTS_ALLOW_GUESTS = False
    article = ArticleFactory()
    client.force_login(UserFactory())

    form_page = client.get(f"{POST_URL}?article={article.pk}").content.decode()
    response = client.post(POST_URL, post_data(article, name=None, email=None))

    assert "Sign in to comment" not in form_page
    assert response.status_code == 302 and Comment.objects.get().user is not None
    assert client.get(f"/session.json?article={article.pk}").json()["user"] is not None


@pytest.mark.parametrize("comments", [10, 1000])
def test_article_page_query_count_is_the_same_at_10_and_1000_comments(client, comments):
    article = ArticleFactory()
    per_thread = 4
    bulk_comments(article, threads=comments // (per_thread + 1), replies_per_thread=per_thread)
    assert Comment.objects.filter(article=article).count() == comments

    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    # 6 for the article (tags, authors, navigation, disclaimers, notes), 1 for
    # the related articles, 3 for the counts and the page's threads, 1 for the
    # editors' questions on passages (the anchors are read only when there is
    # inline feedback).
    assert len(queries) == 11, [q["sql"][:120] for q in queries]


def test_cached_article_page_costs_no_comment_queries_until_a_comment_changes(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    make_comment(article, body="Cached words")
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as warm:
        client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(article, body="Fresh words")

    html = article_html(client, article)

    assert not any("comments_comment" in q["sql"] for q in warm)
    assert "Fresh words" in html


def test_session_state_lists_own_votes_and_editable_comments(client, post_data):
    article = ArticleFactory()
    other = make_comment(article, body="Someone else's")
    client.post(POST_URL, post_data(article))
    mine = Comment.objects.get(author_name="Ines Park")
    client.post(f"/comments/{other.pk}/vote/", {"value": "1"})

    state = client.get(f"/session.json?article={article.pk}").json()["comments"]

    assert state["votes"] == {str(other.pk): 1}
    assert [entry["id"] for entry in state["editable"]] == [mine.pk]
    assert state["deletable"] == [mine.pk]
    assert json.dumps(state).count("ines@example.com") == 0


def test_session_state_query_count_does_not_grow_with_own_held_replies(client, post_data, settings):
    # Replies too deep to nest name the comment they answer (in_reply_to),
    # which a held reply's rendering shows: read with it, not once per reply.
    settings.NEWSROOM_COMMENT_MAX_DEPTH = 2
    settings.NEWSROOM_COMMENT_POST_RATE = "100/m"

    def session_queries(held_replies: int) -> int:
        article = ArticleFactory()
        answered = make_comment(article, parent=make_comment(article), author_name="Kim")
        settings.NEWSROOM_COMMENT_PREMODERATION = "all"
        for n in range(held_replies):
            client.post(POST_URL, post_data(article, parent=answered.pk, body=f"Held {n}"))
        settings.NEWSROOM_COMMENT_PREMODERATION = "none"
        with CaptureQueriesContext(connection) as queries:
            state = client.get(f"/session.json?article={article.pk}").json()["comments"]
        assert len(state["pending"]) == held_replies
        assert all("Kim" in item["html"] for item in state["pending"])
        return len(queries)

    assert session_queries(1) == session_queries(4)
