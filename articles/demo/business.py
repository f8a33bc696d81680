"""Business: companies, jobs, the high street."""

from .spec import Art, ArticleSpec, Note, Quote, ago, answer, ask, later

_PR = "Priya Raman"
_AS = "Anneka Solberg"

ARTICLES = (
    ArticleSpec(
        slug="halvard-precision-220-jobs-fenwick-park",
        title="Halvard Precision to create 220 jobs with new aerospace line at Fenwick Park",
        standfirst="The engineering firm will invest £34m in a factory making landing-gear "
        "parts, the biggest manufacturing expansion in the city for a decade.",
        section="business",
        article_type="news",
        authors=("priya-raman",),
        tags=("Jobs", "Manufacturing", "Fenwick Park"),
        age=ago(days=2, hours=9),
        art=Art(
            "gears",
            "harbour",
            alt="Illustration of interlocking gears on a blueprint grid",
            caption="Halvard will install 18 computer-controlled machining centres at Fenwick "
            "Park.",
        ),
        quotes=(
            Quote(
                "This is the largest order in our history, and it’s one we nearly didn’t bid for.",
                "Callum Reid, managing director, Halvard Precision",
                after=6,
            ),
        ),
        notes=(
            Note(
                "correction",
                "An earlier version of this article misspelt the managing director’s surname "
                "as Reed. He is Callum Reid.",
                after=later(hours=5),
            ),
        ),
        body="""
<p>Halvard Precision, one of Kestrelford’s oldest engineering firms, is to create 220 jobs at a
new factory on the Fenwick Park estate after winning a long-term contract to machine parts for
aircraft landing gear.</p>
<p>The company will invest £34m in the site, which will house 18 computer-controlled machining
centres and a heat-treatment plant. Production is due to start in about 18 months. The jobs
include 140 machinists and technicians, 40 apprenticeships and 40 posts in engineering,
quality and logistics.</p>
<p>Founded in 1962 by a Norwegian-born toolmaker, Halvard employs 410 people at its works on
Foundry Street, where it makes components for the rail and energy industries. The new
contract, with a European aircraft-systems supplier the company would not name, runs for 12
years.</p>
<p>“This is the largest order in our history, and it’s one we nearly didn’t bid for,” said the
managing director, Callum Reid. “We asked ourselves whether a company our size could do
aerospace. The answer turned out to be yes, but only because we’ve spent 20 years training our
own people.”</p>
<h2>Finding the people</h2>
<p>Mr Reid said recruitment was the biggest risk to the project. The firm will expand its
training centre and work with Kestrelford College on a new two-year course in precision
machining, with the first 24 students starting at the beginning of the next academic
year.</p>
<p>The Wend Valley Combined Authority is putting £2.5m from its investment fund towards the
training centre. The mayor, Colin Ashby-Reyes, called the expansion “a vote of confidence in
the valley’s manufacturing”.</p>
<blockquote><p>These are jobs that pay properly and that you can build a life on. My dad worked
at Halvard for 31 years. I’d like my daughter to have the same chance, if she wants
it.</p></blockquote>
<p>Those were the words of Jodie Marsh, who represents shop-floor staff at Halvard for the
engineering union. She said the company had agreed that the new posts would be paid at the
same rates as existing ones.</p>
<p>Manufacturing accounts for about 14% of jobs in Kestrelford, more than the national average,
but the sector has lost around 2,000 jobs in the city over the past decade.</p>
""",
    ),
    ArticleSpec(
        slug="pellam-and-finch-department-store-to-close",
        title="Pellam & Finch, Kestrelford’s last department store, to close after 131 years",
        standfirst="The family-owned shop on Castlegate will close in about three months. Its "
        "86 staff were told at a meeting on the shop floor before it opened.",
        section="business",
        article_type="news",
        authors=("priya-raman",),
        tags=("High street", "Retail", "Castlegate", "Jobs"),
        age=ago(days=7, hours=5),
        art=Art(
            "facade",
            "civic",
            alt="Illustration of a row of brick shopfronts with striped awnings, one with its "
            "shutter down",
            caption="Pellam & Finch has traded on Castlegate since 1895.",
            options={"shuttered": [1]},
        ),
        quotes=(
            Quote(
                "Half of Kestrelford bought their school uniforms from us, and their wedding "
                "lists.",
                "Beverley Coates, who has worked at the store for 27 years",
                after=5,
            ),
        ),
        notes=(
            Note(
                "correction",
                "An earlier version of this article said the store employed 68 people. It "
                "employs 86.",
                after=later(days=1, hours=3),
            ),
        ),
        body="""
<p>Pellam &amp; Finch, the department store that has stood on Castlegate since 1895, is to
close, its owners have announced. The shop’s 86 staff were told at a meeting on the shop floor
before it opened to customers.</p>
<p>The store will trade for about three more months, with a closing-down sale starting next
week. The family company that owns it said it had spent two years looking for a buyer or a
partner willing to take on the business, without success.</p>
<p>In a statement, the company’s chair, Rosalind Finch, a great-granddaughter of one of its
founders, said: “We have been part of Kestrelford’s life for longer than anyone can remember,
and this is the hardest decision my family has ever made. The way people shop has changed,
and we have not been able to change fast enough with it.”</p>
<h2>A long decline</h2>
<p>The store’s accounts show sales falling from £14.8m to £9.1m over the past decade, with
losses in five of the past six years. Its five-storey Edwardian building, which the family
owns, needs an estimated £6m of repairs, including a new roof and lifts.</p>
<p>Staff said the news had not come as a surprise. Beverley Coates, who has worked on the
haberdashery counter for 27 years, said: “We knew. You could see it in the aisles on a Tuesday
afternoon. But it’s still like a death in the family. Half of Kestrelford bought their school
uniforms from us, and their wedding lists.”</p>
<p>The company said it would pay staff more than the statutory minimum redundancy and had
invited recruiters from other retailers into the store.</p>
<p class="editors-note">Pellam &amp; Finch advertises in the Courier. That relationship played
no part in our coverage of its closure.</p>
<h2>What happens to the building</h2>
<p>The building’s future is now the question on Castlegate, where one shop unit in six is
empty. The council confirmed it had held “early conversations” with the Finch family, and
Cllr Harjit Sandhu said ideas including a new central library, homes on the upper floors and
space for independent shops were “all on the table”. The family said it would prefer a buyer
who would keep the building open “as somewhere the whole city can walk into”.</p>
""",
    ),
    ArticleSpec(
        slug="kestrelford-high-streets-vacancy-analysis",
        title="Kestrelford’s high streets are not dying. They are turning into something else",
        standfirst="One shop in six on Castlegate is empty, but across the city the number of "
        "occupied units has barely changed in five years. What has changed is who occupies "
        "them.",
        section="business",
        article_type="analysis",
        authors=("niamh-corrigan", "priya-raman"),
        tags=("High street", "Retail", "Castlegate", "Data", "Tannery Quarter"),
        age=ago(days=5, hours=8),
        art=Art(
            "chart",
            "ledger",
            alt="Illustration of a bar chart with a line tracing a second series across it",
            caption="Vacancy on Castlegate has risen to 17.8%; in local centres it has fallen.",
            options={"trend": 0.3},
        ),
        body="""
<p>When Pellam &amp; Finch announced its closure, the reaction was a familiar one: the high
street is dying. The figures for Kestrelford tell a more complicated story.</p>
<p>We analysed five years of business rates data for the city’s 2,140 ground-floor commercial
units, published by the city council, alongside footfall counts from the Kestrelford Business
Improvement District. Three things stand out.</p>
<h2>1. The centre is struggling; the neighbourhoods are not</h2>
<p>The vacancy rate on Castlegate and the streets around it has risen from 11.2% to 17.8% in
five years. But in the city’s local centres, such as Millbrook Broadway, Northgate Road and
Ashcombe, it has fallen, from 10.4% to 8.9%. The Tannery Quarter, where rents are lower and
units smaller, has the lowest vacancy rate of anywhere, at 6.1%.</p>
<h2>2. Shops are giving way to services</h2>
<p>The number of units used as shops in the city has fallen by 212, or 18%, in five years. Over
the same period, these uses have grown:</p>
<ul>
<li>food and drink: up 61 units;</li>
<li>health and beauty, including dentists, opticians, clinics and physiotherapists: up
48;</li>
<li>offices and co-working spaces: up 27;</li>
<li>gyms and fitness studios: up 19.</li>
</ul>
<h2>3. People still come, but at different times</h2>
<p>Weekday footfall on Castlegate is 14% lower than five years ago, but it is only 3% lower on
Saturdays, and 9% higher in the evenings, between 6pm and 10pm. The centre is becoming a place
people visit to eat, drink and meet, rather than to run errands.</p>
<blockquote><p>Landlords are still pricing units as if a national chain is about to walk through
the door. Most of the time, it isn’t.</p><p><cite>Tamsin Greaves, Kestrelford Business
Improvement District</cite></p></blockquote>
<p>Ms Greaves said many of Castlegate’s empty units belong to pension funds and investment
companies outside the city that are slow to cut rents. The council is consulting on using new
powers to make owners of long-empty shops let them, at auction if necessary.</p>
<p>The question for Castlegate, then, is not whether it can bring back the department store.
It is whether its biggest buildings can be put to new use quickly enough for the things people
now come into town to do.</p>
""",
    ),
    ArticleSpec(
        slug="anneka-solberg-wendside-brewing-interview",
        title="Anneka Solberg of Wendside Brewing: ‘Our energy bill tripled. The beer didn’t get "
        "three times better’",
        standfirst="The co-founder of the Tannery Quarter brewery on keeping 24 people employed "
        "through hard years for small brewers, and why she walked away from the supermarkets.",
        section="business",
        article_type="interview",
        authors=("priya-raman",),
        tags=("Small business", "Energy costs", "Tannery Quarter", "Food and drink"),
        age=ago(days=8, hours=3),
        art=Art(
            "dialogue",
            "harbour",
            alt="Illustration of two overlapping speech bubbles beside a desk microphone",
            caption="Wendside Brewing sells about a third of its beer within ten miles of "
            "Kestrelford.",
        ),
        transcript=(
            ask(_PR, "How close did you come to closing?"),
            answer(
                _AS,
                "Closer than I’ve told most of the staff. There was a month, two winters ago, "
                "when the energy bill for the brewhouse came in at three times what it had been. "
                "Same beer, same kit, same hours. We had about six weeks of cash. Rhys and I sat "
                "in the office with a spreadsheet and worked out which of us would tell the "
                "team.",
            ),
            ask(_PR, "What changed?"),
            answer(
                _AS,
                "Three things, none of them glamorous. We put the brewhouse on a fixed-price "
                "contract, which cost more than we’d have liked but meant we could plan. We "
                "moved brewing to four long days a week instead of five, so we heat the kit up "
                "less often. And we stopped doing things that kept us busy but didn’t make "
                "money.",
            ),
            ask(_PR, "Such as?"),
            answer(
                _AS,
                "Supermarkets, mostly. We had a listing with a national chain, and everyone "
                "congratulated us. But after their margin and the promotions they wanted us to "
                "pay for, we were making about 4p a can. We were paying to be on the shelf.\n\n"
                "We walked away. Our turnover fell by 15% and our profit went up.",
            ),
            ask(_PR, "Where do you sell now?"),
            answer(
                _AS,
                "Pubs within about an hour of here, our own taproom, and online to people who’ve "
                "visited. The taproom is about 30% of our income now. People want to see where "
                "their beer comes from, and they’ll pay a fair price when they can see the "
                "person who made it.",
            ),
            ask(_PR, "People, especially younger people, are drinking less. Is that a threat?"),
            answer(
                _AS,
                "It’s a change, and I’d be a fool to fight it. Our best-selling new beer last "
                "year was a 0.5% pale ale. A good low-alcohol beer is harder to brew than a "
                "strong one: there’s nowhere for mistakes to hide. We sell a lot of it on "
                "weeknights, to people who’d rather drive home.",
            ),
            ask(
                _PR,
                "The Tannery Quarter has changed a lot since you arrived. Has that been "
                "good for you?",
            ),
            answer(
                _AS,
                "Mostly. When we started, the only people down here at night were looking for "
                "trouble or somewhere to park. Now there’s a bakery, two restaurants and a "
                "climbing wall. But rents are rising, and we worry about being pushed out by "
                "people who moved here because of places like us. Our lease on the tram shed is "
                "up in three years.",
            ),
            ask(_PR, "What would you tell someone thinking of starting a brewery today?"),
            answer(
                _AS,
                "Work out what you’d do if your biggest cost tripled overnight, because "
                "something will. And find a landlord who likes you.",
            ),
        ),
        body="""
<p>Wendside Brewing occupies two railway arches and a former tram shed on Tannery Wharf. On the
afternoon we visit, the air smells of hot malt and the brewery’s three-legged dog, Porter, is
asleep across the doorway of the taproom.</p>
<p>Anneka Solberg, 41, founded the brewery twelve years ago with her partner, Rhys Jameson, in
a single arch, with second-hand equipment bought from a brewery that was closing down. It now
employs 24 people and makes around 900,000 pints a year, about a third of which is drunk
within ten miles of the city.</p>
<p>The past few years have been hard on small brewers. Dozens have closed across the country,
squeezed by the cost of energy, malt, cans and glass, and by customers drinking less. Wendside
survived, Solberg says, by shrinking some things and stopping others altogether.</p>
<p class="editors-note">This conversation has been condensed and edited for clarity.</p>
""",
    ),
    ArticleSpec(
        slug="northgate-bio-raises-12m-soil-sensor",
        title="University spin-out Northgate Bio raises £12m for its soil sensor",
        standfirst="The company’s probes measure nitrogen in farmland as it changes, promising "
        "to cut fertiliser use. It plans to double its staff to 70 over two years.",
        section="business",
        article_type="news",
        authors=("priya-raman", "daniel-okonjo"),
        tags=("Start-ups", "University of Kestrelford", "Science", "Farming", "Jobs"),
        age=ago(days=13, hours=6),
        art=Art(
            "soil",
            "earth",
            alt="Cross-section illustration of soil layers with seedlings, roots and a sensor "
            "probe with a glowing tip",
            caption="The sensor sends a reading of soil nitrogen every hour.",
        ),
        body="""
<p>Northgate Bio, a company spun out of the University of Kestrelford four years ago, has
raised £12m from investors to bring its soil-testing sensor to market.</p>
<p>The company’s probe, about the length of a pencil, is pushed into the ground and measures
how much nitrogen is available to crops, sending a reading every hour to the farmer’s phone.
At present most farmers test their soil a few times a year by posting samples to a
laboratory.</p>
<p>The funding round was led by Brackenridge Ventures, which invests in agricultural
technology, with the university’s own investment fund and the Wend Valley Combined Authority
also taking part.</p>
<p>Dr Tobi Adeyemi-Clarke, the company’s chief executive and co-founder, said fertiliser was
“one of the biggest costs on a farm, and one of the biggest sources of pollution in our
rivers”. She added: “Farmers put on more than they need because they can’t see what’s in the
ground. If they can see it, most of them will use less.”</p>
<h2>Trials on the valley’s farms</h2>
<p>The sensor has been tested on 14 farms in the Wend Valley over two growing seasons. Farmers
using it applied on average 22% less nitrogen fertiliser, with no loss of yield, according to
results the company has submitted to a scientific journal.</p>
<p>Gwen Harrop, who grows cereals on 240 hectares near Upper Wend and took part in the trials,
said she had been sceptical. “I’ve been sold a lot of gadgets,” she said. “This one paid for
itself in a season.”</p>
<p>The company, which has 35 staff at the university’s science park, plans to hire another 35
people over the next two years, mostly engineers and agronomists, and to start making the
sensors in the valley rather than abroad.</p>
<p>The university owns about 18% of the company. Its pro-vice-chancellor for research,
Professor Clare Dunmore, said Northgate Bio was “exactly the kind of company we want to grow
here, and keep here”.</p>
""",
    ),
)
