import json
from datetime import timedelta
from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article, PassageQuestion
from comments.demo import DISCUSSIONS, FEEDBACK, MODERATION
from comments.models import Anchor, Ban, Comment, ModerationAction, Report, WordRule
from tests.factories import ArticleFactory, AuthorFactory, moderator

pytestmark = pytest.mark.django_db


def count(discussion):
    return sum(1 + count(say.replies) for say in discussion)


def test_demo_discussions_load_threaded_once_and_show_on_the_article(client):
    slug = "wend-bridge-bill-for-thirty-years-of-later"
    article = ArticleFactory(slug=slug, authors=[AuthorFactory(name="Simon Achterberg")])
    expected = count(DISCUSSIONS[slug])

    call_command("load_demo_comments", stdout=StringIO())
    call_command("load_demo_comments", stdout=StringIO())

    comments = Comment.objects.filter(article=article)
    assert comments.count() == expected
    assert comments.filter(depth__gte=2).exists()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="badge badge-author">Author</span>' in html
    assert "most accurate thing I have read" in html


def test_demo_discussions_include_held_and_removed_comments():
    slug = "wend-bridge-to-close-for-14-months"
    article = ArticleFactory(slug=slug)

    call_command("load_demo_comments", stdout=StringIO())

    statuses = set(Comment.objects.filter(article=article).values_list("status", flat=True))
    assert {"approved", "pending", "removed"} <= statuses
    removed = Comment.objects.get(article=article, status="removed")
    assert removed.descendant_count == 1


def test_the_demos_held_advert_shows_in_the_queue_why_it_was_held(client):
    article = ArticleFactory(slug="wend-bridge-to-close-for-14-months")

    call_command("load_demo_comments", stdout=StringIO())

    advert = Comment.objects.get(article=article, author_name="Cheap Parking Deals")
    assert advert.status == Comment.Status.PENDING
    assert advert.moderation_reason == "3 links (more than 2)"
    client.force_login(moderator())
    html = client.get("/moderation/pending/").content.decode()
    row = html[html.index(f'id="mod-{advert.pk}"') :]
    row = row[: row.index("</li>")]
    assert '<span class="mod-reason">3 links (more than 2)</span>' in row


@pytest.mark.django_db(transaction=True)  # real commits: rules and bans reload after them
def test_demo_leaves_a_moderation_scenario_for_the_demo_moderator_once(client):
    for slug in {incoming.article for incoming in MODERATION.comments}:
        ArticleFactory(slug=slug, published_at=timezone.now() - timedelta(hours=6))

    call_command("load_demo_comments", stdout=StringIO())
    counts = [model.objects.count() for model in (Comment, Report, Ban, WordRule, ModerationAction)]
    call_command("load_demo_comments", stdout=StringIO())

    assert [
        model.objects.count() for model in (Comment, Report, Ban, WordRule, ModerationAction)
    ] == counts
    rules = dict(WordRule.objects.values_list("phrase", "kind"))
    assert "banned" in rules.values() and "suspect" in rules.values()
    held = Comment.objects.filter(status="pending")
    # Held by the spam score (with the signals that made it up) and by a suspect word.
    scored = held.filter(moderation_reason__startswith="spam score")
    assert scored.count() >= 2
    assert all(c.spam_score >= 30 and c.spam_signals for c in scored)
    suspect = held.get(moderation_reason__contains="suspect word")
    # The log says when the rules held it: when it was posted, not when the demo ran.
    logged = ModerationAction.objects.get(comment_id=suspect.pk, action="auto")
    assert logged.created_at == suspect.created_at < timezone.now() - timedelta(minutes=5)
    spam = Comment.objects.filter(status="spam")
    assert spam.exists() and all(c.spam_score >= 60 for c in spam)
    assert {s["name"] for c in spam for s in c.spam_signals} >= {"money claims", "repeated text"}
    assert Comment.objects.filter(status="rejected", moderation_reason__contains="not allowed")
    reported = Comment.objects.get(report_count__gt=0)
    assert reported.report_count == 2 and reported.status == "approved"
    assert set(reported.reports.values_list("reason", flat=True)) == {"abuse", "other"}

    moderators_view = Client()
    moderators_view.force_login(moderator())
    bans = moderators_view.get("/moderation/bans/?all=1").content.decode()
    assert "(over)" in bans and "seven days to cool off" in bans
    queue = moderators_view.get("/moderation/pending/").content.decode()
    assert "check out my channel" in queue and "first link" in queue
    assert "2 reports" in moderators_view.get("/moderation/reported/").content.decode()


def test_demo_inline_feedback_is_anchored_to_the_real_articles_once_and_highlighted(client):
    call_command("load_demo_content", image_scale=0.05, verbosity=0)
    call_command("load_demo_comments", stdout=StringIO())
    anchors = list(Anchor.objects.select_related("comment", "article"))
    call_command("load_demo_comments", stdout=StringIO())

    assert Anchor.objects.count() == len(anchors) == sum(len(p) for p in FEEDBACK.values()) + 1
    expected = {
        (slug, passage.quote)
        for slug, passages in FEEDBACK.items()
        for passage in passages
        if not passage.question
    }
    readers = {(a.article.slug, a.exact) for a in anchors if a.question_id is None}
    assert readers == expected
    assert all(a.comment.depth == 0 and a.comment.status == "approved" for a in anchors)
    question = PassageQuestion.objects.get()
    assert question.exact.startswith("a free shuttle bus") and not question.is_orphaned
    assert {a.comment.author_name for a in anchors if a.question_id == question.pk} == {
        "Ward Sister, RKI",
        "Priya Natarajan",
    }

    # On the page: the highlights' data block, and both views' counts.
    article = Article.objects.get(slug="wend-bridge-to-close-for-14-months")
    response = client.get(article.get_absolute_url() + "?view=inline")
    document = lxml.html.fromstring(response.content)
    data = json.loads(document.get_element_by_id("inline-feedback-data").text)
    assert {p["quote"] for p in data["passages"]} == {
        quote for slug, quote in expected if slug == article.slug
    }
    assert [q["count"] for q in data["questions"]] == [2]
    replies = {p["quote"][:20]: p["count"] for p in data["passages"]}
    assert replies["some of the bridge’s"] == 2  # the feedback and its reply
    listed = document.xpath("//*[@data-comment-list][1]/li")
    assert len(listed) == 5  # inline feedback only: three passages, two answers
