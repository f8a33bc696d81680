"""Reader accounts in a real browser: the whole life of an account, and the masthead."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.models import AccountDeletion
from tests.factories import PASSWORD, ArticleFactory, reader

pytestmark = pytest.mark.django_db(transaction=True)


def link_in_last_mail() -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_reader_signs_up_verifies_downloads_their_data_and_deletes_the_account(page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    page.goto("/accounts/signup/")
    page.get_by_label("Display name").fill("Nadia Quill")
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url("**/accounts/confirm-email/")
    assert mail.outbox[-1].to == ["nadia@example.org"]
    page.goto(link_in_last_mail())
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/accounts/")
    assert page.locator("h1").inner_text() == "Your account"
    assert page.locator(".profile-name").inner_text() == "Nadia Quill"
    assert "Nadia Quill" in page.locator("#account-nav").inner_text()

    article = ArticleFactory(title="Ferry timetable changes")
    page.goto(article.get_absolute_url())
    page.locator(".commenting-as").wait_for()
    assert page.locator(".commenting-as").inner_text() == "Commenting as Nadia Quill"
    page.fill("#comment-body", "The early ferry matters to shift workers.")
    page.click("#comment-form button[type=submit]")
    page.get_by_text("Your comment is published.").wait_for()

    page.goto("/accounts/data/")
    page.get_by_role("button", name="Download my data").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Confirm").click()
    download = download_info.value
    assert download.suggested_filename.startswith("newsroom-my-data-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["display_name"] == "Nadia Quill"
    assert data["account"]["email_addresses"][0]["email"] == "nadia@example.org"
    assert [c["text"] for c in data["comments"]] == ["The early ferry matters to shift workers."]

    page.goto("/accounts/delete/")
    page.get_by_label("Keep my comments, signed “a former reader”").check()
    page.get_by_label("I understand that my account cannot be restored.").check()
    page.get_by_role("button", name="Delete my account").click()

    page.wait_for_url("**/accounts/deleted/")
    assert page.locator("h1").inner_text() == "Your account is deleted"
    assert "Sign in" in page.locator("#account-nav").inner_text()
    assert not get_user_model().objects.filter(email="nadia@example.org").exists()
    assert AccountDeletion.objects.get().content == "anonymise"
    page.goto(article.get_absolute_url())
    kept = page.locator("li.comment", has_text="The early ferry matters to shift workers.")
    assert "a former reader" in kept.inner_text()
    assert "Nadia Quill" not in page.content()


def test_signed_in_reader_sees_their_name_on_a_publicly_cached_page(page, live_server):
    rosa = reader(email="rosa@example.org", display_name="Rosa Vale")
    article = ArticleFactory(title="Bridge reopens after repairs")
    page.goto(f"/accounts/login/?next={article.get_absolute_url()}")
    page.get_by_label("E-mail address or username").fill("rosa@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")

    nav = page.locator("#account-nav")
    nav.get_by_text("Rosa Vale").wait_for()
    assert nav.get_by_role("link", name="Your account").is_visible()
    assert nav.get_by_role("button", name="Sign out").is_visible()

    # The page itself is the same bytes for Rosa and for a stranger, and cacheable.
    as_rosa = page.request.get(live_server.url + article.get_absolute_url())
    as_stranger = Client().get(article.get_absolute_url())
    assert as_rosa.body() == as_stranger.content
    assert "public" in as_rosa.headers["cache-control"]
    assert "cookie" not in as_rosa.headers.get("vary", "").lower()
    assert b"Rosa Vale" not in as_rosa.body()

    # On her own public page she is offered to edit it; strangers are not.
    page.goto(rosa.reader_profile.get_absolute_url())
    page.locator(".reader-owner-tools").get_by_role("link", name="Edit your profile").wait_for()

    nav.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/")
    assert nav.get_by_role("link", name="Sign in").is_visible()
    page.goto(rosa.reader_profile.get_absolute_url())
    assert page.locator(".reader-owner-tools").is_hidden()
