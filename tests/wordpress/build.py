"""Write WordPress exports (WXR) in code, for tests and the import benchmark.

>>> export(tmp_path / "x.xml", [post(1, "Hello", comments=[comment(5, "Hi")])])

Values are written the way WordPress's exporter writes them: text in CDATA
sections (a "]]>" inside is split across two sections), dates as
``YYYY-MM-DD HH:MM:SS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

NAMESPACES = {
    "1.0": "http://wordpress.org/export/1.0/",
    "1.1": "http://wordpress.org/export/1.1/",
    "1.2": "http://wordpress.org/export/1.2/",
}


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(text: str) -> str:
    """Text in CDATA, as WordPress writes it (characters XML cannot hold are dropped)."""
    text = _NOT_XML.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def header(
    *, version: str = "1.2", site: str = "https://old.example.org", authors: Iterable[str] = ()
) -> str:
    namespace = NAMESPACES[version]
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="' + namespace + 'excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:wp="{namespace}">\n<channel>\n<title>Old site</title>\n'
        f"<link>{site}</link>\n<wp:wxr_version>{version}</wp:wxr_version>\n"
        f"<wp:base_site_url>{site}</wp:base_site_url>\n"
        f"<wp:base_blog_url>{site}</wp:base_blog_url>\n" + "".join(authors)
    )


FOOTER = "</channel>\n</rss>\n"


def author(
    login: str, *, id: int = 1, display_name: str = "", first: str = "", last: str = ""
) -> str:
    return (
        f"<wp:author><wp:author_id>{id}</wp:author_id>"
        f"<wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{login}@example.org</wp:author_email>"
        f"<wp:author_display_name>{cdata(display_name or login)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>\n"
    )


def comment(
    id: int,
    content: str,
    *,
    parent: int = 0,
    approved: str = "1",
    type: str = "",
    author: str = "Reader",
    email: str = "reader@example.org",
    url: str = "",
    ip: str = "192.0.2.1",
    date_gmt: str = "2024-03-01 10:00:00",
    date: str = "",
    user_id: int = 0,
    meta: dict[str, str] | None = None,
) -> str:
    metas = "".join(
        f"<wp:commentmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:commentmeta>"
        for k, v in (meta or {}).items()
    )
    return (
        f"<wp:comment><wp:comment_id>{id}</wp:comment_id>"
        f"<wp:comment_author>{cdata(author)}</wp:comment_author>"
        f"<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>"
        f"<wp:comment_author_url>{cdata(url)}</wp:comment_author_url>"
        f"<wp:comment_author_IP>{cdata(ip)}</wp:comment_author_IP>"
        f"<wp:comment_date>{cdata(date or date_gmt)}</wp:comment_date>"
        f"<wp:comment_date_gmt>{cdata(date_gmt)}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(content)}</wp:comment_content>"
        f"<wp:comment_approved>{cdata(approved)}</wp:comment_approved>"
        f"<wp:comment_type>{cdata(type)}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>{user_id}</wp:comment_user_id>{metas}</wp:comment>\n"
    )


def post(
    id: int,
    title: str,
    content: str = "A paragraph of text.",
    *,
    slug: str | None = None,
    status: str = "publish",
    post_type: str = "post",
    creator: str = "editor",
    date_gmt: str = "2024-03-01 09:00:00",
    date: str | None = None,
    modified_gmt: str = "",
    excerpt: str = "",
    categories: Iterable[tuple[str, str]] = (("news", "News"),),
    tags: Iterable[tuple[str, str]] = (),
    sticky: bool = False,
    password: str = "",
    comment_status: str = "open",
    meta: dict[str, str] | None = None,
    attachment_url: str = "",
    comments: Iterable[str] = (),
) -> str:
    slug = slug if slug is not None else title.lower().replace(" ", "-")
    terms = "".join(
        f'<category domain="category" nicename="{s}">{cdata(n)}</category>' for s, n in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{s}">{cdata(n)}</category>' for s, n in tags
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    attachment = (
        f"<wp:attachment_url>{attachment_url}</wp:attachment_url>" if attachment_url else ""
    )
    return (
        f"<item>\n<title>{cdata(title)}</title>\n"
        f"<link>https://old.example.org/?p={id}</link>\n"
        f"<dc:creator>{cdata(creator)}</dc:creator>\n"
        f'<guid isPermaLink="false">https://old.example.org/?p={id}</guid>\n'
        f"<content:encoded>{cdata(content)}</content:encoded>\n"
        f"<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n"
        f"<wp:post_id>{id}</wp:post_id>\n"
        f"<wp:post_date>{cdata(date if date is not None else date_gmt)}</wp:post_date>\n"
        f"<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>\n"
        f"<wp:post_modified_gmt>{cdata(modified_gmt or date_gmt)}</wp:post_modified_gmt>\n"
        f"<wp:comment_status>{comment_status}</wp:comment_status>\n"
        f"<wp:post_name>{cdata(slug)}</wp:post_name>\n"
        f"<wp:status>{status}</wp:status>\n<wp:post_parent>0</wp:post_parent>\n"
        f"<wp:post_type>{post_type}</wp:post_type>\n"
        f"<wp:post_password>{cdata(password)}</wp:post_password>\n"
        f"<wp:is_sticky>{int(sticky)}</wp:is_sticky>\n{attachment}{terms}{metas}\n"
        + "".join(comments)
        + "</item>\n"
    )


def write(handle: IO[str], items: Iterable[str], **header_options) -> None:
    handle.write(header(**header_options))
    for item in items:
        handle.write(item)
    handle.write(FOOTER)


def export(path: Path, items: Iterable[str], **header_options) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        write(handle, items, **header_options)
    return path
