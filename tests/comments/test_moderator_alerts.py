"""Moderators e-mailed of held comments (``NEWSROOM_NOTIFY_MODERATORS_OF_HELD``).

A comment held for review (when posted, after its author's edit, after
readers' reports) queues an alert per moderator in the same transaction; the
worker sends it with what is waiting *then*, at most once per moderator per
``NEWSROOM_NOTIFY_MODERATORS_INTERVAL``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import delivery, notifications, services
from comments.models import Comment, OutboxMessage
from tests.factories import (
    ArticleFactory,
    UserFactory,
    editor,
    make_comment,
    make_report,
    moderator,
    subscription,
)

pytestmark = pytest.mark.django_db
POST_URL = "/comments/post/"
MINUTE = timedelta(minutes=1)


@pytest.fixture
def alerts_on(settings):
    settings.NEWSROOM_NOTIFY_MODERATORS_OF_HELD = True
    settings.NEWSROOM_NOTIFY_MODERATORS_INTERVAL = 15 * 60
    settings.NEWSROOM_COMMENT_PREMODERATION = "all"  # every comment is held when posted
    return settings


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def alerts() -> list:
    return [m for m in mail.outbox if "waiting for moderation" in m.subject]


def held(article, body="Buy cheap watches", **kwargs):
    return make_comment(
        article, body=body, status="pending", author_email="x@example.com", **kwargs
    )


def test_moderators_hear_nothing_of_held_comments_unless_the_site_asks_for_it(send, settings):
    assert settings.NEWSROOM_NOTIFY_MODERATORS_OF_HELD is False  # the default
    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    moderator(email="mo@example.com")
    with send():
        held(ArticleFactory())

    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(kind="moderation").exists()


def test_a_comment_held_on_posting_e_mails_each_moderator_a_link_to_it_in_the_workspace(
    client, post_data, alerts_on, send
):
    mo = moderator(email="mo@example.com")
    moderator(email="ray@example.com")
    moderator(email="gone@example.com", is_active=False)
    moderator(email="")  # nowhere to send it
    editor(email="ed@example.com")  # editors are not moderators
    UserFactory(email="root@example.com", is_superuser=True, is_staff=True)  # not on the rota
    helper = UserFactory(email="helper@example.com")
    helper.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    article = ArticleFactory(title="Harbour bridge")
    subscription(article, "follower@example.com")

    with send():
        response = client.post(POST_URL, post_data(article, body="Hold me, please."))

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "helper@example.com",
        "mo@example.com",
        "ray@example.com",
    ]  # and nothing to the article's follower while the comment is held
    message = next(m for m in mail.outbox if m.to == ["mo@example.com"])
    assert message.subject == "1 comment waiting for moderation on The Newsroom Courier"
    assert "Hold me, please." in message.body and "Harbour bridge" in message.body
    review = f"http://testserver/moderation/comments/{comment.pk}/"
    assert review in message.body
    [(html, _)] = message.alternatives
    assert f'href="{review}"' in html and 'href="http://testserver/moderation/pending/"' in html
    assert "List-Unsubscribe" not in message.extra_headers  # staff mail, not a mailing list

    client.force_login(mo)
    page = client.get(review.removeprefix("http://testserver"))
    assert page.status_code == 200 and "Hold me, please." in page.content.decode()


def test_the_alert_is_written_in_the_transaction_that_holds_the_comment(alerts_on, send):
    moderator(email="mo@example.com")
    article = ArticleFactory()

    with send(), pytest.raises(RuntimeError), transaction.atomic():
        held(article)
        raise RuntimeError("the request failed after holding the comment")

    assert not OutboxMessage.objects.exists() and mail.outbox == []


def test_a_spam_wave_becomes_one_summary_per_moderator_per_interval(alerts_on):
    moderator(email="mo@example.com")
    moderator(email="ray@example.com")
    article = ArticleFactory()
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        held(article, body="The first one")
        delivery.run()
        assert len(alerts()) == 2  # at once: nobody was alerted lately

        for n in range(30):
            clock.shift(timedelta(seconds=20))
            held(article, body=f"Spam number {n}")
        delivery.run()
        assert len(alerts()) == 2  # the next one waits for the interval
        assert OutboxMessage.objects.filter(kind="moderation", state="pending").count() == 2

        clock.move_to(start + 15 * MINUTE)
        delivery.run()

    assert Counter(m.to[0] for m in alerts()) == {"mo@example.com": 2, "ray@example.com": 2}
    summary = alerts()[-1]
    assert summary.subject == "31 comments waiting for moderation on The Newsroom Courier"
    assert "Spam number 29" in summary.body and "And 21 more in the queue." in summary.body
    assert len(re.findall(r"/moderation/comments/\d+/", summary.body)) == 10


def test_a_comment_held_while_an_alert_waits_costs_two_queries(alerts_on):
    for n in range(5):
        moderator(email=f"mo{n}@example.com")
    article = ArticleFactory()
    first = held(article)
    assert OutboxMessage.objects.filter(kind="moderation").count() == 5
    second = Comment.objects.create(
        article=article,
        author_name="X",
        body="Y",
        body_html="<p>Y</p>",
        created_at=first.created_at,
    )

    with CaptureQueriesContext(connection) as queries:
        assert notifications.comment_held(second) == 0

    assert len(queries) == 2  # who moderates; which of them have an alert waiting


def test_comments_held_after_an_edit_or_after_reports_alert_moderators_too(alerts_on, send):
    alerts_on.NEWSROOM_COMMENT_PREMODERATION = "none"
    moderator(email="mo@example.com")
    article = ArticleFactory()
    with send():
        edited = make_comment(article, body="Fine words", client_hash="me")
    assert mail.outbox == []
    with send():
        services.comment_edit(
            comment=edited, user=None, client_hash="me",
            body="Now see https://a.example.com, https://b.example.org and https://c.example.net",
        )  # fmt: skip
    assert Comment.objects.get(pk=edited.pk).status == "pending"
    assert len(alerts()) == 1

    OutboxMessage.objects.update(sent_at=timezone.now() - timedelta(hours=1))
    reported = make_comment(article, body="Rude words", author_email="r@example.com")
    with send():
        for _ in range(alerts_on.NEWSROOM_COMMENT_REPORTS_TO_HOLD):
            make_report(reported)
    assert Comment.objects.get(pk=reported.pk).status == "pending"
    assert len(alerts()) == 2
    assert "reported by 3 readers" in alerts()[-1].body


def test_an_alert_is_dropped_when_nothing_waits_any_more_or_the_moderator_left(alerts_on, send):
    mo = moderator(email="mo@example.com")
    article = ArticleFactory()
    comment = held(article)
    services.comment_approve(comment=comment)  # dealt with before the worker ran

    assert delivery.run()["skipped"] == 1
    held(article)
    mo.groups.clear()
    assert delivery.run()["skipped"] == 1
    assert mail.outbox == []


def test_approving_a_held_comment_then_notifies_the_followers_once(alerts_on, send):
    moderator(email="mo@example.com")
    article = ArticleFactory()
    subscription(article, "follower@example.com")
    with send():
        comment = held(article, body="Worth reading")
    assert [m.to for m in mail.outbox] == [["mo@example.com"]]

    with send():
        services.comment_approve(comment=comment)
        services.comment_approve(comment=comment)

    assert [m.to for m in mail.outbox] == [["mo@example.com"], ["follower@example.com"]]
