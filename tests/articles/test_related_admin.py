"""Editors steer related articles in the article's admin page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import recommendations
from articles.models import RelatedExclusion, RelatedPin, RelatedStat
from tests.articles.test_recommendations import story_article
from tests.factories import RelatedPinFactory, editor

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(response) -> dict:
    """What the admin change form would post back unchanged (fields and inlines)."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, datetime):  # the admin's split date and time widget
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = (
                local.date().isoformat(),
                local.strftime("%H:%M:%S"),
            )
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    if "tags" in data and not isinstance(data["tags"], str):
        data["tags"] = ", ".join(str(t.name) for t in form.instance.tags.all())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.initial_forms:
            for name, field in sub.fields.items():
                value = sub.initial.get(name, field.initial)
                if value is None:
                    continue
                key = f"{sub.prefix}-{name}"
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                else:
                    data[key] = getattr(value, "pk", value)
    return data


def add_inline(data: dict, prefix: str, **fields) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = index + 1


@pytest.fixture
def story(settings):
    settings.NEWSROOM_RELATED = {**settings.NEWSROOM_RELATED, "MIN_SCORE": 0.15}
    articles = [story_article("harbour", i) for i in range(3)]
    others = [story_article(s, i) for s in ("orchestra", "floods") for i in range(3)]
    recommendations.recompute_all()
    return articles, others


def test_editor_sees_why_related_with_each_part_of_the_score_and_the_ctr(client, story):
    article = story[0][0]
    RelatedStat.objects.create(article=article, day=timezone.localdate(), impressions=200, clicks=9)
    RelatedStat.objects.create(
        article=article, day=timezone.localdate() - timedelta(days=60), impressions=999, clicks=1
    )
    client.force_login(editor())

    html = client.get(change_url(article)).content.decode()

    assert "Computed related articles (why related)" in html
    assert story[0][1].title in html and story[0][2].title in html
    for heading in ("Score", "Keywords", "Topics", "Tags", "Same section", "Decay"):
        assert f"<th>{heading}</th>" in html
    assert "seen 200 times, its teasers were clicked 9 times: click-through rate 4.5%" in html

    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "4.5% (9/200)" in listing


def test_editor_pins_and_excludes_related_articles_in_the_admin(
    client, story, django_capture_on_commit_callbacks
):
    article = story[0][0]
    pinned, excluded = story[1][0], story[0][1]
    client.force_login(editor())
    data = form_data(client.get(change_url(article)))
    add_inline(data, "related_pins", target=pinned.pk, position=0)
    add_inline(data, "related_exclusions", target=excluded.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(article), data)

    assert response.status_code == 302, response.context["errors"]
    assert RelatedPin.objects.get(article=article).target == pinned
    assert RelatedExclusion.objects.get(article=article).target == excluded
    page = client.get(article.get_absolute_url()).content.decode()
    related = page[page.index('class="related"') :]
    assert related.index(pinned.title) < related.index(story[0][2].title)
    assert excluded.title not in related


def test_an_article_cannot_be_pinned_and_excluded_or_related_to_itself(client, story):
    article = story[0][0]
    other = story[0][1]
    client.force_login(editor())
    data = form_data(client.get(change_url(article)))
    add_inline(data, "related_pins", target=other.pk, position=0)
    add_inline(data, "related_exclusions", target=other.pk)
    add_inline(data, "related_pins", target=article.pk, position=1)

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "This article is also pinned: keep it in one of the two lists." in html
    assert "An article cannot be related to itself." in html
    assert not RelatedPin.objects.exists() and not RelatedExclusion.objects.exists()
    assert 'value="' + article.title in html or article.title in html  # nothing lost


def test_editors_may_pin_but_moderators_may_not(client, story):
    from tests.factories import moderator

    article = story[0][0]
    client.force_login(moderator())
    html = client.get(change_url(article)).content.decode()
    assert "related_pins-TOTAL_FORMS" not in html
    RelatedPinFactory(article=article, target=story[1][0])
    client.force_login(editor())
    assert "related_pins-TOTAL_FORMS" in client.get(change_url(article)).content.decode()
