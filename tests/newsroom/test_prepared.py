"""newsroom.prepared: querysets compiled once, run with new arguments, same answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from newsroom.prepared import PreparedQuery, RowLoader
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


class Counting:
    """A queryset builder that counts how often it is called."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, **arguments):
        self.calls += 1
        return self.build(**arguments)


def test_a_query_is_built_once_per_shape_and_answers_like_the_queryset():
    section = SectionFactory()
    now = timezone.now()
    articles = [
        ArticleFactory(section=section, published_at=now - timedelta(days=n)) for n in range(4)
    ]
    ArticleFactory(section=section, published_at=now + timedelta(days=1))  # not yet due
    build = Counting(
        lambda section_id, slug, ids, now, newest_first: (
            Article.objects.published(at=now)
            .filter(section_id=section_id, pk__in=ids)
            .exclude(slug=slug)
            .order_by("-published_at" if newest_first else "published_at")
            .values_list("pk", "slug", "published_at")
        )
    )
    prepared = PreparedQuery(build, shape=("newest_first",))

    for ids, slug, newest_first in [
        ([a.pk for a in articles[:3]], articles[0].slug, True),
        ([a.pk for a in articles[1:4]], articles[2].slug, True),
        ([a.pk for a in articles[1:4]], "no-such-slug", True),
        ([a.pk for a in articles[:3]], articles[1].slug, False),
    ]:
        arguments = {
            "section_id": section.pk,
            "slug": slug,
            "ids": ids,
            "now": now,
            "newest_first": newest_first,
        }
        assert prepared(**arguments) == list(build.build(**arguments))

    # Once per shape: the order (twice) and the three ids; never per call.
    assert build.calls == 2


def test_an_argument_the_orm_transforms_falls_back_to_building_the_query_each_time():
    ArticleFactory(title="Budget vote tonight")
    ArticleFactory(title="Harbour works")
    build = Counting(
        lambda word: Article.objects.filter(title__icontains=word).values_list("title")
    )
    prepared = PreparedQuery(build)

    assert prepared(word="budget") == [("Budget vote tonight",)]
    assert prepared(word="harbour") == [("Harbour works",)]
    assert build.calls == 1 + 2  # one attempt to compile it, then built for each call


def test_a_row_loader_gives_the_object_with_its_related_objects_loaded(
    django_assert_num_queries,
):
    with_picture = ArticleFactory(hero_image=ImageFactory())
    without = ArticleFactory(hero_image=None)
    loader = RowLoader(Article, "section", "hero_image")

    for expected in (with_picture, without):
        row = Article.objects.filter(pk=expected.pk).values_list(*loader.columns).get()
        with django_assert_num_queries(0):
            article = loader.load(row)
            assert (article.pk, article.title, article.body_html) == (
                expected.pk,
                expected.title,
                expected.body_html,
            )
            assert article.section.name == expected.section.name
            assert article.hero_image == expected.hero_image
        assert article._state.adding is False
