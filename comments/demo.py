"""Demo discussions: threaded reader comments written for this project.

They belong to the demo articles of ``articles/demo`` (the city of
Kestrelford) and are loaded by ``manage.py load_demo_comments``. Everyone in
them is invented.

``FEEDBACK`` is inline feedback: readers' comments on passages of two
articles, and readers' answers to an editors' question on one.

``MODERATION`` is a morning's work for the demo moderator: word rules a
colleague set up, comments that arrive through the same services as readers'
(so the rules and the spam score decide what happens to them: held, filed as
spam, rejected), a published comment readers reported, and bans, one of them a
suspension that has ended.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Say:
    """One comment: who, what, when (minutes after publication), votes, replies."""

    who: str
    text: str
    after: int
    up: int = 0
    down: int = 0
    replies: tuple[Say, ...] = ()
    role: str = ""  # "author": by the article's (first) author; "staff": by the demo editor
    status: str = "approved"  # or "pending" (held for a moderator), "removed" (by its author)


DISCUSSIONS: dict[str, tuple[Say, ...]] = {
    "wend-bridge-to-close-for-14-months": (
        Say(
            "Dawn O.",
            "I run one of the cafés on Riverside Parade. Last time the bridge shut we lost half "
            "our trade in six weeks. Fourteen months with a footbridge open for only five of "
            "them is not a diversion, it is a closure notice for half the street.\n\nWhat we "
            "need is simple: a business rates holiday for Southbank for the length of the "
            "works, and signs on the ring road saying the shops are open.",
            after=25,
            up=41,
            down=2,
            replies=(
                Say(
                    "Graham Tulloch",
                    "Rates relief is set nationally, not by the council, so they can only "
                    "offer discretionary relief, and they have a budget hole of £31m. I'd push "
                    "for the signage and free parking at the Quayside car park instead. That "
                    "they can actually do.",
                    after=52,
                    up=12,
                    replies=(
                        Say(
                            "Dawn O.",
                            "Discretionary relief is exactly what I mean. They gave it to the "
                            "Castlegate traders during the tram works in 2014, so don't tell "
                            "me it can't be done.",
                            after=71,
                            up=18,
                            replies=(
                                Say(
                                    "Graham Tulloch",
                                    "Fair point, I'd forgotten the tram works. Then the "
                                    "drop-in sessions are the place to ask for it, and loudly.",
                                    after=90,
                                    up=6,
                                ),
                            ),
                        ),
                    ),
                ),
                Say(
                    "Newsroom staff",
                    "Thanks for this. We have asked the council whether discretionary rate "
                    "relief will be offered to Southbank businesses and will update the "
                    "article with its answer.",
                    after=64,
                    up=9,
                    role="staff",
                ),
            ),
        ),
        Say(
            "Priya Raman",
            "Genuine question: if the plates have lost a third of their thickness, why was the "
            "weight limit last year considered enough? Either the inspection before that "
            "missed it or someone decided not to look inside the arches. I'd like to know "
            "which.",
            after=40,
            up=33,
            replies=(
                Say(
                    "M. Castell",
                    "The article says earlier surveys were done from a boat. You can't see the "
                    "inside faces of the plates from a boat. The ultrasonic testing is new.",
                    after=58,
                    up=15,
                    replies=(
                        Say(
                            "Priya Raman",
                            "Then the question becomes why nobody paid for ultrasonic testing "
                            "before. It is not exotic technology.",
                            after=77,
                            up=20,
                        ),
                        Say(
                            "Ed Brannigan",
                            "Retired structural engineer here. Ultrasonic thickness testing on "
                            "riveted ironwork is fiddly and it means scaffolding or rope access "
                            "over the river. It costs real money, which is why councils put it "
                            "off. Not an excuse, just how it happens.",
                            after=95,
                            up=27,
                        ),
                    ),
                ),
            ),
        ),
        Say(
            "Tom from Holloway",
            "The 7 bus already takes 40 minutes to the infirmary at shift change. Add another "
            "15 and half the night staff will be driving instead, which makes Chandler's "
            "Bridge even worse. The shuttle needs to start at 6am, not 7.",
            after=55,
            up=22,
            replies=(
                Say(
                    "Kerry Ann",
                    "Nurse here, seconded. The 7:30 handover is the whole problem.",
                    after=80,
                    up=14,
                ),
            ),
        ),
        Say(
            "Alan Wick",
            "Close it, fix it properly, done. I'd rather 14 months of hassle than watch it "
            "fall into the river.",
            after=66,
            up=19,
            down=4,
        ),
        Say(
            "Southbank Resident",
            "Will the footbridge lane be lit at night? The Quayside end is grim after dark.",
            after=120,
            up=8,
        ),
        Say(
            "Nadia K.",
            "I wrote something here earlier that was unfair to the council officers, so I've "
            "taken it down.",
            after=135,
            status="removed",
            replies=(
                Say(
                    "Graham Tulloch",
                    "For what it's worth, the officers at the last drop-in were straight with "
                    "people. It's the cabinet that should answer for the timetable.",
                    after=150,
                    up=3,
                ),
            ),
        ),
        Say(
            "Cheap Parking Deals",
            # Addresses under example.com (reserved, RFC 2606) so that they become
            # links, and the rule on links (more than NEWSROOM_COMMENT_MAX_LINKS)
            # holds the comment with its reason, as it would a real one.
            "Looking for parking near the bridge? Best prices at www.parking-deals.example.com "
            "and www.parking-deals.example.com/offers and www.parking-deals.example.com/city",
            after=170,
            status="pending",
        ),
    ),
    "wend-bridge-bill-for-thirty-years-of-later": (
        Say(
            "Ed Brannigan",
            "This is the most accurate thing I have read about local infrastructure in years. "
            "I spent a career writing condition reports that went straight into that drawer.",
            after=18,
            up=37,
            replies=(
                Say(
                    "Simon Achterberg",
                    "Thank you. If you still have any of those reports, or can tell us what "
                    "questions councillors should be asking, I would very much like to hear "
                    "from you.",
                    after=44,
                    up=15,
                    role="author",
                ),
            ),
        ),
        Say(
            "Lena Vogt",
            "Publishing the whole asset register is a good idea in theory, but it'll be a "
            "200-page spreadsheet nobody reads. The plain-English summary is the important "
            "part.",
            after=30,
            up=21,
            replies=(
                Say(
                    "Rhys Morgan",
                    "Both. Publish the spreadsheet for the people who will read it (journalists, "
                    "engineers, nerds like me) and the summary for everyone else.",
                    after=48,
                    up=16,
                    replies=(
                        Say(
                            "Lena Vogt",
                            "Agreed, as long as the summary isn't written by the press office.",
                            after=61,
                            up=11,
                        ),
                    ),
                ),
            ),
        ),
        Say(
            "Councillor-watcher",
            "Easy to say 'nobody cuts a ribbon on a repainted bridge'. The government grant "
            "was cut by 40% in a decade. What would the columnist have closed instead?",
            after=52,
            up=14,
            down=9,
            replies=(
                Say(
                    "Simon Achterberg",
                    "A fair challenge. I don't think the answer is closing something else; it's "
                    "being honest about the maintenance backlog in every budget, so that "
                    "choosing not to fund it is a visible decision rather than a silent one.",
                    after=75,
                    up=24,
                    role="author",
                ),
            ),
        ),
        Say(
            "Jo Hartley",
            "The same is true of the school buildings. My daughter's classroom has had a "
            "bucket under the skylight since Easter.",
            after=95,
            up=18,
        ),
    ),
    "interview-miriam-okafor-council-leader": (
        Say(
            "Rhys Morgan",
            "Good interview, and good follow-up questions on the housing target. She still "
            "didn't say where the 1,100 homes a year are supposed to go.",
            after=60,
            up=13,
            replies=(
                Say(
                    "Bea Lindqvist",
                    "Because the honest answer is 'on fields people in Ashcombe will object "
                    "to', and no leader says that in an interview.",
                    after=84,
                    up=17,
                ),
            ),
        ),
        Say(
            "Frank Daley",
            "A former nurse running the council and the overnight A&E queue is still a "
            "record. Words are cheap.",
            after=75,
            up=5,
            down=8,
            replies=(
                Say(
                    "Kerry Ann",
                    "The infirmary is run by the NHS trust, not the council. She can't staff A&E.",
                    after=93,
                    up=12,
                ),
            ),
        ),
        Say(
            "Hannah P.",
            "I liked the line about not cutting our way to a better city. I'd like to see "
            "the budget that matches it.",
            after=110,
            up=9,
        ),
    ),
    "sewage-spills-river-wend-rise-38-percent": (
        Say(
            "Wend Swimmers",
            "We test the water at Ferrier Weir every Sunday from May to September. Our results "
            "match this: the worst readings come two days after heavy rain, every time. A wet "
            "year doesn't explain a pattern this regular.",
            after=45,
            up=29,
            replies=(
                Say(
                    "Owen Clarke",
                    "Are your results published anywhere? It would be useful to compare them "
                    "with the overflow data in the article.",
                    after=70,
                    up=7,
                    replies=(
                        Say(
                            "Wend Swimmers",
                            "Yes, on our club noticeboard and website, week by week. Happy to "
                            "share the spreadsheet with the newsroom.",
                            after=88,
                            up=6,
                        ),
                    ),
                ),
            ),
        ),
        Say(
            "Pete Marsh",
            "4,812 discharges and not one fine. That's the number that should be the headline.",
            after=60,
            up=34,
            down=1,
        ),
        Say(
            "A. Stevens",
            "Brightwater's bills went up 8% this year. Where is that money going if not into "
            "bigger sewers?",
            after=130,
            up=19,
        ),
    ),
    "pellam-and-finch-department-store-to-close": (
        Say(
            "Margaret Ellis",
            "I bought my school uniform there in 1962 and my grandson's in 2019. The lady in "
            "haberdashery knew every customer by name. Very sad day.",
            after=35,
            up=26,
            replies=(
                Say(
                    "Sunita Rao",
                    "Same with my wedding dress alterations. They did them in three days when "
                    "nobody else would.",
                    after=59,
                    up=9,
                ),
            ),
        ),
        Say(
            "Dan Okoye",
            "Sad, but I can't remember the last time I bought anything there, and I suspect "
            "most people commenting can't either. The building should become flats and "
            "workshops, not another empty shell.",
            after=50,
            up=15,
            down=6,
            replies=(
                Say(
                    "Margaret Ellis",
                    "You're probably right about the shopping, and I'd take flats over an empty "
                    "building any day.",
                    after=81,
                    up=8,
                ),
            ),
        ),
    ),
    "folk-festival-moves-to-ferrier-park": (
        Say(
            "Ceilidh Kate",
            "Ferrier Park is a much better site: you can walk from the station. Marlow Farm "
            "meant a coach or a lift from someone who wasn't drinking.",
            after=40,
            up=11,
        ),
        Say(
            "Ferrier Road Resident",
            "I live opposite the park. Three days of amplified music until 11pm is a lot. Will "
            "there be a noise limit, and who do we call if it's broken?",
            after=66,
            up=7,
            down=2,
            replies=(
                Say(
                    "Ceilidh Kate",
                    "The licence will have a limit, and the council's out-of-hours noise line "
                    "covers events. Worth asking the organisers for a residents' contact too.",
                    after=90,
                    up=5,
                ),
            ),
        ),
    ),
}


# --- Inline feedback ---------------------------------------------------------------------


@dataclass(frozen=True)
class OnPassage:
    """Inline feedback: readers' comments on some words of an article.

    ``quote`` is copied from the article's body as it reads on the page. With
    ``question``, the words carry an editors' question ("Do you agree?") and
    the comments are readers' answers to it; without, readers selected the
    words themselves. Replies under them are ordinary replies.
    """

    quote: str
    says: tuple[Say, ...]
    question: str = ""


FEEDBACK: dict[str, tuple[OnPassage, ...]] = {
    "wend-bridge-to-close-for-14-months": (
        OnPassage(
            "some of the bridge’s load-bearing plates had lost up to a third of their thickness",
            (
                Say(
                    "Ian Braddock",
                    "A third, in a structure that carries 31,000 vehicles a day. Which inspections "
                    "missed this, and when was the last one that looked inside the arches?",
                    after=38,
                    up=22,
                    replies=(
                        Say(
                            "Rosa Mendez",
                            "The article says further down: earlier surveys looked from a boat. "
                            "Nobody had checked the hidden faces before this summer.",
                            after=61,
                            up=11,
                        ),
                    ),
                ),
            ),
        ),
        OnPassage(
            "more than double the £10.2m set aside in the council’s capital programme",
            (
                Say(
                    "Graham Tulloch",
                    "Borrowing £13m at today's rates is roughly £700,000 a year in interest for "
                    "a council that is already £31m short. I'd like to know which projects slip "
                    "to pay for it.",
                    after=80,
                    up=17,
                    down=3,
                ),
            ),
        ),
        OnPassage(
            "a walking and cycling lane across the Wend Bridge, kept open for at least the "
            "first five months of the works",
            (
                Say(
                    "Southbank Cycle Club",
                    "“At least the first five months”, and then what? Chandler's Bridge has no "
                    "cycle lane, and the ring road is no place for a bike.",
                    after=55,
                    up=26,
                    replies=(
                        Say(
                            "Newsroom staff",
                            "We have put this to the council: it says a decision on the last "
                            "nine months depends on how the scaffolding is staged, and will be "
                            "made before the works begin. We will report its answer.",
                            after=140,
                            up=8,
                            role="staff",
                        ),
                    ),
                ),
            ),
        ),
        OnPassage(
            "a free shuttle bus between Southbank and the Royal Infirmary every 12 minutes",
            (
                Say(
                    "Ward Sister, RKI",
                    "Yes, if it runs from 6am. Half of our early shift lives in Southbank and the "
                    "first buses are the ones that fill up.",
                    after=95,
                    up=14,
                ),
                Say(
                    "Priya Natarajan",
                    "Only if it stops at the Riverside Parade end too. Otherwise it's a 15-minute "
                    "walk to the stop before you even start.",
                    after=120,
                    up=6,
                ),
            ),
            question="Would you use the shuttle bus to the infirmary? Tell us what would help.",
        ),
    ),
    "sewage-spills-river-wend-rise-38-percent": (
        OnPassage(
            "41 of the 118 overflows in the Wend catchment spilled on more than 60 days of the "
            "year",
            (
                Say(
                    "Marion Achebe",
                    "Sixty days is two months of the year. That's not an exceptional condition, "
                    "that's how the network is run.",
                    after=72,
                    up=19,
                ),
            ),
        ),
    ),
}


# --- The moderation scenario -----------------------------------------------------------


@dataclass(frozen=True)
class Colleague:
    """The moderator who set up the rules and bans before the demo moderator's shift."""

    username: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Rule:
    phrase: str
    kind: str  # "banned" (rejected) or "suspect" (held)
    note: str
    days_ago: int


