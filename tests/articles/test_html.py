"""articles/html.py: the sanitiser, stable block ids and the composed body."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from articles import html
from tests.conftest import shared_json

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "base", "meta", "link", "svg", "math",
    "template", "noscript", "xmp", "plaintext",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "xlink:href", "srcset"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript|mocha):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def assert_inert(cleaned: str) -> None:
    """Nothing a browser would execute survives in ``cleaned``."""
    assert "<script" not in cleaned.lower()
    if not cleaned.strip():
        return
    root = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            raise AssertionError(f"comment or processing instruction survived: {cleaned!r}")
        tag = element.tag.lower()
        if element is not root:
            assert tag in html.BODY_TAGS, f"<{tag}> survived: {cleaned!r}"
            assert tag not in FORBIDDEN_TAGS
        for name, value in element.attrib.items():
            name = name.lower()
            assert not name.startswith("on"), f"event handler {name} survived: {cleaned!r}"
            assert name != "style", f"style survived: {cleaned!r}"
            if name in URL_ATTRIBUTES:
                assert not BAD_SCHEME.match(_INVISIBLE.sub("", value)), (
                    f"{name}={value!r} survived: {cleaned!r}"
                )


def xss_inputs() -> list[str]:
    inputs = [
        case["vector"] for case in shared_json("xss", "owasp-xss-filter-evasion-vectors.json")
    ]
    inputs += [case["input"] for case in shared_json("xss", "html5lib-sanitizer-tests1.json")]
    inputs += [case["input"] for case in shared_json("xss", "bleach-tests-data-regression.json")]
    for test in shared_json("xss", "bleach-test_clean-cases.json")["tests"]:
        for case in test["cases"]:
            inputs += [case[key] for key in ("data", "text") if isinstance(case.get(key), str)]
    return inputs


# --- sanitising --------------------------------------------------------------------


def test_nothing_executable_survives_any_known_xss_vector():
    inputs = xss_inputs()
    assert len(inputs) > 300
    for raw in inputs:
        cleaned = html.clean_body(raw)
        assert_inert(cleaned)
        # Stable: cleaning the cleaned body again changes nothing.
        assert html.clean_body(cleaned, previous=cleaned) == cleaned, raw
        # Wrapped in a paragraph, as an editor would paste it.
        assert_inert(html.clean_body(f"<p>{raw}</p>"))


@pytest.mark.parametrize(
    "raw",
    [
        '<p onclick="x()" onmouseover="y()">Hi</p>',
        '<p style="background:url(javascript:alert(1))">Hi</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="x">',
        '<img src="javascript:alert(1)" onerror="alert(1)">',
        "<iframe src='https://evil.example'></iframe>",
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="https://evil.example"><input name="q"></form>',
        '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=x">',
        "<style>body{display:none}</style><p>Text</p>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<p id="b123456" class="evil">Hi</p>',
    ],
)
def test_classic_attacks_are_neutralised(raw):
    cleaned = html.clean_body(raw)
    assert_inert(cleaned)
    assert 'class="evil"' not in cleaned


def test_editorial_markup_survives():
    raw = (
        "<h2>What happened</h2><h3>In detail</h3><h4>Minutiae</h4>"
        "<p>Some <strong>bold</strong>, <em>italic</em>, <s>struck</s> and "
        '<a href="https://example.org/x" title="Source">linked</a> text.</p>'
        "<blockquote><p>A quotation.</p></blockquote>"
        '<ul><li>One</li><li>Two</li></ul><ol start="3"><li>Three</li></ol>'
        '<figure><img src="/media/images/a.jpg" alt="A boat" width="640" height="480">'
        "<figcaption>Caption</figcaption></figure>"
        '<p class="editors-note">An editor writes.</p><hr>'
        '<p><a href="mailto:desk@example.org">Write to us</a></p>'
    )
    cleaned = html.clean_body(raw)
    for fragment in (
        ">What happened</h2>",
        ">In detail</h3>",
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<s>struck</s>",
        '<a href="https://example.org/x" title="Source">linked</a>',
        "<p>A quotation.</p></blockquote>",
        "<li>One</li><li>Two</li></ul>",
        'start="3"',
        '<img src="/media/images/a.jpg" alt="A boat" width="640" height="480">',
        "<figcaption>Caption</figcaption>",
        'class="editors-note"',
        '<a href="mailto:desk@example.org">',
    ):
        assert fragment in cleaned, fragment
    assert len(html.split_blocks(cleaned)) == 11


def test_loose_text_and_inline_elements_become_paragraphs():
    cleaned = html.clean_body("Loose <em>text</em><p>Para</p>tail text")
    blocks = html.split_blocks(cleaned)
    assert [b.text for b in blocks] == ["Loose text", "Para", "tail text"]
    assert all(b.html.startswith("<p id=") for b in blocks)


def test_empty_bodies_are_empty():
    for raw in ("", "<p></p>", "<p> </p>", "<script>x</script>", "<p><br></p>"):
        assert html.body_is_empty(raw), raw
    assert not html.body_is_empty("<p>x</p>")
    assert not html.body_is_empty('<p><img src="/a.jpg" alt=""></p>')


def test_light_texts_allow_only_links_and_emphasis():
    cleaned = html.clean_light(
        '<h1>Views</h1> are <em>the author\'s</em> <a href="javascript:x()" onclick="y">own</a>'
    )
    assert "<h1>" not in cleaned and "javascript" not in cleaned and "onclick" not in cleaned
    assert cleaned.startswith("<p>") and "<em>the author's</em>" in cleaned


# --- stable block ids -------------------------------------------------------------------


def ids(body: str) -> list[str]:
    return [block.id for block in html.split_blocks(body)]


def texts(body: str) -> list[str]:
    return [block.text for block in html.split_blocks(body)]


FIRST = (
    "<p>The council met on Tuesday evening to discuss the harbour.</p>"
    "<p>Residents packed the public gallery and many had to stand outside.</p>"
    "<h2>The vote</h2>"
    "<p>After three hours the plan was approved by seven votes to five.</p>"
)


def test_every_block_gets_a_unique_well_formed_id():
    body = html.clean_body(FIRST + "<p>Same.</p><p>Same.</p>")
    assert len(set(ids(body))) == 6
    assert all(re.fullmatch(r"b[0-9a-f]{6}", block_id) for block_id in ids(body))


def test_ids_survive_a_paragraph_inserted_above():
    old = html.clean_body(FIRST)
    edited = "<p>A new opening paragraph, written later.</p>" + old
    new = html.clean_body(edited, previous=old)
    assert ids(new)[1:] == ids(old)
    assert ids(new)[0] not in ids(old)


def test_ids_survive_a_light_rewrite():
    old = html.clean_body(FIRST)
    rewritten = old.replace("packed the public gallery", "filled the public gallery")
    rewritten = re.sub(r' id="b[0-9a-f]+"', "", rewritten)  # the editor may drop ids
    new = html.clean_body(rewritten, previous=old)
    assert ids(new) == ids(old)
    assert "filled the public gallery" in texts(new)[1]


def test_ids_follow_blocks_that_move():
    old = html.clean_body(FIRST)
    blocks = html.split_blocks(old)
    moved = "".join(b.html for b in (blocks[3], blocks[0], blocks[1], blocks[2]))
    moved = re.sub(r' id="b[0-9a-f]+"', "", moved)
    new = html.clean_body(moved, previous=old)
    assert ids(new) == [ids(old)[3], ids(old)[0], ids(old)[1], ids(old)[2]]


def test_a_rewritten_beyond_recognition_block_gets_a_new_id_and_deleted_ids_are_not_reused():
    old = html.clean_body(FIRST)
    edited = old.replace(
        "After three hours the plan was approved by seven votes to five.",
        "Nobody expected what happened next at the marina.",
    )
    # The WYSIWYG editor does not keep ids: matching is by text alone.
    new = html.clean_body(re.sub(r' id="b[0-9a-f]+"', "", edited), previous=old)
    assert ids(new)[:3] == ids(old)[:3]
    assert ids(new)[3] not in ids(old)


def test_nested_ids_are_dropped_and_hostile_ids_refused():
    cleaned = html.clean_body('<blockquote id="javascript:x"><p id="b999999">Q</p></blockquote>')
    assert cleaned.count(" id=") == 1
    assert "javascript" not in cleaned


# --- the composed body ------------------------------------------------------------------


def test_pull_quotes_sit_after_their_paragraph_hidden_from_assistive_technology():
    body = html.clean_body("<p>One.</p><p>Two.</p><p>Three.</p>")
    composed = html.compose(
        body,
        pull_quotes=[
            html.PullQuoteSpec("<b>Said</b> it", "A <i>source</i>", 2),
            html.PullQuoteSpec("First", "", 0),
            html.PullQuoteSpec("Far", "", 99),
        ],
    )
    order = re.findall(r"<p id=\"b[0-9a-f]+\">(\w+)\.</p>|<aside[^>]*><p>([^<]+)", composed)
    flat = [a or b for a, b in order]
    assert flat == ["First", "One", "Two", "&lt;b&gt;Said&lt;/b&gt; it", "Three", "Far"]
    assert composed.count('<aside class="pull-quote" aria-hidden="true">') == 3
    assert '<p class="pull-quote-by">A &lt;i&gt;source&lt;/i&gt;</p>' in composed


def test_transcript_is_a_description_list_with_escaped_text():
    composed = html.compose(
        "",
        transcript=[
            html.TranscriptTurnSpec(1, "Reporter", True, "Why <now>?"),
            html.TranscriptTurnSpec(2, "Mayor", False, "Because.\n\nThe tide."),
        ],
    )
    assert '<section class="transcript" aria-labelledby="transcript-heading">' in composed
    assert (
        '<div class="turn turn-question" id="t1"><dt>Reporter</dt><dd><p>Why &lt;now&gt;?</p>'
        in (composed)
    )
    assert "<dd><p>Because.</p>\n\n<p>The tide.</p></dd>" in composed
