"""A streaming reader for WordPress eXtended RSS (WXR 1.0, 1.1 and 1.2) exports.

The export is read with lxml's ``iterparse``: each ``<item>`` (a post, page,
attachment…) and each channel-level definition (author, category, tag, term)
is turned into a small dataclass and then dropped from the tree, so memory
stays flat however large the file is.

>>> reader = WXRReader("export.xml")
>>> for record in reader:           # WXRAuthor, WXRCategory, WXRTag, WXRTerm, WXRItem
...     ...
>>> reader.site.base_site_url       # complete once the iteration is over

Parsing is safe with hostile files: no DTD is loaded, no entity is expanded
and nothing is fetched from the network (so no XXE and no "billion laughs").
Elements are recognised by namespace URI, not by prefix: a ``wp:`` prefix bound
to another URI is not WordPress's, and the three WXR versions' URIs are read
alike. Any well-formedness error (a truncated file, a stray ``]]>``) raises
``WXRError`` naming the line; libxml2's complaint about non-ASCII characters
in a namespace URI (allowed by XML Namespaces 1.1 IRIs) is only a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

WP_NAMESPACES = frozenset(f"http://wordpress.org/export/1.{minor}/" for minor in range(3))
EXCERPT_NAMESPACES = frozenset(f"{ns}excerpt/" for ns in WP_NAMESPACES)
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")

_PREFIXES = {CONTENT_NAMESPACE: "content", DC_NAMESPACE: "dc", "": ""}
_PREFIXES.update(dict.fromkeys(WP_NAMESPACES, "wp"))
_PREFIXES.update(dict.fromkeys(EXCERPT_NAMESPACES, "excerpt"))
_CLARK = re.compile(r"^(?:\{([^}]*)\})?(.*)$")


class WXRError(Exception):
    """The file is not a readable WordPress export. ``line`` is where the problem is."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class WXRSite:
    """What the channel says about the exported site."""

    wxr_version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class WXRAuthor:
    login: str
    line: int
    id: int | None = None
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WXRCategory:
    slug: str
    line: int
    name: str = ""
    parent: str = ""
    description: str = ""
    term_id: int | None = None


@dataclass
class WXRTag:
    slug: str
    line: int
    name: str = ""
    term_id: int | None = None


@dataclass
class WXRTerm:
    """A term of another taxonomy (``wp:term``); categories and tags given this way
    are returned as ``WXRCategory`` / ``WXRTag``."""

    taxonomy: str
    slug: str
    line: int
    name: str = ""
    parent: str = ""


@dataclass
class WXRItemTerm:
    """A ``<category domain="…" nicename="…">`` of an item.

    ``domain`` is "category", "post_tag", another taxonomy, or "" for the bare
    ``<category>Name</category>`` that WXR 1.0 adds next to the full ones.
    """

    domain: str
    slug: str
    name: str


@dataclass
class WXRComment:
    line: int
    id: int | None = None
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: int = 0
    user_id: int = 0
    #: Comment meta, values as exported (PHP-serialized values are kept verbatim).
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class WXRItem:
    line: int
    post_id: int | None = None
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    pub_date: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified: str = ""
    post_modified_gmt: str = ""
    comment_status: str = ""
    post_name: str = ""
    post_parent: int = 0
    post_password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    terms: list[WXRItemTerm] = field(default_factory=list)
    #: Post meta, first value of each key, as exported.
    meta: dict[str, str] = field(default_factory=dict)
    #: Former slugs WordPress kept for redirects (``_wp_old_slug`` meta).
    old_slugs: list[str] = field(default_factory=list)
    comments: list[WXRComment] = field(default_factory=list)
    #: Which of the fields above were present in the file (for strict checks).
    present: set[str] = field(default_factory=set)


Record = WXRAuthor | WXRCategory | WXRTag | WXRTerm | WXRItem


def _name(tag: Any) -> tuple[str | None, str]:
    """(short prefix, local name); the prefix is None for namespaces we do not read."""
    if not isinstance(tag, str):
        return None, ""
    return _clark(tag)


@functools.lru_cache(maxsize=512)
def _clark(tag: str) -> tuple[str | None, str]:
    match = _CLARK.match(tag)
    namespace, local = (match.group(1) or "", match.group(2)) if match else ("", tag)
    return _PREFIXES.get(namespace), local


def _text(element: etree._Element) -> str:
    """All the text of an element: CDATA sections and text joined, children's text included."""
    return "".join(element.itertext())


def _int(value: str) -> int | None:
    value = value.strip()
    try:
        return int(value)
    except ValueError:
        return None


def _fields(element: etree._Element, prefix: str = "wp") -> dict[str, str]:
    """Child elements in ``prefix``'s namespace, by local name (first occurrence wins)."""
    found: dict[str, str] = {}
    for child in element:
        child_prefix, local = _name(child.tag)
        if child_prefix == prefix and local not in found:
            found[local] = _text(child)
    return found


