"""Opinion: columns. Their disclaimer comes from the Opinion article type."""

from .spec import Art, ArticleSpec, Quote, ago

ARTICLES = (
    ArticleSpec(
        slug="wend-bridge-bill-for-thirty-years-of-later",
        title="The Wend Bridge is not a one-off. It is the bill for thirty years of ‘later’",
        standfirst="Every council keeps a list of things it will fix when money allows. "
        "Kestrelford has just found out what happens when the list comes due.",
        section="opinion",
        article_type="opinion",
        authors=("simon-achterberg",),
        tags=("Wend Bridge", "Kestrelford City Council", "Roads", "Council budget"),
        age=ago(hours=2),
        art=Art(
            "quote",
            "opinion",
            alt="Illustration of large quotation marks beside a stylised arch bridge with a "
            "broken span",
            caption="The Wend Bridge will close to traffic for 14 months.",
            options={"motif": "arch"},
        ),
        quotes=(Quote("Nobody cuts a ribbon on a repainted bridge.", after=5),),
        body="""
<p>There is a document at the Guildhall that every council leader since the 1990s has read and
then put back in the drawer. It is called the highways asset register, and it lists, with
unsparing honesty, the condition of every bridge, culvert, retaining wall and mile of road the
city is responsible for. For as long as I have been writing about this council, it has said
roughly the same thing: much of it is getting worse, slowly.</p>
<p>“Slowly” is a dangerous word in local government. It means “not this year”. And because
there has always been something more urgent this year, a social care overspend, a school roof,
a cut in government grant, “not this year” has quietly turned into thirty years.</p>
<p>The closure of the Wend Bridge is what “later” looks like when it finally arrives. The
engineers’ report is careful not to blame anyone, and I will try not to either. No councillor
ever decided to let the bridge rust. Hundreds of small decisions did, each of them reasonable
on the day.</p>
<h2>Who pays</h2>
<p>But we should be clear about who pays for those decisions now. Not the councillors who made
them, most of whom have long since retired. The bill goes to the Southbank café owner whose
customers will spend the next 14 months queuing for Chandler’s Bridge instead. To the nurse
from Holloway whose bus to the infirmary has just grown longer by a quarter of an hour. And
to every council taxpayer, because a repair that might once have cost a few hundred thousand
pounds now costs £23.6m.</p>
<p>The council leader, Miriam Okafor, has promised to publish the engineers’ report in full,
and she deserves credit for it. She should go further and publish the whole asset register,
with a plain-English summary of what is in the worst condition and what it would cost to fix.
Voters cannot weigh a leisure centre against a culvert if they never get to see the
culvert.</p>
<p>There is a political lesson here too. Maintenance is the least glamorous thing a council
does. Nobody cuts a ribbon on a repainted bridge. Every incentive in local politics points
towards new things, announced with a photograph, and away from the steady, dull, essential
work of keeping old things standing.</p>
<p>Until that changes, Kestrelford will go on discovering the cost of “later” one closure at a
time. The bridge is simply the first item on the list that nobody could pretend not to
see.</p>
""",
    ),
    ArticleSpec(
        slug="let-the-tannery-quarter-stay-rough-around-the-edges",
        title="Let the Tannery Quarter stay a little rough around the edges",
        standfirst="The council’s regeneration plans promise to make the old industrial streets "
        "by the river ‘vibrant’. They already are, precisely because nobody planned them.",
        section="opinion",
        article_type="opinion",
        authors=("joanna-feld",),
        tags=("Tannery Quarter", "Planning", "Housing", "Small business"),
        age=ago(days=6, hours=8),
        art=Art(
            "quote",
            "harbour",
            alt="Illustration of quotation marks beside a patch of old brickwork",
            caption="The council owns eleven of the railway arches in the Tannery Quarter.",
            options={"motif": "bricks"},
        ),
        body="""
<p>Walk down Tannery Lane on a Saturday morning and you will pass, in roughly this order: a
bakery in a former tyre-fitter’s, a woman rebuilding a narrowboat engine on the pavement, a
climbing wall, a Polish deli, a printmaking studio, two men arguing amiably about football
outside the Wendside taproom, and the arch where a man called Dev has mended bicycles, for cash
and without appointments, for as long as I have lived here.</p>
<p>None of this was planned. It happened because the rents were cheap, the buildings were
sturdy and nobody much minded what went on inside them. That is the recipe for almost every
neighbourhood that people later cross a city to visit.</p>
<p>Now the council has noticed. Its draft local plan names the area the “Tannery and Riverside
Regeneration Zone”, with 1,200 new homes, “a vibrant mix of uses” and “high-quality public
realm”. I have read the document twice, and I am genuinely not against most of it. The city
badly needs homes, and a derelict depot is a better place to build them than a field.</p>
<h2>What regeneration forgets</h2>
<p>But I have also seen what happens next, elsewhere. The new flats come with ground-floor
“commercial units” at rents no bike mechanic could pay. The arches are refurbished and re-let
to whoever can afford the refurbishment. The noise of a working street, the welding, the bands
rehearsing, the brewery lorries at 6am, becomes a matter for environmental health, because the
new neighbours paid a great deal for their balconies.</p>
<p>None of this is inevitable. The council owns more of the Tannery Quarter than most people
realise: eleven of the railway arches, the depot, and the freehold of half the buildings on
Tannery Wharf. It could use that ownership to protect what is already there. Three things
would help:</p>
<ul>
<li>keep a share of the arches, say a third, at affordable rents for workshops and makers,
written into the plan rather than left to goodwill;</li>
<li>hold firmly to the “agent of change” principle, so that a developer building flats next to
a brewery or a music venue pays for the soundproofing, not the other way round;</li>
<li>let the people who already work in the quarter help design the “public realm”, before
the benches and planters are chosen for them.</li>
</ul>
<p>A little roughness is not a problem to be designed away. It is the evidence that real things
are being made and mended here. The council should take care not to regenerate the life out of
the one part of Kestrelford that regenerated itself.</p>
""",
    ),
    ArticleSpec(
        slug="urgent-treatment-centre-treats-a-symptom",
        title="The new urgent treatment centre is welcome. It treats a symptom, not the illness",
        standfirst="A retired Millbrook GP on why the queues at the Royal Infirmary start in "
        "surgeries and care homes across the city, and what would really shorten them.",
        section="opinion",
        article_type="opinion",
        authors=("samuel-idris",),
        tags=("Health", "Royal Infirmary", "Social care", "Public services"),
        age=ago(hours=22),
        art=Art(
            "quote",
            "ink",
            alt="Illustration of quotation marks beside a stethoscope",
            caption="The overnight centre can see up to 60 patients a night.",
            options={"motif": "stethoscope"},
        ),
        body="""
<p class="editors-note">Dr Samuel Idris was a GP in Millbrook for 28 years and chairs the
patient panel at Kestrelford Royal Infirmary. He writes here in a personal capacity.</p>
<p>In my last year as a GP, I kept a tally. Of the patients I saw who later ended up in A&amp;E,
how many could have been kept out of it with something we did not have? A same-day
appointment, a district nurse’s visit, a carer who could come in the evening. I stopped
counting at 40, because the answer was obvious and I found it depressing.</p>
<p>So I welcome the Royal Infirmary’s new overnight urgent treatment centre, without
reservation. If you have cut your hand open at 11pm, you should not have to sit for six hours
behind people having heart attacks. The staff who set it up deserve our thanks.</p>
<p>But let us be honest about what it is. It is a better waiting room. It will move some
patients through the hospital’s front door faster. It will do nothing about why they came to
that door in the first place, or about the 94 people upstairs who are well enough to go home
but cannot leave, because there is no care waiting for them when they get there.</p>
<h2>Where the queue starts</h2>
<p>The queue at A&amp;E starts a long way from the hospital. It starts at 8am, when the phone
lines open at a surgery in Holloway and 200 people call for 30 appointments. It starts in a
care home that cannot get a doctor to visit on a Friday afternoon, and so calls an ambulance
instead. It starts with a care agency that cannot recruit, because it pays less than the
supermarket down the road.</p>
<p>None of these problems photographs well. None of them will be solved by a new unit with a
new sign over the door.</p>
<p>If the city’s health and care leaders want shorter queues at the infirmary, I would ask them
for three things. Publish, every month, how many people the new centre sees and where they
would otherwise have gone. Put the same energy into GP appointments in the city’s poorest
wards as went into this centre. And pay care workers enough that they stay.</p>
<p>The centre is a good thing. I only hope nobody mistakes it for the cure.</p>
""",
    ),
)

