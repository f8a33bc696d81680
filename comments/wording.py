"""The wording of the notification e-mails: defaults in files, editors' changes in the admin.

Every kind of e-mail (``EmailTemplate.Kind``) has four parts editors may
reword without a deploy: the subject, the heading, the intro (above the
comment, list or button) and the footer (the small print). The layout, the
comment itself, the buttons and the headers (``List-Unsubscribe`` above all)
stay in the file templates of ``templates/comments/email/``.

The parts are written in a deliberately small language:

* plain text: a blank line starts a new paragraph;
* placeholders, ``{{ article_title }}``, from the list of each kind
  (``PLACEHOLDERS``), with Django's filters (``{{ total|pluralize }}``) and
  ``{% if %}``;
* links, only to the addresses the e-mail provides:
  ``[Unsubscribe from this discussion]({{ unsubscribe_url }})``.

The same text makes the plain-text version ("label: address") and the HTML
version (escaped paragraphs, ``<a href>`` for the links), so editors never
write HTML and what a reader wrote (a name, a comment) can never become a
link or markup: only the addresses the e-mail itself provides are links.

It is Django's template language run by an engine of its own, with no
template files, no tag libraries and no access to anything but a flat
context of strings and numbers (never a model), so a template cannot reach
anything it was not given. ``check()`` refuses, with a message saying what
to fix, wording that does not render, uses unknown placeholders, or drops a
required link (``REQUIRED``: the unsubscribe and manage links of every
notification, and the mute link of a new-comment e-mail); the sender checks
again each time (``render()``), and if stored wording ever fails, the
default is sent instead: no reader ever gets a notification without them.

>>> parts = render("reply", sample_context("reply"), {"subject": "Re: {{ article_title }}"})
>>> parts.subject
'Re: Harbour bridge to close for two weeks of repairs'
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import VariableNode
from django.template.defaulttags import DebugNode
from django.template.loader import get_template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

logger = logging.getLogger(__name__)

PARTS = ("subject", "heading", "intro", "footer")
# The longest a part may be, in characters of source.
PART_LIMITS = {"subject": 200, "heading": 200, "intro": 3000, "footer": 2000}

_COMMON = {
    "site_name": "the site's name",
    "site_url": "the site's address",
    "email": "the address the e-mail goes to",
}
_READER = {**_COMMON, "manage_url": "the page where the reader manages their notifications"}
_ARTICLE = {"article_title": "the article's title", "article_url": "the article's address"}

#: What each kind of e-mail can say: placeholder → what it is (shown to editors).
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "confirm": {
        **_READER,
        **_ARTICLE,
        "what": "“new comments” or “replies to your comment”",
        "confirm_url": "the confirmation link (also on the button)",
        "valid_days": "how many days the link works",
    },
    "manage": {**_READER, "valid_days": "how many days the link works"},
    "comment": {
        **_READER,
        **_ARTICLE,
        "author": "the name of the comment's author",
        "comment_url": "the comment (also on the button)",
        "unsubscribe_url": "stops e-mails about this discussion (required)",
        "mute_url": "mutes the thread this comment is in, keeping the rest (required)",
    },
    "reply": {
        **_READER,
        **_ARTICLE,
        "author": "the name of the reply's author",
        "comment_url": "the reply (also on the button)",
        "unsubscribe_url": "stops e-mails about replies to this comment (required)",
    },
    "digest": {
        **_READER,
        "total": "how many new comments the digest lists",
        "discussions": "in how many discussions",
        "unsubscribe_url": "stops every e-mail to this address (required)",
    },
    "moderation": {
        **_COMMON,
        "waiting": "how many comments wait for moderation",
        "queue_url": "the queue of held comments (also on the button)",
        "interval_minutes": "the least time between two of these e-mails, in minutes",
    },
}

#: Links every e-mail of a kind must keep (in its heading, intro or footer).
#: They are in the editors' wording, not the fixed layout, so editors can word
#: them, but not remove them.
REQUIRED = {
    "comment": ("unsubscribe_url", "mute_url", "manage_url"),
    "reply": ("unsubscribe_url", "manage_url"),
    "digest": ("unsubscribe_url", "manage_url"),
}
#: For each required link: an example label, and why readers need it.
REQUIRED_LINKS = {
    "unsubscribe_url": ("Unsubscribe", "readers must always be able to stop these e-mails"),
    "manage_url": (
        "Manage your notifications",
        "readers must always be able to see and change everything they follow",
    ),
    "mute_url": (
        "Mute this thread",
        "readers must always be able to silence one thread and keep the rest",
    ),
}
REQUIRED_MESSAGE = (
    "The e-mail must keep the link {{ %(name)s }}, for example "
    "“[%(label)s]({{ %(name)s }})”: %(why)s."
)

# Django's template language with nothing but its built-in tags and filters:
# no loaders (no {% include %} or {% extends %}), no tag libraries to load.
ENGINE = Engine(loaders=[], libraries={}, autoescape=False)

_MARK = "\x00"
_SENTINEL = re.compile(r"\x00(\d+)\x00")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*\x00(\d+)\x00\s*\)")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def one_line(text: str, limit: int | None = None) -> str:
    """Text made safe for a header or a heading: one line, no control or direction characters."""
    cleaned = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch for ch in text if ch not in _BIDI
    )
    cleaned = " ".join(cleaned.split())
    return Truncator(cleaned).chars(limit) if limit else cleaned


@lru_cache(maxsize=64)
def default(kind: str, part: str) -> str:
    """The default wording of one part, from ``templates/comments/email/wording/``."""
    source = get_template(f"comments/email/wording/{kind}/{part}.txt").template.source
    return source.strip()


def defaults(kind: str) -> dict[str, str]:
    return {part: default(kind, part) for part in PARTS}


@dataclass
class Wording:
    """One e-mail's parts, rendered."""

    subject: str
    heading: str
    intro_text: str
    footer_text: str
    intro_html: list[SafeString] = field(default_factory=list)
    footer_html: list[SafeString] = field(default_factory=list)
    from_default: bool = False