def _meta(element: etree._Element) -> tuple[str, str] | None:
    values = _fields(element)
    if "meta_key" not in values:
        return None
    return values["meta_key"].strip(), values.get("meta_value", "")


_ITEM_FIELDS = {
    ("", "title"): "title",
    ("", "link"): "link",
    ("", "pubDate"): "pub_date",
    ("", "guid"): "guid",
    ("dc", "creator"): "creator",
    ("content", "encoded"): "content",
    ("excerpt", "encoded"): "excerpt",
    ("wp", "post_type"): "post_type",
    ("wp", "status"): "status",
    ("wp", "post_date"): "post_date",
    ("wp", "post_date_gmt"): "post_date_gmt",
    ("wp", "post_modified"): "post_modified",
    ("wp", "post_modified_gmt"): "post_modified_gmt",
    ("wp", "comment_status"): "comment_status",
    ("wp", "post_name"): "post_name",
    ("wp", "post_password"): "post_password",
    ("wp", "attachment_url"): "attachment_url",
}
# Free text keeps its inner whitespace; the rest is trimmed.
_VERBATIM = {"title", "content", "excerpt"}


def _item(element: etree._Element) -> WXRItem:
    item = WXRItem(line=element.sourceline or 0)
    for child in element:
        prefix, local = _name(child.tag)
        if prefix is None:
            continue
        key = (prefix, local)
        if key in _ITEM_FIELDS:
            attribute = _ITEM_FIELDS[key]
            if attribute in item.present:
                continue  # the first occurrence wins
            text = _text(child)
            setattr(item, attribute, text.strip() if attribute not in _VERBATIM else text)
            item.present.add(attribute)
        elif key == ("wp", "post_id") and "post_id" not in item.present:
            item.post_id = _int(_text(child))
            item.present.add("post_id")
        elif key == ("wp", "post_parent"):
            item.post_parent = _int(_text(child)) or 0
        elif key == ("wp", "is_sticky"):
            item.is_sticky = _text(child).strip() == "1"
        elif key == ("wp", "author") and "creator" not in item.present:
            # Some exporters name the post's author this way instead of dc:creator.
            item.creator = _text(child).strip()
            item.present.add("creator")
        elif key == ("", "category"):
            domain = (child.get("domain") or "").strip()
            item.terms.append(
                WXRItemTerm(
                    # WXR 1.0 called tags "tag"; 1.1 onwards "post_tag".
                    domain="post_tag" if domain == "tag" else domain,
                    slug=(child.get("nicename") or "").strip(),
                    name=_text(child).strip(),
                )
            )
        elif key == ("wp", "postmeta"):
            pair = _meta(child)
            if pair and pair[0] == "_wp_old_slug":
                item.old_slugs.append(pair[1].strip())
            elif pair and pair[0] not in item.meta:
                item.meta[pair[0]] = pair[1]
        elif key == ("wp", "comment"):
            item.comments.append(_comment(child))
    return item


def _comment(element: etree._Element) -> WXRComment:
    values = _fields(element)
    comment = WXRComment(
        line=element.sourceline or 0,
        id=_int(values.get("comment_id", "")),
        author=values.get("comment_author", "").strip(),
        author_email=values.get("comment_author_email", "").strip(),
        author_url=values.get("comment_author_url", "").strip(),
        author_ip=values.get("comment_author_IP", "").strip(),
        date=values.get("comment_date", "").strip(),
        date_gmt=values.get("comment_date_gmt", "").strip(),
        content=values.get("comment_content", ""),
        approved=values.get("comment_approved", "").strip(),
        type=values.get("comment_type", "").strip(),
        parent=_int(values.get("comment_parent", "")) or 0,
        user_id=_int(values.get("comment_user_id", "")) or 0,
    )
    for child in element:
        if _name(child.tag) == ("wp", "commentmeta"):
            pair = _meta(child)
            if pair and pair[0] not in comment.meta:
                comment.meta[pair[0]] = pair[1]
    return comment


def _author(element: etree._Element) -> WXRAuthor:
    values = {key: value.strip() for key, value in _fields(element).items()}
    return WXRAuthor(
        login=values.get("author_login", ""),
        line=element.sourceline or 0,
        id=_int(values.get("author_id", "")),
        email=values.get("author_email", ""),
        display_name=values.get("author_display_name", ""),
        first_name=values.get("author_first_name", ""),
        last_name=values.get("author_last_name", ""),
    )


