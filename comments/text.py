"""Reader text: plain text with light formatting, made safe once, when posted.

Readers write plain text. Blank lines make paragraphs, lines starting with
``>`` make a quotation, and the few tags WordPress readers are used to
(``<b> <i> <em> <strong> <q> <code> <blockquote> <a href>``) are kept.
Bare addresses become links. Every link gets ``rel="nofollow ugc noopener"``.
Everything else is escaped, so nothing a reader types can run in a browser.

>>> render("Hello <script>x</script>\\n\\n> quoted\\nhttps://example.org")
'<p>Hello &lt;script&gt;x&lt;/script&gt;</p>\\n<blockquote><p>quoted</p>…'
"""

from __future__ import annotations

import re

import bleach
from bleach.linkifier import Linker

ALLOWED_TAGS = frozenset({"a", "b", "i", "em", "strong", "q", "code", "blockquote", "p", "br"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
)
_linker = Linker(callbacks=[_set_rel], skip_tags={"code"}, parse_email=False)


def normalise(text: str) -> str:
    """Line endings unified, control characters dropped, trailing space trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _paragraph(chunk: str) -> str:
    """One block of text: runs of "> " lines become quotations, the rest paragraphs."""
    if chunk.lstrip().startswith("<blockquote>"):
        return chunk.replace("\n", "<br>")
    parts: list[str] = []
    run: list[str] = []
    quoting = False

    def flush() -> None:
        if not run:
            return
        inner = "<br>".join(run).strip()
        parts.append(f"<blockquote><p>{inner}</p></blockquote>" if quoting else f"<p>{inner}</p>")
        run.clear()

    for line in chunk.split("\n"):
        is_quote = line.lstrip().startswith("&gt;")
        if is_quote != quoting:
            flush()
            quoting = is_quote
        run.append(re.sub(r"^\s*&gt;\s?", "", line) if is_quote else line)
    flush()
    return "\n".join(parts)


_import_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def from_html(html: str) -> str:
    """Reader text from a comment written as HTML on another system (an import).

    The tags reader text keeps stay; other tags are dropped with their text
    kept, so that an imported ``<del>`` or ``<span>`` does not show up to
    readers as literal markup. ``render`` still makes the result safe.
    """
    return normalise(_import_cleaner.clean(normalise(html)))


def render(text: str) -> str:
    """The safe HTML shown for a comment whose body is ``text``."""
    cleaned = _cleaner.clean(normalise(text))
    chunks = [chunk.strip("\n") for chunk in _BLANK_LINES.split(cleaned) if chunk.strip()]
    html = "\n".join(_paragraph(chunk) for chunk in chunks)
    # Linkify (and force rel on links readers typed), then clean once more:
    # the final pass is what guarantees the allow-list.
    return _cleaner.clean(_linker.linkify(html))


def count_links(html: str) -> int:
    return html.count("<a ")
