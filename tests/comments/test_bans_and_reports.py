"""Bans and suspensions, and readers' reports, through HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments import bans, services
from comments.models import Ban, Comment, ModerationAction, Report
from tests.factories import (
    ArticleFactory,
    BanFactory,
    UserFactory,
    make_comment,
    make_report,
    moderator,
)

pytestmark = pytest.mark.django_db
POST_URL = "/comments/post/"


def post(client, post_data, article, **extra):
    return client.post(POST_URL, post_data(article), HTTP_ACCEPT="application/json", **extra)


# --- Bans ----------------------------------------------------------------------------------


def test_moderator_bans_a_spammer_by_email_from_their_comment_and_it_is_logged(
    client, post_data, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    spammer = Client()
    spammer.post(POST_URL, post_data(article, email="Spammer@Example.com"))
    comment = Comment.objects.get()
    user = moderator(username="maria")
    client.force_login(user)

    form = client.get(f"/moderation/bans/new/?comment={comment.pk}").content.decode()
    assert 'value="Spammer@Example.com"' in form and "127.0.0.1" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/moderation/bans/new/",
            {
                "kind": "email",
                "email": " Spammer@Example.com ",
                "duration": "",
                "reason": "casino links",
                "comment": comment.pk,
                "also_spam": "on",
            },
            follow=True,
        )

    assert "Banned: e-mail address spammer@example.com." in response.content.decode()
    ban = Ban.objects.get()
    assert (ban.email, ban.expires_at, ban.created_by) == ("spammer@example.com", None, user)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    entry = ModerationAction.objects.get(action="ban")
    assert entry.comment_id == comment.pk and entry.reason == "casino links"
    refused = post(Client(), post_data, article)
    assert refused.status_code == 201  # another address is not banned
    again = Client().post(
        POST_URL,
        post_data(article, email="SPAMMER@example.com", body="Back again"),
        HTTP_ACCEPT="application/json",
    )
    assert again.status_code == 400
    assert "Comments from this e-mail address are suspended" in str(again.json()["errors"])
    assert not Comment.objects.filter(body="Back again").exists()


def test_banned_account_is_told_clearly_on_the_form_page_and_keeps_its_text(post_data):
    reader = UserFactory()
    BanFactory(kind="account", user=reader, email="")
    client = Client()
    client.force_login(reader)

    response = client.post(
        POST_URL, post_data(ArticleFactory(), name=None, email=None, body="My text")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Your account is suspended from commenting." in html
    assert "My text" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("network", "address"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("203.0.113.0/24", "203.0.113.200"),
        ("203.0.113.0/24", "::ffff:203.0.113.7"),
        ("2001:db8::/48", "2001:db8::42"),
    ],
)
def test_address_and_network_bans_match_the_client_address(post_data, network, address):
    BanFactory(kind="network", email="", network=str(bans.parse_network(network)))
    response = post(Client(), post_data, ArticleFactory(), REMOTE_ADDR=address)
    assert response.status_code == 400
    assert "Comments from your network are suspended" in str(response.json()["errors"])


def test_a_forged_forwarded_for_header_does_not_dodge_an_address_ban(post_data, settings):
    BanFactory(kind="network", email="", network="203.0.113.9/32")
    article = ArticleFactory()

    direct = post(
        Client(), post_data, article, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="8.8.8.8"
    )
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    through_proxy = post(
        Client(),
        post_data,
        article,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.9",
    )

    assert direct.status_code == 400 and through_proxy.status_code == 400
    assert not Comment.objects.exists()


def test_a_suspension_ends_by_itself(post_data, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    BanFactory(
        kind="network", email="", network="203.0.113.9/32", expires_at=start + timedelta(hours=1)
    )
    article = ArticleFactory(published_at=start - timedelta(hours=1))

    during = post(Client(), post_data, article, REMOTE_ADDR="203.0.113.9")
    assert during.status_code == 400
    assert "suspended until" in str(during.json()["errors"])
    time_machine.move_to(start + timedelta(hours=1, minutes=1), tick=False)
    after = post(Client(), post_data, article, REMOTE_ADDR="203.0.113.9")
    assert after.status_code == 201, after.json()


def test_a_lifted_ban_no_longer_applies_and_lifting_is_logged(
    client, post_data, django_capture_on_commit_callbacks
):
    user = moderator()
    client.force_login(user)
    ban = BanFactory(kind="email", email="ines@example.com")
    assert post(Client(), post_data, ArticleFactory()).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/bans/{ban.pk}/lift/")

    assert post(Client(), post_data, ArticleFactory()).status_code == 201
    ban.refresh_from_db()
    assert ban.lifted_by == user
    assert ModerationAction.objects.filter(action="lift_ban", moderator=user).exists()
    client.get("/moderation/bans/")  # shows the "lifted" message once
    assert "ines@example.com" not in client.get("/moderation/bans/").content.decode()
    assert "ines@example.com" in client.get("/moderation/bans/?all=1").content.decode()


def test_banned_readers_cannot_vote_or_report_either_and_are_told_so():
    comment = make_comment(ArticleFactory())
    BanFactory(kind="network", email="", network="198.51.100.0/24")
    client = Client(REMOTE_ADDR="198.51.100.3")

    vote = client.post(
        f"/comments/{comment.pk}/vote/", {"value": 1}, HTTP_ACCEPT="application/json"
    )
    report = client.post(
        f"/comments/{comment.pk}/report/", {"reason": "spam"}, HTTP_ACCEPT="application/json"
    )
    state = client.get(f"/session.json?article={comment.article_id}").json()["comments"]

    assert vote.status_code == 400 and "suspended" in vote.json()["error"]
    assert report.status_code == 400 and "suspended" in report.json()["error"]
    assert "Comments from your network are suspended" in state["blocked"]
    assert (
        Client().get(f"/session.json?article={comment.article_id}").json()["comments"]["blocked"]
        is None
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "network", "network": "not-an-address"}, "Give an IP address"),
        ({"kind": "network", "network": "10.0.0.0/8"}, "too large to ban"),
        ({"kind": "email", "email": "no-at-sign"}, "Give the full e-mail address"),
        ({"kind": "account", "username": "nobody"}, "No account has this username."),
        ({}, "Choose what to ban"),
    ],
)
def test_bad_ban_input_says_what_to_fix_and_keeps_what_was_typed(client, data, message):
    client.force_login(moderator())
    response = client.post("/moderation/bans/new/", {"duration": "7", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    for value in data.values():
        assert value in html
    assert not Ban.objects.exists()


def test_a_temporary_ban_shows_its_end_in_the_list(client):
    client.force_login(moderator())
    client.post(
        "/moderation/bans/new/",
        {"kind": "network", "network": "203.0.113.77", "duration": "3", "reason": "flood"},
    )
    ban = Ban.objects.get()
    assert ban.network == "203.0.113.77/32"
    assert timedelta(days=2, hours=23) < ban.expires_at - timezone.now() <= timedelta(days=3)
    assert "203.0.113.77" in client.get("/moderation/bans/").content.decode()


# --- Reports -------------------------------------------------------------------------------


def report(client, comment, reason="abuse", note="", **extra):
    return client.post(
        f"/comments/{comment.pk}/report/",
        {"reason": reason, "note": note},
        HTTP_ACCEPT="application/json",
        **extra,
    )


def test_a_reader_reports_a_comment_once_with_a_reason_and_a_note():
    comment = make_comment(ArticleFactory(), body="Rude words")
    reader = Client()

    first = report(reader, comment, "off_topic", "Nothing to do with the bridge")
    second = report(reader, comment, "spam")

    assert first.status_code == 200 and first.json()["ok"]
    assert second.status_code == 400
    assert second.json()["error"] == "You have already reported this comment."
    saved = Report.objects.get()
    assert (saved.reason, saved.note) == ("off_topic", "Nothing to do with the bridge")
    state = reader.get(f"/session.json?article={comment.article_id}").json()["comments"]
    assert state["reported"] == [comment.pk]


def test_clearing_cookies_does_not_buy_a_second_report_but_another_reader_counts(settings):
    settings.NEWSROOM_COMMENT_REPORTS_TO_HOLD = 10
    comment = make_comment(ArticleFactory())
    assert report(Client(), comment).status_code == 200
    assert report(Client(), comment).status_code == 400  # same address and browser
    assert report(Client(), comment, HTTP_USER_AGENT="Another browser").status_code == 200
    signed_in = Client()
    signed_in.force_login(UserFactory())
    assert report(signed_in, comment).status_code == 200
    assert report(signed_in, comment, HTTP_USER_AGENT="Yet another").status_code == 400
    comment.refresh_from_db()
    assert comment.report_count == 3


def test_reports_from_enough_readers_hold_the_comment_for_review(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_COMMENT_REPORTS_TO_HOLD = 2
    comment = make_comment(ArticleFactory(), body="Contested words")
    report(Client(), comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        report(Client(), comment, HTTP_USER_AGENT="Second reader")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "reported by 2 readers"
    assert (
        "Contested words" not in Client().get(comment.article.get_absolute_url()).content.decode()
    )
    assert ModerationAction.objects.get(action="held_reported").moderator is None


def test_acting_on_a_reported_comment_closes_its_reports(client):
    comment = make_comment(ArticleFactory())
    make_report(comment)
    make_report(comment, reason="spam")
    user = moderator()
    client.force_login(user)

    client.post("/moderation/act/", {"do": f"remove:{comment.pk}"})

    comment.refresh_from_db()
    assert comment.report_count == 0
    assert list(Report.objects.values_list("resolution", "handled_by")) == [
        ("acted", user.pk),
        ("acted", user.pk),
    ]


def test_readers_cannot_report_their_own_or_unpublished_comments(post_data):
    article = ArticleFactory()
    author = Client()
    author.post(POST_URL, post_data(article))
    own = Comment.objects.get()
    held = make_comment(article, status=Comment.Status.PENDING)

    assert report(author, own).json()["error"] == "You cannot report your own comment."
    assert report(Client(), held).status_code == 404


def test_a_report_needs_a_reason_and_a_short_note(client):
    comment = make_comment(ArticleFactory())
    no_reason = client.post(f"/comments/{comment.pk}/report/", {"note": "why"})
    long_note = client.post(
        f"/comments/{comment.pk}/report/", {"reason": "other", "note": "x" * 501}
    )
    assert no_reason.status_code == 400
    assert "Choose why you are reporting this comment." in no_reason.content.decode()
    assert "why</textarea>" in no_reason.content.decode()
    assert long_note.status_code == 400 and "under 500 characters" in long_note.content.decode()
    assert not Report.objects.exists()


def test_reporting_without_javascript_uses_a_plain_form_page(client):
    comment = make_comment(ArticleFactory(), body="Look at this")
    page = client.get(f"/comments/{comment.pk}/report/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Spam or advertising" in page.content.decode()

    done = client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})

    assert done.status_code == 200 and "Thank you" in done.content.decode()
    assert Report.objects.count() == 1


def test_a_report_sent_from_a_cached_page_without_a_token_is_shown_back_to_confirm():
    comment = make_comment(ArticleFactory())
    client = Client(enforce_csrf_checks=True)
    url = f"/comments/{comment.pk}/report/"
    response = client.post(
        url,
        {"reason": "abuse", "note": "Targets a named person"},
        HTTP_ORIGIN="http://testserver",
    )
    html = response.content.decode()
    assert response.status_code == 403 and "Please confirm" in html
    assert "Targets a named person" in html and 'value="abuse"' in html
    assert not Report.objects.exists()


def test_reports_are_rate_limited_per_address(settings):
    settings.NEWSROOM_COMMENT_REPORT_RATE = "2/m"
    comments = [make_comment(ArticleFactory()) for _ in range(3)]
    client = Client()
    codes = [report(client, comment).status_code for comment in comments]
    assert codes == [200, 200, 429]
    assert "very fast" in report(client, comments[2]).json()["error"]


def test_the_comment_list_offers_a_report_link_and_the_region_a_report_form_template(client):
    comment = make_comment(ArticleFactory())
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert f'href="/comments/{comment.pk}/report/" data-report="{comment.pk}"' in html
    assert "<template data-report-template>" in html
    assert "csrfmiddlewaretoken" not in html


def test_services_report_directly_too():
    comment = make_comment(ArticleFactory())
    services.comment_report(comment=comment, reporter="u:1", reason="other")
    with pytest.raises(Exception, match="already reported"):
        services.comment_report(comment=comment, reporter="u:1", reason="spam")


def test_moderators_can_also_ban_and_add_word_rules_in_the_admin(client):
    from comments.models import WordRule

    user = moderator()
    client.force_login(user)

    client.post(
        "/admin/comments/ban/add/", {"kind": "network", "network": "198.51.100.7", "reason": "x"}
    )
    bad = client.post("/admin/comments/ban/add/", {"kind": "network", "network": "nonsense"})
    client.post("/admin/comments/wordrule/add/", {"phrase": "Crook", "kind": "banned"})

    assert Ban.objects.get().network == "198.51.100.7/32"
    assert bad.status_code == 200 and "Give an IP address" in bad.content.decode()
    assert WordRule.objects.get().key == "crook"
    assert set(ModerationAction.objects.values_list("action", "moderator")) == {
        ("ban", user.pk),
        ("add_rule", user.pk),
    }
    assert client.get(f"/admin/comments/ban/{Ban.objects.get().pk}/delete/").status_code == 403
