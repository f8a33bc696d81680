"""Comments and reports in the Django admin, as a moderator uses it, over HTTP."""

from __future__ import annotations

import pytest
from django.test import Client

from comments.models import Comment, ModerationAction, Report
from tests.factories import ArticleFactory, make_comment, make_report, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client() -> Client:
    client = Client()
    client.force_login(moderator(username="maria"))
    return client


def test_moderators_read_a_comment_in_the_admin_but_cannot_rewrite_or_move_it(mod_client):
    article, elsewhere = ArticleFactory(), ArticleFactory()
    parent = make_comment(article, body="The first comment")
    comment = make_comment(
        article, parent=parent, body="As the reader wrote it", author_name="Ines",
        author_email="ines@example.com",
    )  # fmt: skip
    url = f"/admin/comments/comment/{comment.pk}/change/"

    page = mod_client.get(url)
    edit = mod_client.post(
        url,
        {
            "body": "Words the reader never wrote",
            "author_name": "Someone else",
            "author_email": "someone@example.com",
            "article": elsewhere.pk,
            "parent": "",
            "_save": "Save",
        },
    )

    html = page.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in html
    for field in ("body", "author_name", "author_email", "author_url", "article", "parent"):
        assert f'name="{field}"' not in html, field
    assert "As the reader wrote it" in html and "ines@example.com" in html
    assert edit.status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.author_name, comment.author_email) == (
        "As the reader wrote it",
        "Ines",
        "ines@example.com",
    )
    assert (comment.article_id, comment.parent_id) == (article.pk, parent.pk)
    assert not ModerationAction.objects.exclude(action="auto").exists()


def test_the_comment_page_in_the_admin_hides_the_ip_address_the_ban_form_still_shows_it(
    mod_client,
):
    comment = make_comment(ArticleFactory(), body="Posted from somewhere")
    Comment.objects.filter(pk=comment.pk).update(ip_address="203.0.113.9")

    admin_page = mod_client.get(f"/admin/comments/comment/{comment.pk}/change/")
    ban_form = mod_client.get(f"/moderation/bans/new/?comment={comment.pk}")

    assert "Posted from somewhere" in admin_page.content.decode()
    assert "203.0.113.9" not in admin_page.content.decode()
    assert "203.0.113.9" in ban_form.content.decode()


def test_the_admin_actions_still_moderate_through_the_services(mod_client):
    comment = make_comment(ArticleFactory(), status=Comment.Status.PENDING)

    mod_client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]}
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert ModerationAction.objects.filter(comment=comment, action="approve").exists()


def test_moderators_cannot_edit_a_readers_report_in_the_admin(mod_client):
    report = make_report(make_comment(ArticleFactory()), reason="abuse", note="Insults me")
    url = f"/admin/comments/report/{report.pk}/change/"

    page = mod_client.get(url)
    edit = mod_client.post(url, {"reason": "other", "note": "Nothing wrong", "_save": "Save"})

    html = page.content.decode()
    assert page.status_code == 200 and "Insults me" in html
    assert 'name="reason"' not in html and 'name="note"' not in html
    assert 'name="_save"' not in html
    assert edit.status_code == 403
    report.refresh_from_db()
    assert (report.reason, report.note) == ("abuse", "Insults me")
    assert Report.objects.count() == 1
