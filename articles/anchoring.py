"""Anchors: pointing at a passage of an article body so the pointer survives edits.

Reader feedback (in ``comments``) and editors' questions (``PassageQuestion``)
are attached to passages of the body. A passage is stored the way the W3C Web
Annotation model and the Hypothesis client describe a selection, with several
selectors that fail independently:

* a **TextQuoteSelector**: ``exact`` (the passage), ``prefix`` and ``suffix``
  (up to 32 characters of context on each side);
* a **TextPositionSelector**: ``start`` and ``end`` offsets in the body's
  *anchor text* (below);
* the id of the top-level **block** the passage starts in (and the one it ends
  in, for a selection across paragraphs).

The anchor text of a body
    Every top-level block of the clean body (``articles.html.split_blocks``), in
    order, as its ``Block.text``: the block's text content with every run of
    whitespace collapsed to one space and no space at either end. Blocks are
    joined with one line feed (``\\n``), including blocks without text (an
    image, a rule), which contribute an empty string. Offsets count Unicode
    code points (Python string indexes; the page script converts from the
    browser's UTF-16). Pull quotes and the transcript are not part of it.

    >>> BodyText.of('<p id="b1">Hello  <em>big</em>\\n world</p><p id="b2">Bye</p>').text
    'Hello big world\\nBye'

When the body is edited, every anchor is resolved again (``reanchor``):

1. the position still holds the same words (and context): **unchanged**;
2. the exact words are found elsewhere (a paragraph was inserted above, the
   passage was moved): the best occurrence by context and distance wins;
3. the words were lightly edited: the old position is carried through a
   character diff of the old and new text (diff-match-patch ``diff_xIndex``),
   or, without the old text, the passage's first and last words are searched
   approximately near where it used to be (Bitap, ``match_main``); the result
   must still resemble the quote;
4. otherwise the anchor is **orphaned**: kept, with its original quote, and no
   longer highlighted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .html import split_blocks

BLOCK_SEPARATOR = "\n"
CONTEXT_LENGTH = 32
#: Share of the quote that must survive for a lightly edited passage to keep
#: its feedback (1 - edit distance / length). Hypothesis accepts half.
MIN_SIMILARITY = 0.6
#: Longest passage one anchor may quote (characters).
MAX_QUOTE_LENGTH = 3000
_EDGE_PIECE = 32  # Bitap works on machine-word sized pieces of the quote

_SPACE = re.compile(r"\s")


class How:
    UNCHANGED = "unchanged"
    MOVED = "moved"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class TextBlock:
    """One block of the anchor text: ``text[start:end]`` is its text."""

    id: str
    start: int
    end: int


@dataclass(frozen=True)
class Selector:
    """A TextQuoteSelector and a TextPositionSelector together."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Passage:
    """A resolved passage: where it is now, described afresh from the current text."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    block_id: str
    end_block_id: str
    block_start: int  # offset of ``start`` in the start block's text
    block_end: int  # offset of ``end`` in the end block's text
    how: str = How.UNCHANGED

    @property
    def selector(self) -> Selector:
        return Selector(self.exact, self.prefix, self.suffix, self.start, self.end)


@dataclass(frozen=True)
class BodyText:
    """The anchor text of a body and where each block lies in it."""

    text: str
    blocks: tuple[TextBlock, ...]

    @classmethod
    def of(cls, body: str) -> BodyText:
        parts: list[str] = []
        blocks: list[TextBlock] = []
        position = 0
        for index, block in enumerate(split_blocks(body or "")):
            if index:
                position += len(BLOCK_SEPARATOR)
            blocks.append(TextBlock(block.id, position, position + len(block.text)))
            parts.append(block.text)
            position += len(block.text)
        return cls(BLOCK_SEPARATOR.join(parts), tuple(blocks))

    def block(self, block_id: str) -> TextBlock | None:
        return next((block for block in self.blocks if block.id == block_id), None)

    def _index_at(self, position: int) -> int:
        starts = [block.start for block in self.blocks]
        return max(bisect_right(starts, position) - 1, 0)

    def block_of_start(self, position: int) -> TextBlock:
        """The block a passage starting at ``position`` starts in."""
        index = self._index_at(position)
        block = self.blocks[index]
        if position >= block.end and block.end > block.start and index + 1 < len(self.blocks):
            return self.blocks[index + 1]  # on a separator: the passage starts in the next block
        return block

    def block_of_end(self, position: int) -> TextBlock:
        """The block a passage ending (exclusively) at ``position`` ends in."""
        return self.blocks[self._index_at(max(position - 1, 0))]

    def position(self, block_id: str, offset: int) -> int | None:
        """Position in the anchor text of ``offset`` in block ``block_id``."""
        block = self.block(block_id)
        if block is None or not 0 <= offset <= block.end - block.start:
            return None
        return block.start + offset

    def describe(self, start: int, end: int, *, how: str = How.UNCHANGED) -> Passage | None:
        """Selectors for ``text[start:end]``, trimmed of surrounding whitespace."""
        text = self.text
        start, end = max(start, 0), min(end, len(text))
        while start < end and _SPACE.match(text[start]):
            start += 1
        while end > start and _SPACE.match(text[end - 1]):
            end -= 1
        if start >= end or not self.blocks:
            return None
        first, last = self.block_of_start(start), self.block_of_end(end)
        return Passage(
            exact=text[start:end],
            prefix=text[max(start - CONTEXT_LENGTH, 0) : start],
            suffix=text[end : end + CONTEXT_LENGTH],
            start=start,
            end=end,
            block_id=first.id,
            end_block_id=last.id,
            block_start=start - first.start,
            block_end=end - last.start,
            how=how,
        )

    def describe_block(self, block_id: str, quote: str = "") -> Passage | None:
        """A passage inside one block: ``quote`` (whitespace-normalised), or the whole block."""
        block = self.block(block_id)
        if block is None:
            return None
        own = self.text[block.start : block.end]
        quote = " ".join(quote.split())
        if not quote:
            return self.describe(block.start, block.end)
        at = own.find(quote)
        if at < 0:
            return None
        return self.describe(block.start + at, block.start + at + len(quote))


# --- Finding a quote in a text ---------------------------------------------------

_dmp = diff_match_patch()
_dmp.Match_Threshold = 0.4  # how bad a Bitap match may be (0 exact … 1 anything)
_dmp.Match_Distance = 2000  # how far from the expected place a match may be
_dmp.Diff_Timeout = 2.0


def similarity(a: str, b: str) -> float:
    """1 for equal strings, 0 for nothing in common (edit distance over length)."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    diffs = _dmp.diff_main(a, b, False)
    return max(0.0, 1.0 - _dmp.diff_levenshtein(diffs) / max(len(a), len(b)))