@dataclass(frozen=True)
class Incoming:
    """A guest's comment, posted through the services: the rules decide its fate."""

    article: str  # slug
    who: str
    email: str
    text: str
    ago: int  # minutes before the demo is loaded (never before the article's publication)
    ip: str = ""
    reports: tuple[tuple[str, str], ...] = ()  # (reason, note), each from another reader


@dataclass(frozen=True)
class PastBan:
    email: str
    reason: str
    days_ago: int
    days: int | None = None  # a suspension of this many days; None: until lifted


@dataclass(frozen=True)
class Scenario:
    colleague: Colleague
    rules: tuple[Rule, ...]
    comments: tuple[Incoming, ...]
    bans: tuple[PastBan, ...]


MODERATION = Scenario(
    colleague=Colleague("jess.adeyemi", "Jess", "Adeyemi"),
    rules=(
        Rule(
            "corrupt*",
            "suspect",
            "Calling a named person or firm corrupt can be libel: read it before it goes up.",
            days_ago=40,
        ),
        Rule(
            "scumbag*",
            "banned",
            "Personal abuse. House rules: argue with the point, not the person.",
            days_ago=40,
        ),
    ),
    comments=(
        Incoming(
            "wend-bridge-to-close-for-14-months",
            "Kestrelford Traffic Live",
            "trafficlive.kestrel@example.net",
            "Great write-up! If the closure is going to wreck your commute, check out my "
            "channel, I stream the ring road and Chandler's Bridge live every weekday "
            "morning: https://www.youtube.com/@kestrelford-traffic-live",
            ago=35,
            ip="203.0.113.42",
        ),
        Incoming(
            "pellam-and-finch-department-store-to-close",
            "Sandra Whitlow",
            "sandra.whitlow.wins@example.org",
            "So sorry for the staff. When my shop job went I found financial freedom with a "
            "crypto account manager, and now I make £350 a day from my phone. Message me on "
            "WhatsApp +44 7700 900461 and I will show you how.",
            ago=140,
            ip="198.51.100.23",
        ),
        Incoming(
            "sewage-spills-river-wend-rise-38-percent",
            "Rob Tate",
            "rob.tate@example.net",
            "Brightwater's directors are corrupt, end of. Bonuses every single year while the "
            "Wend turns brown after every storm.",
            ago=75,
            ip="203.0.113.77",
        ),
        Incoming(
            "sewage-spills-river-wend-rise-38-percent",
            "Chris Ferreira",
            "c.ferreira@example.org",
            "For anyone who wants to check the figures themselves: the storm overflow returns "
            "for the Wend are at https://www.kestrelford.gov.uk/rivers/overflow-returns and the "
            "river trust's monthly samples at https://data.wendriverstrust.org.uk/samples. The "
            "Ferrier Weir outfall is the one to watch.",
            ago=50,
            ip="198.51.100.140",
        ),
        Incoming(
            "interview-miriam-okafor-council-leader",
            "Lee Crabtree",
            "lee.crabtree@example.net",
            "Any councillor who waves the housing target through is a scumbag, and so is "
            "anyone who votes for them.",
            ago=110,
            ip="203.0.113.9",
        ),
        Incoming(
            "interview-miriam-okafor-council-leader",
            "Holloway Resident",
            "holloway.resident@example.net",
            "Ask anyone on the Holloway estate: she has not set foot there since the "
            "election. All talk, like every council leader before her.",
            ago=95,
            ip="198.51.100.61",
            reports=(
                ("abuse", "A personal attack on the council leader, not an argument."),
                (
                    "other",
                    "Not true: she came to the Holloway residents' meeting in March. I was there.",
                ),
            ),
        ),
        Incoming(
            "folk-festival-moves-to-ferrier-park",
            "KestrelBeats",
            "kestrelbeats@example.com",
            "Sub 4 sub? I subscribe back to everyone, promise! Search KestrelBeats, new tracks "
            "every Friday.",
            ago=160,
            ip="203.0.113.150",
        ),
        Incoming(
            "pellam-and-finch-department-store-to-close",
            "KestrelBeats",
            "kestrelbeats@example.com",
            "Sub 4 sub? I subscribe back to everyone, promise! Search KestrelBeats, new tracks "
            "every Friday.",
            ago=150,
            ip="203.0.113.150",
        ),
    ),
    bans=(
        PastBan(
            "wendwatcher77@example.net",
            "Three comments removed in a week for insulting other readers: seven days to cool off.",
            days_ago=30,
            days=7,
        ),
        PastBan(
            "sandra.whitlow.wins@example.org",
            "Crypto “account manager” spam with a phone number, on the store closure story.",
            days_ago=0,
        ),
    ),
)
