"""Science & Environment: the river, the moors, water, weather, research."""

from .spec import Art, ArticleSpec, Note, Quote, ago, later

ARTICLES = (
    ArticleSpec(
        slug="holloway-moor-beaver-kits",
        title="Beaver kits born on Holloway Moor, the first in the Wend Valley for 400 years",
        standfirst="Camera traps caught three young beavers at the wetland two years after a "
        "pair was released there. Scientists say their dams are already holding back flood "
        "water.",
        section="science-environment",
        article_type="news",
        authors=("daniel-okonjo",),
        tags=("Wildlife", "Holloway Moor", "River Wend", "Flooding", "Environment"),
        age=ago(days=1, hours=9),
        art=Art(
            "landscape",
            "moss",
            alt="Illustration of green hills and a winding stream held back by a dam of sticks, "
            "with trees along its banks",
            caption="The beavers have built 11 dams in their enclosure on Holloway Moor.",
            options={"dam": True},
        ),
        quotes=(
            Quote(
                "When the first clip came through, there was a fair amount of shouting in the "
                "office.",
                "Dr Hannah Sayer, Wend Valley Wildlife Trust",
                after=5,
            ),
        ),
        body="""
<p>Three beaver kits have been filmed on Holloway Moor, on the eastern edge of Kestrelford, the
first beavers known to have been born in the Wend Valley since the species was hunted out of
the region about four centuries ago.</p>
<p>Night-vision camera traps recorded the kits swimming behind their parents in one of the
pools the adults have made by damming a drainage ditch. The pair were released into a fenced,
45-hectare enclosure on the moor by the Wend Valley Wildlife Trust two years ago.</p>
<p>“We’d seen signs all summer: the adults were feeding harder and staying closer to the lodge.
But you don’t let yourself believe it until you see them,” said Dr Hannah Sayer, the trust’s
lead ecologist. “When the first clip came through, there was a fair amount of shouting in the
office.”</p>
<h2>Dams and floods</h2>
<p>Since their release the beavers have built 11 dams, turning a straight drainage channel into
a chain of pools and wet meadow. Hydrologists from the University of Kestrelford have been
measuring the water flowing off the moor into Holloway Brook, a tributary of the Wend that has
flooded homes in Holloway three times in the past 15 years.</p>
<p>Their early results suggest that in heavy rain the peak flow leaving the enclosure is about
30% lower than before the beavers arrived, and comes about four hours later. The researchers
caution that two years of data is not enough to draw firm conclusions.</p>
<blockquote><p>A beaver does for nothing what we would spend hundreds of thousands of pounds
trying to engineer. It slows water down and spreads it out.</p></blockquote>
<p>That was Dr Farah Quint, the hydrologist leading the monitoring. She said the effect on
Holloway’s flood risk would depend on whether beavers were eventually allowed to spread
further up the catchment.</p>
<h2>Not everyone is delighted</h2>
<p>Some neighbouring farmers are wary. Alan Threlkeld, whose land borders the enclosure, said
he had “nothing against beavers in a fence”, but worried that dams would flood his grazing if
the animals escaped or were released more widely. The trust says its management plan allows
dams to be lowered or removed where they cause problems, and that it will consult landowners
before any wider release.</p>
<p>Visitors are asked to keep to the boardwalk and not to go looking for the lodge. The trust
plans to run guided walks at dusk from the spring.</p>
""",
    ),
    ArticleSpec(
        slug="sewage-spills-river-wend-rise-38-percent",
        title="Sewage spills into the Wend rose by 38% last year, water company figures show",
        standfirst="Storm overflows discharged into the river and its tributaries 4,812 times. "
        "Brightwater Water blames a wet year; campaigners say the sewers are simply too small.",
        section="science-environment",
        article_type="news",
        authors=("daniel-okonjo", "niamh-corrigan"),
        tags=("River Wend", "Water", "Pollution", "Data", "Environment"),
        age=ago(days=10, hours=2),
        art=Art(
            "waves",
            "river",
            alt="Illustration of flowing river lines with a brown plume spreading from an "
            "outfall pipe on the bank",
            caption="The Mill Reach overflow, upstream of the city centre, spilled on 162 days.",
            options={"outfall": True},
        ),
        notes=(
            Note(
                "update",
                "Since this article was published, Brightwater Water has said that a storm "
                "tank holding 6,000 cubic metres will be built at Mill Reach within two years.",
                after=later(days=1, hours=4),
            ),
        ),
        body="""
<p>Sewage overflows discharged into the River Wend and its tributaries 4,812 times last year,
38% more than the year before, according to monitoring data published by Brightwater Water,
which runs the valley’s sewers.</p>
<p>The spills lasted a combined 31,400 hours, the equivalent of one overflow running without a
break for more than three and a half years. The worst was the overflow at Mill Reach, just
upstream of the city centre, which spilled on 162 days.</p>
<p>Storm overflows are designed to release diluted sewage into rivers during heavy rain, so it
does not back up into homes and streets, and are supposed to be used only in exceptional
conditions. Our analysis of the data found that 41 of the 118 overflows in the Wend catchment
spilled on more than 60 days of the year.</p>
<h2>The company’s explanation</h2>
<p>Brightwater said last year was one of the wettest on record in the valley, with rainfall 24%
above average, and that spills rise and fall with the rain. It said it was spending £210m
over five years on more storage at treatment works and on keeping rainwater out of the sewers
in new developments.</p>
<p>Campaigners accept the weather played a part, but say the figures show a network that has
not kept up with the city’s growth. “Even in a dry month, some of these overflows are
spilling,” said Marcus Lyle of Friends of the Wend, which has trained 60 volunteers to test
the water at 22 points along the river. “That’s not rain. That’s a sewer that’s full.”</p>
<p>The group’s testing over the summer found levels of E. coli at the Ferrier Park beach,
where children paddle, above the standard for bathing water on 9 of 20 sampling days.</p>
<blockquote><p>People are swimming in this river again, which is wonderful. They deserve to know
what’s in it.</p><p><cite>Marcus Lyle, Friends of the Wend</cite></p></blockquote>
<p>The city council’s environment scrutiny committee has asked Brightwater’s chief executive to
give evidence at its next meeting. The council has no powers over the company, which is
regulated nationally, but it can press for information.</p>
""",
    ),
    ArticleSpec(
        slug="wend-valley-reservoirs-54-percent",
        title="The valley’s reservoirs are at 54%. Here is what that means, and what it doesn’t",
        standfirst="Coldharbour and Tallow Hill are well below their usual levels after the "
        "driest six months in three decades. A hosepipe ban next year is possible; taps running "
        "dry is not.",
        section="science-environment",
        article_type="analysis",
        authors=("daniel-okonjo",),
        tags=("Water", "Drought", "Climate", "Environment"),
        age=ago(days=16, hours=5),
        art=Art(
            "landscape",
            "drought",
            alt="Illustration of a shrunken reservoir ringed by pale, exposed banks among dry "
            "hills",
            caption="Coldharbour reservoir was designed to hold about 18 months of supply.",
            options={"lake": True, "level": 0.4, "stream": False, "trees": 12},
        ),
        body="""
<p>The two reservoirs that supply most of Kestrelford’s drinking water are at 54% of capacity,
against an average of 78% for the time of year. It follows six months in which the Wend Valley
received 61% of its usual rainfall, the driest such spell since the mid-1990s, according to
the university’s weather station at Northgate.</p>
<p>Brightwater Water, which runs Coldharbour and Tallow Hill reservoirs, has asked customers to
use water carefully but says it has no plans for restrictions “at present”. So how worried
should we be?</p>
<h2>What the numbers mean</h2>
<p>Reservoir levels on their own can mislead. Coldharbour, the larger of the two, was built to
hold about 18 months of supply, so 54% is uncomfortable but not an emergency. What matters
more is how much rain falls over the winter, when reservoirs usually refill.</p>
<p>Brightwater’s drought plan sets out four stages, each triggered by reservoir levels that
vary through the year. The company is in the first:</p>
<ol>
<li><strong>Developing drought</strong>: appeals to save water and faster leak repairs. This
is where we are now.</li>
<li><strong>Drought</strong>: temporary bans on some uses, including hosepipe bans, for
households.</li>
<li><strong>Severe drought</strong>: restrictions on non-essential business uses, such as car
washes.</li>
<li><strong>Emergency</strong>: rota cuts or standpipes in the street. This has not happened
in the valley since the 1970s.</li>
</ol>
<p>On the company’s own modelling, a winter of average rainfall would refill the reservoirs to
more than 90% by spring. A winter as dry as the past six months would make a hosepipe ban
likely by early summer.</p>
<h2>The longer view</h2>
<p>The deeper problem is that demand for water in the valley is growing while supply is not.
Brightwater’s long-term plan forecasts a shortfall of 18 million litres a day by the 2040s, as
the population grows and summers get hotter. About a fifth of the water the company puts into
its pipes leaks away before it reaches a tap.</p>
<blockquote><p>Every dry year we get a round of stories about hosepipe bans, then it rains and
everyone forgets. The reservoirs aren’t the story. The leaks and the forecasts
are.</p><p><cite>Dr Farah Quint, University of Kestrelford</cite></p></blockquote>
<p>Our reading: a hosepipe ban next summer is a real possibility, but a genuine supply crisis
is not on the cards this year. The more important numbers are in the company’s long-term plan,
which is out for consultation and deserves far more attention than it is getting.</p>
""",
    ),
    ArticleSpec(
        slug="kestrelford-heat-map-7c-gap",
        title="Heat map reveals a 7C gap between Kestrelford’s hottest and coolest streets",
        standfirst="University researchers mapped temperatures across the city over a summer. "
        "The bus station was the hottest place; Ferrier Park, barely a kilometre away, the "
        "coolest.",
        section="science-environment",
        article_type="news",
        authors=("daniel-okonjo",),
        tags=("Climate", "University of Kestrelford", "Science", "Parks and trees", "Environment"),
        age=ago(days=18, hours=3),
        art=Art(
            "heatmap",
            "ink",
            alt="Illustration of a city map made of coloured blocks, shading from blue at the "
            "edges to deep red in the centre, crossed by a river",
            caption="The hottest recorded spot was outside Castlegate bus station, at 36.1C.",
        ),
        body="""
<p>On a hot afternoon, the area around Castlegate bus station can be more than 7C warmer than
Ferrier Park, barely a kilometre away, according to the most detailed map yet of temperatures
across Kestrelford.</p>
<p>Researchers from the University of Kestrelford’s urban climate group fixed sensors to 40
bicycles and 12 buses, and mounted others on lamp posts, taking more than two million readings
across the city over a summer. The hottest spot, at 36.1C, was the concourse outside the bus
station. The coolest, at 28.9C, was the tree-lined path beside the boating lake in Ferrier
Park.</p>
<p>“People have always known that cities are warmer than the countryside,” said Dr Imran
Qadir, who led the study. “What the map shows is how much that varies from one street to the
next, and that much of the difference comes down to two things: trees, and how much dark, hard
surface there is.”</p>
<h2>Where it is hottest</h2>
<p>The hottest places in the city share a handful of features, the study found:</p>
<ul>
<li>large areas of tarmac and paving, such as car parks, the bus station and retail parks;</li>
<li>few or no street trees;</li>
<li>flat, dark roofs, particularly on the warehouses in Fenwick;</li>
<li>narrow streets of tall buildings, which trap heat at night.</li>
</ul>
<p>The map also shows that several of the hottest neighbourhoods, including parts of Fenwick
and Castlegate, have the highest proportion of older people living alone, who are most at risk
in a heatwave.</p>
<blockquote><p>A mature tree is the best piece of climate infrastructure a street can have. It’s
also the one we cut down most readily.</p><p><cite>Dr Imran Qadir</cite></p></blockquote>
<p>Dr Qadir estimates that planting trees along the 20 hottest streets would lower their peak
summer temperatures by 1.5C to 2C within 15 years. The city council, which has promised to
plant 10,000 street trees over a decade, said it would use the map to decide where they go
first.</p>
<p>The full map is published on the university’s website, where residents can look up their
own street.</p>
""",
    ),
)
