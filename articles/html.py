"""Editor HTML: sanitising, stable block ids and the composed article body.

Everything an editor types goes through :func:`clean_body` once, when the
article is saved. What is stored is what is rendered, so templates print it
without further processing, and nothing outside the allow-list below can reach
a reader whatever the editor (or an import) sent.

Every top-level block of the body carries a stable ``id`` ("b" + 6 hex
digits). Ids survive edits: when a body is saved again, each new block is
matched to the block it most resembles in the previous version and keeps its
id. Reader feedback anchored to a block id therefore stays attached when an
editor inserts, moves or lightly rewrites paragraphs.

>>> clean_body('<p onclick="x()">Hi <script>bad()</script></p>', previous="")
'<p id="b…">Hi </p>'
"""

from __future__ import annotations

import difflib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import bleach
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from lxml import etree
from lxml import html as lxml_html

BODY_TAGS = frozenset(
    {
        "p", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "a", "strong", "em", "b",
        "i", "u", "s", "sub", "sup", "br", "hr", "figure", "figcaption", "img", "code",
        "pre", "cite", "q", "abbr", "small",
    }
)  # fmt: skip
BLOCK_CLASSES = {"p": {"editors-note"}, "blockquote": {"editors-note"}}
BODY_PROTOCOLS = frozenset({"http", "https", "mailto"})
_ID_RE = re.compile(r"^[bt]-?[0-9a-z]{1,16}$")
_WS = re.compile(r"\s+")


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return value in BLOCK_CLASSES.get(tag, set())
    if name == "id":
        return bool(_ID_RE.match(value))
    allowed = {
        "a": {"href", "title"},
        "img": {"src", "alt", "width", "height"},
        "ol": {"start"},
        "blockquote": {"cite"},
        "abbr": {"title"},
        "q": {"cite"},
    }
    if name in allowed.get(tag, set()):
        if tag == "img" and name == "src":
            # Only our own media or absolute http(s) images: no data: URLs.
            return value.startswith(("/", "http://", "https://"))
        return True
    return False


_cleaner = bleach.Cleaner(
    tags=BODY_TAGS,
    attributes=_allow_attribute,
    protocols=BODY_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


@dataclass(frozen=True)
class Block:
    """A top-level block of a body: its id, its HTML and its plain text."""

    id: str
    html: str
    text: str


def normalise_text(text: str) -> str:
    return _WS.sub(" ", text).strip()


INLINE_TAGS = frozenset(
    {"a", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "cite", "q", "abbr",
     "small", "br", "img"}
)  # fmt: skip


def _parse_blocks(cleaned: str) -> list[etree._Element]:
    if not cleaned.strip():
        return []
    container = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    blocks: list[etree._Element] = []
    # Loose inline content at the top level (text, links, emphasis between
    # blocks) is gathered into paragraphs so that every block is an element.
    loose: etree._Element | None = None

    def loose_paragraph() -> etree._Element:
        nonlocal loose
        if loose is None:
            loose = lxml_html.Element("p")
            blocks.append(loose)
        return loose

    if container.text and container.text.strip():
        loose_paragraph().text = container.text
    for child in list(container):
        if not isinstance(child.tag, str):
            continue
        tail = child.tail
        child.tail = None
        if child.tag in INLINE_TAGS:
            loose_paragraph().append(child)
        else:
            loose = None
            blocks.append(child)
        if tail and tail.strip():
            paragraph = loose_paragraph()
            if len(paragraph):
                paragraph[-1].tail = (paragraph[-1].tail or "") + tail
            else:
                paragraph.text = (paragraph.text or "") + tail
    return [block for block in blocks if _has_content(block)]


def _has_content(element: etree._Element) -> bool:
    if element.tag in {"hr", "img", "figure"}:
        return True
    return bool(normalise_text(element.text_content())) or element.find(".//img") is not None


def split_blocks(body: str) -> list[Block]:
    """The top-level blocks of an already-clean body, in order."""
    return [
        Block(
            id=element.get("id", ""),
            html=lxml_html.tostring(element, encoding="unicode"),
            text=normalise_text(element.text_content()),
        )
        for element in _parse_blocks(body)
    ]


def _new_id(taken: set[str]) -> str:
    while True:
        candidate = "b" + secrets.token_hex(3)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _match_previous(new_texts: Sequence[str], old: Sequence[Block]) -> dict[int, str]:
    """Map indexes of new blocks to ids of the old blocks they continue."""
    old_texts = [block.text for block in old]
    mapping: dict[int, str] = {}
    matcher = difflib.SequenceMatcher(a=old_texts, b=list(new_texts), autojunk=False)
    used_old: set[int] = set()
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                mapping[j1 + offset] = old[i1 + offset].id
                used_old.add(i1 + offset)
    # Lightly edited blocks: pair each unmatched new block with the most
    # similar unmatched old block, if they are similar enough.
    for j, text in enumerate(new_texts):
        if j in mapping or not text:
            continue
        best, best_ratio = None, 0.0
        for i, block in enumerate(old):
            if i in used_old or not block.text:
                continue
            ratio = difflib.SequenceMatcher(a=block.text, b=text, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = i, ratio
        if best is not None and best_ratio >= 0.6:
            mapping[j] = old[best].id
            used_old.add(best)
    return mapping


#: Elements removed with their content, not just unwrapped: the text of a
#: script or a style sheet is never meant to be read.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
     "textarea", "select", "title", "head", "xmp", "noembed", "noframes"}
)  # fmt: skip