def _context_score(text: str, start: int, end: int, selector: Selector) -> float:
    """How well the text around a candidate matches the stored context (0…1)."""
    scores = []
    if selector.prefix:
        scores.append(
            similarity(text[max(start - len(selector.prefix), 0) : start], selector.prefix)
        )
    if selector.suffix:
        scores.append(similarity(text[end : end + len(selector.suffix)], selector.suffix))
    return sum(scores) / len(scores) if scores else 1.0


def _best(text: str, candidates: list[tuple[int, int]], selector: Selector, hint: int | None):
    """Rank candidates like Hypothesis: context first, closeness to the old place as tie-break."""

    def score(candidate: tuple[int, int]) -> float:
        start, end = candidate
        closeness = 1.0
        if hint is not None and text:
            closeness = 1.0 - abs(start - hint) / max(len(text), 1)
        return 20 * _context_score(text, start, end, selector) + 2 * closeness

    return max(candidates, key=score)


def _exact_matches(text: str, quote: str, limit: int = 200) -> list[tuple[int, int]]:
    found, at = [], text.find(quote)
    while at >= 0 and len(found) < limit:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


def _fuzzy_search(text: str, quote: str, hint: int) -> tuple[int, int] | None:
    """Approximate place of ``quote`` near ``hint``: its first and last words, searched apart."""
    if not text or not quote:
        return None
    hint = min(max(hint, 0), len(text))
    head = quote[:_EDGE_PIECE]
    start = _dmp.match_main(text, head, hint)
    if start < 0:
        return None
    if len(quote) <= _EDGE_PIECE:
        return _snap_to_words(text, start, min(start + len(quote), len(text)), quote)
    tail = quote[-_EDGE_PIECE:]
    expected_tail = start + len(quote) - len(tail)
    tail_at = _dmp.match_main(text, tail, min(expected_tail, len(text)))
    if tail_at < 0 or tail_at + len(tail) <= start:
        return None
    return _snap_to_words(text, start, min(tail_at + len(tail), len(text)), quote)


