"""A spam score from signals a moderator can read and check.

Every new or edited comment gets a score from 0 to 100, the sum of the points
of the signals below, each stored with the comment with a sentence saying what
was seen (moderators see them in the queue). No hidden model, no outside
service: a moderator can always tell why a comment was held.

==============  ======================================================  ========
signal          what is seen                                            points
==============  ======================================================  ========
links           links in the text (1, 2, 3 or more)                     15/25/35
disguised link  a web address written to dodge link detection           25
                ("example . com", "example(dot)com")
phrasing        known spam phrasing ("check out my channel",            25 each,
                "work from home"…; ``SPAM_PHRASES``)                    up to 50
repeated text   the same text (4+ words) posted before                  20/35
                (once, three times or more, in 30 days)
repetition      runs of one character, one word over and over, or       10 each,
                shouting in capitals                                    up to 20
speed           other comments by the same author, address or browser   15/30
                in the last 10 minutes (3+, 6+)
history         the author's earlier comments: spam (+30), several      +30/+10/
                rejected (+10), or several approved and none refused    -25
                (-25: a trusted regular)
==============  ======================================================  ========

``NEWSROOM_SPAM_HOLD_SCORE`` and ``NEWSROOM_SPAM_SCORE`` (settings) turn the
score into a decision: hold for review, or file as spam. ``bench/spam_score.py``
measures precision and recall on a public labelled collection.

>>> body = "Check out my channel http://videos.example.com"
>>> assessment = assess(body=body, body_html=render(body), author_email="a@example.com")
>>> assessment.score, [signal.name for signal in assessment.signals]
(40, ['links', 'phrasing'])
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .text import count_links
from .wordrules import Matcher, fold

#: Phrasing typical of comment spam (self-promotion, money, sales, contact
#: elsewhere). Matched like word rules: whole words, any case or accents.
SPAM_PHRASES = (
    # self-promotion
    "check out my", "check my channel", "check out this channel", "visit my",
    "my channel", "my youtube", "my website", "my blog", "my page", "my profile",
    "subscribe to my", "please subscribe", "subscribe me", "sub4sub", "sub 4 sub",
    "follow me", "follow my", "like my page", "like my video", "view my",
    # contact elsewhere
    "click here", "click the link", "click on the link", "link in bio", "link in my bio",
    "dm me", "message me on", "contact me on", "whatsapp me", "add me on",
    # money
    "make money", "making money", "earn money", "earn cash", "earn extra", "work from home",
    "from the comfort of your home", "per hour from home", "financial freedom",
    "passive income", "get paid", "paid surveys", "investment opportunity",
    "double your money", "forex signals", "crypto signals",
    # sales and freebies
    "free gift", "free money", "free iphone", "gift card", "100% free", "free followers",
    "free views", "free likes", "buy followers", "buy now", "order now", "limited offer",
    "limited time offer", "special offer", "promo code", "discount code", "best price",
    "lowest price", "cheap pills", "viagra", "cialis", "replica watches", "weight loss pills",
    "hot singles", "adult dating", "seo services", "backlinks", "increase your traffic",
)  # fmt: skip

LINK_POINTS = (0, 15, 25, 35)
DISGUISED_LINK_POINTS = 25
PHRASE_POINTS, PHRASE_MAX = 25, 50
DUPLICATE_POINTS = (20, 35)
REPETITION_POINTS, REPETITION_MAX = 10, 20
SPEED_WINDOW = timedelta(minutes=10)
SPEED_POINTS = ((6, 30), (3, 15))
DUPLICATE_WINDOW = timedelta(days=30)
FINGERPRINT_MIN_WORDS = 4

_DISGUISED = re.compile(
    r"\b[\w-]{2,}(?:\s+\.\s*|\s*[(\[{]dot[)\]}]\s*)"
    r"(?:com|net|org|info|biz|ru|io|co|me|ly|tk|xyz|online|site|club|top|us|uk)\b",
    re.IGNORECASE,
)
_RUN = re.compile(r"([^\W\d_]|[!?$€£*])\1{4,}")
_WORD = re.compile(r"\w+")
_phrases = Matcher((phrase, "spam") for phrase in SPAM_PHRASES)


@dataclass(frozen=True)
class Signal:
    name: str
    points: int
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "points": self.points, "detail": self.detail}


@dataclass(frozen=True)
class Assessment:
    score: int
    signals: tuple[Signal, ...] = field(default_factory=tuple)
    fingerprint: str = ""

    def as_json(self) -> list[dict[str, object]]:
        return [signal.as_dict() for signal in self.signals]


def fingerprint(text: str) -> str:
    """A short hash of the words of ``text`` (case, accents, spacing ignored).

    Empty for texts under four words ("Great article!" is posted by many
    people in good faith and says nothing about spam).
    """
    words = _WORD.findall(fold(text))
    if len(words) < FINGERPRINT_MIN_WORDS:
        return ""
    return hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()


def text_signals(body: str, body_html: str) -> list[Signal]:
    """The signals that need nothing but the comment itself."""
    signals: list[Signal] = []
    links = count_links(body_html)
    if links:
        points = LINK_POINTS[min(links, len(LINK_POINTS) - 1)]
        signals.append(Signal("links", points, f"{links} link{'s' if links > 1 else ''}"))
    disguised = _DISGUISED.search(body)
    if disguised:
        signals.append(
            Signal(
                "disguised link",
                DISGUISED_LINK_POINTS,
                f"a web address written to dodge link detection: “{disguised.group(0)}”",
            )
        )
    phrases = _phrases.distinct(body)
    if phrases:
        shown = ", ".join(f"“{match.text}”" for match in phrases[:4])
        signals.append(Signal("phrasing", min(PHRASE_POINTS * len(phrases), PHRASE_MAX), shown))
    repetition: list[str] = []
    run = _RUN.search(body)
    if run:
        repetition.append(f"“{run.group(0)[:12]}”")
    words = [word for word in _WORD.findall(fold(body)) if len(word) >= 3]
    if len(words) >= 8:
        most = max(set(words), key=words.count)
        if words.count(most) / len(words) >= 0.3:
            repetition.append(f"“{most}” {words.count(most)} times")
    letters = [char for char in body if char.isalpha()]
    if len(letters) >= 20 and sum(char.isupper() for char in letters) / len(letters) >= 0.7:
        repetition.append("written in capitals")
    if repetition:
        signals.append(
            Signal(
                "repetition",
                min(REPETITION_POINTS * len(repetition), REPETITION_MAX),
                "; ".join(repetition),
            )
        )
    return signals


def _author_filter(user_id: int | None, author_email: str) -> Q | None:
    if user_id:
        return Q(user_id=user_id)
    if author_email:
        return Q(user__isnull=True, author_email__iexact=author_email)
    return None


def history_signals(
    *,
    user_id: int | None,
    author_email: str,
    ip_address: str | None,
    client_hash: str,
    text_fingerprint: str,
    now: datetime,
    exclude_pk: int | None = None,
) -> list[Signal]:
    """The signals that look at earlier comments (three indexed queries at most)."""
    from .models import Comment

    signals: list[Signal] = []
    others = Comment.objects.exclude(pk=exclude_pk) if exclude_pk else Comment.objects.all()
    if text_fingerprint:
        repeats = len(
            others.filter(
                body_fingerprint=text_fingerprint, created_at__gte=now - DUPLICATE_WINDOW
            ).values_list("pk", flat=True)[:3]
        )
        if repeats:
            points = DUPLICATE_POINTS[1] if repeats >= 3 else DUPLICATE_POINTS[0]
            times = "3 or more times" if repeats >= 3 else f"{repeats} time{'s' * (repeats > 1)}"
            signals.append(Signal("repeated text", points, f"the same text was posted {times}"))
    author = _author_filter(user_id, author_email)
    same_source = author
    for extra in (Q(ip_address=ip_address) if ip_address else None,
                  Q(client_hash=client_hash) if client_hash else None):  # fmt: skip
        if extra is not None:
            same_source = extra if same_source is None else same_source | extra
    if same_source is not None:
        recent = others.filter(same_source, created_at__gte=now - SPEED_WINDOW, created_at__lte=now)
        count = len(recent.values_list("pk", flat=True)[:6])
        for threshold, points in SPEED_POINTS:
            if count >= threshold:
                signals.append(
                    Signal(
                        "speed",
                        points,
                        f"{count if count < 6 else '6 or more'} other comments from this author "
                        "or address in 10 minutes",
                    )
                )
                break
    if author is not None:
        counts = dict(
            others.filter(author, created_at__lte=now)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        spam, rejected = counts.get("spam", 0), counts.get("rejected", 0)
        approved = counts.get("approved", 0)
        if spam:
            signals.append(Signal("history", 30, f"{spam} earlier comment(s) filed as spam"))
        elif rejected >= 2:
            signals.append(Signal("history", 10, f"{rejected} earlier comments rejected"))
        elif approved >= 3 and not rejected:
            signals.append(
                Signal("history", -25, f"a regular: {approved} earlier comments approved")
            )
    return signals


def assess(
    *,
    body: str,
    body_html: str,
    user_id: int | None = None,
    author_email: str = "",
    ip_address: str | None = None,
    client_hash: str = "",
    now: datetime | None = None,
    exclude_pk: int | None = None,
) -> Assessment:
    """Score a comment (0–100) and say why."""
    now = now or timezone.now()
    text_fingerprint = fingerprint(body)
    signals = text_signals(body, body_html) + history_signals(
        user_id=user_id,
        author_email=author_email,
        ip_address=ip_address,
        client_hash=client_hash,
        text_fingerprint=text_fingerprint,
        now=now,
        exclude_pk=exclude_pk,
    )
    score = max(0, min(100, sum(signal.points for signal in signals)))
    return Assessment(score=score, signals=tuple(signals), fingerprint=text_fingerprint)
