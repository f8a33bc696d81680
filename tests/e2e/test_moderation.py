"""The moderation queue and reader reports in a real browser."""

import pytest

from accounts.services import account_provision
from comments.models import Comment, ModerationAction, Report
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

pytestmark = pytest.mark.django_db(transaction=True)
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect


def sign_in(page, username, next_url):
    page.goto(next_url)  # sends a stranger to the sign-in page, and back afterwards
    page.get_by_label("E-mail address or username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_url}")


def test_moderator_ticks_comments_and_approves_them_in_bulk_from_the_keyboard(page):
    article = ArticleFactory()
    held = [
        make_comment(article, body=f"Held comment {n}", status=Comment.Status.PENDING)
        for n in range(3)
    ]
    user = moderator(username="maria")
    account_provision(user=user, display_name="María")
    sign_in(page, "maria", "/moderation/pending/")

    select_all = page.locator("[data-select-all-box]")
    expect(select_all).to_be_visible()
    expect(page.locator("[data-select-all-link]")).to_be_hidden()
    select_all.check()
    expect(page.locator("[data-pick]:checked")).to_have_count(3)
    # Newest first: the third row is the oldest comment. Untick it with j j j x.
    for key in ("j", "j", "j", "x"):
        page.keyboard.press(key)
    expect(page.locator(f"#pick-{held[0].pk}")).not_to_be_checked()
    expect(select_all).not_to_be_checked()
    page.keyboard.press("Shift+A")

    expect(page.locator(".messages")).to_contain_text("Approved 2 comments.")
    expect(page.locator(".mod-item")).to_have_count(1)
    expect(page.locator(".mod-tabs [aria-current=page] .mod-count")).to_have_text("1")
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {held[0].pk: "pending", held[1].pk: "approved", held[2].pk: "approved"}
    assert ModerationAction.objects.filter(action="approve", moderator=user).count() == 2


def test_bulk_buttons_ask_for_a_tick_first_and_single_buttons_work_by_click(page):
    article = ArticleFactory()
    comment = make_comment(article, body="Reject me", status=Comment.Status.PENDING)
    account_provision(user=moderator(username="maria"), display_name="María")
    sign_in(page, "maria", "/moderation/pending/")

    bulk = page.locator("button[data-bulk=approve]")
    expect(bulk).to_have_attribute("aria-disabled", "true")
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    bulk.click(force=True)
    assert messages and "Tick at least one comment first" in messages[0]
    expect(page.locator(".mod-item")).to_have_count(1)

    page.fill(f"input[name=reason-{comment.pk}]", "insults another reader")
    page.click(f"#mod-{comment.pk} button[data-key=r]")

    expect(page.locator(".messages")).to_contain_text("Rejected 1 comment.")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.moderation_reason == "insults another reader"


def test_reader_reports_a_comment_from_the_article_page_without_leaving_it(page):
    article = ArticleFactory()
    comment = make_comment(article, body="Something rude")
    page.goto(article.get_absolute_url())
    page.locator(".vote-form input[name=csrfmiddlewaretoken]").first.wait_for(state="attached")

    page.click(f"#comment-{comment.pk} [data-report]")
    form = page.locator(f"#comment-{comment.pk} .report-inline")
    expect(form).to_be_visible()
    form.locator("input[value=abuse]").check()
    form.locator("textarea").fill("Personal attack")
    form.locator("button[type=submit]").click()

    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("The moderators will look")
    expect(page.locator(f"#comment-{comment.pk} .is-reported")).to_have_text("Reported")
    report = Report.objects.get()
    assert (report.comment_id, report.reason, report.note) == (
        comment.pk,
        "abuse",
        "Personal attack",
    )
    page.reload()
    expect(page.locator(f"#comment-{comment.pk} .is-reported")).to_have_text("Reported")


def test_a_moderator_finds_the_way_in_from_the_masthead_of_any_page(page):
    article = ArticleFactory(title="Ferry timetable")
    for n in range(2):
        make_comment(article, body=f"Held comment {n}", status=Comment.Status.PENDING)
    account_provision(user=moderator(username="maria"), display_name="María")
    sign_in(page, "maria", "/accounts/")

    # A public page: the same HTML for everyone; account-nav.js adds the staff links.
    page.goto(article.get_absolute_url())
    link = page.locator("#account-nav a[data-staff-link=moderation]")
    expect(link).to_have_text("Moderation 2 waiting")
    expect(link.locator(".account-nav-count")).to_have_text("2")
    expect(page.locator("#account-nav")).to_contain_text("Admin")
    link.click()

    page.wait_for_url("**/moderation/")
    expect(page.locator(".mod-item")).to_have_count(2)


def test_a_reader_sees_no_staff_links(page):
    make_comment(ArticleFactory(), body="Held", status=Comment.Status.PENDING)
    account_provision(
        user=UserFactory(username="rosa", email="rosa@example.org"), display_name="Rosa"
    )
    sign_in(page, "rosa", "/accounts/")

    page.goto("/")
    expect(page.locator("#account-nav")).to_contain_text("Rosa")
    expect(page.locator("#account-nav [data-staff-link]")).to_have_count(0)
    expect(page.locator("#account-nav")).not_to_contain_text("Admin")
