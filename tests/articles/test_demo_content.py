"""``manage.py load_demo_content``: the demo newspaper, loaded through the real command."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.demo import art
from articles.demo.catalogue import ARTICLES
from articles.demo.loader import load_demo_content
from articles.models import (
    Article,
    ArticleNote,
    Author,
    Byline,
    Disclaimer,
    Image,
    PullQuote,
    RelatedPin,
    Section,
    TranscriptTurn,
)
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

#: Pictures at a twentieth of their size: the same code paths, a fraction of the time.
SCALE = 0.05


def load() -> None:
    call_command("load_demo_content", image_scale=SCALE, verbosity=0)


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_demo_content_fills_sections_types_and_the_editorial_features():
    load()

    articles = Article.objects.all()
    assert articles.count() >= 24
    assert Section.objects.filter(articles__isnull=False).distinct().count() >= 5
    assert set(articles.values_list("article_type__slug", flat=True)) == {
        "news",
        "opinion",
        "analysis",
        "interview",
    }
    assert 8 <= Author.objects.count() <= 12
    assert not Author.objects.filter(photo__isnull=True).exists()
    assert Byline.objects.values("article").distinct().count() == articles.count()
    two_authors = [a for a in articles if a.bylines.count() == 2]
    assert len(two_authors) >= 2
    # Pull quotes, corrections of every kind, transcripts, in-body editor's notes.
    assert PullQuote.objects.values("article").distinct().count() >= 6
    assert ArticleNote.objects.values("article").distinct().count() >= 4
    assert set(ArticleNote.objects.values_list("kind", flat=True)) == {
        "correction",
        "update",
        "editors_note",
    }
    for note in ArticleNote.objects.select_related("article"):
        assert note.noted_at > note.article.published_at
    interviews = articles.filter(article_type__slug="interview")
    assert interviews.count() >= 2
    for interview in interviews:
        assert 8 <= interview.transcript_turns.count() <= 16
        assert interview.transcript_turns.filter(is_question=True).exists()
    assert articles.filter(body__contains='class="editors-note"').count() >= 2
    # Tags are shared, 3 to 6 per article.
    for article in articles:
        assert 3 <= article.tags.count() <= 6, article.slug
    shared = Tag.objects.annotate(uses=Count("taggit_taggeditem_items")).filter(uses__gte=3)
    assert shared.count() >= 10
    # Most articles have a generated, credited illustration with alt text.
    with_pictures = articles.filter(hero_image__isnull=False)
    assert with_pictures.count() >= articles.count() - 2
    assert not with_pictures.filter(hero_image__alt_text="").exists()
    assert set(with_pictures.values_list("hero_image__credit", flat=True)) == {
        "Illustration: Newsroom demo"
    }


def test_demo_content_is_dated_over_three_weeks_with_the_editorial_workflow_on_show():
    load()
    now = timezone.now()

    published = Article.objects.published()
    times = sorted(published.values_list("published_at", flat=True))
    assert now - times[0] > timedelta(days=14)
    assert now - times[0] < timedelta(days=24)
    assert now - times[-1] < timedelta(hours=12)
    assert published.filter(published_at__gte=now - timedelta(days=2)).count() >= 3
    scheduled = Article.objects.filter(status=Article.Status.SCHEDULED)
    assert scheduled.count() == 1
    assert scheduled.get().published_at > now
    assert Article.objects.filter(status=Article.Status.DRAFT, published_at=None).count() == 1
    assert published.filter(is_featured=True).exists()
    updated = published.filter(content_updated_at__isnull=False)
    assert updated.exists()
    for article in updated:
        assert article.content_updated_at > article.published_at


def test_home_page_leads_with_the_featured_story_and_hides_draft_and_scheduled(client):
    load()
    lead = Article.objects.published().filter(is_featured=True).order_by("-published_at").first()
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.count() == 2

    html = client.get("/").content.decode()

    lead_block = html.split('class="lead-story"', 1)[1].split("</article>", 1)[0]
    assert lead.get_absolute_url() in lead_block
    for article in hidden:
        assert article.slug not in html
        assert article.title not in html


def test_opinion_column_shows_the_opinion_disclaimer_above_and_below(client):
    load()
    column = Article.objects.filter(article_type__slug="opinion").first()
    disclaimer = Disclaimer.objects.get(name="Opinion column")
    # Attached by default, through the type, not article by article.
    assert column.disclaimer_mode == Article.DisclaimerMode.DEFAULT
    assert not column.disclaimers.exists()

    html = client.get(column.get_absolute_url()).content.decode()

    above = html.index("disclaimer-above")
    body = html.index('id="article-body"')
    below = html.index("disclaimer-below")
    assert above < body < below
    assert html.count("The views, arguments and judgements in it belong to the writer") == 2
    assert disclaimer.placement == Disclaimer.Placement.BOTH


def test_analysis_shows_its_disclaimer_above_only(client):
    load()
    analysis = Article.objects.filter(article_type__slug="analysis").first()

    html = client.get(analysis.get_absolute_url()).content.decode()

    assert html.count("Analysis explains and interprets the news") == 1
    assert html.index("disclaimer-above") < html.index('id="article-body"')
    assert "disclaimer-below" not in html


def test_interview_page_shows_the_speaker_labelled_transcript_after_the_intro(client):
    load()
    interview = Article.objects.get(slug="interview-miriam-okafor-council-leader")

    html = client.get(interview.get_absolute_url()).content.decode()

    body = html.split('id="article-body">', 1)[1]
    intro, transcript = body.split('<section class="transcript"', 1)
    assert "Guildhall" in intro
    assert transcript.count('class="turn turn-question"') == 8
    assert transcript.count('class="turn turn-answer"') == 8
    assert "<dt>Ruth Calloway</dt><dd><p>You are proposing to close" in transcript
    assert "<dt>Miriam Okafor</dt><dd><p>Terrible, honestly." in transcript


def test_every_public_demo_article_shows_related_teasers_and_one_has_an_editors_pin(client):
    load()
    call_command("recompute_related", no_progress=True, verbosity=0)

    without = []
    for article in Article.objects.published():
        page = client.get(article.get_absolute_url()).content.decode()
        if "data-related-to=" not in page:
            without.append(article.slug)

    assert without == []
    pin = RelatedPin.objects.select_related("article", "target").get()
    page = client.get(pin.article.get_absolute_url()).content.decode()
    block = page[page.index('<section class="related"') :]
    teasers = re.findall(r'data-related-to="(\d+)"', block[: block.index("</section>")])
    assert teasers[0] == str(pin.target.pk)  # the editors' pick comes first


def test_reloading_updates_in_place_without_duplicates_or_redrawing_pictures():
    models = [Article, Author, Section, Disclaimer, Image, PullQuote, TranscriptTurn]
    models += [ArticleNote, Byline, Tag, TaggedItem, RelatedPin]
    first = load_demo_content(image_scale=SCALE)
    counts = {model: model.objects.count() for model in models}
    files = media_files()
    turn_ids = list(TranscriptTurn.objects.order_by("pk").values_list("pk", flat=True))
    bodies = dict(Article.objects.values_list("slug", "body"))

    second = load_demo_content(image_scale=SCALE)

    assert first.articles_created == len(ARTICLES) and second.articles_created == 0
    assert second.articles_updated == len(ARTICLES)
    assert {model: model.objects.count() for model in models} == counts
    assert second.images_drawn == 0
    assert media_files() == files
    # Ids that reader feedback anchors to survive a reload.
    assert list(TranscriptTurn.objects.order_by("pk").values_list("pk", flat=True)) == turn_ids
    assert dict(Article.objects.values_list("slug", "body")) == bodies


def test_reloading_gives_back_the_demo_picture_but_leaves_an_editors_photo_alone():
    spec = next(a for a in ARTICLES if a.slug == "wend-bridge-to-close-for-14-months")
    load_demo_content(image_scale=SCALE, articles=[spec])
    article = Article.objects.get(slug=spec.slug)
    photo = ImageFactory(alt_text="The bridge from the quay")
    original_file = photo.file.name
    article.hero_image = photo
    article.save()

    load_demo_content(image_scale=SCALE, articles=[spec])

    photo.refresh_from_db()
    article.refresh_from_db()
    assert (photo.file.name, photo.alt_text) == (original_file, "The bridge from the quay")
    assert article.hero_image != photo
    assert article.hero_image.file.name.startswith("demo/heroes/")


def test_load_demo_content_refuses_an_impossible_image_scale():
    with pytest.raises(CommandError, match="image-scale"):
        call_command("load_demo_content", image_scale=0, verbosity=0)
    assert not Article.objects.exists()


def test_illustrations_are_drawn_the_same_way_every_time():
    for kind in art.COMPOSITIONS:
        first = art.render(kind, seed="same", palette="dusk", size=(64, 40))
        again = art.render(kind, seed="same", palette="dusk", size=(64, 40))
        assert first.size == (64, 40)
        assert first.tobytes() == again.tobytes(), kind
    one = art.render("skyline", seed="one", palette="dusk", size=(64, 40))
    other = art.render("skyline", seed="other", palette="dusk", size=(64, 40))
    assert one.tobytes() != other.tobytes()
