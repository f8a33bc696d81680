"""Following discussions through HTTP: "Notify me of", confirmation, manage, unsubscribe.

The ImmediateBackend of the test settings runs the worker's task when a
transaction commits, so with ``django_capture_on_commit_callbacks(execute=True)``
a request's e-mails are in ``mail.outbox`` when it returns.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.apps import apps
from django.core import mail, signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import notifications, services
from comments.models import Comment, NotificationEvent, OutboxMessage, Subscriber, Subscription
from tests.conftest import shared_json
from tests.factories import (
    ArticleFactory,
    UserFactory,
    bulk_subscribers,
    make_comment,
    reader,
    subscription,
)

pytestmark = pytest.mark.django_db
POST_URL = "/comments/post/"
SUBSCRIBE_URL = "/comments/subscribe/"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run what the request committed (the worker's task, at once) before going on."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def link(message, prefix: str) -> str:
    """The path of the link starting with ``prefix`` in an e-mail's text."""
    found = re.search(rf"http://testserver({re.escape(prefix)}[^\s]+)", message.body)
    assert found, f"no {prefix} link in:\n{message.body}"
    return found.group(1)


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def page_text(response) -> str:
    """A page without its per-request parts (CSRF token), to compare two answers."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- The comment form's "Notify me of" ---------------------------------------------------


def test_comment_form_offers_the_notify_choices(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()

    assert "Notify me of" in html
    assert '<option value="article">New follow-up comments</option>' in html
    assert '<option value="replies">New replies to my comments</option>' in html
    assert "csrfmiddlewaretoken" not in html  # the page stays the same for everyone


def test_guest_confirms_follow_up_comments_then_hears_of_each_new_one_but_not_their_own(
    client, post_data, send
):
    article = ArticleFactory(title="Harbour bridge to close for repairs")
    with send():
        response = client.post(POST_URL, post_data(article, notify="article"))
    assert response.status_code == 302
    [confirmation] = mail.outbox
    assert confirmation.to == ["ines@example.com"]
    assert "Confirm" in confirmation.subject and "Harbour bridge" in confirmation.subject
    assert Subscription.objects.get().status == Subscription.Status.PENDING

    with send():
        make_comment(article, body="Before confirming", author_email="tomas@example.com")
    assert len(mail.outbox) == 1  # nothing until the address owner confirms

    confirm_path = link(confirmation, "/comments/subscriptions/confirm/")
    page = client.get(confirm_path)
    assert page.status_code == 200 and "Yes, send me these e-mails" in page.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING  # GET never confirms
    done = client.post(confirm_path)
    assert "Notifications confirmed" in done.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE

    with send():
        reply = make_comment(
            article, body="The closure starts in May.", author_name="Tomás Reyes",
            author_email="tomas@example.com",
        )  # fmt: skip
        make_comment(article, body="My own second comment", author_email="INES@example.com")

    [notice] = to("ines@example.com")[1:]
    assert notice.subject == "New comment on “Harbour bridge to close for repairs”"
    assert "The closure starts in May." in notice.body and "Tomás Reyes" in notice.body
    assert f"http://testserver/comments/{reply.pk}/" in notice.body
    assert "own second comment" not in notice.body


def test_replies_to_my_comment_notify_me_and_other_comments_do_not(client, post_data, send):
    article = ArticleFactory()
    with send():
        client.post(POST_URL, post_data(article, notify="replies"))
    mine = Comment.objects.get()
    client.post(link(mail.outbox[0], "/comments/subscriptions/confirm/"))

    with send():
        make_comment(article, body="A new thread", author_email="a@example.com")
        answer = make_comment(
            article, parent=mine, body="I disagree with you", author_name="Ana",
            author_email="a@example.com",
        )  # fmt: skip
        make_comment(article, parent=answer, body="Deeper down", author_email="b@example.com")

    [notice] = to("ines@example.com")[1:]
    assert notice.subject.startswith("Ana replied to your comment on")
    assert "I disagree with you" in notice.body
    assert "A new thread" not in notice.body and "Deeper down" not in notice.body


def test_a_reader_who_follows_both_gets_one_e_mail_per_reply(send):
    article = ArticleFactory()
    mine = make_comment(article, author_email="ines@example.com")
    subscription(article, "ines@example.com")
    subscription(article, "ines@example.com", comment=mine)

    with send():
        make_comment(article, parent=mine, body="An answer", author_email="x@example.com")

    [notice] = mail.outbox
    assert "replied to your comment" in notice.subject


def test_signed_in_reader_without_verified_address_confirms_by_e_mail(client, post_data, send):
    user = UserFactory(email="rosa@example.com")
    client.force_login(user)
    article = ArticleFactory()

    with send():
        response = client.post(
            POST_URL, post_data(article, notify="article", name=None, email=None),
            HTTP_ACCEPT="application/json",
        )  # fmt: skip

    assert "we have sent it a link to confirm" in response.json()["notify"]
    [confirmation] = mail.outbox
    assert confirmation.to == ["rosa@example.com"]
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_signed_in_reader_without_an_address_is_told_why_and_loses_nothing(client, post_data):
    client.force_login(UserFactory(email=""))
    article = ArticleFactory()

    response = client.post(
        POST_URL, post_data(article, notify="replies", name=None, email=None, body="Keep me")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your account has no e-mail address" in html and "Keep me" in html
    assert not Comment.objects.exists()


def test_a_bad_notify_choice_is_refused_with_the_text_kept(client, post_data):
    article = ArticleFactory()
    response = client.post(POST_URL, post_data(article, notify="everything", body="Keep me"))
    assert response.status_code == 400
    assert "Keep me" in response.content.decode()
    assert not Subscription.objects.exists()


# --- email_is_verified: with and without django-allauth -----------------------------


def test_without_allauth_no_address_counts_as_verified(settings):
    if apps.is_installed("allauth.account"):
        pytest.skip("allauth is installed here; see the test below")
    user = UserFactory(email="rosa@example.com")
    assert notifications.email_is_verified(user, "rosa@example.com") is False


@pytest.mark.skipif(
    not apps.is_installed("allauth.account"), reason="django-allauth is not installed"
)
def test_signed_in_reader_with_verified_address_is_subscribed_without_confirmation(
    client, post_data, send
):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="rosa@example.com")
    EmailAddress.objects.create(user=user, email="Rosa@Example.com", verified=True, primary=True)
    other = UserFactory(email="vera@example.com")
    EmailAddress.objects.create(user=other, email="vera@example.com", verified=False, primary=True)
    assert notifications.email_is_verified(user, "rosa@example.com")
    assert not notifications.email_is_verified(user, "ro%@example.com")
    assert not notifications.email_is_verified(other, "vera@example.com")
    client.force_login(user)
    article = ArticleFactory()

    with send():
        response = client.post(
            POST_URL, post_data(article, notify="article", name=None, email=None),
            HTTP_ACCEPT="application/json",
        )  # fmt: skip

    assert response.json()["notify"] == "We will e-mail you when there is something new."
    assert mail.outbox == []
    subscribed = Subscription.objects.get()
    assert subscribed.status == Subscription.Status.ACTIVE
    assert subscribed.subscriber.user == user


# --- Following without commenting -----------------------------------------------------------


def test_article_page_has_a_follow_form_that_posts_without_javascript_via_the_confirm_page(send):
    article = ArticleFactory()
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(article.get_absolute_url()).content.decode()
    assert f'action="{SUBSCRIBE_URL}"' in html and "Follow this discussion" in html

    # Without JavaScript the cached page has no token: the reader confirms once.
    asked = browser.post(
        SUBSCRIBE_URL, {"article": article.pk, "email": "lena@example.com"},
        HTTP_REFERER=f"http://testserver{article.get_absolute_url()}",
    )  # fmt: skip
    assert asked.status_code == 403 and "Please confirm" in asked.content.decode()
    fields = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page_text(asked))
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', asked.content.decode())[1]
    with send():
        response = browser.post(SUBSCRIBE_URL, {**fields, "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"
    [confirmation] = mail.outbox
    assert confirmation.to == ["lena@example.com"]


def test_follow_form_keeps_the_address_and_says_what_to_fix(client):
    article = ArticleFactory()
    response = client.post(SUBSCRIBE_URL, {"article": article.pk, "email": "lena@example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid e-mail address" in html and 'value="lena@example"' in html
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "email",
    ["", "a" * 250 + "@example.com", "ines\x00@example.com", "\u202e@example.com", "<b>@x.co"],
)
def test_follow_form_refuses_unusable_addresses_with_a_reason(client, email):
    article = ArticleFactory()
    response = client.post(SUBSCRIBE_URL, {"article": article.pk, "email": email})
    assert response.status_code == 400
    assert "e-mail address" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_hostile_strings_never_crash_the_subscription_forms(client, settings):
    settings.NEWSROOM_SUBSCRIBE_RATE = settings.NEWSROOM_SUBSCRIBE_ADDRESS_RATE = "10000/m"
    article = ArticleFactory()
    for text in shared_json("strings", "blns.json")[::7]:
        for url, data in [
            (SUBSCRIBE_URL, {"article": article.pk, "email": f"{text}@example.com"}),
            ("/comments/subscriptions/", {"email": text}),
        ]:
            assert client.post(url, data).status_code in (200, 400), (url, text)
        token = quote(text[:200], safe="")
        assert client.get(f"/comments/unsubscribe/{token}x/").status_code in (400, 404)


def test_follow_form_is_refused_on_closed_and_unknown_articles(client):
    closed = ArticleFactory(comments_mode="closed")
    response = client.post(SUBSCRIBE_URL, {"article": closed.pk, "email": "lena@example.com"})
    assert response.status_code == 400 and "Comments are closed" in response.content.decode()
    assert (
        client.post(SUBSCRIBE_URL, {"article": 999999, "email": "a@example.com"}).status_code == 404
    )
    assert not Subscription.objects.exists()


# --- Unsubscribing ---------------------------------------------------------------------


def test_every_notification_has_rfc8058_one_click_unsubscribe_that_needs_no_csrf_token(send):
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    with send():
        make_comment(article, author_email="x@example.com")
    [notice] = mail.outbox
    headers = notice.message()
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://testserver/comments/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in notice.body  # the same link for people

    # As a mail provider's server does it: no cookie, no token, no page.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        url.removeprefix("http://testserver"), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    again = provider.post(url.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200  # the same answer once gone
    with send():
        make_comment(article, author_email="y@example.com")
    assert len(mail.outbox) == 1


def test_unsubscribe_link_asks_first_so_link_scanners_change_nothing(client):
    article = ArticleFactory(title="Ferry timetable")
    followed = subscription(article, "ines@example.com")
    path = f"/comments/unsubscribe/{notifications.unsubscribe_token(followed)}/"

    page = client.get(path)

    assert "Stop e-mails to" in page.content.decode() and "Ferry timetable" in page.content.decode()
    assert Subscription.objects.exists()
    assert "You are unsubscribed" in client.post(path).content.decode()
    assert not Subscription.objects.exists()


def test_other_views_still_need_a_csrf_token(send):
    article = ArticleFactory()
    pending = subscription(article, "ines@example.com", status="pending")
    strict = Client(enforce_csrf_checks=True)
    confirm_path = f"/comments/subscriptions/confirm/{notifications.confirm_token(pending)}/"
    manage_path = (
        f"/comments/subscriptions/manage/{notifications.manage_token(pending.subscriber)}/"
    )

    assert strict.post(confirm_path).status_code == 403
    assert strict.post(manage_path, {"action": "unsubscribe_all"}).status_code == 403
    assert strict.post(SUBSCRIBE_URL, {"article": article.pk, "email": "a@b.co"}).status_code == 403
    assert Subscription.objects.get().status == Subscription.Status.PENDING


# --- Managing -----------------------------------------------------------------------------


def test_reader_asks_for_a_manage_link_switches_to_digest_and_stops_one_discussion(client, send):
    first, second = ArticleFactory(title="Budget vote"), ArticleFactory(title="Tram line")
    subscription(first, "ines@example.com")
    subscription(second, "ines@example.com")
    form = client.get("/comments/subscriptions/")
    assert "E-mail me a link" in form.content.decode()

    with send():
        sent = client.post("/comments/subscriptions/", {"email": " Ines@Example.COM "})
    assert "If this address follows any discussion" in sent.content.decode()
    [message] = mail.outbox
    manage = link(message, "/comments/subscriptions/manage/")
    html = client.get(manage).content.decode()
    assert "Budget vote" in html and "Tram line" in html and "ines@example.com" in html

    switched = client.post(manage, {"action": "delivery", "delivery": "daily"}, follow=True)
    assert "Saved: One daily digest." in switched.content.decode()
    assert Subscriber.objects.get().delivery == Subscriber.Delivery.DAILY
    stop = Subscription.objects.get(article=first)
    stopped = client.post(manage, {"action": "unsubscribe", "subscription": stop.pk}, follow=True)
    assert "no longer get e-mails about “Budget vote”" in stopped.content.decode()
    assert list(Subscription.objects.values_list("article__title", flat=True)) == ["Tram line"]


def test_one_address_cannot_touch_another_addresss_subscriptions(client):
    article = ArticleFactory()
    mine = subscription(article, "ines@example.com")
    theirs = subscription(article, "tomas@example.com")
    manage = f"/comments/subscriptions/manage/{notifications.manage_token(mine.subscriber)}/"

    client.post(manage, {"action": "unsubscribe", "subscription": theirs.pk})

    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_unsubscribe_from_everything_forgets_the_address(client):
    article = ArticleFactory()
    followed = subscription(article, "ines@example.com")
    manage = f"/comments/subscriptions/manage/{notifications.manage_token(followed.subscriber)}/"

    response = client.post(manage, {"action": "unsubscribe_all"})

    assert "we have forgotten it" in response.content.decode()
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert client.get(manage).status_code == 400


def test_an_expired_manage_link_offers_a_new_one(client):
    followed = subscription(ArticleFactory(), "ines@example.com")
    token = notifications.manage_token(followed.subscriber)

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.get(f"/comments/subscriptions/manage/{token}/")

    assert response.status_code == 400
    assert "work for 30 days" in response.content.decode()
    assert 'action="/comments/subscriptions/"' in response.content.decode()


def test_signed_in_reader_goes_straight_to_their_subscriptions(client):
    user = UserFactory(email="rosa@example.com")
    followed = subscription(ArticleFactory(title="Night buses"), "rosa@example.com", user=user)
    client.force_login(user)

    response = client.get("/comments/subscriptions/", follow=True)

    assert "Night buses" in response.content.decode()
    assert followed.subscriber.email in response.content.decode()


def test_account_menu_links_to_notifications_and_says_when_there_are_none(client):
    client.force_login(reader(email="nadia@example.org"))

    account = client.get("/accounts/").content.decode()
    page = client.get("/comments/subscriptions/").content.decode()

    assert 'href="/comments/subscriptions/">Comment notifications</a>' in account
    assert "Your address follows no discussion yet" in page


def test_manage_page_query_count_does_not_grow_with_subscriptions(client):
    article = ArticleFactory()
    followed = subscription(article, "ines@example.com")
    manage = f"/comments/subscriptions/manage/{notifications.manage_token(followed.subscriber)}/"
    client.get(manage)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(manage).status_code == 200
        return len(queries)

    few = count()
    for _ in range(15):
        subscription(ArticleFactory(), "ines@example.com")
    assert count() == few == 2  # the address and its subscriptions (the menu is cached)


# --- Tokens ----------------------------------------------------------------------------------


def test_a_confirmation_link_works_only_for_its_purpose_subscription_and_address(client):
    mine = subscription(ArticleFactory(), "ines@example.com", status="pending")
    other = subscription(ArticleFactory(), "mallory@example.com", status="pending")
    token = notifications.confirm_token(mine)
    payload = signing.TimestampSigner(salt=notifications.CONFIRM_SALT).unsign_object(token)
    # Even a correctly signed link for another subscription is refused: it
    # carries the digest of the address it was sent to.
    other_id = notifications._sign(notifications.CONFIRM_SALT, {**payload, "s": other.pk})

    assert client.post(f"/comments/subscriptions/confirm/{other_id}/").status_code == 400
    assert client.post(f"/comments/subscriptions/confirm/{token[:-2]}xx/").status_code == 400
    assert client.post(f"/comments/unsubscribe/{token}/").status_code == 400
    unsubscribe = notifications.unsubscribe_token(mine)
    assert client.post(f"/comments/subscriptions/confirm/{unsubscribe}/").status_code == 400
    assert not Subscription.objects.active().exists()
    assert client.post(f"/comments/subscriptions/confirm/{token}/").status_code == 200
    assert list(Subscription.objects.active()) == [mine]


def test_a_confirmation_link_expires_after_three_days(client):
    pending = subscription(ArticleFactory(), "ines@example.com", status="pending")
    token = notifications.confirm_token(pending)

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        response = client.post(f"/comments/subscriptions/confirm/{token}/")

    assert response.status_code == 400 and "has expired" in response.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_a_confirmation_link_cannot_revive_a_subscription_after_unsubscribing(client):
    pending = subscription(ArticleFactory(), "ines@example.com", status="pending")
    token = notifications.confirm_token(pending)
    notifications.unsubscribe(subscription=pending)
    notifications.subscribe(email="ines@example.com", article=pending.article)

    assert client.post(f"/comments/subscriptions/confirm/{token}/").status_code == 400
    assert Subscription.objects.get().status == Subscription.Status.PENDING


# --- Abuse: wpDiscuz CVE-2026-22216 and CVE-2026-22182 ----------------------------------------


@pytest.mark.parametrize("pattern", ["%@example.com", "_nes@example.com", "INES@EXAMPLE.COM "])
def test_addresses_are_matched_exactly_never_as_patterns(client, send, pattern):
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    subscription(article, "tomas@example.com")

    with send():
        client.post("/comments/subscriptions/", {"email": pattern})

    expected = ["ines@example.com"] if pattern.strip().lower() == "ines@example.com" else []
    assert [m.to[0] for m in mail.outbox] == expected


def test_answers_are_the_same_whether_or_not_an_address_is_subscribed(client, send):
    article = ArticleFactory()
    subscription(article, "known@example.com")
    subscription(article, "waiting@example.com", status="pending")

    def ask(url, email, **extra):
        with send():
            return page_text(client.post(url, {"email": email, **extra}))

    for url, extra in [(SUBSCRIBE_URL, {"article": article.pk}), ("/comments/subscriptions/", {})]:
        answers = {
            ask(url, e, **extra)
            for e in ["known@example.com", "waiting@example.com", "new@example.com"]
        }
        assert len(answers) == 1, url


def test_subscribing_is_rate_limited_per_client(client, settings):
    settings.NEWSROOM_SUBSCRIBE_RATE = "3/h"
    article = ArticleFactory()
    for n in range(3):
        response = client.post(SUBSCRIBE_URL, {"article": article.pk, "email": f"v{n}@example.com"})
        assert response.status_code == 200

    refused = client.post(SUBSCRIBE_URL, {"article": article.pk, "email": "v9@example.com"})

    assert refused.status_code == 429 and 'value="v9@example.com"' in refused.content.decode()
    assert Subscriber.objects.count() == 3


def test_subscribing_is_rate_limited_per_address_across_clients(settings):
    settings.NEWSROOM_SUBSCRIBE_ADDRESS_RATE = "2/h"
    article = ArticleFactory()
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post(SUBSCRIBE_URL, {"article": article.pk, "email": "Victim@Example.com"})
        .status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_an_address_gets_few_confirmation_e_mails_a_day_whoever_asks(send, settings):
    settings.NEWSROOM_SUBSCRIBE_ADDRESS_RATE = "1000/h"  # as if the cache were down
    articles = [ArticleFactory() for _ in range(8)]
    for n, article in enumerate(articles):
        with send():
            Client(REMOTE_ADDR=f"203.0.113.{n}").post(
                SUBSCRIBE_URL, {"article": article.pk, "email": "victim@example.com"}
            )

    assert len(mail.outbox) == settings.NEWSROOM_NOTIFY_CONFIRMATIONS_PER_DAY
    assert Subscription.objects.active().count() == 0
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)), send():
        notifications.subscribe(email="victim@example.com", article=ArticleFactory())
    assert len(mail.outbox) == settings.NEWSROOM_NOTIFY_CONFIRMATIONS_PER_DAY + 1


def test_a_comment_notifies_once_however_often_it_is_approved(send, settings):
    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    with send():
        held = make_comment(article, status=Comment.Status.PENDING, author_email="x@example.com")
    assert mail.outbox == [] and not NotificationEvent.objects.exists()

    with send():
        services.comment_approve(comment=held)
    with send():
        services.comment_remove(comment=held)
    with send():
        services.comment_approve(comment=held)
    with send():
        services.comment_vote(comment=held, voter="u:1", value=1)

    assert len(mail.outbox) == 1
    assert NotificationEvent.objects.count() == 1


def test_no_endpoint_can_trigger_notifications(client, send):
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    with send():
        comment = make_comment(article, author_email="x@example.com")
    assert len(mail.outbox) == 1

    with send():
        for path in [
            f"/comments/{comment.pk}/", f"/comments/thread/{comment.pk}/",
            f"/session.json?article={article.pk}",
        ]:  # fmt: skip
            client.get(path)
            client.post(path, {"article": article.pk, "comment_id": comment.pk})
        client.post(f"/comments/{comment.pk}/vote/", {"value": 1})

    assert len(mail.outbox) == 1


def test_posting_costs_the_same_queries_with_no_followers_or_hundreds(
    client, post_data, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    quiet, busy = ArticleFactory(), ArticleFactory()
    bulk_subscribers(busy, 300)

    def cost(article, body):
        # The request and what runs after its commit (waking the worker).
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert client.post(POST_URL, post_data(article, body=body)).status_code == 302
        return len(queries)

    cost(quiet, "warm up")
    assert cost(quiet, "one") == cost(busy, "two")
    assert OutboxMessage.objects.count() == 0  # the fan-out is the worker's job
    assert NotificationEvent.objects.count() == 3
    # One wake-up waiting for the worker, and the periodic pass, however many posts.
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "comments.tasks.deliver_notifications",
        "comments.tasks.notifications_periodic",
    ]


# --- Privacy -------------------------------------------------------------------------------


def test_a_readers_data_download_and_account_deletion_cover_their_subscriptions():
    from accounts import services as account_services

    subscription(ArticleFactory(title="Library hours"), "rosa@example.com")
    subscription(ArticleFactory(), "someone@example.com")
    rosa = reader(email="Rosa@example.com")  # verifying the address claims its subscriptions

    assert Subscriber.objects.get(email="rosa@example.com").user == rosa
    exported = account_services.account_export(user=rosa)["comment-subscriptions"]
    assert exported[0]["email"] == "rosa@example.com"
    assert exported[0]["subscriptions"][0]["article"] == "Library hours"
    deletion = account_services.account_delete(user=rosa, content="anonymise")
    assert deletion.summary["comment-subscriptions"]["subscriptions"] == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone@example.com"]


def test_an_unverified_account_neither_sees_nor_erases_what_its_address_follows():
    subscription(ArticleFactory(title="Library hours"), "victim@example.com")
    impostor = UserFactory(email="victim@example.com")  # signed up, never verified

    assert notifications.export_subscriptions(impostor) == []
    assert notifications.erase_subscriptions(impostor)["subscriptions"] == 0
    assert Subscription.objects.count() == 1
