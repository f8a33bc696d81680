"""Culture: music, film, festivals, heritage."""

from .spec import Art, ArticleSpec, Quote, ago

ARTICLES = (
    ArticleSpec(
        slug="corn-exchange-reopens-after-restoration",
        title="The Corn Exchange reopens after a £9.4m restoration, with a new work for its "
        "first night",
        standfirst="Closed for three years, the Victorian trading hall returns as a concert "
        "venue with 900 seats, rebuilt acoustics and an opening commission from the composer "
        "Lydia Marr.",
        section="culture",
        article_type="news",
        authors=("maeve-gallagher",),
        tags=("Music", "Heritage", "Arts", "Castlegate"),
        age=ago(days=2, hours=2),
        art=Art(
            "stage",
            "poster",
            alt="Illustration of a lit stage framed by red curtains, with four performers in "
            "silhouette",
            caption="The restored hall seats 900 for concerts and 1,400 standing.",
            options={"figures": 4},
        ),
        quotes=(
            Quote(
                "My grandmother sold eggs in this hall.",
                "Lydia Marr, composer",
                after=5,
            ),
        ),
        body="""
<p>For more than a century, farmers came to Kestrelford’s Corn Exchange to sell their grain
under its great iron and glass roof. From this week it is a concert hall again, after a
three-year, £9.4m restoration that has rebuilt the roof, uncovered the original tiled floor
and, its managers say, given the city the best acoustic in the Wend Valley.</p>
<p>The opening concert brings together the Wend Valley Sinfonia and the premiere of <em>Grain
Song</em>, a 25-minute piece for orchestra and children’s choir by the Kestrelford-born
composer Lydia Marr, commissioned for the occasion. Tickets for the first night sold out in
under two hours.</p>
<p>“The building was designed for people to shout prices at each other across a crowded floor,
so the bones of a good acoustic were always there,” said Sorcha Bell, the venue’s director.
“What it needed was for us to stop the sound escaping through the roof and bouncing off 40
years of bad partitions.”</p>
<h2>The restoration</h2>
<p>The project was paid for by the city council, a heritage lottery grant and about £1.2m
raised from local businesses and more than 2,000 individual donors, whose names are engraved
on brass plates along the foyer wall.</p>
<p>Builders removed a false ceiling put in during the 1970s, when the hall was a bingo club,
revealing the original cast-iron roof trusses. About 1,400 panes of glass were replaced. A new
timber stage can be lowered into the floor, so the hall can also host markets and dances for
up to 1,400 people standing.</p>
<blockquote><p>We found a bingo card from 1981 under the stage. It’s framed in the bar now.
Somebody was one number away from a full house.</p></blockquote>
<p>So says Ms Bell. The first season includes folk, jazz, a series of Sunday-morning family
concerts and a monthly farmers’ market on the hall floor, which the venue calls “the building
going back to its day job”.</p>
<p>Marr, who grew up two streets away, said writing for the building had been “like writing
for a relative”. “My grandmother sold eggs in this hall,” she said. “I wanted a piece that
sounded like a room full of people talking at once, and somehow agreeing.”</p>
""",
    ),
    ArticleSpec(
        slug="regal-picture-house-70mm-projectionist",
        title="The last projectionist: how a 71-year-old is teaching volunteers to run the "
        "Regal’s 70mm projector",
        standfirst="The Regal Picture House has restored a projector that has not run for 30 "
        "years. Only one man in the valley knew how to thread it. Now six volunteers do.",
        section="culture",
        article_type="news",
        authors=("maeve-gallagher",),
        tags=("Film", "Heritage", "Volunteering", "Arts"),
        age=ago(days=12, hours=7),
        art=Art(
            "stage",
            "night",
            alt="Illustration of a cinema screen glowing in a dark auditorium, with a "
            "projector beam and rows of seats",
            caption="The Regal’s 70mm projector had not been used for three decades.",
            options={"cinema": True},
        ),
        body="""
<p>Len Hathaway threads a film the way other people tie their shoes: quickly, without looking,
talking all the while. “Top sprocket, loop, gate, loop, bottom sprocket. Don’t let the loop go
slack or you’ll chew the print,” he says, feeding a strip of film as wide as his palm into the
machine. “And you only chew one print.”</p>
<p>Mr Hathaway, 71, started at the Regal Picture House on Northgate Road as a 15-year-old
rewind boy, and was its chief projectionist when it switched to digital and let him go. For
the past eight months he has been back every week, teaching six volunteers to run the
cinema’s newly restored 70mm projector, the only working one within 100 miles.</p>
<p>The Regal, a 1931 cinema with a listed Art Deco interior, was saved from closure by a
community trust nine years ago. The trust raised £86,000 to restore the projector, which had
stood in the projection box under a dust sheet since the cinema’s last 70mm screening, three
decades ago.</p>
<h2>Why 70mm</h2>
<p>Seventy-millimetre film has roughly three and a half times the picture area of standard
35mm, giving an image of unusual sharpness and depth on a big screen. Few cinemas still have
the equipment to show it, and fewer still have anyone who knows how.</p>
<p>“Digital is very good now, and I’m not a snob about it,” Mr Hathaway says. “But put a 70mm
print up on that screen and people go quiet in a different way. It’s like opening a
window.”</p>
<p>The Regal’s first 70mm season, five restored epics and musicals from the 1950s and 60s,
begins next month. The prints are borrowed from archives and collectors; each reel weighs
about as much as a car tyre, and a three-and-a-half-hour film arrives in nine of them.</p>
<blockquote><p>I used to think I was the last of something. Now I’ve got a 24-year-old who can
thread faster than me, which is a bit annoying, frankly.</p></blockquote>
<p>The 24-year-old in question, Chloe Amadi, is a film studies graduate who works in the
cinema’s café. She says the training has been “like learning an instrument from the last
person who can play it”.</p>
""",
    ),
    ArticleSpec(
        slug="folk-festival-moves-to-ferrier-park",
        title="Wend Valley Folk Festival moves to Ferrier Park after falling out with its old home",
        standfirst="The three-day festival is leaving Marlow Farm after a dispute over how many "
        "people it could admit. Organisers hope a city site will bring younger audiences; some "
        "neighbours are less keen.",
        section="culture",
        article_type="news",
        authors=("maeve-gallagher",),
        tags=("Music", "Festivals", "Arts", "Parks and trees"),
        age=ago(days=15, hours=4),
        art=Art(
            "poster",
            "poster",
            alt="Abstract illustration of geometric tiles in red, orange, navy and teal",
            caption="The festival drew about 6,500 people a day this year.",
        ),
        body="""
<p>The Wend Valley Folk Festival, held on farmland outside Upper Wend for the past 23 years,
will move to Ferrier Park in Kestrelford next summer after a dispute with its landlord over how
many people it could admit.</p>
<p>The festival drew about 6,500 people a day this year. Its organisers wanted to raise the
limit to 9,000, which the owners of Marlow Farm refused, citing traffic on the single-track
lanes around the site and complaints from neighbours about cars parked across gateways.</p>
<p>“We love Marlow and we’re grateful for every year we’ve had there,” said the festival’s
director, Tess Cardew. “But we were turning people away, and we couldn’t get a bus to the
gate. In Ferrier Park you can walk from the station in 15 minutes.”</p>
<p>The move needs a licence from the city council, which will consider the festival’s
application in the new year. The festival is proposing:</p>
<ul>
<li>a limit of 9,000 people a day, across three stages and a ceilidh tent;</li>
<li>music ending at 10.30pm on Friday and Saturday and at 9pm on Sunday;</li>
<li>no camping in the park, with rooms offered in city hotels and the university’s halls
instead;</li>
<li>a free stage on the Sunday for local schools and community groups.</li>
</ul>
<p>Not all of the park’s neighbours are convinced. The Ferrier Park Residents’ Association
says it will object unless the festival agrees to limit sound levels at the nearest houses and
pays for extra cleaning and for repairs to the grass. “We’re not against the festival. We’re
against three days of bass drums through the bedroom window,” said its chair, Graham
Pettifer.</p>
<p>Ms Cardew said the festival would run sound tests in the park before the licensing hearing
and share the results with residents. “Folk music is not, on the whole, known for its bass
drops,” she said.</p>
""",
    ),
    ArticleSpec(
        slug="library-volunteers-digitise-flood-ledgers",
        title="Library volunteers transcribe 19th-century flood ledgers, and scientists are "
        "paying attention",
        standfirst="Thirty volunteers at Kestrelford Central Library have typed up 4,000 pages "
        "of handwritten river records. They are changing what hydrologists know about the "
        "Wend’s worst floods.",
        section="culture",
        article_type="news",
        authors=("tomasz-wrona",),
        tags=("Heritage", "Libraries", "Flooding", "River Wend", "Volunteering"),
        age=ago(days=19, hours=5),
        art=Art(
            "pages",
            "river",
            alt="Illustration of an open ledger with handwritten lines and a brown tide mark "
            "across its lower pages",
            caption="The ledgers cover almost 70 years of daily river readings.",
        ),
        body="""
<p>For most of the 19th century, a clerk of Kestrelford’s river board walked to the Wend Bridge
every morning, read the water level off a painted gauge and wrote it in a ledger. When the
river rose, the clerks wrote more: which streets were under water, whose cellars had flooded,
how many sheep had been lost at Holloway.</p>
<p>Thirty-one of those ledgers, covering almost 70 years, spent most of the past century in the
basement of Kestrelford Central Library. Now a team of volunteers has transcribed all 4,000
pages, and scientists at the University of Kestrelford are using them to rewrite the history
of the river’s floods.</p>
<p>“The handwriting is the hardest part,” said Margaret Oyelaran, 68, a retired maths teacher
who has transcribed more than 600 pages. “Some of the clerks had beautiful copperplate. One of
them, we think his name was Albert, wrote like a spider that had fallen in the ink. We’ve all
learned to read Albert.”</p>
<h2>A bigger flood than anyone knew</h2>
<p>The ledgers record a flood in the 1850s that appears to have been larger than any since,
including the flood 17 years ago that the city’s defences were designed around. The water at
the bridge gauge was about 40cm higher than in that benchmark flood, the records suggest.</p>
<p>If the finding holds, said Dr Farah Quint, a hydrologist at the university, the largest
floods on the Wend are both bigger and more frequent than official estimates assume. “Our
statistics for extreme floods rest on about 60 years of modern gauge data. These ledgers give
us another 70. That makes a real difference to how we design defences.”</p>
<p>The city council’s flood risk team said it had asked the university for the data and would
take it into account in next year’s review of the city’s flood defences.</p>
<h2>Joining in</h2>
<p>The library has started on its next project: the river board’s minute books, which record
decisions about dredging, weirs and mills. Volunteers need no experience, only patience, said
the library’s heritage officer, Owen Pritchard. Transcription happens at the library on
Wednesday afternoons, or from home through an online platform.</p>
""",
    ),
)
