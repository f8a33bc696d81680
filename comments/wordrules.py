"""Banned and suspect words: whole-word matching that ignores case and accents.

Moderators list words and phrases (``WordRule``). A comment is matched on
whole words, after both sides are *folded*: compatibility forms unified
(the "fi" ligature → fi, full-width letters → ASCII), accents dropped (é → e), invisible
format characters removed (zero-width spaces, joiners, bidi marks) and case
folded (ß → ss). Words are runs of Unicode letters and digits, so punctuation
around or between the words of a phrase does not hide it, while a word inside
a longer word does not match:

>>> matcher = Matcher([("idiot", "banned"), ("free money", "suspect")])
>>> matcher.first("What an IDIOT!").phrase
'idiot'
>>> matcher.first("Idiotic") is None          # whole words only
True
>>> matcher.first("Frée—money, here").kind    # accents, punctuation between words
'suspect'

A trailing ``*`` matches any ending: ``scam*`` matches scam, scams and scammer.
The compiled rules are kept per process and reloaded when a moderator changes
them (a version key in the cache, see ``newsroom.cache``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from newsroom import cache

VERSION_NAME = "comments:word-rules"
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` without case, accents or invisible characters, for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )
    return kept.casefold()


def rule_key(phrase: str) -> str:
    """The canonical form of a rule: its folded words, and a trailing ``*`` if any."""
    words = _WORD.findall(fold(phrase))
    if not words:
        return ""
    return " ".join(words) + ("*" if phrase.strip().endswith("*") else "")


def pattern_for(key: str) -> str:
    """A regular expression (on folded text) for one rule key."""
    prefix = key.endswith("*")
    words = key.rstrip("*").split()
    body = r"\W+".join(re.escape(word) for word in words)
    return r"(?<!\w)" + body + (r"\w*" if prefix else r"(?!\w)")


@dataclass(frozen=True)
class Match:
    phrase: str  # the rule
    kind: str
    text: str = ""  # what it matched, as folded (lower case, no accents)


class Matcher:
    """All rules compiled into one expression per kind."""

    def __init__(self, rules: Iterable[tuple[str, str]]) -> None:
        self.rules: list[tuple[str, str, re.Pattern[str]]] = []
        by_kind: dict[str, list[str]] = {}
        for phrase, kind in rules:
            key = rule_key(phrase)
            if not key:
                continue
            pattern = pattern_for(key)
            self.rules.append((phrase, kind, re.compile(pattern)))
            by_kind.setdefault(kind, []).append(pattern)
        self.combined = {kind: re.compile("|".join(parts)) for kind, parts in by_kind.items()}

    def first(self, text: str, kind: str | None = None) -> Match | None:
        """The first rule (of ``kind``, or of any kind) that ``text`` contains."""
        folded = fold(text)
        kinds = [kind] if kind else list(self.combined)
        for each in kinds:
            combined = self.combined.get(each)
            if combined is None or not combined.search(folded):
                continue
            for phrase, rule_kind, pattern in self.rules:
                found = pattern.search(folded) if rule_kind == each else None
                if found:
                    return Match(phrase, rule_kind, found.group(0))
        return None

    def all(self, text: str) -> list[Match]:
        """Every rule ``text`` contains, in rule order."""
        folded = fold(text)
        found = []
        for phrase, kind, pattern in self.rules:
            match = pattern.search(folded)
            if match:
                found.append(Match(phrase, kind, match.group(0)))
        return found

    def distinct(self, text: str) -> list[Match]:
        """The places in ``text`` where rules match, overlapping matches counted once.

        "check out my channel" matches both "check out my" and "my channel";
        it is still one piece of spam phrasing, reported as the longest rule.
        """
        folded = fold(text)
        spans = sorted(
            (match.start(), match.end(), phrase, kind)
            for phrase, kind, pattern in self.rules
            for match in pattern.finditer(folded)
        )
        groups: list[tuple[int, int, str, str]] = []
        for start, end, phrase, kind in spans:
            if groups and start < groups[-1][1]:
                first, last, best, best_kind = groups[-1]
                if end - start > len(best):
                    best, best_kind = phrase, kind
                groups[-1] = (first, max(last, end), best, best_kind)
            else:
                groups.append((start, end, phrase, kind))
        return [Match(phrase, kind, folded[start:end]) for start, end, phrase, kind in groups]


_lock = threading.Lock()
_loaded: tuple[str | None, Matcher] | None = None


def current() -> Matcher:
    """The moderators' rules, compiled; rebuilt only after they change."""
    global _loaded
    version = cache.get_version(VERSION_NAME)
    loaded = _loaded
    if loaded is not None and version is not None and loaded[0] == version:
        return loaded[1]
    from .models import WordRule

    matcher = Matcher(WordRule.objects.values_list("phrase", "kind"))
    with _lock:
        _loaded = (version, matcher)
    return matcher


def changed() -> None:
    """Call (on commit) after the rules change, so every process reloads them."""
    cache.bump(VERSION_NAME)
