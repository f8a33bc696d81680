"""A spam score from signals a moderator can read and check.

Every new or edited comment gets a score from 0 to 100, the sum of the points
of the signals below, each stored with the comment with a sentence saying what
was seen (moderators see them in the queue). No hidden model, no outside
service: a moderator can always tell why a comment was held.

=================  ====================================================  =========
signal             what is seen                                          points
=================  ====================================================  =========
links              links in the text, bare addresses included            15/25/35
                   (1, 2, 3 or more)
link shortener     a link through a shortening service (bit.ly,          25
                   tinyurl…): it hides where it leads
disguised link     a web address written to dodge link detection         25
                   ("example . com", "example(dot)com")
first link         the author's first comment on the site has a link     10
self-promotion     "check out my channel", "subscribe to my",            30 (15 for
                   "visit my site", "follow me on", "link in bio"…;      weaker ones:
                   weaker: "my blog", "my website"                       "my blog"),
                                                                         +10 each
                                                                         more, ≤ 45
giveaway           "free gift card", "you have won", "claim your         30, +10,
                   prize", "first 100 people"…                           ≤ 40
money claims       "make money online", "be your own boss",              30 (15 for
                   "forex signals", or an earnings claim ("I made        "make money",
                   $500 a week", "you can earn £200"); weaker:           "work from
                   "make money", "work from home"                        home"), ≤ 45
contact elsewhere  "WhatsApp", "DM me", "contact him on", "spell         20, +10,
                   caster", a phone number or an e-mail address          ≤ 30
sales pitch        "buy now", "promo code", "50% off", "viagra",         20 each,
                   "casino bonus", "buy followers"…                      ≤ 40
formatting         shouting in capitals, a flood of emoji, runs of one   10 each,
                   character ("!!!!!!"), one word over and over          ≤ 20
repeated text      the same text (4+ words) posted before                20/35
                   (once, three times or more, in 30 days)
speed              other comments by the same author, address or         15/30
                   browser in the last 10 minutes (3+, 6+)
history            the author's earlier comments: spam (+30), several    +30/+10/
                   rejected (+10), or several approved and none          -25
                   refused (-25: a trusted regular)
=================  ====================================================  =========

How the points add up: one strong piece of evidence (a self-promotion or
money phrase) reaches the hold threshold by itself; weaker phrasing, links,
contact details or capitals need company. Filing as spam needs several
independent signs together (e.g. self-promotion with a shortened link, or a
money claim with a phone number): holding is reversible, filing as spam should
be rare and right. The phrase lists were written from general knowledge of
comment spam (social-media self-promotion, "earn from home" schemes, recovery
scams, sales), not from any data set; phrases are matched like moderators'
word rules, on whole words ignoring case and accents (``comments.wordrules``).

``NEWSROOM_SPAM_HOLD_SCORE`` and ``NEWSROOM_SPAM_SCORE`` (settings) turn the
score into a decision: hold for review, or file as spam. ``bench/spam_score.py``
measures precision and recall on a public labelled collection.

>>> body = "Check out my channel http://videos.example.com"
>>> assessment = assess(body=body, body_html=render(body), author_email="a@example.com")
>>> assessment.score, [signal.name for signal in assessment.signals]
(55, ['links', 'self-promotion', 'first link'])
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


@dataclass(frozen=True)
class PhraseSignal:
    """A family of phrases: strong ones hold a comment by themselves, weak ones need company."""

    name: str
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()
    strong_points: int = 30
    weak_points: int = 10
    more_points: int = 10  # for each further distinct phrase of the family
    cap: int = 45


#: Self-promotion: "come to my channel/page/site", follow-me, sub-for-sub.
PROMOTION_STRONG = (
    "check out my", "checkout my", "check my channel", "check out our channel",
    "take a look at my channel", "have a look at my channel", "go to my channel",
    "subscribe to my", "subscribe to our channel", "please subscribe", "pls subscribe",
    "plz subscribe", "subscribe for more", "sub to my", "sub4sub", "sub 4 sub", "sub for sub",
    "subscribe back", "i will subscribe back", "i'll subscribe back", "visit my channel",
    "visit my page", "visit my site", "visit my website", "visit my blog", "visit my profile",
    "visit our website", "visit our site", "my channel", "my youtube", "my new video",
    "my latest video", "my new song", "my new single", "my mixtape", "my soundcloud",
    "my onlyfans", "follow me on", "follow for follow", "follow4follow", "f4f", "like my page",
    "like my video", "like my facebook", "like my fb page", "link in bio", "link in my bio",
    "links in my bio", "link in my profile", "click my name", "click on my name",
    "click my profile", "click on my profile", "sorry for spamming", "sorry for the spam",
    "sorry for advertising", "sorry for the advertising", "sorry for self promotion",
    "small youtuber", "aspiring rapper", "aspiring singer", "aspiring artist",
    "support my channel", "road to 1k", "watch my", "listen to my", "my new channel",
    "my videos", "my vids", "my songs", "my music video", "my rap", "my beats",
    "give my channel", "it would mean a lot", "would mean the world",
)  # fmt: skip

#: Weaker self-promotion: a reader may mention their blog in good faith.
PROMOTION_WEAK = (
    "my blog", "my website", "my page", "my profile", "my music", "my band", "my podcast",
    "my vlog", "my shop", "my store", "my instagram", "my insta", "my tiktok", "my twitch",
    "my cover", "follow me", "share my", "subscribe", "subscribers", "check this out",
    "check out this", "check it out", "my video", "look at my", "my art", "my game", "my app",
    "please help", "help me out", "take a minute",
)  # fmt: skip

#: Prizes and freebies.
GIVEAWAY_STRONG = (
    "giveaway", "free gift card", "free gift cards", "free iphone", "free robux", "free vbucks",
    "free v-bucks", "you have won a", "you've won a", "claim your prize", "claim your reward",
    "claim your free", "lucky winner", "selected winner", "you have been selected",
    "first 100 people", "first 50 people", "first 1000 people", "free followers", "free likes",
    "free views", "free subscribers", "no credit card required",
)  # fmt: skip

GIVEAWAY_WEAK = (
    "gift card", "gift cards", "free trial",
)  # fmt: skip

#: Money: "earn from home" schemes, investment and trading scams.
MONEY_STRONG = (
    "make money online", "making money online", "earn money online", "earn cash",
    "earn extra cash", "from the comfort of your home", "be your own boss", "financial freedom",
    "per day from home", "per week from home", "paid surveys", "investment platform",
    "bitcoin investment", "crypto investment", "forex signals", "forex trading",
    "binary options", "trading signals", "my account manager", "double your money",
    "guaranteed returns", "guaranteed profit", "daily profit", "weekly profit", "sugar daddy",
    "cash app", "get rich quick",
)  # fmt: skip

#: Weaker: news comments discuss working from home and making money too.
MONEY_WEAK = (
    "make money", "making money", "earn money", "extra income", "extra cash", "passive income",
    "work from home", "working from home", "investment opportunity",
)  # fmt: skip

#: Taking the conversation elsewhere (messaging apps, "contact him on": recovery scams).
CONTACT_PHRASES = (
    "whatsapp", "whats app", "telegram", "wickr", "kik me", "snapchat me", "add me on", "dm me",
    "pm me", "message me on", "message me at", "contact me on", "contact me at",
    "contact me via", "contact him on", "contact him via", "contact her on", "contact her via",
    "reach me on", "reach me at", "text me on", "text me at", "email me at", "e-mail me at",
    "mail me at", "call me on", "call me at", "inbox me", "hit me up", "spell caster",
    "recovery expert", "hire a hacker", "recover your lost", "recover my lost",
    "recover lost funds",
)  # fmt: skip

#: Selling: offers, codes, pills, followers, casinos, dating.
SALES_PHRASES = (
    "buy now", "order now", "shop now", "limited offer", "limited time offer", "special offer",
    "promo code", "discount code", "coupon code", "use my code", "best price", "lowest price",
    "lowest prices", "free shipping", "wholesale price", "cheap pills", "viagra", "cialis",
    "replica watches", "weight loss pills", "diet pills", "lose weight fast", "seo services",
    "backlinks", "increase your traffic", "essay writing service", "buy followers", "buy likes",
    "buy views", "buy subscribers", "online casino", "casino bonus", "betting tips",
    "hot singles", "adult dating", "meet singles", "sexy girls", "escort service",
)  # fmt: skip

SELF_PROMOTION = PhraseSignal("self-promotion", strong=PROMOTION_STRONG, weak=PROMOTION_WEAK)
GIVEAWAY = PhraseSignal("giveaway", strong=GIVEAWAY_STRONG, weak=GIVEAWAY_WEAK, cap=40)
MONEY = PhraseSignal("money claims", strong=MONEY_STRONG, weak=MONEY_WEAK)
CONTACT = PhraseSignal("contact elsewhere", strong=CONTACT_PHRASES, strong_points=20, cap=30)
SALES = PhraseSignal("sales pitch", strong=SALES_PHRASES, strong_points=20, more_points=20, cap=40)
PHRASE_SIGNALS = (SELF_PROMOTION, GIVEAWAY, MONEY, CONTACT, SALES)

#: Link-shortening services: the link hides where it leads.
SHORTENERS = (
    "bit.ly", "bitly.com", "goo.gl", "tinyurl.com", "t.co", "ow.ly", "is.gd", "buff.ly",
    "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "adf.ly", "bc.vc", "shorte.st",
    "ouo.io", "rb.gy", "t.ly", "v.gd", "s.id", "lnkd.in", "linktr.ee", "tr.im", "snip.ly",
    "clck.ru", "u.to", "soo.gd", "zpr.io",
)  # fmt: skip

LINK_POINTS = (0, 15, 25, 35)
SHORTENER_POINTS = 25
DISGUISED_LINK_POINTS = 25
FIRST_LINK_POINTS = 10
FORMATTING_POINTS, FORMATTING_MAX = 10, 20
DUPLICATE_POINTS = (20, 35)
SPEED_WINDOW = timedelta(minutes=10)
SPEED_POINTS = ((6, 30), (3, 15))
DUPLICATE_WINDOW = timedelta(days=30)
FINGERPRINT_MIN_WORDS = 4
EMOJI_FLOOD = 5

_DISGUISED = re.compile(
    r"\b[\w-]{2,}(?:\s+\.\s*|\s*[(\[{]dot[)\]}]\s*)"
    r"(?:com|net|org|info|biz|ru|io|co|me|ly|tk|xyz|online|site|club|top|us|uk)\b",
    re.IGNORECASE,
)
_SHORTENED = re.compile(
    r"(?<![\w.-])(?:" + "|".join(re.escape(domain) for domain in SHORTENERS) + r")/\w",
    re.IGNORECASE,
)
#: "I made $500 this week", "you can earn £200 a day": someone claims earnings.
_EARNINGS = re.compile(
    r"\b(?:i|i['’]?ve|i['’]?m|i am|i have|you can|you could|you will|anyone can|start)\s+"
    r"(?:\w+\s+){0,3}?(?:earn|earned|earning|earns|make|made|making|get paid|got paid|"
    r"receive|received|receiving)\s+(?:\w+\s+){0,3}?"
    r"(?:[$£€]\s?\d[\d,.]*k?|\d[\d,.]*\s?(?:k\b|dollars|pounds|euros|usd|gbp|bucks))",
    re.IGNORECASE,
)
_PERCENT_OFF = re.compile(r"\b\d{1,2}\s?%\s?off\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{8,}\d(?!\w)")
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f02f\U0001f0a0-\U0001f0ff]"
)
_RUN = re.compile(r"([^\W\d_]|[!?$€£*])\1{4,}")
_WORD = re.compile(r"\w+")
_matchers = {
    family.name: Matcher(
        [(phrase, "strong") for phrase in family.strong]
        + [(phrase, "weak") for phrase in family.weak]
    )
    for family in PHRASE_SIGNALS
}


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


def _quoted(matches, limit: int = 4) -> str:
    return ", ".join(f"“{match}”" for match in matches[:limit])


def phrase_signal(family: PhraseSignal, body: str, extra: list[str] | None = None) -> Signal | None:
    """The signal of one family of phrases (``extra``: strong evidence found otherwise)."""
    found = _matchers[family.name].distinct(body)
    strong = [match.text for match in found if match.kind == "strong"] + (extra or [])
    weak = [match.text for match in found if match.kind == "weak"]
    if not strong and not weak:
        return None
    first = family.strong_points if strong else family.weak_points
    points = min(first + family.more_points * (len(strong) + len(weak) - 1), family.cap)
    return Signal(family.name, points, _quoted(strong + weak))


def _formatting(body: str) -> list[str]:
    seen: list[str] = []
    letters = [char for char in body if char.isalpha()]
    if len(letters) >= 20 and sum(char.isupper() for char in letters) / len(letters) >= 0.7:
        seen.append("written in capitals")
    emoji = len(_EMOJI.findall(body))
    if emoji >= EMOJI_FLOOD:
        seen.append(f"{emoji} emoji")
    run = _RUN.search(body)
    if run:
        seen.append(f"“{run.group(0)[:12]}”")
    words = [word for word in _WORD.findall(fold(body)) if len(word) >= 3]
    if len(words) >= 8:
        most = max(set(words), key=words.count)
        if words.count(most) / len(words) >= 0.3:
            seen.append(f"“{most}” {words.count(most)} times")
    return seen


def text_signals(body: str, body_html: str) -> list[Signal]:
    """The signals that need nothing but the comment itself."""
    signals: list[Signal] = []
    links = count_links(body_html)
    if links:
        points = LINK_POINTS[min(links, len(LINK_POINTS) - 1)]
        signals.append(Signal("links", points, f"{links} link{'s' if links > 1 else ''}"))
    shortened = _SHORTENED.search(body) or _SHORTENED.search(body_html)
    if shortened:
        signals.append(
            Signal(
                "link shortener",
                SHORTENER_POINTS,
                f"a shortened link hides where it leads: “{shortened.group(0)[:-1]}…”",
            )
        )
    disguised = _DISGUISED.search(body)
    if disguised:
        signals.append(
            Signal(
                "disguised link",
                DISGUISED_LINK_POINTS,
                f"a web address written to dodge link detection: “{disguised.group(0)}”",
            )
        )
    earnings = [match.group(0) for match in _EARNINGS.finditer(body)]
    contact = []
    if _EMAIL.search(body):
        contact.append("an e-mail address")
    if any(sum(c.isdigit() for c in m.group(0)) >= 10 for m in _PHONE.finditer(body)):
        contact.append("a phone number")
    sales = [match.group(0) for match in _PERCENT_OFF.finditer(body)]
    extras = {MONEY.name: earnings, CONTACT.name: contact, SALES.name: sales}
    for family in PHRASE_SIGNALS:
        signal = phrase_signal(family, body, extras.get(family.name))
        if signal is not None:
            signals.append(signal)
    formatting = _formatting(body)
    if formatting:
        points = min(FORMATTING_POINTS * len(formatting), FORMATTING_MAX)
        signals.append(Signal("formatting", points, "; ".join(formatting)))
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
    links: int = 0,
) -> list[Signal]:
    """The signals that look at earlier comments (three indexed queries at most).

    ``links``: how many links the comment has ("first link" when the author
    has never commented before).
    """
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
        if links and not counts:
            signals.append(
                Signal("first link", FIRST_LINK_POINTS, "the author's first comment has a link")
            )
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
        links=count_links(body_html),
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
