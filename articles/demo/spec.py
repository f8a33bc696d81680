"""The shapes of the demo content: plain, frozen data, no database access.

The writing lives in the section modules next to this one (``news.py``,
``politics.py``…); :mod:`articles.demo.loader` turns these specs into rows.
Times are relative to the moment of loading (``age`` before now), so the
demo always looks current: the latest story is hours old, the oldest about
three weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

Status = Literal["published", "scheduled", "draft"]
NoteKind = Literal["correction", "update", "editors_note"]


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    name: str
    description: str
    position: int
    comment_prompt: str = ""


@dataclass(frozen=True)
class DisclaimerSpec:
    """A disclaimer, attached by default to article types and/or sections."""

    name: str
    text: str
    placement: Literal["above", "below", "both"]
    article_types: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthorSpec:
    slug: str
    name: str
    job_title: str
    bio: str
    #: Background colour of the generated portrait (initials on a disc).
    colour: str


@dataclass(frozen=True)
class Art:
    """A generated illustration: which composition, in which palette, with what options.

    ``kind`` is one of :data:`articles.demo.art.COMPOSITIONS`. The options are
    passed to the composition (e.g. ``bridge=True`` for a skyline).
    """

    kind: str
    palette: str
    alt: str
    caption: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    """A pull quote, placed after the ``after``-th block of the body."""

    text: str
    attribution: str = ""
    after: int = 2


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str
    is_question: bool = False


def ask(speaker: str, text: str) -> Turn:
    """An interviewer's question."""
    return Turn(speaker, text, is_question=True)


def answer(speaker: str, text: str) -> Turn:
    return Turn(speaker, text, is_question=False)


@dataclass(frozen=True)
class Note:
    """An entry of the public corrections log, ``after`` publication."""

    kind: NoteKind
    text: str
    after: timedelta


@dataclass(frozen=True)
class ArticleSpec:
    slug: str
    title: str
    standfirst: str
    section: str
    article_type: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    #: How long before the moment of loading it was published; for a scheduled
    #: article, a negative age (it goes live in the future).
    age: timedelta
    status: Status = "published"
    art: Art | None = None
    quotes: tuple[Quote, ...] = ()
    transcript: tuple[Turn, ...] = ()
    notes: tuple[Note, ...] = ()
    featured: bool = False
    #: The content was revised this long after publication ("Updated …").
    updated_after: timedelta | None = None
    #: Slugs of articles the editors pinned first among its related articles.
    pinned: tuple[str, ...] = ()


def ago(*, days: int = 0, hours: int = 0, minutes: int = 0) -> timedelta:
    return timedelta(days=days, hours=hours, minutes=minutes)


def later(*, days: int = 0, hours: int = 0, minutes: int = 0) -> timedelta:
    return timedelta(days=days, hours=hours, minutes=minutes)
