"""The editors' workspace, driven through the real admin over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import (
    Article,
    ArticleNote,
    ArticleSlugRedirect,
    Byline,
    PullQuote,
    TranscriptTurn,
)
from comments.models import ModerationAction
from tests.conftest import form_data
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    UserFactory,
    article_type,
    editor,
    moderator,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")
BODY = "<p>Councillors voted late on Tuesday.</p><p>The plan now goes to consultation.</p>"


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def editor_client(client):
    client.force_login(editor(username="eve", first_name="Eve", last_name="Marsh"))
    return client


def add_form(client, **fields) -> dict[str, list[str]]:
    """The add form as an editor would fill it in: a complete, valid news article."""
    data = form_data(client.get(ADD_URL), "article_form")
    section = SectionFactory(name="Local", slug="local")
    author = AuthorFactory(name="Ruth Ames")
    data.update(
        {
            "title": ["Council backs the harbour plan"],
            "slug": ["council-backs-harbour-plan"],
            "standfirst": ["A narrow vote after a long night."],
            "section": [str(section.pk)],
            "article_type": [str(article_type("news").pk)],
            "tags": ["harbour, council"],
            "status": ["draft"],
            "body": [BODY],
            "bylines-TOTAL_FORMS": ["1"],
            "bylines-0-author": [str(author.pk)],
            "bylines-0-position": ["0"],
        }
    )
    data.update(
        {key: [value] if isinstance(value, str) else value for key, value in fields.items()}
    )
    return data


def with_inline_rows(data: dict, **rows: list[dict[str, str]]) -> dict:
    """Add rows to the inline formsets named by their prefix (pull_quotes=[{...}], …)."""
    for prefix, items in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = [str(len(items))]
        for index, item in enumerate(items):
            for key, value in item.items():
                data[f"{prefix}-{index}-{key}"] = [value]
    return data


def full_article_form(client, **fields):
    return with_inline_rows(
        add_form(client, **fields),
        pull_quotes=[{"text": "We could not wait any longer", "after_paragraph": "1"}],
        transcript_turns=[
            {"position": "0", "speaker": "Reporter", "is_question": "on", "text": "Why now?"},
            {"position": "1", "speaker": "Mayor", "text": "Because the tide will not wait."},
        ],
        notes=[
            {
                "kind": "correction",
                "noted_at_0": "24/11/2026",
                "noted_at_1": "10:00:00",
                "text": "We misnamed the committee.",
            }
        ],
    )


def errors_of(response) -> str:
    """The visible error text of an admin form response."""
    from lxml import html as lxml_html

    document = lxml_html.fromstring(response.content.decode())
    return " ".join(
        element.text_content()
        for element in document.xpath(
            "//*[contains(concat(' ', @class, ' '), ' errornote ')"
            " or contains(concat(' ', @class, ' '), ' errorlist ')]"
        )
    )


def nothing_saved():
    assert not Article.objects.exists()
    assert not Byline.objects.exists()
    assert not PullQuote.objects.exists()
    assert not TranscriptTurn.objects.exists()
    assert not ArticleNote.objects.exists()


# --- creating and saving ------------------------------------------------------


def test_editor_creates_an_article_with_byline_pull_quote_transcript_and_notes(editor_client):
    response = editor_client.post(ADD_URL, full_article_form(editor_client, status="published"))

    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="council-backs-harbour-plan")
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert [a.name for a in article.authors.all()] == ["Ruth Ames"]
    assert sorted(t.name for t in article.tags.all()) == ["council", "harbour"]
    assert article.transcript_turns.count() == 2
    assert article.notes.get().text == "<p>We misnamed the committee.</p>"
    assert '<aside class="pull-quote" aria-hidden="true"><p>We could not wait' in article.body_html
    assert "<dt>Mayor</dt><dd><p>Because the tide will not wait.</p></dd>" in article.body_html
    assert Version.objects.get_for_object(article).count() == 1


def test_duplicate_slug_is_refused_with_a_clear_message_and_nothing_is_saved(editor_client):
    ArticleFactory(slug="council-backs-harbour-plan", title="The first one")
    before = Article.objects.count()

    response = editor_client.post(ADD_URL, full_article_form(editor_client))

    assert response.status_code == 200
    assert "Another article already uses this slug. Choose another." in errors_of(response)
    assert Article.objects.count() == before
    assert not PullQuote.objects.exists()
    assert not TranscriptTurn.objects.exists()
    assert not ArticleNote.objects.exists()
    # What the editor typed comes back.
    assert "Council backs the harbour plan" in response.content.decode()
    assert "We could not wait any longer" in response.content.decode()


def test_slug_that_still_redirects_to_another_article_is_refused(editor_client):
    other = ArticleFactory(slug="council-backs-harbour-plan")
    other.slug = "renamed"
    other.save()

    response = editor_client.post(ADD_URL, add_form(editor_client))

    assert response.status_code == 200
    assert "still redirects to it" in errors_of(response)
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "published_at"),
    [("published", None), ("published", timezone.now() + timedelta(days=2))],
    ids=["publish-now", "schedule"],
)
def test_going_live_without_a_body_is_refused_and_nothing_is_saved(
    editor_client, status, published_at
):
    fields = {"status": status, "body": "<p></p>"}
    if published_at:
        local = timezone.localtime(published_at)
        fields |= {"published_at_0": local.strftime("%d/%m/%Y"), "published_at_1": "09:00:00"}

    response = editor_client.post(ADD_URL, full_article_form(editor_client, **fields))

    assert response.status_code == 200
    assert "An article needs a body before it can be published or scheduled." in errors_of(response)
    nothing_saved()


def test_a_draft_may_be_saved_without_a_body(editor_client):
    response = editor_client.post(ADD_URL, add_form(editor_client, body=""))
    assert response.status_code == 302
    assert Article.objects.get().body == ""


def test_an_invalid_inline_row_saves_neither_the_article_nor_other_rows(editor_client):
    data = full_article_form(editor_client)
    data["transcript_turns-1-speaker"] = [""]

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "This field is required." in errors_of(response)
    nothing_saved()


def test_an_article_needs_at_least_one_author(editor_client):
    data = add_form(editor_client)
    data["bylines-0-author"] = [""]
    data["bylines-TOTAL_FORMS"] = ["1"]

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "Please submit at least 1 form." in errors_of(response) or (
        "This field is required." in errors_of(response)
    )
    nothing_saved()


def test_hostile_body_is_sanitised_on_save(editor_client):
    body = '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:x()">x</a></p>'
    editor_client.post(ADD_URL, add_form(editor_client, body=body))

    stored = Article.objects.get().body
    assert "script" not in stored and "onclick" not in stored and "javascript" not in stored


# --- workflow ------------------------------------------------------------------


def test_future_publication_time_schedules_and_goes_live_on_time_without_a_job(
    editor_client, client, time_machine
):
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 3, 2, 8, 0)), tick=False)
    response = editor_client.post(
        ADD_URL,
        add_form(
            editor_client,
            status="published",
            published_at_0="02/03/2026",
            published_at_1="18:30:00",
        ),
    )
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.status == Article.Status.SCHEDULED

    listing = editor_client.get(CHANGELIST_URL).content.decode()
    assert "Scheduled for 02 Mar 2026 18:30" in listing
    editor_client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Council backs the harbour plan" not in client.get("/").content.decode()
    assert "Council backs" not in client.get(reverse("articles:feed_rss")).content.decode()

    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 3, 2, 18, 31)), tick=False)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Council backs the harbour plan" in client.get("/").content.decode()
    assert "Council backs" in client.get(reverse("articles:feed_rss")).content.decode()


def test_bulk_publish_refuses_articles_without_body_and_publishes_the_others(editor_client):
    ready = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Ready")
    empty = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Empty", body="")

    response = editor_client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert "Published 1 article(s)." in messages
    assert any(m.startswith("Not published: “Empty”: An article needs a body") for m in messages), (
        messages
    )
    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.status == Article.Status.PUBLISHED and ready.is_public
    assert empty.status == Article.Status.DRAFT and empty.published_at is None


def test_bulk_unpublish_takes_articles_off_the_site(editor_client, client):
    one, two = ArticleFactory(), ArticleFactory()

    response = editor_client.post(
        CHANGELIST_URL,
        {"action": "unpublish_selected", "_selected_action": [one.pk, two.pk]},
        follow=True,
    )

    assert "Unpublished 2 article(s)." in [str(m) for m in response.context["messages"]]
    for article in (one, two):
        article.refresh_from_db()
        assert article.status == Article.Status.UNPUBLISHED
        assert client.get(article.get_absolute_url()).status_code == 404


def test_changing_the_slug_in_the_admin_keeps_the_old_url_working(editor_client, client):
    editor_client.post(ADD_URL, add_form(editor_client, status="published"))
    article = Article.objects.get()
    old_url = article.get_absolute_url()
    data = form_data(editor_client.get(change_url(article)), "article_form")
    data["slug"] = ["harbour-plan-approved"]

    assert editor_client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url() == "/local/harbour-plan-approved/"
    assert ArticleSlugRedirect.objects.filter(old_slug="council-backs-harbour-plan").exists()
    assert "council-backs-harbour-plan" in editor_client.get(change_url(article)).content.decode()


# --- revisions -----------------------------------------------------------------------


def test_every_save_is_a_revision_and_an_older_one_can_be_restored(editor_client):
    editor_client.post(ADD_URL, full_article_form(editor_client, status="published"))
    article = Article.objects.get()
    data = form_data(editor_client.get(change_url(article)), "article_form")
    data["title"] = ["Harbour plan: a rethink"]
    data["body"] = ["<p>Everything changed overnight.</p>"]
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Harbour plan: a rethink"

    versions = Version.objects.get_for_object(article).order_by("pk")
    assert versions.count() == 2
    first = versions[0]
    history = editor_client.get(
        reverse("admin:articles_article_history", args=[article.pk])
    ).content.decode()
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    assert revision_url in history

    # The revision form shows the old version; saving it restores it.
    response = editor_client.get(revision_url)
    assert response.status_code == 200
    assert "Council backs the harbour plan" in response.content.decode()
    restore = form_data(response, "article_form")
    assert editor_client.post(revision_url, restore).status_code == 302

    article.refresh_from_db()
    assert article.title == "Council backs the harbour plan"
    assert "Councillors voted late on Tuesday." in article.body
    assert "Councillors voted late on Tuesday." in article.body_html
    assert "Everything changed overnight." not in article.body_html
    assert '<aside class="pull-quote"' in article.body_html
    assert Version.objects.get_for_object(article).count() == 3


# --- two editors at once -------------------------------------------------------------------


def test_editor_is_warned_when_a_colleague_has_the_article_open(client, editor_client):
    article = ArticleFactory()
    editor_client.get(change_url(article))

    client.force_login(editor(username="tom", first_name="Tom", last_name="Reed"))
    response = client.get(change_url(article))

    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Eve Marsh also has this article open.") for m in messages)
    presence = client.post(
        reverse("admin:articles_article_presence", args=[article.pk]),
    )
    assert presence.json() == {"others": ["Eve Marsh"]}
    assert (
        client.get(reverse("admin:articles_article_presence", args=[article.pk])).status_code == 405
    )


def test_a_save_over_a_colleagues_newer_save_is_refused_and_keeps_the_editors_input(
    client, editor_client
):
    article = ArticleFactory(title="Original headline")
    mine = form_data(editor_client.get(change_url(article)), "article_form")

    client.force_login(editor(username="tom"))
    theirs = form_data(client.get(change_url(article)), "article_form")
    theirs["title"] = ["Their headline"]
    assert client.post(change_url(article), theirs).status_code == 302

    mine["title"] = ["My headline"]
    mine["body"] = ["<p>My carefully typed paragraph.</p>"]
    response = editor_client.post(change_url(article), mine)

    assert response.status_code == 200
    assert "Someone else saved this article at" in errors_of(response)
    html = response.content.decode()
    assert 'value="My headline"' in html
    assert "My carefully typed paragraph." in html
    article.refresh_from_db()
    assert article.title == "Their headline"


# --- preview --------------------------------------------------------------------------------


def test_preview_shows_a_draft_to_staff_only(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Secret draft")
    url = reverse("articles:preview", args=[draft.pk])

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))

    client.force_login(UserFactory(username="reader"))
    assert client.get(url).status_code == 403

    client.force_login(editor())
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Secret draft</h1>" in html
    assert "Preview." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


# --- the list ----------------------------------------------------------------------------


def test_changelist_filters_search_and_date_hierarchy(editor_client):
    world = SectionFactory(name="World", slug="world")
    ada = AuthorFactory(name="Ada Quill")
    ArticleFactory(
        title="Floods in the valley",
        section=world,
        authors=[ada],
        published_at=timezone.make_aware(timezone.datetime(2025, 6, 1, 12)),
    )
    ArticleFactory(title="Opinion on trams", article_type=article_type("opinion"))
    ArticleFactory(title="A quiet draft", status=Article.Status.DRAFT, published_at=None)

    def titles(query: str) -> set[str]:
        response = editor_client.get(CHANGELIST_URL + query)
        assert response.status_code == 200
        return {article.title for article in response.context["cl"].result_list}

    assert titles("?status__exact=draft") == {"A quiet draft"}
    assert titles(f"?section__id__exact={world.pk}") == {"Floods in the valley"}
    assert titles(f"?article_type__id__exact={article_type('opinion').pk}") == {"Opinion on trams"}
    assert titles(f"?authors__id__exact={ada.pk}") == {"Floods in the valley"}
    assert titles("?q=trams") == {"Opinion on trams"}
    assert titles("?published_at__year=2025") == {"Floods in the valley"}
    listing = editor_client.get(CHANGELIST_URL).content.decode()
    assert "Ada Quill" in listing
    assert '<nav class="toplinks">' in listing  # the date hierarchy
    assert "?published_at__year=2025" in listing


def test_changelist_query_count_does_not_grow_with_articles_or_authors(editor_client):
    def make(n):
        for _ in range(n):
            ArticleFactory(authors=[AuthorFactory(), AuthorFactory()], tags=["a", "b"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(CHANGELIST_URL)
        assert response.status_code == 200
        return len(queries)

    editor_client.get(CHANGELIST_URL)  # the first staff request also stamps the session
    make(2)
    few = count()
    make(10)
    many = count()
    assert few == many == CHANGELIST_QUERIES


# session, user, 2x permissions, savepoint+release, filters (sections, types, authors),
# 2 counts, the page, its bylines, the date hierarchy (range, days).
CHANGELIST_QUERIES = 15


# --- who may do what ------------------------------------------------------------------------


def test_migration_creates_editors_and_moderators_groups():
    editors = Group.objects.get(name="Editors")
    moderators = Group.objects.get(name="Moderators")
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "delete_article", "add_image", "add_tag"} <= (
        editor_perms
    )
    moderator_perms = set(moderators.permissions.values_list("codename", flat=True))
    assert not {p for p in moderator_perms if p.startswith(("add_", "change_", "delete_"))} & {
        f"{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("article", "section", "author", "image", "disclaimer")
    }


def test_moderators_cannot_add_or_change_articles_through_the_admin(client):
    article = ArticleFactory(title="Keep me")
    client.force_login(moderator())

    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, {"title": "Sneaky"}).status_code == 403
    # They may read the article (to judge comments in context) but not change it.
    view = client.get(change_url(article))
    assert view.status_code == 200
    assert 'name="title"' not in view.content.decode()
    assert client.post(change_url(article), {"title": "Changed"}).status_code == 403
    for name in ("section", "image", "author", "disclaimer"):
        assert client.get(reverse(f"admin:articles_{name}_add")).status_code == 403
    response = client.post(
        CHANGELIST_URL, {"action": "unpublish_selected", "_selected_action": [article.pk]}
    )
    assert response.status_code in (200, 302, 403)
    article.refresh_from_db()
    assert article.title == "Keep me"
    assert article.status == Article.Status.PUBLISHED


def test_readers_cannot_reach_the_admin(client):
    client.force_login(UserFactory(username="reader"))
    for url in (reverse("admin:index"), CHANGELIST_URL, ADD_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_editors_can_reach_everything_they_manage(editor_client):
    for name in ("article", "section", "image", "author", "disclaimer", "articletype"):
        assert editor_client.get(reverse(f"admin:articles_{name}_add")).status_code == 200
    assert editor_client.get(reverse("admin:taggit_tag_changelist")).status_code == 200


def test_a_sections_premoderation_is_shown_here_and_set_only_on_the_logged_rules_page(client):
    section = SectionFactory(name="Local", slug="local")
    url = reverse("admin:articles_section_change", args=[section.pk])
    both = editor(username="ed-mod")
    both.groups.add(Group.objects.get(name="Moderators"))

    def save(user, **changes):
        client.force_login(user)
        page = client.get(url)
        data = form_data(page, "section_form")
        data.update({name: [value] for name, value in changes.items()})
        client.post(url, data)
        section.refresh_from_db()
        return page.content.decode()

    for user, name in ((editor(username="eve"), "Local news"), (both, "Local and city")):
        html = save(user, name=name, comment_premoderation="all")
        assert 'name="comment_premoderation"' not in html and "Site default" in html
        assert (section.name, section.comment_premoderation) == (name, "")
    assert not ModerationAction.objects.exists()

    client.force_login(both)
    client.post(reverse("moderation:premoderation", args=[section.pk]), {"mode": "all"})
    section.refresh_from_db()
    assert section.comment_premoderation == "all"
    assert ModerationAction.objects.filter(moderator=both).exists()