@lru_cache(maxsize=256)
def _compile(source: str):
    return ENGINE.from_string(source)


def _template(source: str, kind: str):
    """Compile one part, or raise ValidationError saying what is wrong with it."""
    try:
        template = _compile(source)
    except TemplateSyntaxError as error:
        raise ValidationError(
            "This does not render: %(error)s. Check the {{ … }} and {%% … %%} tags.",
            code="syntax",
            params={"error": error},
        ) from None
    if template.nodelist.get_nodes_by_type(DebugNode):
        raise ValidationError("{% debug %} cannot be used in an e-mail.", code="debug")
    allowed = PLACEHOLDERS[kind]
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        variable = node.filter_expression.var
        name = getattr(variable, "var", None)
        if not isinstance(name, str):
            continue  # a literal: {{ "text" }}
        root = name.split(".")[0]
        if root not in allowed:
            raise ValidationError(
                "Unknown placeholder {{ %(name)s }}. This e-mail can use: %(allowed)s.",
                code="placeholder",
                params={"name": name, "allowed": ", ".join(sorted(allowed))},
            )
        if "." in name:
            raise ValidationError(
                "{{ %(name)s }}: placeholders are plain values; write {{ %(root)s }}.",
                code="placeholder",
                params={"name": name, "root": root},
            )
    return template


def _run(template, context: Mapping[str, Any]) -> str:
    try:
        return template.render(Context(dict(context), autoescape=False))
    except Exception as error:  # a filter given a wrong value, a missing template…
        raise ValidationError(
            "This does not render: %(error)s.", code="render", params={"error": error}
        ) from None


