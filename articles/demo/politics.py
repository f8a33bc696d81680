"""Politics: the Guildhall, the combined authority, elections."""

from .spec import Art, ArticleSpec, Note, Quote, ago, answer, ask, later

COUNCIL_SEATS = [(29, "#b5382f"), (6, "#3f8f5a"), (10, "#e0a020"), (18, "#1f6f8b")]

_RC = "Ruth Calloway"
_MO = "Miriam Okafor"

ARTICLES = (
    ArticleSpec(
        slug="draft-budget-council-tax-leisure-centres",
        title="Council tax to rise by 4.99% and two leisure centres face closure in draft budget",
        standfirst="Kestrelford City Council must close a £31.6m gap next year. Its proposals, "
        "now out for six weeks of consultation, also include shorter library hours and higher "
        "parking charges.",
        section="politics",
        article_type="news",
        authors=("ruth-calloway",),
        tags=(
            "Council budget",
            "Kestrelford City Council",
            "Public services",
            "Libraries",
            "Cost of living",
        ),
        age=ago(days=1, hours=2),
        featured=True,
        art=Art(
            "hemicycle",
            "civic",
            alt="Illustration of the council chamber as a semicircle of coloured dots, one per "
            "councillor, in front of a columned town hall",
            caption="The Civic Party holds 29 of the council’s 63 seats and relies on the "
            "Greens to pass a budget.",
            options={"seats": COUNCIL_SEATS},
        ),
        quotes=(
            Quote(
                "We are a council that increasingly does two things: social care, and "
                "everything else, shrinking.",
                "Cllr Harjit Sandhu, cabinet member for finance",
                after=9,
            ),
        ),
        body="""
<p>Council tax in Kestrelford is set to rise by 4.99%, the most allowed without a local
referendum, under draft budget proposals that would also close two of the city’s five leisure
centres and cut opening hours at eight branch libraries.</p>
<p>The proposals, published by the city council’s cabinet, are meant to close a gap of £31.6m
between what the council expects to spend next year and the money it expects to receive. Its
net budget is about £412m.</p>
<p>For a Band D home, the rise would add £94.60 to the annual bill, taking the city council’s
share to £1,990.43. Charges for the police and fire services, set separately, come on
top.</p>
<h2>What is proposed</h2>
<p>The largest savings in the draft budget are:</p>
<ul>
<li>£6.8m from adult social care, mainly by buying more care at home through a new framework
of providers;</li>
<li>£3.1m from closing the Millbrook and Upper Wend leisure centres, unless community groups
take them over;</li>
<li>£1.4m from shorter opening hours at eight of the city’s 14 branch libraries;</li>
<li>£2.2m in extra income from raising city-centre parking charges by 40p an hour;</li>
<li>£4.5m from cutting about 120 posts, most of them vacancies that would not be filled.</li>
</ul>
<p>Cllr Harjit Sandhu, the cabinet member for finance, said every option had been “painful”,
and blamed the rising cost of caring for vulnerable adults and children, which now takes
two-thirds of the council’s spending. “We are a council that increasingly does two things:
social care, and everything else, shrinking,” he said.</p>
<blockquote><p>Nobody in this room went into politics to close a swimming pool. But I’m not going
to stand here and pretend we can keep everything open with money we haven’t got.</p></blockquote>
<p>Those were the words of the council leader, Cllr Miriam Okafor, as she presented the plans.
The opposition Kestrelford Independents, the second-largest group on the council, said they
would put forward an alternative budget that kept both leisure centres open by selling the
council’s stake in the Fenwick Park business estate.</p>
<p>The Independents’ leader, Cllr Douglas Penhale, called the closures “a false economy that
will come back to us as bills for the NHS”. The council’s own equality assessment says
Millbrook leisure centre is used by about 1,100 people a week, including more than 300
children who have swimming lessons there.</p>
<p>The consultation runs for six weeks, and the full council will vote on the final budget in
late winter. The Civic Party administration holds 29 of the council’s 63 seats and relies on
the six Green councillors to pass a budget.</p>
""",
    ),
    ArticleSpec(
        slug="why-kestrelford-misses-its-housing-target",
        title="Why Kestrelford keeps missing its housing target, and what the new plan would "
        "change",
        standfirst="The city has built on average 910 homes a year against a target of 1,450. "
        "The reasons have less to do with planning permission than with land, money and who "
        "does the building.",
        section="politics",
        article_type="analysis",
        authors=("ruth-calloway", "niamh-corrigan"),
        tags=("Housing", "Planning", "Kestrelford City Council", "Data", "Tannery Quarter"),
        age=ago(days=4, hours=6),
        art=Art(
            "skyline",
            "civic",
            alt="Illustration of a tower crane above a city skyline at sunset",
            caption="About 6,200 homes with planning permission in Kestrelford have not been "
            "started.",
            options={"crane": True},
        ),
        body="""
<p>Every year for the past five, Kestrelford has fallen short of the number of new homes its
local plan says it needs. The target is 1,450 a year. The city has averaged 910, and last
year managed 780, its lowest total in a decade.</p>
<p>The shortfall matters beyond the planning committee. When a council cannot show a five-year
supply of land for housing, developers can win appeals for schemes it has turned down.
Private rents in the city have risen by 31% in five years, according to official figures, and
the council’s housing waiting list has grown to 9,400 households.</p>
<p>The obvious explanation, that the council refuses too many applications, does not survive a
look at the figures. Permission has been granted for about 6,200 homes that nobody has
started to build. The problem lies elsewhere.</p>
<h2>Three reasons the homes are not being built</h2>
<ol>
<li><strong>The land is expensive to use.</strong> More than 70% of the sites in the plan are
former industrial land, much of it along the Wend. The old gasworks at Fenwick, allocated for
1,100 homes, needs an estimated £48m of clean-up before anyone can build on it.</li>
<li><strong>Builders build at the pace they can sell.</strong> Large housebuilders release
homes on a site at the rate the local market will absorb without prices falling: in
Kestrelford, about 50 to 70 homes a year per site. At that rate a 1,000-home site takes 15
years.</li>
<li><strong>Affordable housing has stalled.</strong> Housing associations, which once built
about a third of the city’s new homes, have moved money into repairing damp and ageing homes
they already own. They started 96 homes in the city last year.</li>
</ol>
<h2>What the new plan changes</h2>
<p>The draft local plan, now out for consultation, proposes a council-owned housing company,
Kestrel Homes, to build 400 homes on council land over five years, starting with the former
depot at Tannery Wharf. It would allow buildings of up to 12 storeys within 800 metres of the
city’s two railway stations, and would split the gasworks site into smaller plots sold to
several builders at once.</p>
<blockquote><p>The single biggest thing a city can do is stop waiting for one big developer to
build one big site at their own pace.</p><p><cite>Professor Anjali Mehra, University of
Kestrelford</cite></p></blockquote>
<p>Professor Mehra, who studies how housing gets built, said smaller plots and council
building had worked elsewhere, but warned that the council’s company would be “competing for
the same bricklayers as everyone else”.</p>
<p>Our assessment: the new plan addresses the right problems. But its numbers depend on £48m of
gasworks clean-up money that has not been found and on a housing company that does not yet
exist. Without both, the target is likely to be missed again.</p>
""",
    ),
    ArticleSpec(
        slug="interview-miriam-okafor-council-leader",
        title="Miriam Okafor: ‘We cannot cut our way to a better city. Only to a smaller one’",
        standfirst="In her third year as leader of Kestrelford City Council, the former nurse "
        "talks about the budget, the Wend Bridge, her own ward’s swimming pool and whether she "
        "will stand for mayor.",
        section="politics",
        article_type="interview",
        authors=("ruth-calloway",),
        tags=("Kestrelford City Council", "Council budget", "Local democracy", "Social care"),
        age=ago(hours=20),
        notes=(
            Note(
                "editors_note",
                "Since this interview, the council has confirmed that the Wend Bridge will "
                "close to traffic for 14 months. Our report on the closure has the details.",
                after=later(hours=16),
            ),
        ),
        art=Art(
            "dialogue",
            "civic",
            alt="Illustration of two overlapping speech bubbles beside a desk microphone",
            caption="Miriam Okafor has led Kestrelford City Council for three years.",
        ),
        transcript=(
            ask(
                _RC,
                "You are proposing to close the leisure centre in your own ward. How does "
                "that feel?",
            ),
            answer(
                _MO,
                "Terrible, honestly. I learned to swim at Millbrook. My children learned to "
                "swim there. I’d be lying if I said I was comfortable with it.\n\nBut if I "
                "exempted my own ward from the hard choices, what would that say to the "
                "councillors in Upper Wend, who are losing theirs too? We’ve said that if a "
                "community trust wants to take either centre on, we’ll give it a lease at a "
                "peppercorn rent and a year of running costs. Nothing would make me happier.",
            ),
            ask(
                _RC,
                "The opposition says you could keep both open by selling the council’s "
                "stake in Fenwick Park.",
            ),
            answer(
                _MO,
                "You can sell an asset once. The leisure centres cost money every year. If we "
                "sold Fenwick Park to pay for this year’s pools, what would we sell next year? "
                "That’s how councils go bust: they sell the family silver to pay the "
                "electricity bill.",
            ),
            ask(
                _RC,
                "Council tax is going up by the maximum again, and plenty of households "
                "are already struggling. What do you say to them?",
            ),
            answer(
                _MO,
                "That I know, and that I’m sorry. A Band D household will pay about £1.80 a "
                "week more, and I don’t dismiss that. But the alternative isn’t a lower bill and "
                "the same services. It’s a lower bill and nobody answering the phone when your "
                "mother falls at home. Two-thirds of what we spend now goes on caring for "
                "vulnerable adults and children. That’s the part of the council most people "
                "never see until they need it.",
            ),
            ask(
                _RC,
                "You were a nurse for twenty years. Does that shape how you see the care budget?",
            ),
            answer(
                _MO,
                "Completely. I spent years on wards watching people who were well enough to go "
                "home stay in a bed for weeks because there was no care for them at home. I "
                "used to blame the council. Now I am the council, and I understand why it "
                "happens, which is no comfort at all. Every hour of home care we buy saves the "
                "hospital a fortune, but the saving lands in somebody else’s budget.",
            ),
            ask(_RC, "What is happening with the Wend Bridge?"),
            answer(
                _MO,
                "We’re waiting for the engineers’ final report, and I don’t expect good news. "
                "The bridge is older than anyone in this building, and for a long time it was "
                "maintained on the principle of ‘it looked fine last year’. I won’t blame my "
                "predecessors for that, because I’d probably have done the same.",
            ),
            ask(_RC, "Will you publish the report in full, even if it embarrasses the council?"),
            answer(_MO, "Yes. Every page of it, on the day the cabinet sees it."),
            ask(
                _RC,
                "Your administration depends on the Greens to pass a budget. Is that a "
                "stable way to run a city?",
            ),
            answer(
                _MO,
                "More stable than people think. We agree on more than we disagree on, and when "
                "we disagree we do it in a room, not in the papers. They’ve pushed us further on "
                "the climate plan than we’d have gone on our own, and they were right to.",
            ),
            ask(_RC, "The mayoral election is eighteen months away. Will you stand?"),
            answer(
                _MO,
                "No. I know everyone asks. I have a city to run and a budget that has to "
                "balance, and I’d like to finish what I started. Ask me again after the budget "
                "vote and the answer will still be no.",
            ),
        ),
        body="""
<p>Miriam Okafor’s office on the second floor of the Guildhall has a view of the river and, if
you lean a little out of the window, a corner of the Wend Bridge. She became leader of the
council three years ago, after two decades as a nurse at the Royal Infirmary and a term as a
councillor for Millbrook.</p>
<p>She took over a minority administration, a fast-growing bill for social care and a list of
capital projects she describes as “mostly things that are about to fall down”. The draft
budget her cabinet has just published proposes a 4.99% council tax rise and the closure of two
leisure centres, one of them in her own ward.</p>
<p>Okafor, 54, grew up in Castlegate, the daughter of a bus driver and a school cook, and still
lives in Millbrook. At the Guildhall she is known for long meetings and short emails. She
talked to us for an hour, between a briefing on the bridge and a meeting with care
providers.</p>
<p class="editors-note">This interview has been edited for length and clarity.</p>
""",
    ),
    ArticleSpec(
        slug="mayor-tram-study-northgate-fenwick",
        title="Mayor commits £1.5m to study a tram line, but who would pay to build it?",
        standfirst="A feasibility study will look at a 9km route linking Northgate, the "
        "university and the station with Fenwick Park. Recent schemes elsewhere have cost up to "
        "£70m a kilometre.",
        section="politics",
        article_type="news",
        authors=("gareth-pryce",),
        tags=("Transport", "Mayor", "Buses", "University of Kestrelford", "Fenwick Park"),
        age=ago(days=11, hours=4),
        art=Art(
            "skyline",
            "harbour",
            alt="Illustration of a city skyline under a pale blue sky",
            caption="The study will look at a route from Northgate to Fenwick Park.",
        ),
        body="""
<p>The mayor of the Wend Valley, Colin Ashby-Reyes, has set aside £1.5m for a study into a
tram line across Kestrelford, reviving an idea that has been discussed, costed and shelved at
least three times since the 1990s.</p>
<p>The study will look at a route of about 9km from Northgate, via the University of
Kestrelford and Kestrelford station, to the Fenwick Park business estate and the homes
planned on the old gasworks site. Consultants are expected to report within 18 months.</p>
<p>“Every city our size in Europe that’s doing well has something like this,” Mr Ashby-Reyes
said. “Buses will always be the backbone of our network. But the corridor from the university
to Fenwick is where the jobs and the homes are going, and a bus lane won’t carry the
numbers.”</p>
<h2>The cost</h2>
<p>The mayor would not estimate what the line might cost to build. Recent light-rail schemes in
Britain have cost between £40m and £70m a kilometre, which suggests somewhere between £360m
and £630m for a 9km route, before a single tram is bought.</p>
<p>The combined authority’s entire annual transport budget is about £84m. A scheme of this
size would depend on a large grant from central government, which has paid for only a handful
of new tram lines outside London in the past 20 years.</p>
<blockquote><p>I’ve got three tram studies on my shelf already. I’d rather the £1.5m went on making
the buses run on time.</p></blockquote>
<p>That was the response of Cllr Douglas Penhale, who leads the Kestrelford Independents on the
city council. His group wants the money spent on bus lanes and signal priority on Northgate
Road, where buses average 9mph at peak times.</p>
<p>The university, the largest employer on the route, welcomed the study. Its
vice-chancellor, Professor Ewan Mackie, said 14,000 students and 4,600 staff travel to the
Northgate campus each day and that car parking “is not a long-term answer for anyone”.</p>
""",
    ),
    ArticleSpec(
        slug="ashcombe-by-election-candidates",
        title="Ashcombe by-election: six candidates, one ward and a row about a car park",
        standfirst="Voters in Ashcombe will choose a new councillor after Cllr Tom Varley stood "
        "down. We asked each candidate what they would do first.",
        section="politics",
        article_type="news",
        authors=("ruth-calloway",),
        tags=("Local democracy", "Elections", "Kestrelford City Council"),
        age=-ago(days=1, hours=14),
        status="scheduled",
        art=Art(
            "poster",
            "civic",
            alt="Abstract illustration of geometric tiles in red, cream and brown",
            caption="Polling stations in Ashcombe will be open from 7am to 10pm.",
        ),
        body="""
<p>Voters in Ashcombe go to the polls in a fortnight to replace Cllr Tom Varley of the
Kestrelford Independents, who has stood down after eleven years on the council, citing ill
health.</p>
<p>The result will not change who runs the city: the Civic Party administration does not
depend on the seat. But it will be watched as the first test of opinion since the draft budget
proposed closing two leisure centres, and because Ashcombe has a fight of its own, over plans
to build homes on the Station Road car park.</p>
<p>Six candidates are standing. In alphabetical order:</p>
<ul>
<li><strong>Gemma Alder</strong> (Green), a primary school teacher, wants the car park kept
in public use as a market square.</li>
<li><strong>Raymond Birch</strong> (independent), a retired police sergeant, is standing on a
single issue: speeding on Ashcombe Road.</li>
<li><strong>Daniel Boateng</strong> (Civic Party), a pharmacist, supports homes on the car
park if 40% of them are affordable.</li>
<li><strong>Sally Northcott</strong> (Kestrelford Independents), Cllr Varley’s former
caseworker, opposes the car park scheme outright.</li>
<li><strong>Martin Osgood</strong> (Liberal Reform), a software developer, wants residents to
vote on the site’s future.</li>
<li><strong>Harriet Quayle</strong> (independent), who runs a café on Station Road, wants the
first hour of parking to be free again.</li>
</ul>
<p>At the last full council elections the Independents won the ward with 41% of the vote,
ahead of the Civic Party on 29%. Turnout was 33%.</p>
<p>The Courier will host a hustings at Ashcombe Methodist Hall with questions from readers.
Polling stations will be open from 7am to 10pm.</p>
""",
    ),
)
