"""Inline feedback: comments on passages, through HTTP and the admin."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from articles.anchoring import BodyText, Selector
from articles.models import Article, PassageQuestion
from comments.models import Anchor, Comment
from tests.factories import ArticleFactory, editor, make_comment

pytestmark = pytest.mark.django_db
POST_URL = "/comments/post/"

P1 = "The council voted on Tuesday to close the library in Elm Street after a long debate."
P2 = "Residents protested loudly outside the town hall for most of the evening."
P3 = "The decision can still be challenged in court before the end of the year."
BODY = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"


def selector(article: Article, words: str) -> Selector:
    text = BodyText.of(article.body).text
    start = text.index(words)
    return Selector(words, text[max(start - 32, 0) : start], "", start, start + len(words))


def anchor_fields(article: Article, words: str) -> dict:
    found = selector(article, words)
    return {
        "anchor_exact": found.exact,
        "anchor_prefix": found.prefix,
        "anchor_suffix": "",
        "anchor_start": found.start,
        "anchor_end": found.end,
    }


def feedback(article: Article, words: str, **kwargs) -> Comment:
    return make_comment(article, anchor=selector(article, words), **kwargs)


def page(client, article: Article, query: str = "") -> str:
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def highlight_data(html: str) -> dict:
    node = lxml_html.fromstring(html).get_element_by_id("inline-feedback-data")
    assert node.get("type") == "application/json"
    return json.loads(node.text)


# --- Posting ------------------------------------------------------------------------------


def test_reader_posts_feedback_on_a_passage_with_the_ordinary_comment_form(client, post_data):
    article = ArticleFactory(body=BODY)

    response = client.post(
        POST_URL,
        post_data(article, body="Which street exactly?", **anchor_fields(article, "Elm Street")),
        headers={"accept": "application/json"},
    )

    assert response.status_code == 201
    comment = Comment.objects.get()
    anchor = comment.anchor
    assert (anchor.exact, anchor.original_exact, anchor.state) == (
        "Elm Street",
        "Elm Street",
        Anchor.State.ANCHORED,
    )
    assert anchor.prefix == "oted on Tuesday to close the library in "[-32:]
    assert anchor.suffix == " after a long debate.\nResidents "
    blocks = BodyText.of(Article.objects.get().body).blocks
    assert anchor.block_id == anchor.end_block_id == blocks[0].id
    data = response.json()["anchor"]
    assert data == {
        "block": blocks[0].id,
        "start": P1.index("Elm Street"),
        "endBlock": blocks[0].id,
        "end": P1.index("Elm Street") + len("Elm Street"),
        "quote": "Elm Street",
        "thread": comment.pk,
    }


def test_a_passage_across_paragraphs_keeps_its_exact_words_when_sent_with_crlf(client, post_data):
    # Browsers send form data with CRLF line breaks; paragraphs are joined
    # by a bare line feed in the anchor text.
    article = ArticleFactory(body=BODY)
    words = "after a long debate.\nResidents protested"
    fields = anchor_fields(article, words)
    text = BodyText.of(article.body).text
    fields["anchor_suffix"] = text[fields["anchor_end"] : fields["anchor_end"] + 32]
    crlf = {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in fields.items()
    }
    assert "\r\n" in crlf["anchor_exact"]

    response = client.post(POST_URL, post_data(article, body="Two paragraphs, one point.", **crlf))

    assert response.status_code == 302
    anchor = Anchor.objects.get()
    assert anchor.exact == anchor.original_exact == words
    assert (anchor.start, anchor.end) == (fields["anchor_start"], fields["anchor_end"])
    blocks = BodyText.of(article.body).blocks
    assert (anchor.block_id, anchor.end_block_id) == (blocks[0].id, blocks[1].id)


def test_server_corrects_offsets_the_page_got_wrong_from_the_quote_and_context(client, post_data):
    article = ArticleFactory(body=BODY)
    fields = anchor_fields(article, "town hall")
    fields.update(anchor_start=3, anchor_end=12)

    client.post(POST_URL, post_data(article, **fields))

    anchor = Anchor.objects.get()
    assert BodyText.of(article.body).text[anchor.start : anchor.end] == "town hall"


def test_feedback_on_words_no_longer_in_the_article_is_refused_and_the_text_kept(client, post_data):
    article = ArticleFactory(body=BODY)

    response = client.post(
        POST_URL,
        post_data(article, body="My careful words", anchor_exact="a sentence never written"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The passage you selected is no longer in the article" in html
    assert "My careful words" in html
    assert "a sentence never written" in html  # shown back, and kept in the form
    assert Comment.objects.count() == 0 and Anchor.objects.count() == 0


def test_a_huge_selection_is_refused_with_a_clear_message(client, post_data):
    article = ArticleFactory(body=BODY)

    response = client.post(
        POST_URL,
        post_data(article, anchor_exact="x" * 3001),
        headers={"accept": "application/json"},
    )

    assert response.status_code == 400
    assert "too long" in json.dumps(response.json()["errors"])
    assert Comment.objects.count() == 0


def test_a_reply_cannot_carry_an_anchor(client, post_data):
    article = ArticleFactory(body=BODY)
    parent = feedback(article, "town hall")

    response = client.post(
        POST_URL, post_data(article, parent=parent.pk, **anchor_fields(article, "Elm Street"))
    )

    assert response.status_code == 400
    assert "A reply cannot comment on a passage" in response.content.decode()
    assert Comment.objects.count() == 1


def test_feedback_goes_through_moderation_and_is_highlighted_only_once_approved(
    client, post_data, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    article = ArticleFactory(body=BODY)
    client.post(POST_URL, post_data(article, **anchor_fields(article, "town hall")))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING

    assert highlight_data(page(client, article))["passages"] == []
    own = client.get(f"/session.json?article={article.pk}").json()["comments"]["pending"]
    assert own[0]["anchor"]["quote"] == "town hall"
    assert client.get(f"/session.json?article={article.pk}").json()["user"] is None

    from comments import services

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment)
    assert highlight_data(page(client, article))["passages"][0]["quote"] == "town hall"


def test_hostile_text_in_a_selection_stays_inert_in_the_page(client, post_data):
    hostile = "</script><script>alert(1)</script> & <img src=x onerror=alert(2)>"
    article = ArticleFactory(body=f"<p>Before {hostile.replace('<', '&lt;')} after.</p>")
    words = BodyText.of(article.body).text[7:60]

    make_comment(article, anchor=selector(article, words))
    html = page(client, article)

    assert "<script>alert(1)" not in html
    assert highlight_data(html)["passages"][0]["quote"] == words


# --- Reading --------------------------------------------------------------------------------


def test_page_lists_passages_with_counts_and_identical_selections_share_one(client):
    article = ArticleFactory(body=BODY)
    first = feedback(article, "town hall", body="One")
    make_comment(article, parent=first, body="A reply")
    feedback(article, "town hall", body="Two")
    feedback(article, "Residents protested loudly outside the town hall", body="Wider")

    data = highlight_data(page(client, article))

    by_quote = {p["quote"]: p for p in data["passages"]}
    assert by_quote["town hall"]["count"] == 3  # two feedbacks and a reply
    assert len(by_quote["town hall"]["threads"]) == 2
    assert by_quote["Residents protested loudly outside the town hall"]["count"] == 1


def test_a_stored_passage_whose_offsets_no_longer_hold_its_words_is_not_highlighted(client):
    article = ArticleFactory(body=BODY)
    stale = feedback(article, "town hall", body="On the hall")
    feedback(article, "Elm Street", body="On the street")
    text = BodyText.of(article.body).text
    start = text.index("protested loudly")
    question = PassageQuestion.objects.create(
        article=article,
        question="Were you there?",
        block_id=BodyText.of(article.body).blocks[1].id,
        exact="protested loudly",
        start=start,
        end=start + len("protested loudly"),
    )
    # As if a change to the body had missed re-anchoring: the offsets now
    # point at other words.
    Anchor.objects.filter(pk=stale.pk).update(start=F("start") - 5, end=F("end") - 4)
    PassageQuestion.objects.filter(pk=question.pk).update(start=start + 5, end=F("end") + 5)

    html = page(client, article, "?view=inline")

    data = highlight_data(html)
    assert [item["quote"] for item in data["passages"]] == ["Elm Street"]
    assert data["questions"] == []
    assert "On the hall" in html and "town hall" in html  # still listed, with its quote


def test_views_inline_feedback_and_all_comments_work_without_javascript(client):
    article = ArticleFactory(body=BODY)
    feedback(article, "town hall", body="About the hall")
    make_comment(article, body="About everything")

    everything = page(client, article)
    inline = page(client, article, "?view=inline")

    assert "Inline feedback <span" in everything and "(1)" in everything
    assert "View all comments <span" in everything and "(2)" in everything
    assert "About the hall" in everything and "About everything" in everything
    assert "About the hall" in inline and "About everything" not in inline
    # Each feedback shows the passage it is about, in both lists.
    for html in (everything, inline):
        quote = lxml_html.fromstring(html).xpath(
            "//li[contains(@class, 'comment-feedback')]//figure[@class='comment-passage']//a"
        )
        assert [node.text_content() for node in quote] == ["town hall"]
    assert 'href="?view=inline#comments" data-view="inline" aria-current="true"' in inline


def test_load_more_and_sorting_keep_the_inline_view(client, settings):
    settings.NEWSROOM_COMMENT_THREADS_PER_PAGE = 2
    article = ArticleFactory(body=BODY)
    for n in range(3):
        feedback(article, "town hall", body=f"Feedback {n}")
    make_comment(article, body="Not feedback")

    html = page(client, article, "?view=inline")

    assert "?view=inline&amp;sort=newest&amp;page=2#comments" in html
    assert "?view=inline&amp;sort=oldest#comments" in html
    fragment = client.get(f"/comments/article/{article.pk}/?view=inline&sort=newest&page=2")
    assert "Feedback 0" in fragment.content.decode()
    assert "Not feedback" not in fragment.content.decode()


def test_passage_endpoint_returns_the_whole_threads_of_a_passage(client):
    article = ArticleFactory(body=BODY)
    first = feedback(article, "town hall", body="Feedback")
    make_comment(article, parent=first, body="Reply to feedback")
    other = make_comment(article, body="Not a feedback")

    response = client.get(f"/comments/article/{article.pk}/passage/?ids={first.pk},{other.pk},x")

    html = response.content.decode()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert "Reply to feedback" in html and "Not a feedback" not in html


@pytest.mark.parametrize("threads", [1, 15])
def test_passage_endpoint_query_count_does_not_grow_with_threads(client, threads):
    article = ArticleFactory(body=BODY)
    roots = [feedback(article, "town hall", body=f"Feedback {n}") for n in range(threads)]
    for root in roots:
        make_comment(article, parent=root, body="Reply")
    ids = ",".join(str(root.pk) for root in roots)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/comments/article/{article.pk}/passage/?ids={ids}")

    assert response.content.decode().count('class="comment ') == 2 * threads
    assert len(queries) == 2  # the article, then the threads


@pytest.mark.parametrize("feedbacks", [1, 20])
def test_article_page_query_count_does_not_grow_with_anchored_feedback(client, feedbacks):
    article = ArticleFactory(body=BODY)
    words = ["town hall", "Elm Street", "challenged in court", "Residents", "the library"]
    for n in range(feedbacks):
        feedback(article, words[n % len(words)], body=f"Feedback {n}")
    make_comment(article, body="General")

    with CaptureQueriesContext(connection) as queries:
        html = page(client, article)

    assert len(highlight_data(html)["passages"]) == min(feedbacks, len(words))
    # 11 for the page, its threads and feedback; 1 for the related articles block.
    assert len(queries) == 12, [q["sql"][:100] for q in queries]


# --- Editors' questions on passages ----------------------------------------------------------


def question_on(article: Article, words: str, question: str = "Do you agree with this?"):
    block = BodyText.of(article.body).blocks[1]
    return PassageQuestion.objects.create(
        article=article, question=question, block_id=block.id, exact=words
    )


def test_readers_answer_an_editors_question_without_javascript(client, post_data):
    article = ArticleFactory(body=BODY)
    question = question_on(article, "protested loudly")

    form_page = client.get(f"{POST_URL}?article={article.pk}&question={question.pk}")
    assert "Do you agree with this?" in form_page.content.decode()
    assert f'name="question" value="{question.pk}"' in form_page.content.decode()
    client.post(POST_URL, post_data(article, body="Yes, I was there.", question=question.pk))

    anchor = Comment.objects.get().anchor
    assert (anchor.question, anchor.exact) == (question, "protested loudly")
    data = highlight_data(page(client, article))
    assert data["passages"] == []  # answers count on the question's highlight
    assert data["questions"][0]["count"] == 1
    assert "Answering the editors’ question: Do you agree with this?" in page(
        client, article, "?view=inline"
    )


# --- Editing the body in the admin ---------------------------------------------------------------


def admin_form(client, article: Article, url: str = "") -> dict:
    """The article's change form (or the revision form at ``url``) as the browser
    would send it back."""
    response = client.get(url or f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    form = lxml_html.fromstring(response.content).get_element_by_id("article_form")
    data: dict = {}
    for field in form.inputs:
        name = field.name
        if not name or field.get("type") in {"submit", "file"}:
            continue
        if field.tag == "select":
            selected = [o.get("value") for o in field.findall(".//option") if o.get("selected")]
            if field.multiple:
                data[name] = selected
            else:
                data[name] = selected[0] if selected else ""
        elif field.get("type") == "checkbox":
            if field.checked:
                data[name] = field.get("value") or "on"
        else:
            data[name] = field.value or ""
    return data


def edit_body(client, article: Article, new_body: str, **extra) -> list[str]:
    data = admin_form(client, article)
    data["body"] = new_body
    data.update(extra)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data, follow=True)
    assert response.status_code == 200
    errors = lxml_html.fromstring(response.content).xpath(
        "//*[contains(@class, 'errorlist') or contains(@class, 'errornote')]"
    )
    assert not errors, [e.text_content() for e in errors]
    return [str(message) for message in response.context["messages"]]


def test_admin_edit_moves_feedback_and_tells_the_editor_what_moved_and_what_was_lost(client):
    article = ArticleFactory(body=BODY)
    client.force_login(editor())
    moved = feedback(article, "town hall")
    reworded = feedback(article, "close the library in Elm Street after a long debate")
    lost = feedback(article, "challenged in court")
    kept = feedback(article, "Residents protested")
    current = Article.objects.get().body

    messages = edit_body(
        client,
        article,
        "<p>A paragraph inserted above.</p>"
        + current.replace("in Elm Street after a long", "on Elm Street after a short").replace(
            P3, "The decision is final."
        ),
    )

    assert (
        "Inline feedback: 3 anchor(s) moved with the text, 1 could not be found in the new text "
        "and are kept with their original quote." in messages
    )
    text = BodyText.of(Article.objects.get().body).text
    moved.anchor.refresh_from_db()
    reworded.anchor.refresh_from_db()
    lost.anchor.refresh_from_db()
    kept.anchor.refresh_from_db()
    assert text[moved.anchor.start : moved.anchor.end] == "town hall"
    assert reworded.anchor.exact == "close the library on Elm Street after a short debate"
    assert reworded.anchor.original_exact == "close the library in Elm Street after a long debate"
    assert lost.anchor.state == Anchor.State.ORPHANED
    assert kept.anchor.state == Anchor.State.ANCHORED


def test_restoring_an_older_revision_re_anchors_feedback_and_says_what_moved(client):
    from django.urls import reverse
    from reversion.models import Version

    article = ArticleFactory(body=BODY)
    client.force_login(editor())
    edit_body(client, article, Article.objects.get().body)  # the revision to go back to
    first = Version.objects.get_for_object(article).get()
    moved = feedback(article, "town hall")
    lost = feedback(article, "challenged in court")
    edit_body(
        client,
        article,
        "<p>A paragraph inserted above.</p>" + Article.objects.get().body.replace(P3, ""),
    )
    lost.anchor.refresh_from_db()
    assert lost.anchor.state == Anchor.State.ORPHANED

    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    response = client.post(url, admin_form(client, article, url), follow=True)

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("2 anchor(s) moved with the text, 0 could not be found" in m for m in messages)
    text = BodyText.of(Article.objects.get().body).text
    assert text == BodyText.of(BODY).text
    moved.anchor.refresh_from_db()
    lost.anchor.refresh_from_db()
    start = text.index("town hall")  # where it was before the paragraph was inserted
    assert (moved.anchor.start, moved.anchor.end) == (start, start + len("town hall"))
    assert lost.anchor.state == Anchor.State.ANCHORED  # its words came back
    assert text[lost.anchor.start : lost.anchor.end] == "challenged in court"


def test_orphaned_feedback_is_still_listed_with_its_original_quote(client):
    article = ArticleFactory(body=BODY)
    client.force_login(editor())
    feedback(article, "challenged in court", body="Will they appeal?")

    edit_body(client, article, Article.objects.get().body.replace(P3, "The decision is final."))
    client.logout()
    html = page(client, article, "?view=inline")

    assert "Will they appeal?" in html
    assert "On a passage that has since been edited:" in html
    assert "challenged in court" in html
    assert highlight_data(html)["passages"] == []


def test_editor_places_a_question_on_a_passage_in_the_admin_and_it_follows_edits(client):
    article = ArticleFactory(body=BODY)
    client.force_login(editor())
    block = BodyText.of(article.body).blocks[1]
    data = admin_form(client, article)
    data.update(
        {
            "passage_questions-TOTAL_FORMS": "1",
            "passage_questions-0-question": "Were you there?",
            "passage_questions-0-block_id": block.id,
            "passage_questions-0-exact": "protested  loudly",
        }
    )

    response = client.post(f"/admin/articles/article/{article.pk}/change/", data, follow=True)

    assert response.status_code == 200
    question = PassageQuestion.objects.get()
    assert (question.exact, question.block_id) == ("protested loudly", block.id)

    messages = edit_body(
        client, article, "<p>New first paragraph.</p>" + Article.objects.get().body
    )
    question.refresh_from_db()
    text = BodyText.of(Article.objects.get().body).text
    assert text[question.start : question.end] == "protested loudly"
    assert any("1 anchor(s) moved with the text, 0 could not be found" in m for m in messages)


def test_question_words_must_be_in_the_chosen_paragraph(client):
    article = ArticleFactory(body=BODY)
    client.force_login(editor())
    data = admin_form(client, article)
    data.update(
        {
            "passage_questions-TOTAL_FORMS": "1",
            "passage_questions-0-question": "Really?",
            "passage_questions-0-block_id": BodyText.of(article.body).blocks[0].id,
            "passage_questions-0-exact": "protested loudly",
        }
    )

    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    assert "These words are not in the paragraph you chose." in response.content.decode()
    assert PassageQuestion.objects.count() == 0


def test_moderators_see_the_quoted_passage_in_the_admin(client):
    from tests.factories import moderator

    article = ArticleFactory(body=BODY)
    comment = feedback(article, "town hall", body="Feedback to moderate")
    user = moderator()
    client.force_login(user)

    listing = client.get("/admin/comments/comment/")
    detail = client.get(f"/admin/comments/comment/{comment.pk}/change/")

    assert "“town hall”" in listing.content.decode()
    assert "town hall" in detail.content.decode()
