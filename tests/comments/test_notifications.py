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
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import delivery, notifications, services
from comments.models import (
    Comment,
    NotificationEvent,
    OutboxMessage,
    Subscriber,
    Subscription,
    ThreadMute,
)
from tests.conftest import shared_json
from tests.factories import (
    ArticleFactory,
    UserFactory,
    WordRuleFactory,
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


def test_a_rejected_or_spam_comment_subscribes_nobody_and_sends_no_confirmation(
    client, post_data, send, settings
):
    WordRuleFactory(phrase="crook", kind="banned")
    settings.NEWSROOM_SPAM_HOLD_SCORE, settings.NEWSROOM_SPAM_SCORE = 5, 10  # a link is spam
    article = ArticleFactory()

    with send():
        rejected = client.post(
            POST_URL, post_data(article, body="The mayor is a crook", notify="article"),
            HTTP_ACCEPT="application/json",
        )  # fmt: skip
        offer = "Cheap flights at https://example.org/deals"
        spam = client.post(
            POST_URL,
            post_data(article, body=offer, email="victim@example.com", notify="replies"),
            HTTP_ACCEPT="application/json",
        )

    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["notify"] == (
        "Your comment was not published, so no notifications were set up."
    )
    # Spam looks held to its sender, notify note included.
    assert spam.json()["status"] == "pending" and "link to confirm" in spam.json()["notify"]
    assert sorted(Comment.objects.values_list("status", flat=True)) == ["rejected", "spam"]
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert mail.outbox == []


def test_notify_me_counts_against_the_follow_limits_and_the_comment_is_still_posted(
    post_data, send, settings
):
    settings.NEWSROOM_SUBSCRIBE_ADDRESS_RATE = "2/h"
    article = ArticleFactory()
    follow = {"article": article.pk, "email": "victim@example.com"}
    assert Client(REMOTE_ADDR="198.51.100.1").post(SUBSCRIBE_URL, follow).status_code == 200

    answers = []
    for n in range(2):
        data = post_data(article, body=f"Comment {n}", email="Victim@Example.com", notify="replies")
        with send():
            answers.append(
                Client(REMOTE_ADDR=f"203.0.113.{n}").post(
                    POST_URL, data, HTTP_ACCEPT="application/json"
                )
            )

    assert [answer.status_code for answer in answers] == [201, 201]
    assert "link to confirm" in answers[0].json()["notify"]
    assert answers[1].json()["notify"].startswith("We did not set up the e-mail notifications")
    assert Comment.objects.filter(status="approved").count() == 2
    # The follow and the first comment's replies, each confirmed by e-mail; nothing more.
    assert Subscription.objects.count() == 2
    assert len(mail.outbox) == 2

    # Per client too, and without JavaScript the reader is told on a page of its own.
    settings.NEWSROOM_SUBSCRIBE_RATE = "1/h"
    reader = Client(REMOTE_ADDR="198.51.100.9")
    first = reader.post(POST_URL, post_data(article, email="a@example.com", notify="article"))
    second = reader.post(
        POST_URL, post_data(article, body="And another", email="b@example.com", notify="article")
    )

    assert first.status_code == 302
    html = second.content.decode()
    assert second.status_code == 200 and "Your comment is posted" in html
    assert "We did not set up the e-mail notifications" in html
    assert f'href="/comments/{Comment.objects.get(body="And another").pk}/"' in html
    assert "private" in second["Cache-Control"]
    assert not Subscriber.objects.filter(email="b@example.com").exists()


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


def test_manage_page_query_count_does_not_grow_with_subscriptions_threads_or_mutes(client):
    article = ArticleFactory()
    followed = subscription(article, "ines@example.com")
    manage = f"/comments/subscriptions/manage/{notifications.manage_token(followed.subscriber)}/"
    client.get(manage)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(manage).status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        other = ArticleFactory()
        follows = subscription(other, "ines@example.com")
        subscription(other, "ines@example.com", comment=make_comment(other, author_email="i@x.co"))
        for m in range(3):
            thread = make_comment(other, body=f"Thread {n}.{m}", author_email="x@example.com")
        notifications.mute_thread(subscription=follows, thread=thread)
    delivery.fan_out_events(limit=100)
    html = client.get(manage).content.decode()
    assert html.count("Unmute") == 8 and html.count("Mute thread") == 8 * 3

    # The address, its subscriptions, their muted threads, the threads it heard
    # about (the menu is cached).
    assert count() == few == 4


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


def test_e_mailed_links_are_rate_limited_per_client_and_per_address(settings):
    settings.NEWSROOM_NOTIFY_LINK_RATE = "2/m"
    settings.NEWSROOM_NOTIFY_LINK_ADDRESS_RATE = "3/m"
    article = ArticleFactory()
    ines, tomas = subscription(article, "ines@example.com"), subscription(article, "t@x.co")
    thread = make_comment(article, author_email="x@example.com")
    waiting = subscription(ArticleFactory(), "ines@example.com", status="pending")
    links = {
        "mute": f"/comments/subscriptions/mute/{notifications.mute_token(ines, thread.pk)}/",
        "confirm": f"/comments/subscriptions/confirm/{notifications.confirm_token(waiting)}/",
        "manage": f"/comments/subscriptions/manage/{notifications.manage_token(ines.subscriber)}/",
        "other": f"/comments/subscriptions/mute/{notifications.mute_token(tomas, thread.pk)}/",
    }

    first = Client(REMOTE_ADDR="198.51.100.1")
    assert [first.post(links[name]).status_code for name in ("mute", "confirm", "mute")] == [
        200,
        200,
        429,  # this client
    ]
    second = Client(REMOTE_ADDR="198.51.100.2")
    assert second.post(
        links["manage"], {"action": "delivery", "delivery": "daily"}
    ).status_code == (
        429  # this address, whoever asks
    )
    assert second.post(links["other"]).status_code == 200  # another address
    assert (
        ThreadMute.objects.count() == 2
        and Subscriber.objects.get(email="ines@example.com").delivery == "instant"
    )


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


# --- Done when: the whole way, through HTTP and the real worker -----------------------------

WORKER = ["db_worker", "--batch", "--no-startup-delay", "--no-reload"]


def run_worker() -> None:
    """What ``manage.py db_worker`` does with the tasks the requests queued, then stop."""
    call_command(*WORKER, verbosity=0)


def html_part(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def one_click(url: str):
    """An RFC 8058 unsubscribe, as a mail provider's server sends it: no cookie, no token."""
    return Client(enforce_csrf_checks=True).post(
        url.removeprefix("http://testserver"), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip


def assert_unsubscribable(message) -> str:
    """The message has the RFC 8058 headers and the same link for people; returns it."""
    headers = message.message()
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://testserver/comments/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    assert f'href="{url}"' in html_part(message)
    return url


@pytest.mark.django_db(transaction=True)
def test_guest_follows_a_discussion_end_to_end_through_http_and_the_worker(post_data, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = ArticleFactory(title="Harbour bridge to close")
    lena, tomas = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="203.0.113.9")
    first = tomas.post(
        POST_URL, post_data(article, body="The first comment.", name="Tomás", email="t@example.com")
    )
    assert first.status_code == 302
    thread = Comment.objects.get()

    # A guest follows the discussion without commenting: a confirmation, by the worker.
    asked = lena.post(SUBSCRIBE_URL, {"article": article.pk, "email": "Lena@Example.com"})
    assert "Check your inbox" in asked.content.decode()
    assert mail.outbox == []  # nothing is sent inside a request
    run_worker()
    [confirmation] = mail.outbox
    assert confirmation.to == ["lena@example.com"]
    assert lena.post(link(confirmation, "/comments/subscriptions/confirm/")).status_code == 200

    # Someone else replies: exactly one e-mail, with a working unsubscribe link and headers.
    reply = post_data(
        article, parent=thread.pk, body="Closed from May.", name="Ana", email="a@x.co"
    )
    assert tomas.post(POST_URL, reply).status_code == 302
    # Her own comment tells her nothing.
    own = post_data(article, body="Thanks, useful.", name="Lena", email="LENA@example.com")
    assert lena.post(POST_URL, own).status_code == 302
    run_worker()
    run_worker()  # running it again sends nothing twice
    [notice] = to("lena@example.com")[1:]
    assert notice.subject == "New comment on “Harbour bridge to close”"
    assert "Closed from May." in notice.body and "Thanks, useful." not in notice.body
    url = assert_unsubscribable(notice)

    assert one_click(url).status_code == 200
    assert not Subscription.objects.filter(subscriber__email="lena@example.com").exists()
    later = post_data(article, body="Any news?", name="Ana", email="a@x.co")
    assert tomas.post(POST_URL, later).status_code == 302
    run_worker()
    assert len(to("lena@example.com")) == 2  # no more mails
    assert Comment.objects.filter(status="approved").count() == 4


@pytest.mark.django_db(transaction=True)
def test_guest_hears_of_replies_to_their_comment_end_to_end_through_http_and_the_worker(
    post_data, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = ArticleFactory(title="Tram line extension")
    ines, others = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="203.0.113.9")

    # "Notify me of: new replies to my comments" on the comment form.
    assert ines.post(POST_URL, post_data(article, notify="replies")).status_code == 302
    mine = Comment.objects.get()
    run_worker()
    [confirmation] = mail.outbox
    assert (
        confirmation.to == ["ines@example.com"] and "replies to a comment" not in confirmation.body
    )
    assert "replies to your comment" in confirmation.body
    ines.post(link(confirmation, "/comments/subscriptions/confirm/"))

    def post(client, **data):
        assert client.post(POST_URL, post_data(article, **data)).status_code == 302
        return Comment.objects.latest("pk")

    answer = post(others, parent=mine.pk, body="I disagree.", name="Ana", email="a@x.co")
    post(others, body="A new thread, not a reply.", name="Ana", email="a@x.co")
    post(others, parent=answer.pk, body="Deeper: a reply to Ana.", name="Bo", email="b@x.co")
    post(ines, parent=mine.pk, body="Adding to my own comment.")  # her own reply
    run_worker()
    run_worker()
    [notice] = to("ines@example.com")[1:]
    assert notice.subject == "Ana replied to your comment on “Tram line extension”"
    assert "I disagree." in notice.body
    assert f"http://testserver/comments/{answer.pk}/" in notice.body
    url = assert_unsubscribable(notice)

    # The link in the e-mail, followed by a person: a page that asks, then done.
    path = url.removeprefix("http://testserver")
    assert "Stop e-mails to" in ines.get(path).content.decode()
    assert "You are unsubscribed" in ines.post(path).content.decode()
    post(others, parent=mine.pk, body="Still there?", name="Ana", email="a@x.co")
    run_worker()
    assert len(to("ines@example.com")) == 2  # no more mails


# --- Muting one thread --------------------------------------------------------------------


def test_reader_mutes_one_thread_from_the_e_mail_and_still_hears_of_the_rest(client, send):
    article = ArticleFactory(title="Budget vote")
    follows = subscription(article, "ines@example.com")
    mine = make_comment(article, body="My own comment", author_email="ines@example.com")
    subscription(article, "ines@example.com", comment=mine)
    with send():
        noisy = make_comment(article, body="A heated thread", author_email="x@example.com")
    [notice] = mail.outbox
    mute_path = link(notice, "/comments/subscriptions/mute/")
    assert f'href="http://testserver{mute_path}"' in html_part(notice)

    page = client.get(mute_path)
    assert (
        "Mute this thread" in page.content.decode() and "A heated thread" in page.content.decode()
    )
    assert not follows.muted_threads.exists()  # link scanners change nothing
    done = client.post(mute_path)
    assert "Thread muted" in done.content.decode()
    assert list(follows.muted_threads.values_list("thread_id", flat=True)) == [noisy.pk]

    with send():
        deep = make_comment(
            article, parent=noisy, body="Reply in the muted thread", author_email="y@example.com"
        )
        make_comment(
            article, parent=deep, body="Deeper in the muted thread", author_email="z@example.com"
        )
        make_comment(article, body="Another thread", author_email="y@example.com")
        make_comment(article, parent=mine, body="A reply to me", author_email="y@example.com")
    texts = [m.body for m in mail.outbox[1:]]
    assert len(texts) == 2
    assert "Another thread" in texts[0] and "A reply to me" in texts[1]
    assert Subscription.objects.filter(pk=follows.pk).exists()  # still following


def test_reader_mutes_and_unmutes_a_thread_from_the_manage_page(client, send):
    article = ArticleFactory(title="Night buses")
    follows = subscription(article, "ines@example.com")
    with send():
        first = make_comment(article, body="Thread one", author_email="x@example.com")
        make_comment(article, body="Thread two", author_email="x@example.com")
    manage = f"/comments/subscriptions/manage/{notifications.manage_token(follows.subscriber)}/"
    html = client.get(manage).content.decode()
    assert html.count("Mute thread") == 2 and "Thread one" in html

    muted = client.post(
        manage, {"action": "mute", "subscription": follows.pk, "thread": first.pk}, follow=True
    )
    assert "Thread muted. You still get e-mails about the rest of “Night buses”" in (
        muted.content.decode()
    )
    assert "except 1 muted thread" in muted.content.decode()
    with send():
        make_comment(article, parent=first, body="Quiet please", author_email="y@example.com")
    assert len(mail.outbox) == 2

    mute = follows.muted_threads.get()
    client.post(manage, {"action": "unmute", "subscription": follows.pk, "mute": mute.pk})
    assert not follows.muted_threads.exists()
    with send():
        make_comment(article, parent=first, body="Heard again", author_email="y@example.com")
    assert "Heard again" in mail.outbox[-1].body


def test_a_mute_link_works_only_for_its_subscription_thread_and_address(client):
    article, elsewhere = ArticleFactory(), ArticleFactory()
    follows = subscription(article, "ines@example.com")
    theirs = subscription(article, "tomas@example.com")
    thread = make_comment(article, author_email="x@example.com")
    foreign = make_comment(elsewhere, author_email="x@example.com")
    token = notifications.mute_token(follows, thread.pk)
    payload = signing.TimestampSigner(salt=notifications.MUTE_SALT).unsign_object(token)

    for forged in [
        notifications._sign(notifications.MUTE_SALT, {**payload, "t": foreign.pk}),
        notifications._sign(notifications.MUTE_SALT, {**payload, "s": theirs.pk}),
        notifications.unsubscribe_token(follows),
        f"{token[:-2]}xx",
    ]:
        assert client.post(f"/comments/subscriptions/mute/{forged}/").status_code == 400
    assert not ThreadMute.objects.exists()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/comments/subscriptions/mute/{token}/").status_code == 403
    notifications.unsubscribe(subscription=follows)
    response = client.get(f"/comments/subscriptions/mute/{token}/")
    assert response.status_code == 400 and "no longer be muted" in response.content.decode()


# --- What the audit of the issue added ------------------------------------------------------


def test_an_address_that_never_confirmed_gets_no_manage_link(client, send):
    subscription(ArticleFactory(), "waiting@example.com", status="pending")

    with send():
        answer = client.post("/comments/subscriptions/", {"email": "waiting@example.com"})

    assert "If this address follows any discussion" in answer.content.decode()
    assert mail.outbox == []  # nothing but its confirmation request, ever


def test_replying_to_your_own_comment_does_not_e_mail_you(send):
    article = ArticleFactory()
    mine = make_comment(article, author_email="ines@example.com")
    subscription(article, "ines@example.com", comment=mine)

    with send():
        make_comment(article, parent=mine, author_email="Ines@Example.com", body="P.S.")

    assert mail.outbox == []


def test_an_approval_that_is_rolled_back_notifies_nobody(send, settings):
    from django.db import transaction

    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    article = ArticleFactory()
    subscription(article, "ines@example.com")
    held = make_comment(article, author_email="x@example.com", status="pending")

    with send(), pytest.raises(RuntimeError), transaction.atomic():
        services.comment_approve(comment=held)
        raise RuntimeError("the moderator's request failed after the approval")

    assert not NotificationEvent.objects.exists() and mail.outbox == []
    with send():
        services.comment_approve(comment=held)
    assert len(mail.outbox) == 1


def test_site_name_and_address_in_e_mails_come_from_settings(send, settings):
    settings.NEWSROOM_SITE_NAME = "The Harbour Herald"
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    article = ArticleFactory()
    subscription(article, "ines@example.com")

    with send():
        comment = make_comment(article, author_email="x@example.com")

    [notice] = mail.outbox
    assert f"https://news.example.org/comments/{comment.pk}/" in notice.body
    assert notice.message()["List-Unsubscribe"].startswith("<https://news.example.org/")
    assert re.search(
        r'<a href="https://news.example.org/"[^>]*>The Harbour Herald</a>', html_part(notice)
    )
