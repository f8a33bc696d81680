"""Inline feedback in a real browser: select, comment, see the highlight, reply."""

import pytest

from comments.models import Anchor, Comment
from tests.factories import ArticleFactory, make_comment

pytestmark = pytest.mark.django_db(transaction=True)
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

BODY = (
    "<p>The council voted on Tuesday to close the library in Elm Street after a long debate.</p>"
    "<p>Residents protested loudly outside the town hall for most of the evening.</p>"
    "<p>The decision can still be challenged in court before the end of the year.</p>"
)


def select_words(page, paragraph: int, words: str) -> None:
    """Select ``words`` in the n-th paragraph of the body, as a reader dragging would."""
    page.evaluate(
        """([index, words]) => {
            const block = document.querySelectorAll("#article-body > p")[index];
            const node = block.firstChild;
            const start = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [paragraph, words],
    )


def select_across(page, first: tuple[int, str], last: tuple[int, str]) -> str:
    """Select from the start of ``first`` words to the end of ``last`` words, each
    given as (paragraph, words), across paragraphs; the range's text is returned."""
    return page.evaluate(
        """([[startIndex, startWords], [endIndex, endWords]]) => {
            const paragraphs = document.querySelectorAll("#article-body > p");
            const startNode = paragraphs[startIndex].firstChild;
            const endNode = paragraphs[endIndex].firstChild;
            const range = document.createRange();
            range.setStart(startNode, startNode.data.indexOf(startWords));
            range.setEnd(endNode, endNode.data.indexOf(endWords) + endWords.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return range.toString();
        }""",
        [list(first), list(last)],
    )


def highlighted(page, name: str) -> list[str]:
    return page.evaluate(
        """(name) => {
            const highlight = CSS.highlights.get(name);
            return highlight ? Array.from(highlight).map((range) => range.toString()) : [];
        }""",
        name,
    )


def test_reader_comments_on_a_selected_passage_sees_it_highlighted_and_replies(page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = ArticleFactory(body=BODY)
    make_comment(article, body="A comment on the whole article.", author_name="Kim")
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")

    select_words(page, 1, "protested loudly outside the town hall")
    button = page.get_by_role("button", name="Comment on this passage")
    expect(button).to_be_visible()
    page.keyboard.press("Tab")  # keyboard users reach it straight after selecting
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    panel = page.locator("#feedback-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".feedback-panel-quote")).to_have_text(
        "protested loudly outside the town hall"
    )
    panel.locator("#comment-body").fill("I was there: it was louder than that.")
    panel.locator("#comment-name").fill("Ines Park")
    panel.locator("#comment-email").fill("ines@example.com")
    panel.get_by_role("button", name="Post comment").click()

    marker = page.locator("#article-body .passage-marker-feedback")
    expect(marker).to_have_text("1")
    expect(panel.locator("li.comment")).to_contain_text("it was louder than that")
    feedback = Comment.objects.get(body="I was there: it was louder than that.")
    assert feedback.anchor.exact == "protested loudly outside the town hall"
    assert highlighted(page, "nr-active") == ["protested loudly outside the town hall"]

    # The two views of the comments area.
    page.get_by_role("link", name="Inline feedback").click()
    comments = page.locator("[data-comment-list] > li.comment")
    expect(comments).to_have_count(1)
    expect(comments.first).to_contain_text("protested loudly outside the town hall")
    expect(page.get_by_role("link", name="Inline feedback")).to_have_attribute(
        "aria-current", "true"
    )
    page.get_by_role("link", name="View all comments").click()
    expect(comments).to_have_count(2)
    expect(page.locator("[data-comment-list]")).to_contain_text("A comment on the whole article.")

    # Activating the highlight shows the thread beside the text; reply there.
    marker.click()
    expect(panel).to_be_visible()
    expect(panel).to_have_class("feedback-panel is-beside")
    assert highlighted(page, "nr-active") == ["protested loudly outside the town hall"]
    panel.locator(".reply-link").click()
    panel.locator("#comment-body").fill("So was I.")
    panel.get_by_role("button", name="Post comment").click()
    expect(panel.locator("ol.replies li.comment")).to_contain_text("So was I.")
    expect(marker).to_have_text("2")
    reply = Comment.objects.get(body="So was I.")
    assert reply.parent_id == feedback.pk
    assert not Anchor.objects.filter(comment=reply).exists()


def test_thread_of_a_highlight_opens_below_the_paragraph_on_a_phone(page, settings):
    article = ArticleFactory(body=BODY)
    from articles.anchoring import BodyText, Selector

    text = BodyText.of(article.body).text
    start = text.index("challenged in court")
    make_comment(
        article,
        body="Who would bring the case?",
        anchor=Selector("challenged in court", start=start, end=start + len("challenged in court")),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(article.get_absolute_url())

    page.locator("#article-body .passage-marker-feedback").click()

    panel = page.locator("#feedback-panel")
    expect(panel).to_contain_text("Who would bring the case?")
    assert "is-beside" not in (panel.get_attribute("class") or "")
    # Right below the passage's paragraph, in the reading order.
    assert page.evaluate(
        "() => document.getElementById('feedback-panel').previousElementSibling.textContent"
    ).startswith("The decision can still be challenged")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_keyboard_reader_comments_on_a_whole_paragraph(page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = ArticleFactory(body=BODY)
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")

    toggle = page.get_by_role("button", name="Comment on a paragraph")
    toggle.focus()
    page.keyboard.press("Enter")
    first = page.get_by_role("button", name="Comment on paragraph 1:")
    expect(first).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # paragraph 2

    panel = page.locator("#feedback-panel")
    expect(panel.locator(".feedback-panel-quote")).to_have_text(
        "Residents protested loudly outside the town hall for most of the evening."
    )
    expect(panel.locator("#comment-body")).to_be_focused()
    page.keyboard.type("The whole evening, yes.")
    panel.locator("#comment-name").fill("Ines Park")
    panel.locator("#comment-email").fill("ines@example.com")
    panel.get_by_role("button", name="Post comment").click()

    expect(page.locator("#article-body .passage-marker-feedback")).to_have_text("1")
    anchor = Comment.objects.get(body="The whole evening, yes.").anchor
    assert anchor.exact.startswith("Residents protested") and anchor.exact.endswith("evening.")


def test_feedback_on_a_passage_across_two_paragraphs_keeps_exactly_the_selected_words(
    page, settings
):
    # The form goes as FormData, which sends the line feed between the two
    # paragraphs as CRLF: the server must still find exactly these words.
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = ArticleFactory(body=BODY)
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")

    selected = select_across(page, (0, "after a long debate."), (1, "Residents protested"))
    page.get_by_role("button", name="Comment on this passage").click()
    panel = page.locator("#feedback-panel")
    panel.locator("#comment-body").fill("Two paragraphs, one point.")
    panel.locator("#comment-name").fill("Ines Park")
    panel.locator("#comment-email").fill("ines@example.com")
    panel.get_by_role("button", name="Post comment").click()

    expect(page.locator("#article-body .passage-marker-feedback")).to_have_text("1")
    anchor = Comment.objects.get(body="Two paragraphs, one point.").anchor
    assert anchor.exact == anchor.original_exact == "after a long debate.\nResidents protested"
    assert highlighted(page, "nr-active") == [selected]


# Code points beyond the BMP (two UTF-16 units each in the page), a ZWJ
# sequence, and right-to-left scripts, each with an emoji earlier in the same
# paragraph so that offsets in code points and in UTF-16 differ.
UNICODE_BODY = (
    "<p>The council voted on Tuesday to close the library in Elm Street.</p>"
    "<p>Residents 📚 held signs 🎉 🏳️‍🌈 saying Save our library 📖 outside the hall.</p>"
    "<p>🏛️ המועצה הצביעה ביום שלישי לסגור את הספרייה ברחוב אלם.</p>"
    "<p>🌙 قال أحد السكان: «المكتبة قلب الحي» بعد الاجتماع.</p>"
)


@pytest.mark.parametrize(
    ("paragraph", "words"),
    [
        (1, "🎉 🏳️‍🌈 saying Save our library 📖"),
        (2, "לסגור את הספרייה"),
        (3, "«المكتبة قلب الحي»"),
    ],
    ids=["emoji", "hebrew", "arabic"],
)
def test_feedback_highlights_exactly_the_words_in_emoji_and_right_to_left_text(
    page, settings, paragraph, words
):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = ArticleFactory(body=UNICODE_BODY)
    page.goto(article.get_absolute_url())
    page.locator("#comment-form input[name=csrfmiddlewaretoken]").wait_for(state="attached")

    select_words(page, paragraph, words)
    page.get_by_role("button", name="Comment on this passage").click()
    panel = page.locator("#feedback-panel")
    expect(panel.locator(".feedback-panel-quote")).to_have_text(words)
    panel.locator("#comment-body").fill("On these words exactly.")
    panel.locator("#comment-name").fill("Ines Park")
    panel.locator("#comment-email").fill("ines@example.com")
    panel.get_by_role("button", name="Post comment").click()

    marker = page.locator("#article-body .passage-marker-feedback")
    expect(marker).to_have_text("1")
    anchor = Comment.objects.get(body="On these words exactly.").anchor
    assert anchor.exact == words
    assert highlighted(page, "nr-active") == [words]

    # From the server's offsets (code points) in the cached page, too.
    page.reload()
    expect(marker).to_have_text("1")
    assert highlighted(page, "nr-feedback") == [words]
