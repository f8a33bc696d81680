"""WordPress post content → the HTML our editor body expects.

WordPress stores two kinds of content:

* **classic** content is text with some HTML, where line breaks carry meaning:
  WordPress turns a blank line into a new paragraph and a single line break
  into ``<br>`` when it displays the post ("auto-paragraph", ``wpautop``).
  ``autop()`` applies those rules, written from their description: nothing is
  wrapped inside block elements' tags or changed inside ``<pre>``;
* **block-editor** content (WordPress 5+) is already HTML, with the blocks
  delimited by comments (``<!-- wp:paragraph -->``); the comments are removed
  and the HTML kept.

Shortcodes: ``[caption]`` becomes a ``<figure>`` with its ``<figcaption>``,
``[embed]URL[/embed]`` a link; the other built-in media shortcodes
(``gallery``, ``audio``, ``video``, ``playlist``) are removed and reported;
unknown ones are left as text and reported so editors can find them.

The result is *not* safe yet: ``Article.save()`` sanitises it with the site's
allow-list (``articles.html.clean_body``) like any body.

>>> to_body("First line\\nsecond line\\n\\nNew paragraph")
ConvertedBody(html='<p>First line<br />\\nsecond line</p>\\n<p>New paragraph</p>\\n', ...)
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

import bleach

BLOCK = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    r"form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|"
    r"article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_BLOCK_OPEN = re.compile(rf"(<{BLOCK}(?=[\s/>])[^>]*>)", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</{BLOCK}>)", re.IGNORECASE)
_BLOCK_TAG = rf"</?{BLOCK}(?=[\s/>])[^>]*>"
_VERBATIM = re.compile(
    r"<(pre|figure|script|style|textarea)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")
_BR_PAIR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_BR_NEWLINE = re.compile(r"<br\s*/?>[ \t]*\n", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"(?<!<br />)[ \t]*\n")
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_RE = re.compile(r"\x00(\d+)\x00")
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[\s\S]*?-->")
_SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:[^\[\]\"']|\"[^\"]*\"|'[^']*')*?)(/?)\]")
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_CAPTION_IMAGE = re.compile(
    r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.IGNORECASE | re.DOTALL
)
_EMBED = re.compile(r"\[embed[^\]]*\]\s*(https?://[^\s\[\]<>\"]+)\s*\[/embed\]", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
REMOVED_SHORTCODES = frozenset({"gallery", "audio", "video", "playlist"})
_HEADING = re.compile(r"<(/?)h([156])(?=[\s>])", re.IGNORECASE)


def is_block_content(text: str) -> bool:
    """True for content saved by the block editor (it carries block delimiters)."""
    return "<!-- wp:" in text


def autop(text: str) -> str:
    """Paragraphs from blank lines and ``<br />`` from single line breaks, WordPress-style."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        # A kept element stands alone, like any block.
        return "\n\n" + _PLACEHOLDER.format(len(kept) - 1) + "\n\n"

    text = _VERBATIM.sub(keep, text)
    # Line breaks inside a tag (between attributes) are not text.
    text = _TAG.sub(lambda match: match.group(0).replace("\n", " "), text)
    text = _BR_PAIR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = re.sub(r"(<hr\b[^>]*>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = _BR_NEWLINE.sub("<br />\n", text)
    paragraphs = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip()
        if chunk:
            paragraphs.append("<p>" + _LINE_BREAK.sub("<br />\n", chunk) + "</p>\n")
    result = "".join(paragraphs)
    # A quotation's text is paragraphs inside it, not a paragraph around it.
    result = re.sub(r"<p>\s*<blockquote([^>]*)>", r"<blockquote\1><p>", result, flags=re.I)
    result = re.sub(r"</blockquote>\s*</p>", "</p></blockquote>", result, flags=re.I)
    # No paragraph directly around a block tag, and no empty paragraph.
    result = re.sub(rf"<p>\s*({_BLOCK_TAG})", r"\1", result, flags=re.IGNORECASE)
    result = re.sub(rf"({_BLOCK_TAG})\s*</p>", r"\1", result, flags=re.IGNORECASE)
    result = re.sub(r"<p>\s*</p>\n?", "", result)
    # No line break right after a block tag or right before the end of one.
    result = re.sub(rf"({_BLOCK_TAG})\s*<br />", r"\1", result, flags=re.IGNORECASE)
    result = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[\s/>])",
        r"\1",
        result,
        flags=re.IGNORECASE,
    )
    result = re.sub(rf"<p>\s*({_PLACEHOLDER_RE.pattern})\s*</p>", r"\1", result)
    return _PLACEHOLDER_RE.sub(lambda match: kept[int(match.group(1))], result)


def _attributes(text: str) -> dict[str, str]:
    return {
        match.group(1).lower(): next(g for g in match.groups()[1:] if g is not None)
        for match in _ATTRIBUTE.finditer(text)
    }


def _caption(match: re.Match[str]) -> str:
    attributes = _attributes(match.group(1))
    inner = _CAPTION_IMAGE.match(match.group(2))
    if inner is None:
        return match.group(2)
    image, caption = inner.group(1), inner.group(2).strip() or attributes.get("caption", "")
    if not caption:
        return f"<figure>{image}</figure>"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


@dataclass
class ConvertedBody:
    html: str
    #: Shortcodes removed (built-in media we cannot show), by name.
    removed_shortcodes: Counter[str] = field(default_factory=Counter)
    #: Shortcodes we do not know, left in the text, by name.
    unknown_shortcodes: Counter[str] = field(default_factory=Counter)


def _shortcodes(text: str, report: ConvertedBody) -> str:
    text = _CAPTION.sub(_caption, text)
    text = _EMBED.sub(
        lambda m: f'<a href="{html.escape(m.group(1))}">{html.escape(m.group(1))}</a>', text
    )
    closing = {m.group(2).lower() for m in _SHORTCODE.finditer(text) if m.group(1)}

    def handle(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name in REMOVED_SHORTCODES:
            if not match.group(1):
                report.removed_shortcodes[name] += 1
            return ""
        looks_like_shortcode = "=" in match.group(3) or name in closing or bool(match.group(4))
        if looks_like_shortcode and not match.group(1):
            report.unknown_shortcodes[name] += 1
        return match.group(0)

    return _SHORTCODE.sub(handle, text)


def to_body(content: str) -> ConvertedBody:
    """The editor HTML for a post's ``content:encoded`` (not sanitised yet)."""
    report = ConvertedBody(html="")
    text = content.strip()
    if is_block_content(text):
        text = _BLOCK_COMMENT.sub("", text)
        text = _shortcodes(text, report)
    else:
        text = autop(_shortcodes(text, report))
    # Our bodies use h2–h4: the page title is the h1.
    report.html = _HEADING.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) == '1' else '4'}", text)
    return report


_strip_all = bleach.Cleaner(tags=set(), strip=True, strip_comments=True)
_WHITESPACE = re.compile(r"\s+")


def plain_text(value: str) -> str:
    """Text without tags or entities, on one line (titles, excerpts)."""
    if "<" not in value and "&" not in value:
        return _WHITESPACE.sub(" ", value).strip()
    value = _BLOCK_COMMENT.sub(" ", value)
    value = re.sub(r"<(br|/p|/h\d|/li)\b[^>]*>", " ", value, flags=re.IGNORECASE)
    return _WHITESPACE.sub(" ", html.unescape(_strip_all.clean(value))).strip()
