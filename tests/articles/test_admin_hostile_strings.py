"""Naughty strings typed into the article form: no crash, a clear error or a clean save."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from tests.conftest import form_data, shared_json
from tests.factories import AuthorFactory, SectionFactory, article_type, editor

pytestmark = pytest.mark.django_db

FIELDS = ("title", "slug", "standfirst", "tags")


@pytest.fixture
def naughty() -> list[str]:
    return shared_json("strings", "blns.json")


@pytest.fixture
def base_data():
    section = SectionFactory(slug="local")
    author = AuthorFactory()
    return {
        "title": "A headline",
        "slug": "a-headline",
        "standfirst": "",
        "section": str(section.pk),
        "article_type": str(article_type("news").pk),
        "tags": "",
        "status": "draft",
        "body": "<p>Body.</p>",
        "disclaimer_mode": "default",
        "comments_mode": "open",
        "author": str(author.pk),
    }


def test_every_naughty_string_in_every_field_is_saved_or_refused_with_a_message(naughty, base_data):
    """Through the admin's own form class (validation), fast enough for all 515 strings.

    Each string goes into the headline, standfirst and tags at once (errors are
    reported per field), then into the slug on its own.
    """
    model_admin = admin.site._registry[Article]
    request = RequestFactory().get("/")
    request.user = editor()
    form_class = model_admin.get_form(request)
    outcomes = {"valid": 0, "refused": 0}
    for fields in (("title", "standfirst", "tags"), ("slug",)):
        for index, value in enumerate(naughty):
            data = {**base_data, "slug": f"s-{index}", **dict.fromkeys(fields, value)}
            form = form_class(data=data)
            if form.is_valid():
                # Saving is exercised over HTTP below, for a sample: too slow for all.
                outcomes["valid"] += 1
            else:
                assert set(form.errors) <= set(fields), (fields, value, form.errors)
                for messages in form.errors.values():
                    assert all(str(m).strip() for m in messages), (fields, value)
                outcomes["refused"] += 1
    assert outcomes["valid"] > 300
    assert outcomes["refused"] > 100  # empty headlines, slugs that are not slugs…


def test_a_sample_of_naughty_strings_through_the_admin_over_http(client, naughty):
    client.force_login(editor())
    add_url = reverse("admin:articles_article_add")
    blank = form_data(client.get(add_url), "article_form")
    section = SectionFactory(slug="local")
    author = AuthorFactory()
    sample = [value for value in naughty[::17] if value.strip()] + [
        "مرحبا بالعالم",
        "‮right-to-left override‬",
        "<script>alert(1)</script>",
        "\u03a9\u2248\u00e7\u221a\u222b\u02dc \U0001d57f\U0001d58d\U0001d58a \U0001f40d" * 10,
    ]
    for index, value in enumerate(sample):
        field = FIELDS[index % len(FIELDS)]
        data = dict(blank)
        data.update(
            {
                "title": [f"Headline {index}"],
                "slug": [f"headline-{index}"],
                "section": [str(section.pk)],
                "article_type": [str(article_type("news").pk)],
                "status": ["draft"],
                "body": ["<p>Body.</p>"],
                "bylines-TOTAL_FORMS": ["1"],
                "bylines-0-author": [str(author.pk)],
                "bylines-0-position": ["0"],
                field: [value],
            }
        )
        response = client.post(add_url, data)
        assert response.status_code in (200, 302), (field, value)
        if response.status_code == 200:
            page = response.content.decode()
            assert 'class="errornote"' in page, (field, value)
        else:
            article = Article.objects.get(slug=data["slug"][0])
            assert client.get(reverse("articles:preview", args=[article.pk])).status_code == 200
