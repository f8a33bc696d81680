"""The admin's rich-text editor, in a real browser, under the real CSP."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.services import account_provision
from articles.models import Article
from tests.factories import PASSWORD, ArticleFactory, editor

pytestmark = pytest.mark.django_db(transaction=True)


CARET_TO_END = """() => {
    const last = document.querySelector(".ProseMirror > p:last-child");
    const range = document.createRange();
    range.selectNodeContents(last);
    range.collapse(false);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
}"""
CARET_IS_AT_END = """() => {
    const s = getSelection();
    const last = document.querySelector(".ProseMirror > p:last-child");
    const node = s.anchorNode;
    const end = node && node.nodeType === 3 ? node.length : node && node.childNodes.length;
    return s.isCollapsed && last.contains(node) && s.anchorOffset === end;
}"""


def sign_in(page, user, next_url):
    """Sign in as an editor does: the admin sends them to the sign-in page and back."""
    page.goto(next_url)
    page.get_by_label("E-mail address or username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_url}")


def test_editor_loads_under_the_csp_and_what_is_typed_is_saved_and_previewed(page):
    article = ArticleFactory(
        title="Harbour dredging resumes",
        body="<p>The first paragraph.</p>",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    csp_headers = []
    page.on(
        "response",
        lambda r: (
            csp_headers.append(r.headers.get("content-security-policy", ""))
            if urlsplit(r.url).path == change_url and r.request.method == "GET" and r.status == 200
            else None
        ),
    )

    user = editor()
    account_provision(user=user, display_name="Eve Marsh")  # a verified address
    sign_in(page, user, change_url)

    prose = page.locator(".prose-editor [contenteditable=true].ProseMirror")
    prose.wait_for(state="visible")
    # The editor's toolbar is there: the modules and their import map ran.
    assert page.locator(".prose-menubar").count() == 1
    prose.click()
    expect(prose).to_be_focused()
    # Put the caret at the end of the text through the DOM selection, which
    # ProseMirror follows; a click's caret depends on where the text is drawn
    # at that instant (web fonts may still be arriving).
    page.evaluate(CARET_TO_END)
    page.wait_for_function(CARET_IS_AT_END)
    page.keyboard.press("Enter")
    page.keyboard.type("Typed in a real browser, under the strict policy.")
    page.click("input[name=_continue]")
    page.wait_for_url(f"**{change_url}")
    assert page.locator(".messagelist .success").count() == 1

    article.refresh_from_db()
    assert "Typed in a real browser, under the strict policy." in article.body
    assert article.body.count('<p id="b') == 2

    page.goto(reverse("articles:preview", args=[article.pk]))
    body = page.locator("#article-body")
    assert "Typed in a real browser, under the strict policy." in body.inner_text()
    assert "The first paragraph." in body.inner_text()

    # The change form's policy allowed one nonce per response, and no inline code.
    assert len(csp_headers) == 2
    for policy in csp_headers:
        assert policy.count("'nonce-") == 1
        assert "unsafe-inline" not in policy
    assert csp_headers[0] != csp_headers[1]
    # (The page fixture fails the test on any CSP violation or JS error.)
