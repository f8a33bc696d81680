"""The comment area's JavaScript paths in a real browser."""

import pytest

from comments import services
from comments.models import Comment
from tests.factories import PASSWORD, ArticleFactory, make_comment, reader

pytestmark = pytest.mark.django_db(transaction=True)
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect


def fill_guest(page, body, name="Ines Park", email="ines@example.com"):
    page.fill("#comment-body", body)
    page.fill("#comment-name", name)
    page.fill("#comment-email", email)


def test_reader_posts_and_replies_inline_without_a_reload(page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = ArticleFactory()
    first = make_comment(article, body="The consultation ran in August.", author_name="Ben")
    page.goto(article.get_absolute_url())
    page.evaluate("() => { window.__marker = 'same page'; }")
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")

    fill_guest(page, "Posted without leaving the page.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=Your comment is published.")

    mine = Comment.objects.get(body="Posted without leaving the page.")
    assert page.locator(f"#comment-{mine.pk}").is_visible()

    page.click(f"#comment-{first.pk} .reply-link")
    assert page.locator("[data-replying-to]").inner_text() == "Replying to Ben"
    page.fill("#comment-body", "A reply, inline.")
    page.click("#comment-form button[type=submit]")
    reply_selector = f"#comment-{first.pk} ol.replies li.comment"
    page.wait_for_selector(reply_selector)

    reply = Comment.objects.get(body="A reply, inline.")
    assert reply.parent_id == first.pk
    assert "A reply, inline." in page.locator(reply_selector).inner_text()
    assert page.evaluate("() => window.__marker") == "same page"


def test_held_comment_shows_in_its_authors_browser_only(page, browser, live_server, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    settings.NEWSROOM_COMMENT_PREMODERATION = "all"
    article = ArticleFactory()
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")
    fill_guest(page, "Held for a moderator.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=awaiting moderation")

    page.reload()
    held = page.locator(".comment-pending")
    held.wait_for()
    assert "Held for a moderator." in held.inner_text()
    assert "awaiting moderation" in held.inner_text().lower()

    other = browser.new_context(base_url=live_server.url).new_page()
    other.goto(article.get_absolute_url())
    other.wait_for_load_state("networkidle")
    assert other.locator(".comment-pending").count() == 0
    assert "Held for a moderator." not in other.content()
    other.context.close()


def test_votes_count_without_reload_and_are_remembered(page):
    article = ArticleFactory()
    comment = make_comment(article, body="Vote on me")
    page.goto(article.get_absolute_url())
    up = page.locator(f"#comment-{comment.pk} .vote-up")
    page.locator(".vote-form input[name=csrfmiddlewaretoken]").first.wait_for(state="attached")

    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    assert up.locator(".vote-count").inner_text() == "1"

    page.reload()
    expect(up).to_have_attribute("aria-pressed", "true")
    comment.refresh_from_db()
    assert comment.upvotes == 1


def test_own_comment_held_after_replies_shows_its_words_only_to_its_author(
    page, browser, live_server, settings
):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = ArticleFactory()
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")
    fill_guest(page, "Words that readers will report.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=Words that readers will report.")
    mine = Comment.objects.get(body="Words that readers will report.")
    make_comment(article, parent=mine, body="A reply that stays.")
    services.comment_set_status(comment=mine, status=Comment.Status.PENDING)

    page.reload()
    card = page.locator(f"#comment-{mine.pk} > .comment-card")
    card.get_by_text("Words that readers will report.").wait_for()
    assert "awaiting moderation" in card.inner_text().lower()
    assert "A reply that stays." in page.locator(f"#comment-{mine.pk}").inner_text()

    other = browser.new_context(base_url=live_server.url).new_page()
    other.goto(article.get_absolute_url())
    other.wait_for_load_state("networkidle")
    held = other.locator(f"#comment-{mine.pk}")
    assert "held for review" in held.inner_text()
    assert "A reply that stays." in held.inner_text()
    assert "Words that readers will report." not in other.content()
    other.context.close()


def test_without_guest_commenting_guests_are_asked_to_sign_in_and_readers_comment(page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    settings.NEWSROOM_COMMENTS_ALLOW_GUESTS = False
    reader(email="rosa@example.org", display_name="Rosa Vale")
    article = ArticleFactory()
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")

    # A guest is not left typing a comment that cannot be posted.
    sign_in = page.locator("#comment-form").get_by_role("link", name="Sign in to comment")
    expect(sign_in).to_be_visible()
    expect(page.locator("#comment-body")).to_be_disabled()
    expect(page.locator("#comment-form button[type=submit]")).to_be_disabled()
    assert page.locator("#comment-name").count() == 0

    sign_in.click()
    page.get_by_label("E-mail address or username").fill("rosa@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#comments")

    # The same cached region: for a signed-in reader the notice goes away.
    expect(page.locator(".commenting-as")).to_have_text("Commenting as Rosa Vale")
    expect(page.locator("[data-sign-in-to-comment]")).to_be_hidden()
    page.fill("#comment-body", "Signed in, so this one is posted.")
    page.click("#comment-form button[type=submit]")
    page.get_by_text("Your comment is published.").wait_for()
    assert Comment.objects.get().user.email == "rosa@example.org"