def _term(element: etree._Element, local: str) -> WXRCategory | WXRTag | WXRTerm:
    values = {key: value.strip() for key, value in _fields(element).items()}
    line = element.sourceline or 0
    term_id = _int(values.get("term_id", ""))
    if local == "category":
        return WXRCategory(
            slug=values.get("category_nicename", ""),
            line=line,
            name=values.get("cat_name", ""),
            parent=values.get("category_parent", ""),
            description=values.get("category_description", ""),
            term_id=term_id,
        )
    if local == "tag":
        return WXRTag(
            slug=values.get("tag_slug", ""),
            line=line,
            name=values.get("tag_name", ""),
            term_id=term_id,
        )
    taxonomy = values.get("term_taxonomy", "")
    if taxonomy == "category":
        return WXRCategory(
            slug=values.get("term_slug", ""),
            line=line,
            name=values.get("term_name", ""),
            parent=values.get("term_parent", ""),
            description=values.get("term_description", ""),
            term_id=term_id,
        )
    if taxonomy == "post_tag":
        return WXRTag(
            slug=values.get("term_slug", ""),
            line=line,
            name=values.get("term_name", ""),
            term_id=term_id,
        )
    return WXRTerm(
        taxonomy=taxonomy,
        slug=values.get("term_slug", ""),
        line=line,
        name=values.get("term_name", ""),
        parent=values.get("term_parent", ""),
    )


_SITE_FIELDS = {
    ("wp", "wxr_version"): "wxr_version",
    ("wp", "base_site_url"): "base_site_url",
    ("wp", "base_blog_url"): "base_blog_url",
    ("", "title"): "title",
    ("", "link"): "link",
}


class WXRReader:
    """Iterate over the records of one export, streaming.

    ``source`` is a path or a binary file object. After the iteration,
    ``site`` holds the channel's information and ``warnings`` lists
    ``(line, message)`` pairs about things that were tolerated.
    """

    def __init__(self, source: str | Path | IO[bytes]) -> None:
        self.source = str(source) if isinstance(source, Path) else source
        self.site = WXRSite()
        self.warnings: list[tuple[int, str]] = []
        self._seen_channel = False
        self._reported_errors = 0

    def __iter__(self) -> Iterator[Record]:
        try:
            context = etree.iterparse(
                self.source,
                events=("end",),
                recover=True,  # only to tolerate namespace warnings: see _check_errors
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            for _event, element in context:
                parent = element.getparent()
                if parent is None:
                    self._check_root(element)
                    continue
                parent_prefix, parent_local = _name(parent.tag)
                if (parent_prefix, parent_local) != ("", "channel"):
                    if (parent_prefix, parent_local) == ("", "rss") and _name(element.tag) == (
                        "",
                        "channel",
                    ):
                        self._seen_channel = True
                    continue
                record = self._channel_child(element)
                # Drop what has been read: the element and everything before it.
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del parent[0]
                self._check_errors(context)
                if record is not None:
                    yield record
            self._check_errors(context)
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position else None
            raise WXRError(self._describe(exc.msg or str(exc)), line=line) from exc
        self._check_site()

    def _channel_child(self, element: etree._Element) -> Record | None:
        prefix, local = _name(element.tag)
        if prefix is None:
            return None
        if (prefix, local) == ("", "item"):
            return _item(element)
        if prefix == "wp" and local == "author":
            return _author(element)
        if prefix == "wp" and local in {"category", "tag", "term"}:
            return _term(element, local)
        if (prefix, local) in _SITE_FIELDS:
            attribute = _SITE_FIELDS[(prefix, local)]
            if not getattr(self.site, attribute):
                setattr(self.site, attribute, _text(element).strip())
        return None

    def _check_root(self, element: etree._Element) -> None:
        if _name(element.tag) != ("", "rss"):
            raise WXRError(
                f"this is not a WordPress export: the document is <{element.tag}>, not <rss>",
                line=element.sourceline,
            )

    def _check_errors(self, context: Any) -> None:
        log = context.error_log
        if len(log) <= self._reported_errors:
            return
        for entry in list(log)[self._reported_errors :]:
            if entry.domain_name == "NAMESPACE" and entry.level_name != "FATAL":
                self.warnings.append((entry.line, entry.message.strip()))
                continue
            raise WXRError(self._describe(entry.message.strip()), line=entry.line)
        self._reported_errors = len(log)

    @staticmethod
    def _describe(message: str) -> str:
        hints = {
            "Premature end of data": "the file ends too early (truncated?)",
            "Sequence ']]>' not allowed": "a ']]>' inside text must be split across two CDATA "
            "sections, as WordPress's own exporter does",
            "Opening and ending tag mismatch": "the file is not well-formed XML",
            "no element found": "the file is empty",
            "Document is empty": "the file is empty",
        }
        for start, hint in hints.items():
            if message.startswith(start):
                return f"{message.rstrip('.')}: {hint}"
        return message

    def _check_site(self) -> None:
        if not self._seen_channel:
            raise WXRError("this is not a WordPress export: there is no <channel> in <rss>")
        version = self.site.wxr_version
        if not version:
            raise WXRError("this is not a WordPress export: <wp:wxr_version> is missing")
        if version not in SUPPORTED_VERSIONS:
            raise WXRError(
                f"unsupported WXR version {version!r} (this importer reads "
                f"{', '.join(SUPPORTED_VERSIONS)})"
            )
