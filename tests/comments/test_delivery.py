"""The notification worker: fan-out, retries, a killed worker, digests, the db_worker.

These tests drive the worker themselves (the task functions, or the real
``db_worker`` command against the database backend), with mail backends that
fail on purpose (tests/comments/mailbackends.py) and a clock moved by
time-machine instead of sleeps.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import delivery, notifications, services, tasks
from comments.models import NotificationEvent, OutboxMessage, Subscriber, Subscription
from tests.comments.mailbackends import (
    DyingBackend,
    FlakyBackend,
    MeanwhileBackend,
    WorkerKilled,
)
from tests.factories import ArticleFactory, bulk_subscribers, make_comment, subscription
from tests.safety import executable_parts

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MINUTE = timedelta(minutes=1)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.comments.mailbackends.FlakyBackend"
    FlakyBackend.failures = 0
    FlakyBackend.attempts = 0
    return FlakyBackend


def states() -> Counter:
    return Counter(OutboxMessage.objects.values_list("state", flat=True))


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def html_part(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


# --- Fan-out ----------------------------------------------------------------------------


def test_one_event_becomes_one_message_per_follower_but_not_for_the_commenter():
    article = ArticleFactory()
    bulk_subscribers(article, 120)
    subscription(article, "author@example.com")
    comment = make_comment(article, author_email="Author@Example.com")

    assert delivery.fan_out_events() == {"events": 1, "messages": 120}

    assert states() == {"pending": 120}
    assert not OutboxMessage.objects.filter(subscriber__email="author@example.com").exists()
    assert NotificationEvent.objects.get().recipients == 120
    assert delivery.fan_out_events() == {"events": 0, "messages": 0}
    delivery._fan_out(comment, now=timezone.now())  # even a repeat adds nothing
    assert OutboxMessage.objects.count() == 120


def test_fan_out_makes_no_query_per_follower():
    def cost(followers: int) -> Counter:
        article = ArticleFactory()
        bulk_subscribers(article, followers, prefix=f"f{followers}-")
        make_comment(article, author_email="x@example.com")
        with CaptureQueriesContext(connection) as queries:
            assert delivery.fan_out_events()["messages"] == followers
        return Counter(q["sql"].split()[0] for q in queries)

    few, many = cost(10), cost(900)
    # Inserts go in batches (SQLite takes ~70 rows per statement, PostgreSQL 1,000).
    assert many["INSERT"] <= 15
    assert {k: v for k, v in few.items() if k != "INSERT"} == {
        k: v for k, v in many.items() if k != "INSERT"
    }


def test_signed_in_commenter_is_not_told_of_their_own_comment_under_another_address():
    from tests.factories import UserFactory

    user = UserFactory(email="new@example.com")
    article = ArticleFactory()
    subscription(article, "old@example.com", user=user)
    make_comment(article, user=user)

    assert delivery.fan_out_events()["messages"] == 0


# --- Sending and retrying ---------------------------------------------------------------------


@pytest.mark.parametrize("delivery_mode", ["instant", "daily"])
def test_sending_costs_two_queries_per_message_its_claim_and_its_mark_plus_a_few_per_batch(
    delivery_mode,
):
    def cost(followers: int) -> tuple[int, int]:
        article = ArticleFactory()
        bulk_subscribers(article, followers, delivery=delivery_mode, prefix=f"s{followers}-")
        for n in range(3):
            make_comment(article, body=f"Comment {n}", author_email="x@example.com")
        delivery.fan_out_events()
        tomorrow = timezone.now() + timedelta(days=1)
        delivery.build_digests(now=tomorrow)
        with CaptureQueriesContext(connection) as queries:
            stats = delivery.deliver_due(now=tomorrow, limit=100)
        OutboxMessage.objects.all().delete()
        return stats["sent"], len(queries)

    (few, few_queries), (many, many_queries) = cost(4), cost(11)
    assert many_queries - few_queries == 2 * (many - few)


def test_a_failing_mail_server_is_retried_with_doubling_delays_until_it_recovers(flaky):
    flaky.failures = 3
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    make_comment(article, author_email="x@example.com")
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        tasks.deliver_notifications.call()
        message = OutboxMessage.objects.get()
        assert (message.state, message.attempts) == ("pending", 1)
        assert message.due_at == start + MINUTE
        assert message.last_error.startswith("SMTPServerDisconnected")
        clock.shift(MINUTE - timedelta(seconds=1))
        assert delivery.run()["claimed"] == 0  # not before it is due
        for wait in (1 * MINUTE, 2 * MINUTE, 4 * MINUTE):
            clock.move_to(OutboxMessage.objects.get().due_at)
            delivery.run()
            message.refresh_from_db()
            if message.state == "pending":
                assert message.due_at == timezone.now() + 2 * wait

    assert (message.state, message.attempts, message.last_error) == ("sent", 4, "")
    assert flaky.attempts == 4
    assert len(mail.outbox) == 1


def test_mail_server_failing_at_first_then_recovering_every_subscriber_gets_exactly_one(flaky):
    flaky.failures = 8
    article = ArticleFactory()
    followers = bulk_subscribers(article, 12)
    make_comment(article, author_email="x@example.com", body="The news")
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        tasks.deliver_notifications.call()  # what the worker runs when woken
        assert mail.outbox == []  # the server refused the first attempts
        for _ in range(10):
            waiting = OutboxMessage.objects.filter(state="pending")
            if not waiting.exists():
                break
            clock.move_to(max(waiting.values_list("due_at", flat=True)))
            tasks.deliver_notifications.call()

    assert flaky.attempts == 12 + 8  # every failure was tried again
    assert Counter(m.to[0] for m in mail.outbox) == Counter(f.email for f in followers)
    assert set(Counter(m.to[0] for m in mail.outbox).values()) == {1}
    assert states() == {"sent": 12}


def test_a_dead_mail_server_does_not_hold_the_worker_for_the_whole_batch(flaky):
    flaky.failures = 100
    article = ArticleFactory()
    bulk_subscribers(article, 6)
    make_comment(article, author_email="x@example.com")
    delivery.fan_out_events()

    stats = delivery.deliver_due()

    assert (stats["claimed"], stats["retrying"]) == (6, 3)
    assert flaky.attempts == 3  # then it stopped trying
    untried = OutboxMessage.objects.filter(attempts=0)
    assert untried.count() == 3 and {m.state for m in untried} == {"pending"}
    assert "not tried" in untried.first().last_error


def test_after_the_last_attempt_a_message_is_failed_and_staff_can_send_it_again(
    flaky, settings, admin_client, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_NOTIFY_MAX_ATTEMPTS = 3
    flaky.failures = 3
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    make_comment(article, author_email="x@example.com")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            delivery.run()
            clock.shift(timedelta(hours=1))
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == ("failed", 3)

    listing = admin_client.get("/admin/comments/outboxmessage/?state__exact=failed")
    html = listing.content.decode()
    assert "ines@example.com" in html and "SMTPServerDisconnected" in html
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/comments/outboxmessage/",
            {"action": "retry", "_selected_action": [message.pk]},
        )

    message.refresh_from_db()
    assert (message.state, message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_batch_loses_nothing_and_resends_nothing_it_marked_sent(settings):
    settings.EMAIL_BACKEND = "tests.comments.mailbackends.DyingBackend"
    DyingBackend.accept, DyingBackend.accepted = 2, 0
    article = ArticleFactory()
    bulk_subscribers(article, 5)
    make_comment(article, author_email="x@example.com")
    delivery.fan_out_events()

    with pytest.raises(WorkerKilled):
        delivery.deliver_due()

    assert states() == {"sent": 2, "sending": 3}
    assert len(mail.outbox) == 3  # the 3rd was accepted just before the worker died
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.deliver_due()["claimed"] == 0  # their lease still holds
    lease = timedelta(seconds=settings.NEWSROOM_NOTIFY_LEASE)
    with time_machine.travel(timezone.now() + lease + MINUTE):
        assert delivery.deliver_due()["sent"] == 3

    assert states() == {"sent": 5}
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 6 and len(set(ids)) == 5
    first, again = [m for m in mail.outbox if m.extra_headers["Message-ID"] == ids[2]]
    assert (first.body, first.extra_headers) == (again.body, again.extra_headers)


def test_a_worker_that_outran_its_lease_sends_only_what_it_still_holds(settings, monkeypatch):
    """Two workers: the first stalls past its lease after claiming a batch; while it
    sends its first message (lease renewed), the second claims and sends the rest."""
    settings.EMAIL_BACKEND = "tests.comments.mailbackends.MeanwhileBackend"
    article = ArticleFactory()
    followers = bulk_subscribers(article, 3)
    make_comment(article, author_email="x@example.com")
    delivery.fan_out_events()
    lease = timedelta(seconds=settings.NEWSROOM_NOTIFY_LEASE)
    claim, stalled, second = delivery.claim, [], {}

    def claim_then_stall(**kwargs):
        batch = claim(**kwargs)
        if not stalled:  # the first worker only
            stalled.append(True)
            clock.shift(lease + MINUTE)
        return batch

    monkeypatch.setattr(delivery, "claim", claim_then_stall)
    MeanwhileBackend.meanwhile = lambda: second.update(delivery.deliver_due())
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = delivery.deliver_due()

    assert Counter(m.to[0] for m in mail.outbox) == Counter(f.email for f in followers)
    assert len(mail.outbox) == 3 and states() == {"sent": 3}
    assert (first["claimed"], first["sent"], first["taken_over"]) == (3, 1, 2)
    assert (second["claimed"], second["sent"]) == (2, 2)


def test_messages_about_removed_comments_or_stopped_subscriptions_are_not_sent():
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    leaving = subscription(article, "tomas@example.com")
    removed = make_comment(article, author_email="x@example.com")
    kept = make_comment(article, author_email="x@example.com", body="Still here")
    delivery.fan_out_events()

    services.comment_remove(comment=removed)
    notifications.unsubscribe(subscription=leaving)
    stats = delivery.deliver_due()

    assert (stats["sent"], stats["skipped"]) == (1, 1)
    [sent] = mail.outbox
    assert sent.to == ["ines@example.com"] and "Still here" in sent.body
    assert OutboxMessage.objects.get(comment=kept).state == "sent"


# --- The e-mails ---------------------------------------------------------------------------------


def test_notification_e_mail_is_safe_and_identifies_itself(django_capture_on_commit_callbacks):
    article = ArticleFactory(title="Harbour <b>bridge</b>")
    subscription(article, "ines@example.com")
    hostile = "Eve\u202e <script>alert(1)</script>\nBcc: all@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(
            article, author_name=hostile, author_email="eve@example.com",
            body='<img src=x onerror="alert(1)"> see https://example.com/x',
        )  # fmt: skip

    [message] = mail.outbox
    assert "\n" not in message.subject and "\u202e" not in message.subject
    assert message.subject.startswith("New comment on “Harbour <b>bridge</b>”")
    html = html_part(message)
    # Nothing a mail program could run. Our own <meta> tags and the inlined
    # style attributes aside (no CSP applies in a mail program).
    problems = executable_parts(re.sub(r"<meta [^>]+>", "", html))
    assert [p for p in problems if not p.endswith("[style]")] == []
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt; Bcc: all@example.com</bdi>" in html
    assert 'style="' in html  # the stylesheet is inlined for mail programs
    headers = message.message()
    assert re.fullmatch(r"<newsroom\.comment\.\d+\.\d+@testserver>", headers["Message-ID"])
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["List-Id"] == "Comment notifications <comments.testserver>"
    assert headers["References"] == f"<newsroom.article.{article.pk}@testserver>"
    assert "http://testserver/comments/subscriptions/manage/" in message.body


# --- Daily digests -------------------------------------------------------------------------------


def test_daily_digest_gathers_the_days_comments_once_however_often_it_runs(settings):
    settings.NEWSROOM_DIGEST_HOUR = 7
    zone = timezone.get_current_timezone()
    with time_machine.travel(datetime(2026, 11, 24, 10, 0, tzinfo=zone), tick=False) as clock:
        bridge, tram = ArticleFactory(title="Bridge"), ArticleFactory(title="Tram")
        subscription(bridge, "ines@example.com", delivery="daily")
        subscription(tram, "ines@example.com")
        subscription(bridge, "tomas@example.com")  # instant
        make_comment(bridge, body="About the bridge", author_email="a@example.com")
        make_comment(tram, body="About the tram", author_email="a@example.com")
        delivery.run()
        assert len(to("tomas@example.com")) == 1 and to("ines@example.com") == []
        assert states()["held"] == 2

        clock.move_to(datetime(2026, 11, 25, 6, 59, tzinfo=zone))
        tasks.notifications_periodic.call()
        assert to("ines@example.com") == []

        clock.move_to(datetime(2026, 11, 25, 7, 5, tzinfo=zone))
        call_command("send_digests", verbosity=0)
        call_command("send_digests", verbosity=0)
        tasks.notifications_periodic.call()
        [digest] = to("ines@example.com")
        assert digest.subject == "Your daily digest: 2 new comments in 2 discussions"
        assert "About the bridge" in digest.body and "About the tram" in digest.body
        assert digest.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        make_comment(bridge, body="After the digest", author_email="b@example.com")
        delivery.run()
        call_command("send_digests", verbosity=0)
        assert len(to("ines@example.com")) == 1  # tomorrow's

        clock.move_to(datetime(2026, 11, 26, 7, 1, tzinfo=zone))
        tasks.notifications_periodic.call()
    assert len(to("ines@example.com")) == 2
    assert "After the digest" in to("ines@example.com")[1].body


def test_digest_unsubscribe_link_stops_everything_for_the_address(client, settings):
    subscriber = subscription(ArticleFactory(), "ines@example.com", delivery="daily").subscriber
    token = notifications.unsubscribe_all_token(subscriber)

    response = client.post(f"/comments/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


# --- The tasks on the real worker ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_sends_what_a_request_queued_and_retries_later(
    client, post_data, settings, flaky
):
    settings.TASKS = DB_TASKS
    article = ArticleFactory()
    subscription(article, "tomas@example.com")
    flaky.failures = 1

    assert client.post("/comments/post/", post_data(article)).status_code == 302
    assert mail.outbox == [] and OutboxMessage.objects.count() == 0
    waiting = DBTaskResult.objects.filter(status="READY")
    assert sorted(waiting.values_list("task_path", flat=True)) == [
        "comments.tasks.deliver_notifications",
        "comments.tasks.notifications_periodic",
    ]

    worker = ["db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    call_command(*worker, verbosity=0)
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == ("pending", 1)
    retry = DBTaskResult.objects.get(
        task_path="comments.tasks.deliver_notifications", status="READY"
    )
    assert retry.run_after == message.due_at  # the worker wakes itself for the retry

    with time_machine.travel(message.due_at + timedelta(seconds=1)):
        call_command(*worker, verbosity=0)

    message.refresh_from_db()
    assert message.state == "sent"
    [sent] = mail.outbox
    assert sent.to == ["tomas@example.com"]
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    assert waiting.filter(task_path="comments.tasks.notifications_periodic").count() == 1


def test_the_periodic_pass_keeps_exactly_one_next_run_scheduled(settings):
    settings.TASKS = DB_TASKS
    periodic = DBTaskResult.objects.filter(
        task_path="comments.tasks.notifications_periodic", status="READY"
    )
    tasks.wake()
    tasks.wake()
    assert periodic.count() == 1
    first = periodic.get()
    assert first.run_after > timezone.now()
    assert (
        DBTaskResult.objects.filter(task_path="comments.tasks.deliver_notifications").count() == 1
    )

    first.claim("test-worker")  # as db_worker does, then runs it:
    tasks.notifications_periodic.call()

    assert periodic.count() == 1 and periodic.get().pk != first.pk


def test_send_notifications_command_drains_the_outbox(capsys):
    article = ArticleFactory()
    bulk_subscribers(article, 7)
    make_comment(article, author_email="x@example.com")

    call_command("send_notifications", "--digests", "--purge", verbosity=0)
    call_command("send_notifications", verbosity=0)

    assert len(mail.outbox) == 7
    assert states() == {"sent": 7}


def test_clean_up_forgets_old_messages_expired_requests_and_empty_addresses(settings):
    article = ArticleFactory()
    kept = subscription(article, "ines@example.com")
    subscription(article, "never@example.com", status="pending")
    make_comment(article, author_email="x@example.com")
    delivery.run()
    assert states() == {"sent": 1}

    later = timezone.now() + timedelta(days=settings.NEWSROOM_NOTIFY_RETENTION_DAYS + 1)
    with time_machine.travel(later):
        delivery.purge()
        assert OutboxMessage.objects.count() == 0
        assert NotificationEvent.objects.count() == 0
        assert list(Subscription.objects.all()) == [kept]
        delivery.purge()  # the address left without subscriptions goes next
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ines@example.com"]


def test_a_comment_held_again_before_the_fan_out_notifies_once_it_is_approved():
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    comment = make_comment(article, author_email="x@example.com", body="Published, then held")
    services.comment_set_status(comment=comment, status="pending", reason="reported")

    assert delivery.fan_out_events() == {"events": 1, "messages": 0}
    assert not NotificationEvent.objects.exists()
    services.comment_approve(comment=comment)
    services.comment_approve(comment=comment)
    delivery.run()

    [notice] = mail.outbox
    assert "Published, then held" in notice.body
    assert NotificationEvent.objects.get().recipients == 1


def test_a_thread_muted_after_the_fan_out_is_left_out_of_waiting_messages_and_digests():
    article = ArticleFactory()
    instant = subscription(article, "ines@example.com")
    daily = subscription(article, "tomas@example.com", delivery="daily")
    noisy = make_comment(article, body="Noisy thread", author_email="x@example.com")
    make_comment(article, body="Quiet thread", author_email="x@example.com")
    make_comment(article, parent=noisy, body="Noisy reply", author_email="y@example.com")
    delivery.fan_out_events()
    assert states() == {"pending": 3, "held": 3}

    notifications.mute_thread(subscription=instant, thread=noisy)
    notifications.mute_thread(subscription=daily, thread=noisy)
    tomorrow = timezone.now() + timedelta(days=1)
    delivery.build_digests(now=tomorrow)
    stats = delivery.deliver_due(now=tomorrow)

    assert (stats["sent"], stats["skipped"]) == (2, 2)
    [notice] = to("ines@example.com")
    assert "Quiet thread" in notice.body
    [digest] = to("tomas@example.com")
    assert digest.subject == "Your daily digest: 1 new comment in 1 discussion"
    assert "Quiet thread" in digest.body and "Noisy" not in digest.body
    assert "/comments/subscriptions/mute/" in digest.body  # mute from the digest too