ARTICLES += (
    ArticleSpec(
        slug="study-the-tram-then-paint-the-bus-lanes",
        title="Study the tram by all means. Then paint the bus lanes",
        standfirst="The mayor’s £1.5m feasibility study is the fourth of its kind. The cheaper "
        "answer to Northgate Road’s traffic has been sitting in a drawer for five years.",
        section="opinion",
        article_type="opinion",
        authors=("simon-achterberg",),
        tags=("Transport", "Mayor", "Buses"),
        age=ago(days=10, hours=5),
        art=Art(
            "quote",
            "dawn",
            alt="Illustration of quotation marks beside a tram under an overhead wire",
            caption="The tram study will look at a route from Northgate to Fenwick Park.",
            options={"motif": "tram"},
        ),
        quotes=(
            Quote(
                "Study the tram, by all means. But build the bus lanes while the consultants "
                "are writing.",
                after=3,
            ),
        ),
        body="""
<p>I have in front of me three reports, each with a glossy cover, each proposing a tram for
Kestrelford. The first, from the 1990s, has a drawing of a tram crossing the Wend Bridge, which
dates it rather. The second, a decade later, has the same route in a different colour scheme.
The third concluded that a tram was “desirable but not currently affordable”, a phrase that
could serve as the motto of British transport planning.</p>
<p>Now the mayor, Colin Ashby-Reyes, has committed £1.5m to a fourth. I do not think he is
wrong to want a tram. The corridor from Northgate to Fenwick Park is where the city is growing,
and buses crawling along Northgate Road at 9mph at peak times will not carry the people who
will live and work there in twenty years.</p>
<p>But a tram is, at best, a decade away. Even if the study glows and the government writes a
cheque for several hundred million pounds, nobody would lay track until well into the next
decade. The people waiting at the stop outside the university this winter need something
sooner.</p>
<h2>The cheap option</h2>
<p>That something has also been sitting in a drawer. A bus priority scheme for Northgate Road,
drawn up by council engineers five years ago, would add bus lanes on the two narrowest
stretches, give buses a head start at five sets of lights and move two stops. It was costed
at £7m, and shelved after traders objected to losing the parking outside their shops.</p>
<p>Those objections deserve a hearing, and the plan could be changed to meet some of them. But
every month it stays in the drawer, about 4,000 passengers a day go on crawling along Northgate
Road, and some of them give up on the bus for good.</p>
<p>The mayor likes to say that buses will always be the backbone of the network. Then he should
pay for the backbone first. Study the tram, by all means. But build the bus lanes while the
consultants are writing, so that the tram, if it ever comes, inherits a corridor full of
passengers rather than a queue of cars.</p>
""",
    ),
)
