"""The demo newspaper's sections, standing disclaimers and staff.

Kestrelford (pop. about 286,000) is an invented city on the invented River
Wend. Its council has 63 seats: the Civic Party (29) runs a minority
administration with the support of the Greens (6); the Kestrelford
Independents (18) and Liberal Reform (10) are in opposition. The Wend Valley
Combined Authority has an elected mayor. Every person named here and in the
articles is fictional.
"""

from .spec import AuthorSpec, DisclaimerSpec, SectionSpec

SECTIONS = (
    SectionSpec(
        "news",
        "News",
        "What is happening in Kestrelford and the Wend Valley, reported by our newsroom.",
        1,
    ),
    SectionSpec(
        "politics",
        "Politics",
        "The Guildhall, the combined authority and the people who run them.",
        2,
    ),
    SectionSpec(
        "business",
        "Business",
        "Jobs, companies, the high street and the valley’s economy.",
        3,
    ),
    SectionSpec(
        "science-environment",
        "Science & Environment",
        "The river, the moors, the weather, and the research done in the valley.",
        4,
    ),
    SectionSpec(
        "culture",
        "Culture",
        "Stages, screens, books, music and the city’s heritage.",
        5,
    ),
    SectionSpec(
        "opinion",
        "Opinion",
        "Columns and comment. Our columnists’ views are their own.",
        6,
        comment_prompt="Do you agree? Make your case, and keep it civil.",
    ),
)

DISCLAIMERS = (
    DisclaimerSpec(
        name="Opinion column",
        text=(
            "This is an opinion column. The views, arguments and judgements in it belong to "
            "the writer alone; they are not the position of this newspaper or its editors, and "
            "publishing them is not an endorsement. Replies are welcome on our letters page."
        ),
        placement="both",
        article_types=("opinion",),
    ),
    DisclaimerSpec(
        name="Analysis",
        text=(
            "Analysis explains and interprets the news. It draws on our reporting and on the "
            "evidence available when it was written, and its conclusions are the writer’s "
            "considered reading of that evidence, not the newspaper’s opinion."
        ),
        placement="above",
        article_types=("analysis",),
    ),
)

AUTHORS = (
    AuthorSpec(
        "tomasz-wrona",
        "Tomasz Wrona",
        "Chief Reporter",
        "Tomasz has reported on Kestrelford for eleven years, covering courts, fires, floods "
        "and the stories in between. Before joining the Courier he worked on a weekly paper "
        "in the Upper Wend. Tips are welcome, and he reads every one.",
        "#1f6f8b",
    ),
    AuthorSpec(
        "ruth-calloway",
        "Ruth Calloway",
        "City Hall Correspondent",
        "Ruth covers the city council, the combined authority and local elections. She has sat "
        "through more budget meetings than she can count, and still reads the appendices.",
        "#a4161a",
    ),
    AuthorSpec(
        "priya-raman",
        "Priya Raman",
        "Business Editor",
        "Priya leads our coverage of the valley’s companies, jobs and high streets. She trained "
        "as an accountant and covered manufacturing for a trade title before joining the "
        "Courier, which she says comes in handy more often than she expected.",
        "#8a5a00",
    ),
    AuthorSpec(
        "daniel-okonjo",
        "Daniel Okonjo",
        "Science and Environment Correspondent",
        "Daniel writes about the River Wend, the moors, water, weather and the research coming "
        "out of the University of Kestrelford. He studied geography and owns too many pairs "
        "of wellies.",
        "#1f6f5c",
    ),
    AuthorSpec(
        "maeve-gallagher",
        "Maeve Gallagher",
        "Arts Editor",
        "Maeve covers theatre, music, film and books across the valley, and by choice sees far "
        "more shows in draughty church halls than in grand theatres.",
        "#6a3d9a",
    ),
    AuthorSpec(
        "leila-haddad",
        "Leila Haddad",
        "Health Reporter",
        "Leila reports on the Royal Infirmary, GP services, social care and public health. She "
        "joined the Courier from a specialist health news service.",
        "#b5577a",
    ),
    AuthorSpec(
        "gareth-pryce",
        "Gareth Pryce",
        "Transport and Cities Reporter",
        "Gareth covers roads, buses, trains, planning and how the city gets built. He cycles to "
        "work across the Wend Bridge, or did until recently.",
        "#2f6690",
    ),
    AuthorSpec(
        "niamh-corrigan",
        "Niamh Corrigan",
        "Data Journalist",
        "Niamh finds the stories in council spreadsheets, freedom-of-information replies and "
        "official statistics, and makes the charts that go with them.",
        "#2a9d8f",
    ),
    AuthorSpec(
        "simon-achterberg",
        "Simon Achterberg",
        "Political Columnist",
        "Simon has written about Wend Valley politics for two decades, first as a reporter and "
        "now as a columnist. His column appears every week.",
        "#4b2a6b",
    ),
    AuthorSpec(
        "joanna-feld",
        "Joanna Feld",
        "Columnist",
        "Joanna writes about city life, neighbourhoods and the small changes that add up. She "
        "lives in the Tannery Quarter, above what used to be a saddler’s.",
        "#d98c3f",
    ),
    AuthorSpec(
        "samuel-idris",
        "Dr Samuel Idris",
        "Guest Columnist",
        "Samuel Idris was a GP in Millbrook for 28 years before he retired. He chairs the "
        "patient panel at Kestrelford Royal Infirmary and writes occasionally for the Courier.",
        "#105e62",
    ),
)