def _snap_to_words(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """Approximate ends fall mid-word: widen them to whole words, as the quote had."""
    limit = 24
    if quote[0].isalnum():
        for _ in range(limit):
            if start <= 0 or not text[start - 1].isalnum():
                break
            start -= 1
    if quote[-1].isalnum():
        for _ in range(limit):
            if end >= len(text) or not text[end].isalnum():
                break
            end += 1
    return start, end


def _acceptable(text: str, start: int, end: int, quote: str) -> bool:
    return end > start and similarity(text[start:end], quote) >= MIN_SIMILARITY


def find(
    text: str, selector: Selector, *, hint: int | None = None, fuzzy: bool = True
) -> tuple[int, int, str] | None:
    """Where ``selector`` is in ``text`` now: (start, end, how), or None if it is gone.

    ``hint`` is where the passage is expected (defaults to the stored start);
    ``fuzzy`` allows an approximate match when the exact words are gone.
    """
    quote = selector.exact
    if not quote:
        return None
    start, end = selector.start, selector.end
    if hint is None:
        hint = start
    if (
        start is not None
        and end is not None
        and text[start:end] == quote
        and _context_score(text, start, end, selector) >= 0.999
    ):
        return start, end, How.UNCHANGED
    exact = _exact_matches(text, quote)
    if exact:
        found = _best(text, exact, selector, hint)
        how = How.UNCHANGED if found == (start, end) else How.MOVED
        return found[0], found[1], how
    near = _fuzzy_search(text, quote, hint if hint is not None else 0) if fuzzy else None
    if near and _acceptable(text, near[0], near[1], quote):
        return near[0], near[1], How.FUZZY
    return None


def _map_through_diff(old: str, new: str, start: int, end: int) -> tuple[int, int]:
    diffs = _dmp.diff_main(old, new, False)
    _dmp.diff_cleanupSemantic(diffs)
    # The end is exclusive: carry its last character, so that text inserted
    # right after the passage is not pulled into it.
    return _dmp.diff_xIndex(diffs, start), _dmp.diff_xIndex(diffs, max(end - 1, start)) + 1


def reanchor(old: BodyText | None, new: BodyText, selector: Selector) -> Passage | None:
    """Resolve a stored passage in a new version of the body (see the module docstring).

    ``old`` is the text the selector was last resolved in, when known: the
    position is then carried through a diff of the two texts, which is how a
    lightly rewritten passage is followed.
    """
    text = new.text
    consistent = (
        old is not None
        and selector.start is not None
        and selector.end is not None
        and old.text[selector.start : selector.end] == selector.exact
    )
    hint = selector.start
    mapped: tuple[int, int] | None = None
    if consistent and old is not None and old.text != text:
        mapped = _map_through_diff(old.text, text, selector.start or 0, selector.end or 0)
        hint = mapped[0]
    unchanged_text = old is not None and old.text == text
    if unchanged_text and consistent:
        found: tuple[int, int, str] | None = (selector.start or 0, selector.end or 0, How.UNCHANGED)
    else:
        found = find(text, selector, hint=hint, fuzzy=mapped is None)
    if found is None and mapped is not None:
        if _acceptable(text, mapped[0], mapped[1], selector.exact):
            found = (mapped[0], mapped[1], How.FUZZY)
        else:
            found = find(text, selector, hint=hint)
    if found is None:
        return None
    start, end, how = found
    if how == How.UNCHANGED and (start, end) != (selector.start, selector.end):
        how = How.MOVED
    return new.describe(start, end, how=how)


def moved(selector: Selector, passage: Passage) -> bool:
    """Whether re-anchoring moved the passage or changed its words (not just its context)."""
    return (selector.start, selector.end, selector.exact) != (
        passage.start,
        passage.end,
        passage.exact,
    )
