"""The moderators' workspace, through HTTP: queues, actions, the log."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, ModerationAction, Report
from comments.render import passage_of
from tests.conftest import shared_json
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    UserFactory,
    make_comment,
    make_report,
    moderator,
    subscription,
)

pytestmark = pytest.mark.django_db
PENDING = "/moderation/pending/"
ACT = "/moderation/act/"


@pytest.fixture
def mod_client(client):
    user = moderator(username="maria")
    client.force_login(user)
    client.user = user
    return client


def held(article, body="Please check me", **kwargs):
    return make_comment(article, body=body, status=Comment.Status.PENDING, **kwargs)


def page_html(client, url=PENDING):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_moderator_finds_a_held_comment_with_its_article_parent_reason_and_history(
    mod_client, settings
):
    settings.NEWSROOM_COMMENT_PREMODERATION = "first_time"
    article = ArticleFactory(title="Harbour bridge to close")
    parent = make_comment(
        article, body="The bridge is older than the town hall.", author_name="Ben"
    )
    earlier = ArticleFactory()
    for _ in range(2):
        make_comment(earlier, author_email="joan@example.org", status=Comment.Status.REJECTED)
    make_comment(earlier, author_email="joan@example.org", status=Comment.Status.SPAM)

    comment = services.comment_post(
        article=article,
        body="Then it is time it was repaired.",
        author_name="Joan",
        author_email="Joan@Example.org",
        parent_id=parent.pk,
    )

    assert comment.status == Comment.Status.PENDING
    html = page_html(mod_client)
    assert "Then it is time it was repaired." in html
    assert "Harbour bridge to close" in html
    assert "Replying to Ben" in html and "The bridge is older than the town hall." in html
    assert "first comment from this reader" in html
    assert "History: 0 approved · 2 rejected · 1 spam" in html
    assert "private" in mod_client.get(PENDING)["Cache-Control"]


def test_an_authors_history_counts_only_the_comments_before_the_one_shown(mod_client):
    article = ArticleFactory()
    start = timezone.now() - timedelta(hours=5)

    def by_joan(hours, status, body="Joan again"):
        return make_comment(
            article, body=body, author_email="joan@example.org", status=status,
            now=start + timedelta(hours=hours),
        )  # fmt: skip

    by_joan(0, Comment.Status.REJECTED)
    first = by_joan(1, Comment.Status.PENDING, body="Joan's first held comment")
    by_joan(2, Comment.Status.SPAM)
    second = by_joan(3, Comment.Status.PENDING, body="Joan's second held comment")
    by_joan(4, Comment.Status.APPROVED)

    html = page_html(mod_client)

    def history(comment):
        row = html[html.index(f'id="mod-{comment.pk}"') :]
        return row[row.index("History: ") + 9 : row.index("</span>", row.index("History: "))]

    assert history(first) == "0 approved · 1 rejected · 0 spam"
    assert history(second) == "0 approved · 1 rejected · 1 spam · 1 pending"


def test_approving_a_held_comment_publishes_it_and_logs_who_did_it(mod_client):
    article = ArticleFactory()
    comment = held(article, body="Worth publishing")

    response = mod_client.post(ACT, {"do": f"approve:{comment.pk}", "next": PENDING}, follow=True)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Approved 1 comment." in response.content.decode()
    assert "Worth publishing" not in page_html(mod_client)
    entry = ModerationAction.objects.get(comment=comment, action="approve")
    assert (entry.moderator, entry.from_status, entry.to_status) == (
        mod_client.user,
        "pending",
        "approved",
    )
    from django.test import Client

    assert "Worth publishing" in Client().get(article.get_absolute_url()).content.decode()


def test_rejecting_with_a_reason_tells_the_author_and_nobody_else(mod_client, post_data):
    from django.test import Client

    article = ArticleFactory()
    author = Client()
    author.post("/comments/post/", post_data(article, body="Everyone on the council is a crook"))
    comment = Comment.objects.get()

    mod_client.post(
        ACT, {"do": f"reject:{comment.pk}", f"reason-{comment.pk}": "unfounded accusation"}
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.moderation_reason == "unfounded accusation"
    own_page = author.get(f"/comments/{comment.pk}/").content.decode()
    assert "Your comment was not published" in own_page and "unfounded accusation" in own_page
    state = author.get(f"/session.json?article={article.pk}").json()["comments"]
    assert state["declined"][0]["reason"] == "unfounded accusation"
    assert "Everyone on the council" in state["declined"][0]["html"]
    stranger = Client()
    assert stranger.get(f"/comments/{comment.pk}/").status_code == 404
    assert stranger.get(f"/session.json?article={article.pk}").json()["comments"]["declined"] == []
    log = ModerationAction.objects.get(comment=comment, action="reject")
    assert log.reason == "unfounded accusation" and log.moderator == mod_client.user


def test_bulk_action_applies_to_the_ticked_comments_only(mod_client):
    article = ArticleFactory()
    ticked = [held(article, body=f"ticked {n}") for n in range(3)]
    untouched = held(article, body="left alone")

    response = mod_client.post(
        ACT,
        {"bulk": "spam", "ids": [c.pk for c in ticked], "reason": "link farm", "next": PENDING},
        follow=True,
    )

    assert "Filed as spam 3 comments." in response.content.decode()
    assert set(Comment.objects.filter(status="spam").values_list("pk", flat=True)) == {
        c.pk for c in ticked
    }
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING
    assert ModerationAction.objects.filter(action="spam", reason="link farm").count() == 3


def test_bulk_action_with_nothing_ticked_changes_nothing_and_says_so(mod_client):
    comment = held(ArticleFactory())
    response = mod_client.post(ACT, {"bulk": "approve", "next": PENDING}, follow=True)
    assert "Tick at least one comment first." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_next_after_an_action_never_leaves_the_site(mod_client):
    comment = held(ArticleFactory())
    response = mod_client.post(
        ACT, {"do": f"approve:{comment.pk}", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == PENDING


def test_comments_move_between_queues_and_removed_ones_can_be_restored(mod_client):
    article = ArticleFactory()
    comment = make_comment(article, body="Moving around")

    for action, queue in [("spam", "spam"), ("approve", "approved"), ("remove", "removed")]:
        mod_client.post(ACT, {"do": f"{action}:{comment.pk}"})
        assert "Moving around" in page_html(mod_client, f"/moderation/{queue}/")
    mod_client.post(ACT, {"do": f"restore:{comment.pk}"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    actions = list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["spam", "approve", "remove", "restore"]


def test_a_comment_its_author_deleted_cannot_be_restored(mod_client, post_data):
    from django.test import Client

    article = ArticleFactory()
    author = Client()
    author.post("/comments/post/", post_data(article))
    comment = Comment.objects.get()
    author.post(f"/comments/{comment.pk}/delete/")

    response = mod_client.post(ACT, {"do": f"restore:{comment.pk}"}, follow=True)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert "Its author deleted this comment" in response.content.decode()
    assert ModerationAction.objects.filter(comment=comment, action="author_delete").exists()


def test_a_pinned_thread_shows_first_and_a_reply_cannot_be_pinned(
    mod_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    old = make_comment(article, body="Old but wise", now=timezone.now() - timedelta(days=1))
    make_comment(article, body="Newer chatter")
    reply = make_comment(article, parent=old, body="A reply")

    mod_client.post(ACT, {"do": f"pin:{old.pk}"})
    refused = mod_client.post(ACT, {"do": f"pin:{reply.pk}"}, follow=True)

    from django.test import Client

    html = Client().get(article.get_absolute_url()).content.decode()
    assert html.index("Old but wise") < html.index("Newer chatter")
    assert '<span class="badge badge-pinned">Pinned</span>' in html
    assert "this one is a reply" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(ACT, {"do": f"unpin:{old.pk}"})
    html = Client().get(article.get_absolute_url()).content.decode()
    assert html.index("Newer chatter") < html.index("Old but wise")


def test_moderator_closes_an_articles_comments_and_readers_can_no_longer_post(
    mod_client, post_data
):
    from django.test import Client

    article = ArticleFactory()
    comment = held(article)

    mod_client.post(ACT, {"do": f"close:{comment.pk}", "reason": "flame war"})

    article.refresh_from_db()
    assert article.comments_mode == article.CommentsMode.CLOSED
    reader = Client()
    assert "Comments are closed" in reader.get(article.get_absolute_url()).content.decode()
    assert reader.post("/comments/post/", post_data(article)).status_code == 400
    entry = ModerationAction.objects.get(action="close_comments")
    assert entry.article_id == article.pk and entry.reason == "flame war"
    mod_client.post(ACT, {"do": f"open:{comment.pk}"})
    article.refresh_from_db()
    assert article.comments_mode == article.CommentsMode.OPEN


def test_bulk_close_closes_each_ticked_comments_article_once_and_logs_each(mod_client):
    bridge, budget = ArticleFactory(title="Bridge"), ArticleFactory(title="Budget")
    elsewhere = ArticleFactory()
    ticked = [held(bridge), held(bridge), held(budget)]
    held(elsewhere)
    assert 'data-bulk="close"' in page_html(mod_client)

    response = mod_client.post(
        ACT,
        {"bulk": "close", "ids": [c.pk for c in ticked], "reason": "flame war", "next": PENDING},
        follow=True,
    )

    assert "Comments on “Bridge”, “Budget” are closed." in response.content.decode()
    for article, mode in [(bridge, "closed"), (budget, "closed"), (elsewhere, "open")]:
        article.refresh_from_db()
        assert article.comments_mode == mode
    entries = ModerationAction.objects.filter(action="close_comments")
    assert sorted(entries.values_list("article_id", "reason")) == [
        (bridge.pk, "flame war"),
        (budget.pk, "flame war"),
    ]
    assert Comment.objects.filter(status="pending").count() == 4  # the comments stay as they were


def test_bulk_pin_is_offered_for_published_comments_and_refuses_replies(mod_client):
    article = ArticleFactory()
    first, second = make_comment(article, body="First"), make_comment(article, body="Second")
    reply = make_comment(article, parent=first, body="A reply")
    held(article, body="Waiting")
    assert 'data-bulk="pin"' in page_html(mod_client, "/moderation/approved/")
    pending = page_html(mod_client)
    assert 'data-bulk="approve"' in pending and 'data-bulk="pin"' not in pending

    response = mod_client.post(
        ACT,
        {"bulk": "pin", "ids": [first.pk, second.pk, reply.pk], "next": "/moderation/approved/"},
        follow=True,
    )

    html = response.content.decode()
    assert "Pinned 2 comments." in html and "this one is a reply" in html
    pinned = set(Comment.objects.filter(pinned_at__isnull=False).values_list("pk", flat=True))
    assert pinned == {first.pk, second.pk}
    assert ModerationAction.objects.filter(action="pin").count() == 2


def test_queue_filters_by_article_section_author_date_and_text(mod_client):
    politics = SectionFactory(slug="politics", name="Politics")
    budget = ArticleFactory(section=politics)
    bridge = ArticleFactory()
    account = UserFactory(username="tomas")
    held(budget, body="Tax bands explained badly")
    held(bridge, body="Ferry timetable question", author_email="Ferry@Example.com")
    held(bridge, body="Signed-in view of the bridge", user=account)
    held(bridge, body="An old worry", now=timezone.now() - timedelta(days=40))

    def shown(query):
        html = page_html(mod_client, PENDING + query)
        bodies = [
            "Tax bands explained badly",
            "Ferry timetable question",
            "Signed-in view of the bridge",
            "An old worry",
        ]
        return {body for body in bodies if body in html}

    assert shown(f"?article={budget.pk}") == {"Tax bands explained badly"}
    assert shown("?section=politics") == {"Tax bands explained badly"}
    assert shown("?author=ferry@example.COM") == {"Ferry timetable question"}
    assert shown("?author=tomas") == {"Signed-in view of the bridge"}
    assert shown("?q=timetable") == {"Ferry timetable question"}
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert "An old worry" not in shown(f"?since={since}")
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert shown(f"?until={until}") == {"An old worry"}


def test_an_unknown_author_or_bad_dates_say_what_to_fix(mod_client):
    held(ArticleFactory(), body="Still here")
    html = page_html(mod_client, PENDING + "?author=nobody-like-this")
    assert "No account is called “nobody-like-this”" in html
    assert "Still here" not in html
    html = page_html(mod_client, PENDING + "?since=2026-05-02&until=2026-05-01")
    assert "The end date is before the start date." in html


def test_filters_survive_hostile_input(mod_client):
    held(ArticleFactory(), body="Plain")
    strings = shared_json("strings", "blns.json")
    for text in strings[::8]:
        if "\x00" in text:
            continue
        response = mod_client.get(PENDING, {"q": text, "author": text[:200]})
        assert response.status_code == 200, text
        assert "<script>alert" not in response.content.decode()


def test_queue_pages_go_on_by_keyset_with_a_next_link(mod_client, settings):
    settings.NEWSROOM_MODERATION_PAGE_SIZE = 2
    article = ArticleFactory()
    start = timezone.now() - timedelta(hours=1)
    for n in range(5):
        held(article, body=f"Held number {n}", now=start + timedelta(minutes=n))

    first = mod_client.get(PENDING)
    assert first.context["comments"][0].body == "Held number 4"
    next_url = first.context["next_url"]
    second = mod_client.get(PENDING + next_url)
    third = mod_client.get(PENDING + second.context["next_url"])

    assert [c.body for c in second.context["comments"]] == ["Held number 2", "Held number 1"]
    assert [c.body for c in third.context["comments"]] == ["Held number 0"]
    assert third.context["next_url"] == ""
    oldest = mod_client.get(PENDING + "?order=oldest")
    assert oldest.context["comments"][0].body == "Held number 0"


@pytest.mark.parametrize("queue", ["pending", "reported", "approved"])
def test_queue_page_costs_the_same_queries_with_5_or_50_comments(mod_client, queue):
    def build(count):
        article = ArticleFactory()
        for n in range(count):
            comment = make_comment(
                article,
                body=f"Comment {n} with some words",
                author_email=f"reader{n % 7}@example.com",
                user=UserFactory() if n % 3 == 0 else None,
                status=Comment.Status.PENDING if queue == "pending" else Comment.Status.APPROVED,
            )
            if queue == "reported":
                make_report(comment, note="look")
        return article

    def queries(article):
        with CaptureQueriesContext(connection) as captured:
            response = mod_client.get(f"/moderation/{queue}/?article={article.pk}")
        assert response.status_code == 200
        return len(captured), response

    mod_client.get(PENDING)  # the first staff request of a session also saves the session
    small, response_small = queries(build(5))
    large, response_large = queries(build(50))

    assert len(response_small.context["comments"]) == 5
    assert len(response_large.context["comments"]) == 50
    assert small == large
    # session, user, permissions (user's and groups'), the filter's sections and
    # article, counts, page, authors' history, reports, the site's navigation,
    # and for the masthead the reader profile and the number of held comments.
    assert large == 12


def test_counts_above_the_limit_are_shown_as_estimates(mod_client, settings):
    settings.NEWSROOM_MODERATION_EXACT_COUNT_LIMIT = 3
    article = ArticleFactory()
    for n in range(5):
        held(article, body=f"Held {n}")
    make_comment(article)

    tabs = mod_client.get(PENDING).context["tabs"]
    counts = {tab["count"].queue: tab["count"] for tab in tabs}

    assert counts["approved"].display == "1"
    assert counts["pending"].value >= 3
    if connection.vendor == "postgresql":
        assert counts["pending"].estimated and counts["pending"].display.startswith("≈")
    else:
        assert counts["pending"].display == "3+"


def test_the_log_page_lists_actions_and_nobody_can_change_entries(mod_client, admin_client):
    comment = held(ArticleFactory(), body="Logged")
    mod_client.post(ACT, {"do": f"reject:{comment.pk}", f"reason-{comment.pk}": "off topic"})
    entry = ModerationAction.objects.get(action="reject")

    html = page_html(mod_client, "/moderation/log/")
    assert "Rejected" in html and "maria" in html and "off topic" in html
    assert "pending → rejected" in html

    admin_url = f"/admin/comments/moderationaction/{entry.pk}/"
    assert mod_client.get("/admin/comments/moderationaction/").status_code == 200
    assert admin_client.get("/admin/comments/moderationaction/add/").status_code == 403
    assert admin_client.post(admin_url + "delete/", {"post": "yes"}).status_code == 403
    admin_client.post(admin_url + "change/", {"reason": "rewritten"})
    entry.refresh_from_db()
    assert entry.reason == "off topic"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        ModerationAction.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(TypeError):
        ModerationAction.objects.all().delete()


def test_a_comments_record_shows_its_log_reports_and_earlier_texts(mod_client):
    comment = make_comment(ArticleFactory(), body="First words")
    Comment.objects.filter(pk=comment.pk).update(ip_address="203.0.113.9")
    make_report(comment, reason="spam", note="advert")
    mod_client.post(ACT, {"do": f"dismiss:{comment.pk}"})

    html = page_html(mod_client, f"/moderation/comments/{comment.pk}/")

    assert "First words" in html and "203.0.113.9" in html
    assert "Reports dismissed" in html and "advert" in html and "dismissed" in html


def test_a_queue_row_shows_the_passage_signals_and_reports_and_escapes_reader_text(mod_client):
    from articles.anchoring import BodyText, Selector

    body = "<p>The council voted on Tuesday to close the library in Elm Street.</p>"
    article = ArticleFactory(body=body, title="Library <b>to close</b>")
    words = "close the library"
    text = BodyText.of(article.body).text
    start = text.index(words)
    feedback = make_comment(
        article,
        anchor=Selector(words, text[max(start - 32, 0) : start], "", start, start + len(words)),
        author_name='<img src=x onerror="alert(1)">',
        body="Check out my channel http://spam.example",
    )
    make_report(feedback, reason="spam", note="<script>advert</script>")
    make_report(feedback, reason="abuse")
    Comment.objects.filter(pk=feedback.pk).update(
        spam_signals=[
            {"name": "links", "points": 15, "detail": "1 link"},
            {"name": "history", "points": -25, "detail": "a regular"},
        ],
        spam_score=40,
    )

    html = page_html(mod_client, "/moderation/reported/")

    row = html[html.index(f'id="mod-{feedback.pk}"') :]
    assert "On the passage:</p><p>close the library</p>" in row
    assert '<li class="signal-up"><strong>+15</strong> links: 1 link</li>' in row
    assert '<li class="signal-down"><strong>-25</strong> history: a regular</li>' in row
    assert '<strong class="mod-score is-mid">40</strong>' in row
    assert "2 reports</strong>: abusive, hateful or harassing (1), spam or advertising (1)" in row
    assert "&lt;script&gt;advert&lt;/script&gt;" in row and "<script>advert" not in html
    assert "&lt;img src=x" in row and "<img src=x" not in html
    assert "Library &lt;b&gt;to close&lt;/b&gt;" in row
    assert f'href="/moderation/comments/{feedback.pk}/"' in row
    assert f'href="/moderation/reported/?article={article.pk}"' in row


def test_the_passage_of_inline_feedback_shows_only_when_there_is_one():
    anchored = SimpleNamespace(anchor=SimpleNamespace(exact="the bridge will close"))
    assert passage_of(anchored) == "the bridge will close"
    assert passage_of(SimpleNamespace()) == ""
    assert passage_of(SimpleNamespace(anchor=None)) == ""


def test_admin_actions_go_through_the_services_and_the_log(client):
    user = moderator(username="admin-mod")
    client.force_login(user)
    comments = [held(ArticleFactory()) for _ in range(2)]

    client.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [c.pk for c in comments]},
    )

    assert Comment.objects.filter(status="approved").count() == 2
    assert ModerationAction.objects.filter(action="approve", moderator=user).count() == 2


def test_dismissing_reports_publishes_a_comment_they_held(mod_client, settings):
    settings.NEWSROOM_COMMENT_REPORTS_TO_HOLD = 2
    comment = make_comment(ArticleFactory(), body="Contested but fine")
    make_report(comment, reason="abuse")
    make_report(comment, reason="off_topic", note="not about the article")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    html = page_html(mod_client, "/moderation/reported/")
    assert "Contested but fine" in html and "2 reports" in html
    assert "not about the article" in html

    mod_client.post(ACT, {"bulk": "dismiss", "ids": [comment.pk]})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.report_count == 0
    assert set(Report.objects.values_list("resolution", flat=True)) == {"dismissed"}
    assert "Contested but fine" not in page_html(mod_client, "/moderation/reported/")
    actions = set(ModerationAction.objects.filter(comment=comment).values_list("action", flat=True))
    assert {"held_reported", "dismiss_reports", "approve"} <= actions


def test_a_new_moderators_first_session_is_recorded_step_by_step(
    mod_client, post_data, settings, django_capture_on_commit_callbacks
):
    """Finds a held comment, approves it (its article's follower is notified once),
    rejects another with a reason, bans a spammer by e-mail, handles a reported
    comment: every step is in the log."""
    from django.core import mail
    from django.test import Client

    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    settings.NEWSROOM_COMMENT_REPORTS_TO_HOLD = 1
    article = ArticleFactory(title="Harbour bridge to close")
    subscription(article, "follower@example.com")
    for body, email in [
        ("A fair point about the bridge", "fair@example.com"),
        ("You are all idiots", "rude@example.com"),
        ("Cheap watches at my site", "seller@example.com"),
    ]:
        Client().post("/comments/post/", post_data(article, body=body, email=email))
    fair, rude, spammy = Comment.objects.order_by("pk")
    published = make_comment(
        ArticleFactory(), body="Reported but fine", user=UserFactory(is_staff=True)
    )
    make_report(published, reason="abuse")

    html = page_html(mod_client)
    assert all(c.body in html for c in (fair, rude, spammy))
    assert mail.outbox == []  # held comments notify nobody
    # The worker runs when the approval commits (the notification tests' way).
    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(ACT, {"do": f"approve:{fair.pk}"})
    [notice] = mail.outbox
    assert notice.to == ["follower@example.com"]
    assert notice.subject == "New comment on “Harbour bridge to close”"
    assert "A fair point about the bridge" in notice.body
    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(ACT, {"do": f"reject:{rude.pk}", f"reason-{rude.pk}": "insults"})
        mod_client.post(
            "/moderation/bans/new/",
            {"kind": "email", "email": spammy.author_email, "duration": "30", "comment": spammy.pk,
             "also_spam": "on", "reason": "advertising"},
        )  # fmt: skip
        mod_client.post(ACT, {"do": f"dismiss:{published.pk}"})

    log = page_html(mod_client, "/moderation/log/")
    entries = list(
        ModerationAction.objects.filter(moderator=mod_client.user)
        .order_by("pk")
        .values_list("action", "comment_id")
    )
    assert entries == [
        ("approve", fair.pk),
        ("reject", rude.pk),
        ("ban", spammy.pk),
        ("spam", spammy.pk),
        ("dismiss_reports", published.pk),
        ("approve", published.pk),
    ]
    for text in (
        "Approved",
        "Rejected",
        "insults",
        "Banned",
        "seller@example.com",
        "Reports dismissed",
    ):
        assert text in log
    assert (
        "A fair point about the bridge" in Client().get(article.get_absolute_url()).content.decode()
    )
    refused = Client().post(
        "/comments/post/", post_data(article, body="Back again", email="SELLER@example.com")
    )
    assert refused.status_code == 400 and "suspended until" in refused.content.decode()
    assert len(mail.outbox) == 1  # the approval notified the follower once, nothing since
