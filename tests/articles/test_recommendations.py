"""Related articles: the scoring rules, storage, updates and the recompute command."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import recommendations, services
from articles.models import Article, RecommenderRun, RelatedArticle
from articles.views import related_teasers
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    RelatedExclusionFactory,
    RelatedPinFactory,
    SectionFactory,
    article_type,
)

from .test_views import QUERIES

#: The cold article page's exact count, the same as in test_views (the related
#: block, pins included, is one of its queries).
ARTICLE_PAGE_QUERIES = QUERIES["article"]

pytestmark = pytest.mark.django_db

# A small newsroom of our own: four running stories, three articles each, plus
# a lone article on a subject nobody else covers.
STORIES = {
    "harbour": [
        "The harbour authority approved dredging of the eastern shipping channel.",
        "Container ships will reach the deepened berths at the harbour quay next spring.",
        "Fishermen at the harbour fear the dredging will disturb the mussel beds.",
        "The harbour master said tug crews and pilots would work double shifts.",
    ],
    "orchestra": [
        "The city orchestra opens its season with a symphony by a young composer.",
        "Violinists and cellists of the orchestra rehearsed the symphony for weeks.",
        "The conductor told the orchestra the concert hall acoustics were superb.",
        "Tickets for the orchestra's symphony concert sold out within an hour.",
    ],
    "floods": [
        "Flood barriers were raised as the river burst its banks after heavy rainfall.",
        "Residents were evacuated from flooded streets while the river kept rising.",
        "Engineers inspected the flood defences and sandbags along the riverbank.",
        "Insurers expect thousands of flood claims after the rainfall and river surge.",
    ],
    "football": [
        "The football club signed a striker before the transfer window closed.",
        "Supporters filled the stadium as the striker scored twice in the derby.",
        "The football manager praised the goalkeeper after the derby penalty save.",
        "The club's football academy promoted two midfielders to the first team.",
    ],
}
LONE = "Beekeepers counted hives and honeycomb after a mild winter for pollinating bees."
FILLER = "Officials said more details would be published later this week."


def body(story: str, offset: int) -> str:
    sentences = STORIES[story]
    chosen = [sentences[(offset + i) % len(sentences)] for i in range(3)]
    return "".join(f"<p>{s} {FILLER}</p>" for s in chosen)


def story_article(story: str, offset: int, **kwargs) -> Article:
    defaults = {
        "title": f"{story.title()} report {offset}: {STORIES[story][offset % 4].split(' ', 4)[-1]}",
        "body": body(story, offset),
        "published_at": timezone.now() - timedelta(days=offset + 1),
    }
    defaults.update(kwargs)
    return ArticleFactory(**defaults)


@pytest.fixture
def related_settings(settings):
    # The default floor, fixed: tests do not depend on the calibration.
    settings.NEWSROOM_RELATED = {**settings.NEWSROOM_RELATED, "MIN_SCORE": 0.15}
    return settings


@pytest.fixture
def newsroom(related_settings):
    section = SectionFactory(name="News", slug="news")
    articles = {
        story: [story_article(story, i, section=section) for i in range(3)] for story in STORIES
    }
    articles["lone"] = [ArticleFactory(title="Bees", body=f"<p>{LONE}</p>", section=section)]
    return articles


def shown(article: Article) -> list[int]:
    return [a.pk for a in related_teasers(article)]


def test_related_articles_are_the_ones_on_the_same_story(newsroom):
    recommendations.recompute_all()

    for story in STORIES:
        for article in newsroom[story]:
            others = {a.pk for a in newsroom[story] if a.pk != article.pk}
            assert set(shown(article)) == others, story


def test_pinned_articles_come_first_in_the_editors_order_then_computed_ones(newsroom):
    article = newsroom["harbour"][0]
    first, second = newsroom["football"][0], newsroom["floods"][0]
    RelatedPinFactory(article=article, target=second, position=2)
    RelatedPinFactory(article=article, target=first, position=1)
    recommendations.recompute_all()

    teasers = shown(article)

    assert teasers[:2] == [first.pk, second.pk]
    assert set(teasers[2:]) == {a.pk for a in newsroom["harbour"][1:]}


def test_excluded_article_is_never_shown_even_when_most_related(newsroom):
    article, best = newsroom["orchestra"][0], newsroom["orchestra"][1]
    recommendations.recompute_all()
    assert best.pk in shown(article)

    RelatedExclusionFactory(article=article, target=best)

    assert best.pk not in shown(article)  # at once, before any recomputation
    recommendations.recompute_all()
    assert not RelatedArticle.objects.filter(article=article, target=best).exists()


def test_an_article_shows_fewer_teasers_rather_than_weak_ones(newsroom, settings):
    settings.NEWSROOM_RELATED = {**settings.NEWSROOM_RELATED, "MIN_SCORE": 0.3}
    run = recommendations.recompute_all()

    assert run.min_score == 0.3
    assert shown(newsroom["lone"][0]) == []
    assert RelatedArticle.objects.filter(score__lt=0.3).count() == 0
    for story in STORIES:
        assert len(shown(newsroom[story][0])) <= 2


def test_minimum_score_is_calibrated_on_random_pairs_by_default(newsroom, settings):
    settings.NEWSROOM_RELATED = {**settings.NEWSROOM_RELATED, "MIN_SCORE": None}
    run = recommendations.recompute_all()

    scores = list(RelatedArticle.objects.values_list("score", flat=True))
    assert run.min_score > 0
    assert scores and min(scores) >= run.min_score
    assert shown(newsroom["lone"][0]) == []


def test_opinion_is_not_recommended_under_news_unless_configured(newsroom, settings):
    news = newsroom["floods"][0]
    column = story_article("floods", 3, article_type=article_type("opinion"))
    recommendations.recompute_all()

    assert column.pk not in shown(news)
    assert news.pk in shown(column)  # news under opinion is fine

    settings.NEWSROOM_RELATED = {**settings.NEWSROOM_RELATED, "OPINION_UNDER_NEWS": True}
    recommendations.recompute_all()
    assert column.pk in shown(news)

    settings.NEWSROOM_RELATED = {**settings.NEWSROOM_RELATED, "NEWS_UNDER_OPINION": False}
    recommendations.recompute_all()
    assert news.pk not in shown(column)


def test_drafts_unpublished_and_future_articles_are_never_shown(newsroom):
    article = newsroom["football"][0]
    draft = story_article("football", 1, status=Article.Status.DRAFT, published_at=None)
    scheduled = story_article("football", 2, published_at=timezone.now() + timedelta(days=1))
    recommendations.recompute_all()

    teasers = shown(article)
    assert draft.pk not in teasers and scheduled.pk not in teasers
    assert not RelatedArticle.objects.filter(target=draft).exists()
    # The scheduled article is ready: stored for when it goes live, and its own
    # list is computed ahead of time.
    assert RelatedArticle.objects.filter(target=scheduled).exists()
    assert RelatedArticle.objects.filter(article=scheduled).exists()

    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
    assert scheduled.pk in shown(article)  # by the passing of time alone

    gone = newsroom["football"][1]
    assert gone.pk in shown(article)
    services.article_unpublish(article=gone)
    assert gone.pk not in shown(article)  # at render time, before any recomputation


def test_pinned_article_that_is_not_public_is_not_shown(newsroom):
    article = newsroom["harbour"][0]
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    RelatedPinFactory(article=article, target=draft, position=0)

    assert draft.pk not in shown(article)


def test_recency_decay_ranks_the_nearer_in_time_first(related_settings):
    now = timezone.now()
    article = story_article("harbour", 0, published_at=now)
    near = story_article(
        "harbour", 1, title="Harbour dredging", published_at=now - timedelta(days=3)
    )
    far = story_article(
        "harbour", 1, title="Harbour dredging", published_at=now - timedelta(days=200)
    )
    for i in range(4):  # unrelated articles, so that harbour terms are informative
        story_article(["orchestra", "floods", "football"][i % 3], i)
    recommendations.recompute_all()

    rows = {r.target_id: r for r in RelatedArticle.objects.filter(article=article)}
    assert shown(article).index(near.pk) < shown(article).index(far.pk)
    assert rows[near.pk].score > rows[far.pk].score
    assert rows[far.pk].parts["decay"] == pytest.approx(0.5 ** (200 / 180), rel=0.05)
    assert rows[near.pk].parts["keywords"] == pytest.approx(rows[far.pk].parts["keywords"])


def test_max_age_limits_how_old_a_recommendation_may_be(related_settings):
    related_settings.NEWSROOM_RELATED = {**related_settings.NEWSROOM_RELATED, "MAX_AGE_DAYS": 30}
    now = timezone.now()
    article = story_article("floods", 0, published_at=now)
    recent = story_article("floods", 1, published_at=now - timedelta(days=10))
    old = story_article("floods", 2, published_at=now - timedelta(days=60))
    for i in range(4):
        story_article(["orchestra", "harbour", "football"][i % 3], i)
    recommendations.recompute_all()

    assert recent.pk in shown(article) and old.pk not in shown(article)
    assert article.pk in shown(old)  # a later follow-up is not "older"


def test_shared_rare_tags_and_same_section_raise_the_score(related_settings):
    sport, culture = SectionFactory(slug="sport"), SectionFactory(slug="culture")
    article = story_article("football", 0, section=sport, tags=["Derby", "Football"])
    tagged = story_article("football", 1, section=culture, tags=["Derby"])
    plain = story_article("football", 1, section=culture)
    same_section = story_article("football", 1, section=sport)
    for i in range(6):
        story_article(["orchestra", "harbour", "floods"][i % 3], i, tags=["Football"])
    recommendations.recompute_all()

    rows = {r.target_id: r for r in RelatedArticle.objects.filter(article=article)}
    assert rows[tagged.pk].parts["tags"] > 0.5
    assert rows[tagged.pk].score > rows[plain.pk].score
    assert rows[same_section.pk].parts["section"] == 1
    assert rows[same_section.pk].score > rows[plain.pk].score


def test_sharing_a_rare_tag_scores_higher_than_sharing_a_common_one(related_settings):
    section, when = SectionFactory(slug="sport"), timezone.now() - timedelta(days=2)
    article = story_article("football", 0, section=section, tags=["Quayside Derby", "Sport"])
    # The same text, section and date: only which tag they share differs.
    rare = story_article("football", 1, section=section, published_at=when, tags=["Quayside Derby"])
    common = story_article("football", 1, section=section, published_at=when, tags=["Sport"])
    for i in range(6):
        story_article(["orchestra", "harbour", "floods"][i % 3], i, tags=["Sport"])
    recommendations.recompute_all()

    rows = {r.target_id: r for r in RelatedArticle.objects.filter(article=article)}
    assert rows[rare.pk].parts["keywords"] == pytest.approx(rows[common.pk].parts["keywords"])
    assert rows[rare.pk].parts["tags"] > rows[common.pk].parts["tags"] + 0.2 > 0.2
    assert rows[rare.pk].score > rows[common.pk].score
    assert shown(article).index(rare.pk) < shown(article).index(common.pk)


def test_publishing_updates_lists_in_the_background_without_refitting(
    newsroom, django_capture_on_commit_callbacks
):
    recommendations.recompute_all()
    runs = list(RecommenderRun.objects.values_list("pk", flat=True))
    article = newsroom["orchestra"][0]
    fresh = story_article("orchestra", 3, status=Article.Status.DRAFT, published_at=None)
    assert fresh.pk not in shown(article)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=fresh)

    assert fresh.pk in shown(article)  # placed in the others' lists
    assert set(shown(fresh)) >= {a.pk for a in newsroom["orchestra"]}
    assert list(RecommenderRun.objects.values_list("pk", flat=True)) == runs

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=fresh)
    assert not RelatedArticle.objects.filter(target=fresh).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_neither_clash_nor_overfill_the_lists(related_settings, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; this race needs PostgreSQL")
    related_settings.NEWSROOM_RELATED = {**related_settings.NEWSROOM_RELATED, "STORED": 2}
    section = SectionFactory(slug="news")
    # Four articles on one story: each update rewrites its own list and places
    # the article in the three others' lists, which the other updates rewrite.
    harbour = [story_article("harbour", i, section=section) for i in range(4)]
    for i in range(4):
        story_article(["orchestra", "floods"][i % 2], i, section=section)
    recommendations.recompute_all()
    real = recommendations.insert_rows

    def slow(rows, now):
        time.sleep(0.2)  # holds each writer between reading the lists and writing them
        return real(rows, now)

    monkeypatch.setattr(recommendations, "insert_rows", slow)
    barrier = threading.Barrier(len(harbour))
    errors = []

    def update(article):
        try:
            barrier.wait()
            recommendations.update_article(article.pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=update, args=(a,)) for a in harbour]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    sizes = RelatedArticle.objects.values("article").annotate(n=Count("pk"))
    assert max(row["n"] for row in sizes) <= 2
    for article in harbour:
        others = {a.pk for a in harbour} - {article.pk}
        assert len(set(shown(article)) & others) == 2


def test_first_publication_on_a_new_site_computes_everything(
    newsroom, django_capture_on_commit_callbacks
):
    article = newsroom["floods"][0]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article)

    assert RecommenderRun.objects.get().stage == RecommenderRun.Stage.DONE
    assert set(shown(article)) == {a.pk for a in newsroom["floods"][1:]}


def test_recompute_command_resumes_where_it_was_interrupted(newsroom, monkeypatch):
    recommendations.recompute_all()
    expected = set(RelatedArticle.objects.values_list("article_id", "target_id", "score"))
    RelatedArticle.objects.all().delete()
    RecommenderRun.objects.all().delete()

    real = recommendations.insert_rows
    calls = []

    def failing(rows, now):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(rows, now)

    monkeypatch.setattr(recommendations, "BLOCK_CELLS", 13 * 4)  # four articles per block
    monkeypatch.setattr(recommendations, "insert_rows", failing)
    with pytest.raises(KeyboardInterrupt):
        call_command("recompute_related", "--no-progress")
    run = RecommenderRun.objects.get()
    assert run.stage == RecommenderRun.Stage.NEIGHBOURS and run.cursor > 0
    done_before = RelatedArticle.objects.count()
    assert done_before > 0

    monkeypatch.setattr(recommendations, "insert_rows", real)
    call_command("recompute_related", "--no-progress")

    assert RecommenderRun.objects.get().pk == run.pk  # resumed, not restarted
    got = set(RelatedArticle.objects.values_list("article_id", "target_id", "score"))
    assert got == expected


def test_recompute_command_shows_progress_and_updates_one_article(newsroom, capsys):
    call_command("recompute_related")
    err = capsys.readouterr().err
    assert "Computing related articles" in err and "100%" in err

    article = newsroom["harbour"][0]
    RelatedArticle.objects.filter(article=article).delete()
    call_command("recompute_related", "--article", str(article.pk))
    assert RelatedArticle.objects.filter(article=article).exists()


@pytest.mark.parametrize("articles", [0, 1])
def test_recompute_on_a_new_site_with_too_few_articles_does_nothing_and_says_so(articles, capsys):
    for _ in range(articles):
        ArticleFactory()

    call_command("recompute_related", "--no-progress")

    assert "nothing to relate yet" in capsys.readouterr().out
    assert not RecommenderRun.objects.exists()
    assert not RelatedArticle.objects.exists()


def test_article_page_shows_teasers_with_headline_section_label_image_and_date(client, newsroom):
    article = newsroom["harbour"][0]
    column = story_article(
        "harbour",
        3,
        title="Why the harbour needs its mussels",
        article_type=article_type("opinion"),
        hero_image=ImageFactory(alt_text="Mussel beds at low tide"),
    )
    RelatedPinFactory(article=article, target=column)
    recommendations.recompute_all()

    html = client.get(article.get_absolute_url()).content.decode()

    block = html[html.index('<section class="related"') :]
    block = block[: block.index("</section>")]
    assert "Why the harbour needs its mussels" in block
    assert 'class="type-label type-opinion">Opinion</span>' in block
    assert 'alt="Mussel beds at low tide"' in block and "srcset=" in block
    assert '<span class="kicker">News</span>' in block
    assert f'datetime="{column.published_at.isoformat()[:19]}' in block
    assert f'data-related-to="{newsroom["harbour"][1].pk}"' in block


@pytest.mark.parametrize("with_pins", [False, True])
def test_article_page_query_count_does_not_grow_with_related_articles(
    client, related_settings, with_pins
):
    section = SectionFactory(slug="world")

    def page_queries(article):
        cache.clear()  # the comments region is cached: measure cold pages both times
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        return len(queries), response.content.decode().count("data-related-to=")

    article = story_article("floods", 0, section=section, hero_image=ImageFactory())
    story_article("floods", 1, section=section, hero_image=ImageFactory())
    for i in range(4):
        story_article(["orchestra", "harbour"][i % 2], i, section=section)
    recommendations.recompute_all()
    few, few_teasers = page_queries(article)

    for i in range(2, 8):
        story_article("floods", i, section=section, hero_image=ImageFactory())
    if with_pins:
        for i in range(3):
            RelatedPinFactory(article=article, target=story_article("orchestra", i), position=i)
    recommendations.recompute_all()
    many, many_teasers = page_queries(article)

    assert (few_teasers, many_teasers) == (1, 5)  # pins count towards the five
    # One query more than an article without related articles: the candidates'
    # ids, then the public ones among them with what a teaser shows.
    assert (few, many) == (ARTICLE_PAGE_QUERIES + 1, ARTICLE_PAGE_QUERIES + 1)


def test_page_is_renewed_when_its_related_block_changes(
    client, newsroom, django_capture_on_commit_callbacks
):
    article = newsroom["harbour"][0]
    with django_capture_on_commit_callbacks(execute=True):
        recommendations.recompute_all()
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304

    fresh = story_article("harbour", 3, status=Article.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=fresh)
    second = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and fresh.title in second.content.decode()

    shown_one = newsroom["harbour"][1]
    shown_one.title = "Harbour dredging: the authority answers its critics"
    shown_one.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_after_edit(
            article=shown_one, user=None, was_public=True, previous_body=shown_one.body
        )
    third = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert "the authority answers its critics" in third.content.decode()


def test_a_teaser_does_not_repeat_a_type_label_its_section_already_says(client, newsroom):
    article = newsroom["harbour"][0]
    column = story_article(
        "harbour",
        4,
        title="A column on the harbour",
        section=SectionFactory(name="Opinion", slug="opinion"),
        article_type=article_type("opinion"),
    )
    RelatedPinFactory(article=article, target=column)

    html = client.get(article.get_absolute_url()).content.decode()

    block = html[html.index('<section class="related"') :]
    item = next(li for li in block.split("<li ") if "A column on the harbour" in li)
    assert '<span class="kicker">Opinion</span>' in item
    assert "type-label" not in item
