"""Comments in readers' privacy rights: export, erasure, claiming, IP retention."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from comments import services
from comments.models import Comment, Vote
from tests.factories import ArticleFactory, make_comment, reader

pytestmark = pytest.mark.django_db


def test_download_includes_the_readers_comments_and_votes():
    article = ArticleFactory(title="Bridge to close")
    nadia = reader(display_name="Nadia Quill")
    mine = make_comment(article, user=nadia, body="My view on the bridge")
    other = make_comment(article, body="Someone else")
    services.comment_vote(comment=other, voter=f"u:{nadia.pk}", value=1)

    data = account_services.account_export(user=nadia)

    assert [c["text"] for c in data["comments"]] == ["My view on the bridge"]
    assert data["comments"][0]["url"].endswith(f"#comment-{mine.pk}")
    assert data["votes"] == [{"comment": other.pk, "vote": "up", "when": data["votes"][0]["when"]}]


@pytest.mark.parametrize("choice", ["anonymise", "remove"])
def test_deleting_an_account_erases_personal_data_and_keeps_the_threads(client, choice):
    article = ArticleFactory()
    nadia = reader(display_name="Nadia Quill", email="nadia@example.org")
    mine = make_comment(article, user=nadia, body="Original words", ip_address="203.0.113.8")
    reply = make_comment(article, parent=mine, body="A reply by someone else")
    other = make_comment(article, body="Voted on")
    services.comment_vote(comment=other, voter=f"u:{nadia.pk}", value=1)

    account_services.account_delete(user=nadia, content=choice)

    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.user is None and mine.author_email == "" and mine.ip_address is None
    assert mine.author_name == "a former reader"
    assert other.upvotes == 0 and not Vote.objects.exists()
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "A reply by someone else" in html and reply.pk
    assert "Nadia Quill" not in html and "nadia@example.org" not in html
    if choice == "anonymise":
        assert "Original words" in html and "a former reader" in html
    else:
        assert mine.status == Comment.Status.REMOVED and mine.body == ""
        assert "Original words" not in html and "Comment removed" in html


def test_verifying_an_address_claims_the_guest_comments_made_with_it():
    article = ArticleFactory()
    guest = make_comment(article, author_email="Ines@Example.org", body="As a guest")
    stranger = make_comment(article, author_email="someone@example.org", body="Not mine")

    # Signing up with that address and verifying it claims the guest comment.
    ines = reader(display_name="Ines Park", email="ines@example.org")

    guest.refresh_from_db()
    stranger.refresh_from_db()
    assert guest.user == ines and stranger.user is None
    again = account_services.account_claim_guest_content(user=ines, email="ines@example.org")
    assert again["comments"] == 0


def test_ip_addresses_are_forgotten_after_the_retention_period(settings):
    settings.NEWSROOM_IP_RETENTION_DAYS = 90
    article = ArticleFactory()
    old = make_comment(article, ip_address="203.0.113.1")
    recent = make_comment(article, ip_address="203.0.113.2")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))

    call_command("purge_personal_data", stdout=StringIO())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None and recent.ip_address == "203.0.113.2"


def test_reader_page_lists_only_approved_comments_on_public_articles(client):
    nadia = reader(display_name="Nadia Quill")
    article = ArticleFactory(title="Public story")
    make_comment(article, user=nadia, body="Published words")
    make_comment(article, user=nadia, body="Held words", status=Comment.Status.PENDING)
    make_comment(article, user=nadia, body="Spam words", status=Comment.Status.SPAM)

    html = client.get(nadia.reader_profile.get_absolute_url()).content.decode()

    assert "Published words" in html and "Public story" in html
    assert "Held words" not in html and "Spam words" not in html