def _drop_unreadable(raw: str) -> str:
    """Remove scripts, style sheets and the like with their content.

    Only a courtesy before bleach (which remains what makes the body safe):
    with ``strip=True`` bleach would keep their text as visible words.
    """
    if "<" not in raw:
        return raw
    try:
        container = lxml_html.fragment_fromstring(raw, create_parent="div")
    except etree.ParserError:
        return raw
    doomed = [
        element
        for element in container.iter()
        if isinstance(element.tag, str) and element.tag.lower() in DROPPED_WITH_CONTENT
    ]
    if not doomed:
        return raw
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return "".join(
        [container.text or ""]
        + [lxml_html.tostring(child, encoding="unicode") for child in container]
    )


def sanitise(raw: str) -> str:
    """The allow-listed HTML of ``raw``, ids not yet assigned."""
    return _cleaner.clean(_drop_unreadable(raw or ""))


def clean_body(raw: str, *, previous: str = "") -> str:
    """Sanitise editor HTML and give every top-level block a stable id.

    ``previous`` is the body as last saved; its block ids are carried over to
    the blocks of the new version that continue them.
    """
    cleaned = sanitise(raw)
    elements = _parse_blocks(cleaned)
    old_blocks = [block for block in split_blocks(previous) if block.id] if previous else []
    old_ids = {block.id for block in old_blocks}
    texts = [normalise_text(element.text_content()) for element in elements]
    mapping = _match_previous(texts, old_blocks) if old_blocks else {}
    taken: set[str] = set()
    # An id the editor kept (e.g. pasted HTML) is honoured if it is still free.
    for index, element in enumerate(elements):
        kept = element.get("id", "")
        if index not in mapping and kept in old_ids and kept not in mapping.values():
            mapping[index] = kept
    for index, element in enumerate(elements):
        block_id = mapping.get(index)
        if not block_id or block_id in taken:
            block_id = _new_id(taken | old_ids)
        taken.add(block_id)
        element.set("id", block_id)
        # Nested elements never carry ids: they would not be stable.
        for nested in element.iterdescendants():
            if "id" in nested.attrib:
                del nested.attrib["id"]
    return "".join(lxml_html.tostring(element, encoding="unicode") for element in elements)


def body_is_empty(body: str) -> bool:
    return not split_blocks(sanitise(body))


# --- Light HTML for short editorial texts (disclaimers, notes) -----------------

_light_cleaner = bleach.Cleaner(
    tags={"p", "a", "strong", "em", "br"},
    attributes={"a": ["href", "title"]},
    protocols=BODY_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean_light(raw: str) -> str:
    """Sanitise a short editorial text that allows only links and emphasis."""
    cleaned = _light_cleaner.clean(raw or "").strip()
    if cleaned and not cleaned.startswith("<p>"):
        cleaned = str(linebreaks(cleaned, autoescape=False))
    return cleaned


# --- The composed body ---------------------------------------------------------


@dataclass(frozen=True)
class PullQuoteSpec:
    text: str
    attribution: str
    after_block: int


@dataclass(frozen=True)
class TranscriptTurnSpec:
    id: int
    speaker: str
    is_question: bool
    text: str


def _pull_quote_html(quote: PullQuoteSpec) -> str:
    # The quote repeats words already in the body: hide the duplicate from
    # assistive technology so a screen reader does not read it twice.
    if quote.attribution:
        return format_html(
            '<aside class="pull-quote" aria-hidden="true"><p>{}</p><p class="pull-quote-by">{}'
            "</p></aside>",
            quote.text,
            quote.attribution,
        )
    return format_html('<aside class="pull-quote" aria-hidden="true"><p>{}</p></aside>', quote.text)


def _transcript_html(turns: Sequence[TranscriptTurnSpec]) -> str:
    items = format_html_join(
        "",
        '<div class="turn turn-{}" id="t{}"><dt>{}</dt><dd>{}</dd></div>',
        (
            (
                "question" if turn.is_question else "answer",
                turn.id,
                turn.speaker,
                mark_safe(linebreaks(turn.text, autoescape=True)),  # noqa: S308
            )
            for turn in turns
        ),
    )
    return format_html(
        '<section class="transcript" aria-labelledby="transcript-heading">'
        '<h2 id="transcript-heading" class="transcript-heading">Transcript</h2>'
        '<dl class="transcript-turns">{}</dl></section>',
        items,
    )


def compose(
    body: str,
    *,
    pull_quotes: Iterable[PullQuoteSpec] = (),
    transcript: Sequence[TranscriptTurnSpec] = (),
) -> str:
    """The rendered body: blocks, pull quotes after their paragraph, then the transcript."""
    blocks = split_blocks(body)
    quotes_after: dict[int, list[PullQuoteSpec]] = {}
    for quote in pull_quotes:
        position = min(max(quote.after_block, 0), len(blocks))
        quotes_after.setdefault(position, []).append(quote)
    parts = [_pull_quote_html(q) for q in quotes_after.get(0, [])]
    for index, block in enumerate(blocks, start=1):
        parts.append(block.html)
        parts.extend(_pull_quote_html(q) for q in quotes_after.get(index, []))
    if transcript:
        parts.append(_transcript_html(transcript))
    return "".join(parts)
