"""Comments in readers' privacy rights: export, erasure, claiming, IP retention."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AccountDeletion
from comments import services
from comments.models import Ban, Comment, CommentRevision, ModerationAction, Report, Vote
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    make_comment,
    make_report,
    moderator,
    reader,
)

User = get_user_model()

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


SPAMMY = "Whatsapp me on +44 7700 900123 for my bridge photos, visit my site bit.ly/bridgepix"


def nadias_traces(nadia):
    """Nadia's comments, one edited (its first text kept as a revision) and one removed
    earlier by a moderator: every place of the comment rows her words were kept."""
    article = ArticleFactory()
    edited = make_comment(article, user=nadia, body=SPAMMY)
    services.comment_edit(
        comment=edited, body="The photos are worth a look, whatsapp me", user=nadia, client_hash=""
    )
    removed = make_comment(article, user=nadia, body="Ring me on +44 7700 900123")
    services.comment_remove(
        comment=removed, moderator=moderator(), reason="Moderator's reason for removing"
    )
    others = make_comment(article, body="Someone else's first words", client_hash="guest")
    services.comment_edit(
        comment=others, body="Someone else's second words", user=None, client_hash="guest"
    )
    mine = Comment.objects.filter(pk__in=[edited.pk, removed.pk])
    assert CommentRevision.objects.filter(comment__in=mine).exists()
    assert all(c.spam_signals and c.body_fingerprint for c in mine)
    return article, [edited.pk, removed.pk], others


def assert_no_text_left(comment_ids, others):
    for comment in Comment.objects.filter(pk__in=comment_ids):
        assert comment.status == Comment.Status.REMOVED
        assert (comment.body, comment.body_html, comment.author_name) == ("", "", "a former reader")
        assert (comment.spam_signals, comment.body_fingerprint) == ([], "")
        assert comment.moderation_reason == ""
    assert not CommentRevision.objects.filter(comment_id__in=comment_ids).exists()
    # Other readers' earlier texts are theirs: untouched.
    assert CommentRevision.objects.filter(comment=others).count() == 1


def test_removing_a_deleted_readers_comments_leaves_none_of_their_text_anywhere():
    nadia = reader(display_name="Nadia Quill", email="nadia@example.org")
    _article, comment_ids, others = nadias_traces(nadia)

    summary = account_services.account_delete(user=nadia, content="remove").summary

    assert summary["comments"]["removed"] == 2
    assert_no_text_left(comment_ids, others)


def test_reader_removes_their_comments_through_the_account_deletion_page(client):
    nadia = reader(display_name="Nadia Quill", email="nadia@example.org")
    article, comment_ids, others = nadias_traces(nadia)

    response = sign_in_and_confirm(
        client, nadia, reverse("accounts:delete"), {"content": "remove", "confirm": "on"}
    )

    assert response["Location"] == reverse("accounts:deleted")
    assert AccountDeletion.objects.get().content == "remove"
    assert_no_text_left(comment_ids, others)
    pages = [Client().get(article.get_absolute_url())]
    moderators_view = Client()
    moderators_view.force_login(moderator())
    pages += [moderators_view.get(f"/moderation/comments/{pk}/") for pk in comment_ids]
    pages.append(moderators_view.get("/moderation/removed/"))
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        for trace in ("7700 900123", "bridgepix", "worth a look", "whatsapp", "Nadia"):
            assert trace not in html, (page.request["PATH_INFO"], trace)


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


# --- Display names -----------------------------------------------------------------------


def anonymous_page(article) -> str:
    return Client().get(article.get_absolute_url()).content.decode()


def test_a_new_display_name_shows_on_the_readers_earlier_comments(
    client, django_capture_on_commit_callbacks
):
    nadia = reader(display_name="Nadia Quill", email="nadia@example.org")
    articles = [ArticleFactory(), ArticleFactory()]
    for article in articles:
        make_comment(article, user=nadia, body="My view on the bridge")
    assert all("Nadia Quill" in anonymous_page(article) for article in articles)  # now cached
    client.post(reverse("account_login"), {"login": nadia.email, "password": PASSWORD})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:profile"), {"display_name": "Nadia Marsh", "bio": ""}
        )

    assert response["Location"] == reverse("accounts:home")
    for article in articles:
        html = anonymous_page(article)
        assert "Nadia Marsh" in html and "Nadia Quill" not in html
    public_page = Client().get(nadia.reader_profile.get_absolute_url()).content.decode()
    assert "Nadia Marsh" in public_page and "Nadia Quill" not in public_page


def test_claimed_guest_comments_take_the_readers_display_name(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    make_comment(article, author_name="ines p", author_email="Ines@Example.org", body="As a guest")
    assert "ines p" in anonymous_page(article)  # now cached
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Ines Park",
            "email": "ines@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    link = re.search(r"https?://[^/\s]+(/accounts/\S+)", mail.outbox[-1].body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)

    html = anonymous_page(article)
    assert "Ines Park" in html and "ines p" not in html


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


def test_reader_page_pages_through_all_their_comments_in_a_fixed_number_of_queries(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("comments.privacy.READER_PAGE_COMMENTS", 3)
    nadia = reader(display_name="Nadia Quill")
    article = ArticleFactory(title="Public story")
    for n in range(7):
        make_comment(article, user=nadia, body=f"Words number {n}.")
    url = nadia.reader_profile.get_absolute_url()

    pages = []
    for page in (1, 2, 3):
        # The profile, the section navigation, one page of comments (and one more row).
        cache.clear()  # counted cold
        with django_assert_num_queries(3):
            response = client.get(url if page == 1 else f"{url}?page={page}")
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        pages.append(response.content.decode())

    shown = [re.findall(r"Words number (\d)", html) for html in pages]
    assert shown == [["6", "5", "4"], ["3", "2", "1"], ["0"]]
    assert 'href="?page=2"' in pages[0] and "?page=0" not in pages[0]
    assert f'rel="prev" href="{url}"' in pages[1] and 'href="?page=3"' in pages[1]
    assert 'rel="next"' not in pages[2] and 'href="?page=2"' in pages[2]
    for bad in ("4", "0", "-1", "two", "\u0662"):
        assert client.get(url, {"page": bad}).status_code == 404
    # More comments, same number of queries.
    for n in range(7, 12):
        make_comment(article, user=nadia, body=f"Words number {n}.")
    cache.clear()
    with django_assert_num_queries(3):
        client.get(f"{url}?page=2")


# --- Reports and bans (moderation records) -----------------------------------------------


def sign_in_and_confirm(client, user, post_url, data=None):
    """Sign in through allauth, post a sensitive action and give the password again."""
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(post_url, data or {})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    return client.post(response["Location"], {"password": PASSWORD})


def test_download_has_the_reports_a_reader_made_and_not_who_reported_their_comments(client):
    nadia = reader(display_name="Nadia Quill", email="nadia@example.org")
    article = ArticleFactory(title="Bridge to close")
    reported_by_nadia = make_comment(article, body="Rude words")
    services.comment_report(
        comment=reported_by_nadia,
        reporter=f"u:{nadia.pk}",
        user=nadia,
        reason="abuse",
        note="Insults a neighbour",
    )
    hers = make_comment(article, user=nadia, body="My view")
    services.comment_report(
        comment=hers,
        reporter="g:someone-else",
        client="client-hash-1",
        reason="off_topic",
        note="Signed, Harold from Quayside",
    )

    response = sign_in_and_confirm(client, nadia, reverse("accounts:data"))

    data = json.loads(response.content)
    assert data["comment-reports"]["made"] == [
        {
            "comment": reported_by_nadia.pk,
            "article": "Bridge to close",
            "reason": "Abusive, hateful or harassing",
            "note": "Insults a neighbour",
            "when": data["comment-reports"]["made"][0]["when"],
            "outcome": "open",
        }
    ]
    assert data["comment-reports"]["on_your_comments"] == [
        {
            "comment": hers.pk,
            "reason": "Off-topic",
            "when": data["comment-reports"]["on_your_comments"][0]["when"],
            "outcome": "open",
        }
    ]
    raw = response.content.decode()
    assert "Harold" not in raw and "someone-else" not in raw and "client-hash-1" not in raw


def test_download_lists_bans_on_the_account_and_its_address_without_moderators_notes(client):
    nadia = reader(display_name="Nadia Quill", email="nadia@example.org")
    mod = moderator()
    services.ban_add(kind="email", email="Nadia@Example.org", moderator=mod, reason="troll 4")
    services.ban_add(kind="email", email="other@example.org", moderator=mod)

    response = sign_in_and_confirm(client, nadia, reverse("accounts:data"))

    bans = json.loads(response.content)["comment-bans"]
    assert [(ban["on"], ban["until"], ban["lifted"]) for ban in bans] == [
        ("E-mail address", None, None)
    ]
    assert "troll 4" not in response.content.decode()


def test_deleting_an_account_anonymises_its_reports_and_keeps_their_reasons_and_count(client):
    nadia = reader(display_name="Nadia Quill", email="nadia@example.org")
    comment = make_comment(ArticleFactory(), body="Rude words")
    services.comment_report(
        comment=comment, reporter=f"u:{nadia.pk}", user=nadia, reason="abuse", note="My note"
    )
    make_report(comment, reason="spam")
    user_id = nadia.pk

    sign_in_and_confirm(
        client, nadia, reverse("accounts:delete"), {"content": "anonymise", "confirm": "on"}
    )

    assert not User.objects.filter(pk=user_id).exists()
    reports = Report.objects.filter(comment=comment).order_by("pk")
    erased = reports[0]
    assert (erased.user_id, erased.note, erased.client) == (None, "", "")
    assert erased.reporter == f"erased:{erased.pk}" and erased.reason == "abuse"
    assert reports[1].reporter.startswith("g:")  # the other reader's report is untouched
    comment.refresh_from_db()
    assert comment.report_count == 2
    summary = AccountDeletion.objects.get().summary
    assert summary["comment-reports"] == {"reports_anonymised": 1}
    moderators_view = Client()
    moderators_view.force_login(moderator())
    html = moderators_view.get("/moderation/reported/").content.decode()
    assert "2 reports" in html and "My note" not in html


def test_a_ban_in_force_on_a_deleted_account_carries_on_by_its_email_address(
    client, post_data, django_capture_on_commit_callbacks
):
    nadia = reader(display_name="Nadia Quill", email="Nadia@Example.org")
    mod = moderator()
    until = timezone.now() + timedelta(days=20)
    ban = services.ban_add(
        kind="account", user=nadia, moderator=mod, expires_at=until, reason="abuse"
    )
    ended = services.ban_add(kind="account", user=nadia, moderator=mod, reason="earlier")
    services.ban_lift(ban=ended, moderator=mod)

    with django_capture_on_commit_callbacks(execute=True):  # bans reload after the commit
        sign_in_and_confirm(
            client, nadia, reverse("accounts:delete"), {"content": "remove", "confirm": "on"}
        )

    ban.refresh_from_db()
    assert (ban.kind, ban.user_id, ban.email) == ("email", None, "nadia@example.org")
    assert (ban.expires_at, ban.reason) == (until, "abuse")
    assert not Ban.objects.filter(pk=ended.pk).exists()
    entry = ModerationAction.objects.filter(action="ban", moderator__isnull=True).get()
    assert "deleted the account" in entry.detail and "nadia" not in entry.detail.lower()
    assert AccountDeletion.objects.get().summary["comment-bans"] == {
        "bans_kept_on_email": 1,
        "ended_bans_deleted": 1,
    }
    # Signing up again (or commenting as a guest) with the address does not lift it.
    response = Client().post(
        "/comments/post/",
        post_data(ArticleFactory(), email="nadia@example.org", body="I am back"),
    )
    assert response.status_code == 400
    assert "suspended" in response.content.decode()
    assert not Comment.objects.filter(body="I am back").exists()


def test_purge_forgets_guests_report_hashes_and_long_ended_bans_but_not_bans_in_force(
    settings, post_data, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_IP_RETENTION_DAYS = 90
    settings.NEWSROOM_ENDED_BAN_RETENTION_DAYS = 365
    now = timezone.now()
    comment = make_comment(ArticleFactory())
    old_report, new_report = make_report(comment), make_report(comment)
    Report.objects.filter(pk=old_report.pk).update(created_at=now - timedelta(days=91))
    mod = moderator()
    with django_capture_on_commit_callbacks(execute=True):  # bans reload after the commit
        in_force = services.ban_add(kind="network", network="198.51.100.0/24", moderator=mod)
    long_ended = services.ban_add(kind="email", email="old@example.com", moderator=mod)
    recently_ended = services.ban_add(kind="email", email="recent@example.com", moderator=mod)
    Ban.objects.filter(pk=long_ended.pk).update(lifted_at=now - timedelta(days=366))
    Ban.objects.filter(pk=recently_ended.pk).update(expires_at=now - timedelta(days=10))
    Comment.objects.filter(pk=comment.pk).update(
        ip_address="198.51.100.7", created_at=now - timedelta(days=91)
    )

    call_command("purge_personal_data", stdout=StringIO())

    old_report.refresh_from_db()
    new_report.refresh_from_db()
    assert old_report.client == "" and new_report.client != ""
    assert old_report.reporter and old_report.reason  # the report itself stays
    assert set(Ban.objects.values_list("pk", flat=True)) == {in_force.pk, recently_ended.pk}
    comment.refresh_from_db()
    assert comment.ip_address is None
    # The comment's address is gone, and the network ban still stops its author.
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        "/comments/post/", post_data(ArticleFactory(), body="Still here")
    )
    assert response.status_code == 400 and "suspended" in response.content.decode()
