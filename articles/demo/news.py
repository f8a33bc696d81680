"""News: the city desk's stories."""

from .spec import Art, ArticleSpec, Note, Quote, ago, later

ARTICLES = (
    ArticleSpec(
        slug="wend-bridge-to-close-for-14-months",
        title="Wend Bridge to close to traffic for 14 months after inspectors find corrosion "
        "inside its arches",
        standfirst="The Victorian crossing carries 31,000 vehicles a day. Engineers say the "
        "damage is far worse than the last full survey suggested, and the repair bill has "
        "more than doubled to £23.6m.",
        section="news",
        article_type="news",
        authors=("tomasz-wrona", "gareth-pryce"),
        tags=("Wend Bridge", "Transport", "Kestrelford City Council", "Roads"),
        age=ago(hours=4, minutes=10),
        featured=True,
        updated_after=later(hours=2, minutes=20),
        # The editors want the column on the bridge's history under their lead
        # story: a pin, shown first, which the rule keeping opinion out of news
        # teasers does not apply to.
        pinned=("wend-bridge-bill-for-thirty-years-of-later",),
        art=Art(
            "skyline",
            "dusk",
            alt="Illustration of a city skyline at dusk behind an iron arch bridge over a river",
            caption="The Wend Bridge carries about 31,000 vehicles on an average weekday.",
            options={"bridge": True},
        ),
        quotes=(
            Quote(
                "Six weeks nearly finished us. Fourteen months is a different thing altogether.",
                "Dawn Okereke, café owner, Southbank",
                after=7,
            ),
        ),
        notes=(
            Note(
                "update",
                "The council has published the full inspection report since this article "
                "first appeared. We have added details of the shuttle bus to the Royal "
                "Infirmary, which it confirmed at the same time.",
                after=later(hours=2, minutes=20),
            ),
        ),
        body="""
<p>The Wend Bridge, the main road crossing between Kestrelford city centre and Southbank,
will close to all motor traffic for 14 months from the start of next month after engineers
found corrosion deep inside two of its three iron arches.</p>
<p>The city council confirmed the closure after a special meeting of its cabinet, saying a
detailed inspection carried out over the summer had found that some of the bridge’s
load-bearing plates had lost up to a third of their thickness. The weight limit introduced
last year will not be enough to keep the structure safe, the inspectors concluded.</p>
<p>The repairs are now expected to cost £23.6m, more than double the £10.2m set aside in the
council’s capital programme. Officers said the difference would be met by borrowing and by a
bid to the Wend Valley Combined Authority’s transport fund.</p>
<h2>What the inspectors found</h2>
<p>The bridge opened in the 1880s and was strengthened in the 1960s, when steel beams were
added beneath the carriageway. The latest inspection, by the engineering consultancy Rowe
Kettering, used ultrasonic testing on the hidden faces of the arch plates for the first time.
Earlier surveys relied largely on what could be seen from a boat.</p>
<blockquote><p>We found water had been getting into the arch sections for decades, probably
since the 1960s work. From the outside, the ironwork looks tired but sound. From the inside,
it is a different picture.</p></blockquote>
<p>That was Paul Stennett, the council’s director of highways, speaking to councillors. He
said there was “no immediate danger” to people using the bridge and that the closure was
planned, not an emergency.</p>
<h2>Diversions and buses</h2>
<p>Drivers will be diverted upstream to Chandler’s Bridge, which the council expects to carry
an extra 12,000 vehicles a day. The arrangements for the closure include:</p>
<ul>
<li>bus routes 4, 7 and 12 diverted via Chandler’s Bridge, with journeys expected to take 10
to 15 minutes longer at peak times;</li>
<li>a temporary signal-controlled junction at Ferry Road and Quayside;</li>
<li>a walking and cycling lane across the Wend Bridge, kept open for at least the first five
months of the works;</li>
<li>a free shuttle bus between Southbank and the Royal Infirmary every 12 minutes.</li>
</ul>
<p>Businesses in Southbank fear a repeat of the bridge’s six-week closure for resurfacing a
decade ago. Dawn Okereke, who runs a café on Riverside Parade, said her takings fell by almost
half that summer. “Six weeks nearly finished us. Fourteen months is a different thing
altogether,” she said. “We need to hear what the council will do for the businesses on this
side of the river, not just for the traffic.”</p>
<p>Cllr Bethan Lowry, the cabinet member for transport, said drop-in sessions would be held in
Southbank and Castlegate before the works begin. “Nobody wanted this, least of all us,” she
said. “But the alternative is a bridge we cannot keep open at all.”</p>
""",
    ),
    ArticleSpec(
        slug="wend-bridge-diversion-southbank-traders",
        title="Wend Bridge diversion: Southbank and Tannery Quarter traders ask for rates relief",
        standfirst="The council has published its detailed diversion plan for the 14-month "
        "closure. Businesses on the south side of the river say it sends their customers the "
        "other way.",
        section="news",
        article_type="news",
        authors=("gareth-pryce", "priya-raman"),
        tags=("Wend Bridge", "Roads", "Small business", "Tannery Quarter", "Transport"),
        age=ago(hours=1, minutes=20),
        art=Art(
            "facade",
            "harbour",
            alt="Illustration of a row of small shopfronts, one with its shutter pulled down",
            caption="Riverside Parade lost almost half its trade during the bridge’s last, "
            "six-week closure.",
            options={"shuttered": [2]},
        ),
        body="""
<p>Traders on the south side of the River Wend have asked Kestrelford City Council for
business rates relief during the 14-month closure of the Wend Bridge, after the council
published the detailed diversion plan for the works.</p>
<p>The plan sends all motor traffic upstream to Chandler’s Bridge and puts temporary signals at
the junction of Ferry Road and Quayside. Bus routes 4, 7 and 12 will cross at Chandler’s Bridge
and will stop serving Riverside Parade, the busiest shopping street in Southbank, for as long as
the bridge is shut. The council’s own traffic model expects trips from the city centre to
Southbank to take up to a quarter of an hour longer at peak times.</p>
<p>The Southbank and Tannery Traders’ Association, which speaks for about 90 businesses, says the
diversion will lead customers away from both areas. Its chair, Dawn Okereke, who runs a café on
Riverside Parade, wants rates relief for the whole closure, free short stays in the council’s
Quayside car park, and signs along the diversion telling drivers that the shops are open.</p>
<blockquote><p>The bridge is closing to cars, not to customers. We need the council to say so,
loudly, on every sign it puts up.</p></blockquote>
<p>In the Tannery Quarter, Anneka Solberg of Wendside Brewing said about half the people in the
brewery’s taproom on a Friday night came over the Wend Bridge from the city centre. “Most of
them walk, and they still can for the first five months,” she said. “After that, nobody
knows.”</p>
<h2>What the council says</h2>
<p>The council said the walking and cycling lane across the bridge would stay open for at least
the first five months of the works, and that its engineers were looking at whether a temporary
footbridge could follow. Cllr Bethan Lowry, the cabinet member for transport, said the council
had little room to cut business rates on its own, but that it would consider a hardship fund
for traders on both sides of the river whose takings fell sharply. The first drop-in session
for businesses is at the Tannery Lane community centre next week.</p>
""",
    ),
    ArticleSpec(
        slug="royal-infirmary-overnight-urgent-treatment-centre",
        title="Royal Infirmary opens overnight urgent treatment centre as A&E waits reach a record",
        standfirst="The new unit will see people with minor injuries and illnesses between 8pm "
        "and 8am, aiming to take up to 60 patients a night out of the emergency department.",
        section="news",
        article_type="news",
        authors=("leila-haddad",),
        tags=("Health", "Royal Infirmary", "Social care", "Public services"),
        age=ago(days=1, hours=5),
        art=Art(
            "pulse",
            "clinic",
            alt="Illustration of a heart-monitor trace glowing across a dark grid, with lit "
            "hospital windows behind it",
            caption="The urgent treatment centre is open every night from 8pm to 8am.",
        ),
        quotes=(
            Quote(
                "At three in the morning, someone with a broken wrist can end up waiting "
                "behind people who are seriously unwell.",
                "Dr Aisling Moore, medical director",
                after=6,
            ),
        ),
        body="""
<p>Kestrelford Royal Infirmary has opened an overnight urgent treatment centre to ease the
pressure on its emergency department, where only 58% of patients were seen within four hours
last month, the lowest figure since current records began.</p>
<p>The centre, in a refurbished outpatients wing beside the main entrance, will be staffed each
night by nurse practitioners and two GPs, with access to X-ray and blood tests. It is meant for
sprains, minor fractures, cuts, infections and other problems that need attention the same
night but not the full resources of A&amp;E.</p>
<p>Staff at the front door of the emergency department will redirect patients to the centre
after a brief assessment. The hospital trust expects it to see between 40 and 60 patients a
night once it is fully running.</p>
<p>Dr Aisling Moore, medical director of Wend Valley Hospitals Trust, said about a third of the
people who arrive at A&amp;E overnight could be treated more quickly elsewhere. “At three in the
morning, someone with a broken wrist can end up waiting behind people who are seriously
unwell, because that’s how triage has to work,” she said. “Now they will be seen by a
clinician who can treat them and send them home.”</p>
<h2>Pressure on the wards</h2>
<p>The hospital’s difficulties are not only at the front door. On an average day last month,
94 patients who were medically fit to leave were still in a hospital bed, most of them waiting
for care at home or a place in a care home. That is the equivalent of almost four full
wards.</p>
<p>Kestrelford City Council, which pays for most adult social care in the city, said it had
funded 3,200 extra hours of home care a week since the spring but was struggling to recruit
carers. Agencies in the city report that about one post in five is vacant.</p>
<blockquote><p>The urgent treatment centre is a good thing. But if the beds upstairs are full,
the ambulances are still queuing outside.</p></blockquote>
<p>That was the verdict of Marian Teller, who chairs the Wend Valley Patients’ Forum. She said
she wanted the trust to publish monthly figures on how many people the centre treats and how
long they wait.</p>
<p>The trust is asking people with less urgent problems to use the 111 phone and online
service first, and to come to the infirmary only if they are told to.</p>
""",
    ),
    ArticleSpec(
        slug="royal-infirmary-nurse-vacancies-urgent-treatment-centre",
        title="Royal Infirmary needs 70 more nurses to keep its overnight urgent treatment "
        "centre open",
        standfirst="Board papers show the new centre is running on agency staff and overtime. "
        "The hospital trust says it cannot go on paying for that beyond the spring.",
        section="news",
        article_type="news",
        authors=("leila-haddad",),
        tags=("Health", "Royal Infirmary", "Public services", "Jobs"),
        age=ago(hours=7),
        art=Art(
            "pulse",
            "clinic",
            alt="Illustration of a heart-monitor trace across a dark grid, with a row of lit "
            "windows behind it",
            caption="The urgent treatment centre saw 94 patients in its first two nights.",
        ),
        body="""
<p>Kestrelford Royal Infirmary will need to recruit about 70 more nurses if its new overnight
urgent treatment centre is to stay open through the winter, according to papers published ahead
of a meeting of the Wend Valley Hospitals Trust board.</p>
<p>The centre, which opened this week for people with minor injuries and illnesses between 8pm
and 8am, treated 94 patients in its first two nights. But the papers show that most of its
nurse practitioners are agency staff, or the hospital’s own nurses working extra shifts on top
of their normal hours. Agency pay for the centre is costing about £38,000 a week.</p>
<p>Across the trust, 212 registered nursing posts are vacant, about one in nine. The emergency
department and the wards for older patients have the most gaps.</p>
<blockquote><p>The centre can run on goodwill and overtime for a few months. It cannot run like
that for years.</p><p><cite>Wend Valley Hospitals Trust board papers</cite></p></blockquote>
<p>Dr Aisling Moore, the trust’s medical director, said the centre was already doing what it was
meant to do: taking people with sprains, cuts and minor fractures out of the queue in
A&amp;E. “The question is not whether it works,” she said. “It is whether we can staff it
without taking nurses from somewhere else in the hospital.”</p>
<h2>The recruitment plan</h2>
<p>The trust plans to offer permanent contracts to the agency nurses who want them, to recruit
40 nurses from overseas by the spring, and to grow a nursing apprenticeship it runs with the
University of Kestrelford from 25 places a year to 60.</p>
<p>Marian Teller, who chairs the Wend Valley Patients’ Forum, welcomed the plan but repeated her
call for monthly figures on how many people the centre treats and how long they wait. The union
representing nurses at the infirmary said many of its members were worn out after covering
extra shifts for two winters running.</p>
""",
    ),
    ArticleSpec(
        slug="carvers-mill-fire-tannery-lane",
        title="Forty residents rehoused after fire at converted mill on Tannery Lane",
        standfirst="Firefighters were called to Carver’s Mill shortly after 1am. Two people were "
        "treated for smoke inhalation; the fire service says an e-bike battery charging in a "
        "ground-floor store was the likely cause.",
        section="news",
        article_type="news",
        authors=("tomasz-wrona",),
        tags=("Fire safety", "Tannery Quarter", "Housing"),
        age=ago(days=3, hours=7),
        updated_after=later(hours=6),
        art=Art(
            "skyline",
            "night",
            alt="Illustration of a city at night with smoke rising above the rooftops",
            caption="Fire crews stayed at Carver’s Mill until mid-morning.",
            options={"smoke": True},
        ),
        notes=(
            Note(
                "update",
                "Updated with the fire service’s conclusion that an e-bike battery was the "
                "likely cause, and with a statement from the building’s managing agent.",
                after=later(hours=6),
            ),
        ),
        body="""
<p>Forty residents of a converted Victorian mill in Kestrelford’s Tannery Quarter have been
placed in temporary accommodation after a fire broke out in the building’s ground-floor
bicycle store in the early hours.</p>
<p>Wend Valley Fire and Rescue Service was called to Carver’s Mill, on Tannery Lane, at
1.12am. Six fire engines and an aerial ladder platform attended at the height of the fire, and
crews helped eleven people out of the building by its internal stairs. Two residents were
treated at the scene for smoke inhalation and one was taken to the Royal Infirmary as a
precaution.</p>
<p>Station manager Kerry Ambrose said the building’s fire doors had held and had “almost
certainly prevented this from being far worse”. The fire was confined to the store and a
neighbouring plant room, but smoke spread through the stairwell and into several flats on the
first two floors.</p>
<p class="editors-note">This article was updated with the fire service’s findings on the cause
of the fire and the latest information on when residents can return.</p>
<h2>The cause</h2>
<p>Investigators said the fire most likely started with the lithium-ion battery of an electric
bike that was being charged overnight in the communal store. “Batteries like these can fail
without warning, particularly if they are damaged or charged with the wrong charger,” Ms
Ambrose said. The service is urging residents not to charge e-bikes and e-scooters in
hallways, stairwells or anywhere on an escape route.</p>
<p>The building’s managing agent, Harbourside Property Management, said charging batteries in
the bike store had been banned since last year, and that it would review how the rule was
enforced.</p>
<h2>The residents</h2>
<p>The city council opened the Tannery Lane community centre overnight and has since placed
residents in hotels or with family. Ifeoma Grant, who has lived on the second floor for six
years, woke to the alarm and the smell of burning plastic. “You don’t think, you just grab the
cat and go,” she said. “Everyone looked after each other on the stairs. The firefighters were
brilliant.”</p>
<p>Engineers are assessing the building. The managing agent said it hoped residents of the
upper three floors could return within a fortnight, but that the flats nearest the fire could
be empty for several months while smoke damage is repaired.</p>
""",
    ),
    ArticleSpec(
        slug="carvers-mill-residents-e-bike-charging-checks",
        title="Carver’s Mill residents face months away as the council orders e-bike checks in "
        "converted mills",
        standfirst="The fourteen flats nearest the fire will be empty until the spring. The "
        "council wants every converted industrial building in the Tannery Quarter to show how it "
        "keeps e-bike charging off its escape routes.",
        section="news",
        article_type="news",
        authors=("tomasz-wrona",),
        tags=("Fire safety", "Tannery Quarter", "Housing", "Kestrelford City Council"),
        age=ago(days=1, hours=16),
        art=Art(
            "skyline",
            "ember",
            alt="Illustration of old brick buildings beside a river under an orange evening sky",
            caption="Carver’s Mill is one of 23 converted industrial buildings in the Tannery "
            "Quarter.",
            options={"river": True},
        ),
        body="""
<p>Residents of the fourteen flats nearest the fire at Carver’s Mill, the converted Victorian
mill on Tannery Lane, will not be able to go home until the spring, the building’s managing
agent has told them.</p>
<p>Harbourside Property Management said smoke had damaged the stairwell, the plant room and the
flats on the first two floors more badly than engineers first thought. Residents of the upper
three floors are still expected back within a fortnight.</p>
<p>Most of the displaced residents are in hotels paid for by the building’s insurers. The city
council is housing four households who rent their flats and had no cover of their own, from a
temporary accommodation budget already stretched by a housing waiting list of 9,400
households.</p>
<h2>Checks across the Tannery Quarter</h2>
<p>Wend Valley Fire and Rescue Service has concluded that the fire began with the lithium-ion
battery of an e-bike charging in the ground-floor bicycle store. The council has now written to
the owners and managing agents of 23 converted industrial buildings in the Tannery Quarter and
along the river, asking each to show within a month how it stops residents charging e-bikes and
e-scooters in stores, hallways and stairwells.</p>
<p>Station manager Kerry Ambrose said many conversions were designed before e-bikes were common.
“A bike store used to be a room full of metal. Now it can be a room full of batteries,” she
said. The fire service is offering free fire-safety visits to buildings in the quarter.</p>
<blockquote><p>Everyone says we were lucky, and we were. I would rather the next building didn’t
need luck.</p></blockquote>
<p>That was Ifeoma Grant, who lives on the second floor and is staying with her sister in
Millbrook. The council’s planning officers said that conversions approved under the draft local
plan, which expects hundreds of new homes in the quarter, would have to include a separate,
ventilated room for charging e-bikes.</p>
""",
    ),
    ArticleSpec(
        slug="wend-valley-bus-fares-capped",
        title="Single bus fares across the Wend Valley to be capped at £1.80",
        standfirst="The mayor’s £6.2m scheme will cut the price of some journeys by more than "
        "half. Operators say passenger numbers will need to rise by a fifth for it to pay its "
        "way.",
        section="news",
        article_type="news",
        authors=("gareth-pryce",),
        tags=("Buses", "Transport", "Mayor", "Cost of living"),
        age=ago(days=6, hours=3),
        art=Art(
            "skyline",
            "dawn",
            alt="Illustration of a red single-decker bus on a road in front of a city skyline "
            "in the morning",
            caption="Day tickets on Kestrel Buses will fall from £6.20 to £5.",
            options={"bus": True, "bus_colour": "#c8102e"},
        ),
        body="""
<p>Every adult single bus fare in the Wend Valley will be capped at £1.80 from the start of
next month under a scheme announced by the combined authority’s mayor, Colin Ashby-Reyes.</p>
<p>At present the longest single journeys, such as the 52 between Kestrelford and Upper Wend,
cost up to £4.60. A day ticket on Kestrel Buses, the largest operator, costs £6.20 and will
fall to £5.</p>
<p>The combined authority will pay operators about £6.2m in the first year to make up the
difference between the capped fare and what they would otherwise have charged. The money
comes from the authority’s share of a national bus improvement fund and from its own transport
reserves.</p>
<blockquote><p>A bus fare is a tax on the people who can least afford it. If you’re a care worker
going from Holloway to Northgate and back every day, this is worth more than £600 a year to
you.</p></blockquote>
<p>That was how Mr Ashby-Reyes put it at the launch at Castlegate bus station, where he said
the cap would last for at least two years. “We want people to try the bus again,” he said.
“But fares are only half of it. The buses have to turn up.”</p>
<h2>Will people use it?</h2>
<p>Kestrel Buses’ managing director, Howard Lindqvist, welcomed the cap but said it would be
sustainable only if passenger numbers rose by around 20% over two years. Journeys on the
company’s network are still about 12% below where they were before the pandemic.</p>
<p>The company has 38 vacancies for drivers and cancelled around 3% of its scheduled journeys
last quarter, mostly because of staff shortages. It says it has cut the time it takes to
train a new driver from 14 weeks to nine.</p>
<p>Wend Valley Bus Users, a passenger group, said the cap was overdue. Its secretary, Elspeth
Carr, said members would be watching reliability “much more closely than the price”.</p>
<p>The cap applies to adult single fares on all registered local services in the combined
authority area. Concessionary passes and fares for under-22s are unchanged.</p>
""",
    ),
    ArticleSpec(
        slug="secondary-school-first-choice-places",
        title="Nearly one in eleven families miss out on their first-choice secondary school",
        standfirst="Demand for Year 7 places in Kestrelford has peaked as a larger generation of "
        "children leaves primary school. Figures obtained by the Courier show where the "
        "pressure is greatest.",
        section="news",
        article_type="news",
        authors=("niamh-corrigan",),
        tags=("Schools", "Data", "Kestrelford City Council"),
        age=ago(days=9, hours=2),
        art=Art(
            "chart",
            "dawn",
            alt="Illustration of a bar chart rising towards a highlighted final bar",
            caption="Applications for Year 7 places have risen by 7% in two years.",
            options={"trend": 0.7},
        ),
        notes=(
            Note(
                "correction",
                "An earlier version of this article said the council received 3,142 "
                "applications. The correct figure is 3,412.",
                after=later(days=1, hours=1),
            ),
        ),
        body="""
<p>Three hundred families in Kestrelford did not get a place at their first-choice secondary
school this year, according to figures released by the city council, the highest number since
it began publishing them.</p>
<p>The council received 3,412 applications for Year 7 places, up from 3,190 two years ago, as
a generation of children born during a local baby boom reaches secondary age. Some 91.2% of
families were offered their first preference, down from 94%.</p>
<p>The figures, released in response to a request from the Courier, show the pressure is
concentrated on three schools in the north and west of the city, each of which received more
than twice as many first-preference applications as it had places:</p>
<ul>
<li><strong>Northgate Academy</strong>: 612 first preferences for 240 places;</li>
<li><strong>St Aldric’s High School</strong>: 455 for 210;</li>
<li><strong>Ashcombe Community School</strong>: 398 for 180.</li>
</ul>
<p>By contrast, Fenwick Park Academy, which opened four years ago in the east of the city, had
61 places left over after every application had been met.</p>
<h2>Why now</h2>
<p>Births in Kestrelford rose by about 11% over five years a little more than a decade ago,
driven partly by the growth of the university and the hospital. Those children are now 11
and 12. Council forecasts show demand peaking next year and falling gently after that.</p>
<p>That makes new schools a hard case to argue, said Cllr Nadia Hussain, the cabinet member
for education. “We’re managing a bulge, not a permanent increase,” she said. “We’ve added 150
temporary places at existing schools, and we would rather spend money on those schools than
on buildings that will be half empty in ten years.”</p>
<blockquote><p>You tell your child they’ve done everything right, and then the letter comes and
says they’re going to a school two bus rides away from all their friends.</p></blockquote>
<p>Rebecca Lyons, whose son was offered a place at Fenwick Park rather than at Northgate
Academy, half a mile from their home, called the appeals process “exhausting and opaque”.
Families have 20 school days from the offer to lodge an appeal. Last year, 14% of appeals for
places at Kestrelford secondary schools succeeded.</p>
""",
    ),
    ArticleSpec(
        slug="year-7-appeals-northgate-academy-extra-class",
        title="Appeals for Year 7 places reach a record as Northgate Academy takes an extra class",
        standfirst="Families lodged 412 appeals after missing out on their first-choice secondary "
        "school. Thirty more children will now be offered places at the most oversubscribed "
        "school in Kestrelford.",
        section="news",
        article_type="news",
        authors=("niamh-corrigan",),
        tags=("Schools", "Kestrelford City Council", "Northgate Academy"),
        age=ago(days=2, hours=6),
        art=Art(
            "chart",
            "ledger",
            alt="Illustration of a rising bar chart with its final bar highlighted",
            caption="Appeals for Year 7 places have risen for three years running.",
            options={"trend": 0.8},
        ),
        body="""
<p>A record 412 families have appealed against the secondary school place they were offered in
Kestrelford this year, after nearly one in eleven missed out on their first choice, figures from
the city council show.</p>
<p>That is up from 318 appeals last year. Most are for places at the three schools under the
most pressure, Northgate Academy, St Aldric’s High School and Ashcombe Community School, each of
which had more than twice as many first-preference applications as Year 7 places.</p>
<p>Northgate Academy has now agreed to take an extra class of 30 pupils in Year 7, taught in two
temporary classrooms on its playing field. The places will go to the children at the top of its
waiting list, which the council expects to settle many appeals before they reach a panel.</p>
<blockquote><p>Thirty places will not fix this. But they are thirty families who will not have to
sit in front of an appeal panel.</p></blockquote>
<p>That was Cllr Nadia Hussain, the cabinet member for education, who said the classrooms would
be paid for from the money set aside for 150 temporary places across the city. She repeated that
demand would peak next year, and that a new school would leave places empty in the long
run.</p>
<h2>How appeals work</h2>
<p>Appeals are heard by independent panels, not by the schools or the council. Last year 14% of
appeals for places at Kestrelford secondary schools succeeded. Fenwick Park Academy, in the east
of the city, still has Year 7 places left.</p>
<p>Rebecca Lyons, whose son was offered Fenwick Park rather than Northgate Academy, half a mile
from their home, has kept his name on the waiting list. “The extra class is good news for thirty
families,” she said. “We just don’t know yet whether we’re one of them.”</p>
""",
    ),
    ArticleSpec(
        slug="winter-market-castlegate-ice-rink",
        title="Winter market to return to Castlegate with 60 stalls and an ice rink",
        standfirst="The market will run for five weeks. Traders say the Wend Bridge closure "
        "makes this year’s event more important than ever.",
        section="news",
        article_type="news",
        authors=("tomasz-wrona",),
        tags=("Castlegate", "Small business", "High street"),
        age=ago(),
        status="draft",
        body="""
<p>Kestrelford’s winter market will return to Castlegate with 60 stalls, a covered food court
and, for the first time, a temporary ice rink on Guildhall Square.</p>
<p>The market, run by the Kestrelford Business Improvement District, will open for five weeks.
Organisers expect about 250,000 visits, similar to last year.</p>
<p>TK: how many of the 60 stalls are local traders? BID press office to call back.</p>
<p>Tamsin Greaves, the BID’s director, said the Wend Bridge closure made the market more
important than ever for businesses in the city centre. “We need to give people a reason to
make the trip,” she said.</p>
<p>Skating will cost £4 for children and £7 for adults, with free sessions for schools on
weekday mornings.</p>
""",
    ),
)