def _flat(context: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The context with every address replaced by a marker, and the addresses."""
    urls: list[str] = []
    flat: dict[str, Any] = {}
    for name, value in context.items():
        if name.endswith("_url") and value:
            flat[name] = f"{_MARK}{len(urls)}{_MARK}"
            urls.append(str(value))
        elif isinstance(value, str):
            flat[name] = value.replace(_MARK, "")
        else:
            flat[name] = value
    return flat, urls


def _to_text(rendered: str, urls: list[str]) -> str:
    text = _LINK.sub(lambda m: f"{m[1].strip()}: {_MARK}{m[2]}{_MARK}", rendered)
    text = _SENTINEL.sub(lambda m: urls[int(m[1])], text)
    return "\n\n".join(p.strip() for p in _PARAGRAPHS.split(text.strip()) if p.strip())


def _label(text: str, urls: list[str]) -> str:
    return _SENTINEL.sub(lambda m: urls[int(m[1])], text).strip()


def _to_html(rendered: str, urls: list[str]) -> list[SafeString]:
    paragraphs = []
    for paragraph in _PARAGRAPHS.split(rendered.strip()):
        if not paragraph.strip():
            continue
        pieces: list[str] = []
        position = 0
        for match in re.finditer(f"{_LINK.pattern}|{_SENTINEL.pattern}", paragraph):
            pieces.append(escape(paragraph[position : match.start()]))
            if match[1] is not None:  # [label](address)
                url = urls[int(match[2])]
                pieces.append(format_html('<a href="{}">{}</a>', url, _label(match[1], urls)))
            else:  # a bare address
                url = urls[int(match[3])]
                pieces.append(format_html('<a href="{}">{}</a>', url, url))
            position = match.end()
        pieces.append(escape(paragraph[position:]))
        html = "".join(pieces).strip().replace("\n", "<br>\n")
        paragraphs.append(mark_safe(html))  # noqa: S308 -- every piece escaped or format_html
    return paragraphs


def _render_parts(kind: str, context: Mapping[str, Any], sources: Mapping[str, str]) -> Wording:
    flat, urls = _flat(context)
    plain = dict(context)
    subject = one_line(_run(_template(sources["subject"], kind), plain), 200)
    heading = one_line(_run(_template(sources["heading"], kind), plain))
    intro = _run(_template(sources["intro"], kind), flat)
    footer = _run(_template(sources["footer"], kind), flat)
    wording = Wording(
        subject=subject,
        heading=heading,
        intro_text=_to_text(intro, urls),
        footer_text=_to_text(footer, urls),
        intro_html=_to_html(intro, urls),
        footer_html=_to_html(footer, urls),
    )
    body = "\n".join([wording.heading, wording.intro_text, wording.footer_text])
    html = "".join(wording.intro_html + wording.footer_html)
    for name in REQUIRED.get(kind, ()):
        url = str(context.get(name, ""))
        if url not in body or format_html('href="{}"', url) not in html:
            label, why = REQUIRED_LINKS[name]
            raise ValidationError(
                REQUIRED_MESSAGE,
                code="required",
                params={"name": name, "label": label, "why": why},
            )
    if not subject:
        raise ValidationError("The subject is empty once rendered.", code="subject")
    return wording


def render(
    kind: str, context: Mapping[str, Any], overrides: Mapping[str, str] | None = None
) -> Wording:
    """The parts of one e-mail, with editors' ``overrides`` (blank parts use the default).

    Never fails for the reader: wording that does not render, or loses a
    required link with this e-mail's values, is logged and replaced by the
    default wording.
    """
    sources = defaults(kind)
    sources.update({part: text for part, text in (overrides or {}).items() if text.strip()})
    try:
        return _render_parts(kind, context, sources)
    except ValidationError as error:
        if sources == defaults(kind):
            raise
        logger.error("edited wording of %s e-mails failed, default sent: %s", kind, error)
        wording = _render_parts(kind, context, defaults(kind))
        wording.from_default = True
        return wording


def check(kind: str, parts: Mapping[str, str]) -> dict[str, list[str]]:
    """What is wrong with edited wording, by part (empty: nothing). Blank parts are defaults."""
    errors: dict[str, list[str]] = {}
    sources = defaults(kind)
    for part in PARTS:
        text = parts.get(part, "")
        if not text.strip():
            continue
        if len(text) > PART_LIMITS[part]:
            errors[part] = [f"At most {PART_LIMITS[part]:,} characters (this is {len(text):,})."]
            continue
        if part in ("subject", "heading") and "\n" in text.strip():
            errors[part] = ["One line only."]
            continue
        try:
            _template(text, kind)
        except ValidationError as error:
            errors[part] = error.messages
            continue
        sources[part] = text
    if errors:
        return errors
    try:
        _render_parts(kind, sample_context(kind), sources)
    except ValidationError as error:
        part = "subject" if error.code == "subject" else "footer"
        if error.code == "render":
            # Find the part that fails on its own.
            for name in PARTS:
                try:
                    _run(_template(sources[name], kind), _flat(sample_context(kind))[0])
                except ValidationError:
                    part = name
                    break
        errors[part] = error.messages
    return errors


def sample_context(kind: str) -> dict[str, Any]:
    """Made-up values for every placeholder of ``kind``: for checking and previewing."""
    site = settings.NEWSROOM_SITE_URL
    values: dict[str, Any] = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": site,
        "email": "reader@example.com",
        "manage_url": f"{site}/comments/subscriptions/manage/sample-link/",
        "article_title": "Harbour bridge to close for two weeks of repairs",
        "article_url": f"{site}/news/harbour-bridge-repairs/",
        "what": "new comments",
        "confirm_url": f"{site}/comments/subscriptions/confirm/sample-link/",
        "valid_days": settings.NEWSROOM_NOTIFY_CONFIRM_MAX_AGE // 86400,
        "author": "Tomás Reyes",
        "comment_url": f"{site}/comments/1/",
        "unsubscribe_url": f"{site}/comments/unsubscribe/sample-link/",
        "mute_url": f"{site}/comments/subscriptions/mute/sample-link/",
        "total": 3,
        "discussions": 2,
        "waiting": 4,
        "queue_url": f"{site}/moderation/pending/",
        "interval_minutes": settings.NEWSROOM_NOTIFY_MODERATORS_INTERVAL // 60,
    }
    if kind == "manage":
        values["valid_days"] = settings.NEWSROOM_NOTIFY_MANAGE_MAX_AGE // 86400
    return {name: values[name] for name in PLACEHOLDERS[kind]}


def overrides_by_kind() -> dict[str, dict[str, str]]:
    """Editors' wording of every kind, in one query (for a batch of e-mails)."""
    from .models import EmailTemplate

    return {
        row["kind"]: {part: row[part] for part in PARTS}
        for row in EmailTemplate.objects.values("kind", *PARTS)
    }
