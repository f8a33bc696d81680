"""Anchoring passages of a body so they survive edits (articles/anchoring.py)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from lxml import html as lxml_html

from articles.anchoring import BodyText, How, Selector, find, reanchor
from articles.html import clean_body
from tests.conftest import shared_file, shared_json

P1 = "The council voted on Tuesday to close the library in Elm Street after a long debate."
P2 = "Residents protested loudly outside the town hall for most of the evening."
P3 = "The decision can still be challenged in court before the end of the year."


def body(*paragraphs: str, previous: str = "") -> str:
    return clean_body("".join(f"<p>{p}</p>" for p in paragraphs), previous=previous)


def passage_of(text: BodyText, words: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.text.index(words, start + 1)
    return text.describe(start, start + len(words))


def test_anchor_text_is_blocks_with_collapsed_whitespace_joined_by_line_feeds():
    text = BodyText.of(
        clean_body(
            "<p>  Hello \n\t <em>big</em>\u00a0  world </p><hr><h2>Next</h2><ul><li>a</li></ul>"
        )
    )
    assert text.text == "Hello big world\n\nNext\na"
    assert [(b.start, b.end) for b in text.blocks] == [(0, 15), (16, 16), (17, 21), (22, 23)]


def test_describe_gives_quote_context_position_and_blocks():
    text = BodyText.of(body(P1, P2))
    passage = passage_of(text, "close the library")

    assert passage.exact == "close the library"
    assert passage.prefix == "The council voted on Tuesday to "
    assert passage.suffix == " in Elm Street after a long deba"
    assert text.text[passage.start : passage.end] == "close the library"
    assert passage.block_id == passage.end_block_id == text.blocks[0].id
    assert passage.block_start == P1.index("close")


def test_describe_trims_whitespace_around_a_selection():
    text = BodyText.of(body(P1))
    start = P1.index(" close")
    passage = text.describe(start, start + len(" close "))
    assert passage.exact == "close"


def test_unchanged_body_keeps_the_anchor_where_it_was():
    old = BodyText.of(body(P1, P2))
    passage = passage_of(old, "protested loudly")
    same = BodyText.of(body(P1, P2))

    found = reanchor(old, same, passage.selector)

    assert (found.start, found.end, found.how) == (passage.start, passage.end, How.UNCHANGED)


def test_paragraph_inserted_above_moves_the_anchor_with_its_words():
    first = body(P1, P2)
    old = BodyText.of(first)
    passage = passage_of(old, "protested loudly outside the town hall")
    new = BodyText.of(body("A new opening paragraph, added later.", P1, P2, previous=first))

    found = reanchor(old, new, passage.selector)

    assert found.how == How.MOVED
    assert new.text[found.start : found.end] == "protested loudly outside the town hall"
    assert found.start == passage.start + len("A new opening paragraph, added later.\n")
    assert found.block_id == passage.block_id  # the paragraph kept its id


def test_passage_moved_to_another_paragraph_is_found_there():
    old = BodyText.of(body(P1, P2, P3))
    passage = passage_of(old, "challenged in court")
    new = BodyText.of(body(P3, P1, P2))

    found = reanchor(old, new, passage.selector)

    assert found.how == How.MOVED
    assert new.text[found.start : found.end] == "challenged in court"


def test_few_words_rewritten_inside_the_passage_keep_it_attached():
    old = BodyText.of(body(P1, P2))
    passage = passage_of(old, "close the library in Elm Street after a long debate")
    edited = P1.replace("in Elm Street after a long", "on Elm Street after a short")
    new = BodyText.of(body(edited, P2))

    found = reanchor(old, new, passage.selector)

    assert found.how == How.FUZZY
    assert found.exact == "close the library on Elm Street after a short debate"


def test_lightly_edited_passage_is_found_without_the_old_text_too():
    old = BodyText.of(body(P1, P2))
    passage = passage_of(old, "close the library in Elm Street after a long debate")
    new = BodyText.of(body("Breaking: " + P1.replace("a long debate", "a very long debate"), P2))

    found = reanchor(None, new, passage.selector)

    assert found.how == How.FUZZY
    assert found.exact == "close the library in Elm Street after a very long debate"


def test_deleted_passage_is_orphaned():
    old = BodyText.of(body(P1, P2))
    passage = passage_of(old, "protested loudly outside the town hall")
    new = BodyText.of(body(P1, "Nobody came to the meeting at all."))

    assert reanchor(old, new, passage.selector) is None
    assert reanchor(None, new, passage.selector) is None


def test_rewritten_beyond_recognition_is_orphaned_not_attached_to_something_else():
    old = BodyText.of(body(P1, P2))
    passage = passage_of(old, "close the library in Elm Street")
    new = BodyText.of(body("The council agreed a new budget for parks.", P2))

    assert reanchor(old, new, passage.selector) is None


def test_repeated_words_are_told_apart_by_their_context():
    sentence = "The vote was close."
    old = BodyText.of(body(f"First meeting. {sentence}", f"Second meeting. {sentence}"))
    second = passage_of(old, "The vote was close.", occurrence=1)
    new = BodyText.of(
        body("A new paragraph above.", f"First meeting. {sentence}", f"Second meeting. {sentence}")
    )

    found = reanchor(old, new, second.selector)

    assert new.text[found.start - len("Second meeting. ") : found.start] == "Second meeting. "


def test_overlapping_and_nested_selections_each_follow_their_own_words():
    old = BodyText.of(body(P1, P2))
    outer = passage_of(old, "voted on Tuesday to close the library")
    nested = passage_of(old, "close the")
    overlapping = passage_of(old, "library in Elm Street")
    new = BodyText.of(body("An update at the top.", P1.replace("Tuesday", "Tuesday evening"), P2))

    found = {
        name: reanchor(old, new, passage.selector)
        for name, passage in [("outer", outer), ("nested", nested), ("overlapping", overlapping)]
    }

    assert found["outer"].exact == "voted on Tuesday evening to close the library"
    assert found["nested"].exact == "close the"
    assert found["overlapping"].exact == "library in Elm Street"
    assert found["outer"].start < found["nested"].start < found["overlapping"].start
    assert found["nested"].end <= found["outer"].end < found["overlapping"].end


def test_selection_across_paragraphs_records_start_and_end_blocks_and_survives_edits():
    first = body(P1, P2, P3)
    old = BodyText.of(first)
    start = old.text.index("after a long debate")
    end = old.text.index("outside the town hall") + len("outside the town hall")
    passage = old.describe(start, end)
    assert passage.block_id == old.blocks[0].id and passage.end_block_id == old.blocks[1].id
    assert passage.exact == "after a long debate.\nResidents protested loudly outside the town hall"
    assert passage.block_end == len("Residents protested loudly outside the town hall")

    new = BodyText.of(body("Added above.", P1, P2, P3, previous=first))
    found = reanchor(old, new, passage.selector)

    assert found.exact == passage.exact
    assert (found.block_id, found.end_block_id) == (passage.block_id, passage.end_block_id)


@pytest.mark.parametrize(
    "paragraph, words",
    [
        ("وقال رئيس المجلس إن المكتبة ستغلق في نهاية العام بعد نقاش طويل.", "المكتبة ستغلق"),
        ("הוועדה החליטה לסגור את הספרייה בסוף השנה אחרי ויכוח ארוך.", "לסגור את הספרייה"),
        ("Café zum Bücherwurm 📚 schließt 👨‍👩‍👧 nach 100 Jahren.", "📚 schließt 👨‍👩‍👧"),
        ("東京都の図書館は来年三月に閉館する予定です。", "来年三月に閉館"),
    ],
    ids=["arabic", "hebrew", "emoji-and-joiners", "japanese"],
)
def test_unicode_and_right_to_left_passages_anchor_and_survive_an_edit(paragraph, words):
    first = body(paragraph, P2)
    old = BodyText.of(first)
    passage = passage_of(old, words)
    assert passage.block_end - passage.block_start == len(words)  # code points

    new = BodyText.of(body("مقدمة جديدة · נוסף למעלה", paragraph, P2, previous=first))
    found = reanchor(old, new, passage.selector)

    assert found.exact == words and found.how == How.MOVED


def test_editors_question_passage_is_the_words_in_the_chosen_paragraph():
    text = BodyText.of(body(P1, P2))
    block = text.blocks[1]

    assert (
        text.describe_block(block.id, "outside   the town\nhall").exact == "outside the town hall"
    )
    assert text.describe_block(block.id, "").exact == P2
    assert text.describe_block(block.id, "not in this paragraph") is None
    assert text.describe_block("b-missing", "") is None


# --- The Hypothesis client's anchoring baselines (../shared/data/anchoring) ---------------


def _browser_text_content(document: str) -> str:
    """``document.body.textContent`` as a browser builds it for the saved page.

    With scripting on, browsers parse ``<noscript>`` as raw text, so its markup
    is part of the text content; lxml parses it as elements. Escaping it first
    gives lxml the browser's view.
    """
    document = re.sub(
        r"(<noscript[^>]*>)(.*?)(</noscript>)",
        lambda m: m[1] + html_lib.escape(m[2]) + m[3],
        document,
        flags=re.S | re.I,
    )
    return lxml_html.document_fromstring(document).find("body").text_content()


@pytest.mark.parametrize("name", ["minimal", "wikipedia-regression-testing"])
def test_hypothesis_quote_selectors_land_on_the_text_of_their_position_selectors(name):
    text = _browser_text_content(
        shared_file("anchoring", f"hypothesis-{name}.html").read_text(encoding="utf-8")
    )
    rows = shared_json("anchoring", f"hypothesis-{name}.json")["rows"]
    assert rows
    for row in rows:
        selectors = {s["type"]: s for s in row["target"][0]["selector"]}
        position, quote = selectors["TextPositionSelector"], selectors["TextQuoteSelector"]
        selector = Selector(quote["exact"], quote.get("prefix", ""), quote.get("suffix", ""))

        found = find(text, selector)

        assert found is not None, quote["exact"]
        assert found[:2] == (position["start"], position["end"]), quote["exact"]
        assert text[found[0] : found[1]] == quote["exact"]


def test_hypothesis_quotes_with_a_word_changed_still_land_on_their_passage():
    text = _browser_text_content(
        shared_file("anchoring", "hypothesis-wikipedia-regression-testing.html").read_text(
            encoding="utf-8"
        )
    )
    rows = shared_json("anchoring", "hypothesis-wikipedia-regression-testing.json")["rows"]
    for row in rows:
        selectors = {s["type"]: s for s in row["target"][0]["selector"]}
        position, quote = selectors["TextPositionSelector"], selectors["TextQuoteSelector"]
        if len(quote["exact"]) < 60:
            continue
        # The annotated page was edited since: one word of each passage differs.
        words = quote["exact"].split(" ")
        words[len(words) // 2] = words[len(words) // 2].upper() + "x"
        selector = Selector(" ".join(words), quote["prefix"], quote["suffix"], position["start"])

        found = find(text, selector)

        assert found is not None and found[2] == How.FUZZY
        assert abs(found[0] - position["start"]) <= 2 and abs(found[1] - position["end"]) <= 2
