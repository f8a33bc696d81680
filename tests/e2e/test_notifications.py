"""Following a discussion in a real browser: the article page's script, the private pages."""

import re

import pytest
from django.core import mail

from comments.models import Subscriber, Subscription
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def path_in(message, prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S+)", message.body).group(1)


def test_reader_follows_confirms_and_manages_a_discussion_without_commenting(page, settings):
    settings.NEWSROOM_SITE_URL = "http://testserver"
    article = ArticleFactory(title="Night buses return")
    page.goto(article.get_absolute_url())
    form = page.locator("[data-subscribe-form]")
    form.locator("input[name=csrfmiddlewaretoken]").wait_for(state="attached")

    form.locator("input[name=email]").fill("lena@example.com")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Check your inbox")

    [confirmation] = mail.outbox
    assert confirmation.to == ["lena@example.com"]
    page.goto(path_in(confirmation, "/comments/subscriptions/confirm/"))
    page.click("text=Yes, send me these e-mails")
    page.wait_for_selector("text=Notifications confirmed")
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE

    page.click("text=Manage your notifications")
    page.wait_for_selector("text=Night buses return")
    page.check("input[value=daily]")
    page.click(".delivery-form button[type=submit]")
    page.wait_for_selector("text=Saved: One daily digest.")
    assert Subscriber.objects.get().delivery == "daily"


def test_comment_with_a_notify_choice_says_what_happens_next(page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = ArticleFactory()
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")
    page.fill("#comment-body", "Following this one.")
    page.fill("#comment-name", "Ines Park")
    page.fill("#comment-email", "ines@example.com")
    page.select_option("#comment-notify", "replies")

    page.click("#comment-form button[type=submit]")

    page.wait_for_selector("text=we have sent it a link to confirm them")
    assert Subscription.objects.get().kind == Subscription.Kind.REPLIES
    assert [m.to for m in mail.outbox] == [["ines@example.com"]]
