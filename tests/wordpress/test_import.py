"""``manage.py import_wordpress`` with exports written in code (tests/wordpress/build.py)."""

import re
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError
from django.db import DatabaseError
from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Author, Image, Section
from comments.models import Comment
from comments.services import cache_key_name
from newsroom.wordpress.models import WordPressComment, WordPressPost
from tests.factories import image_bytes

from .build import author, comment, export, post

pytestmark = pytest.mark.django_db


def table_sizes():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Comment, Section, Author, WordPressPost, WordPressComment, Image)
    }


def test_post_becomes_an_article_with_its_metadata(tmp_path, run_import):
    path = export(
        tmp_path / "site.xml",
        [
            post(
                7,
                "Council &amp; harbour: the vote",
                "The council met.\nIt voted.\n\nA second paragraph.",
                slug="council-vote",
                excerpt="<p>What the council <em>decided</em>.</p>",
                categories=[("local-news", "Local News"), ("politics", "Politics")],
                tags=[("harbour", "Harbour"), ("budget", "Budget 2024")],
                creator="ada",
                sticky=True,
                comment_status="closed",
            )
        ],
        authors=[author("ada", display_name="Ada Quill")],
    )

    output = run_import(path)

    article = Article.objects.get()
    assert "Posts: 1 imported, 0 updated, 0 unchanged, 0 skipped" in output
    assert article.title == "Council & harbour: the vote"
    assert article.slug == "council-vote"
    assert article.standfirst == "What the council decided."
    assert "<p id=" in article.body and "The council met.<br>" in article.body
    assert article.body.count("<p ") == 2
    assert article.section.name == "Local News" and article.section.slug == "local-news"
    assert sorted(article.tags.names()) == ["Budget 2024", "Harbour", "Politics"]
    assert [a.name for a in article.authors.all()] == ["Ada Quill"]
    assert Author.objects.get().slug == "ada"
    assert article.article_type.slug == "news"
    assert article.is_featured is True
    assert article.comments_mode == Article.CommentsMode.CLOSED
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wp_status", "password", "expected"),
    [
        ("publish", "", Article.Status.PUBLISHED),
        ("draft", "", Article.Status.DRAFT),
        ("pending", "", Article.Status.DRAFT),
        ("private", "", Article.Status.UNPUBLISHED),
        ("publish", "secret", Article.Status.UNPUBLISHED),
    ],
)
def test_wordpress_statuses_map_to_ours(tmp_path, run_import, wp_status, password, expected):
    run_import(export(tmp_path / "s.xml", [post(1, "A post", status=wp_status, password=password)]))

    article = Article.objects.get()
    assert article.status == expected
    assert article.is_public is (expected == Article.Status.PUBLISHED)
    assert (article.published_at is None) is (expected == Article.Status.DRAFT)


def test_future_posts_are_scheduled_and_trash_is_skipped(tmp_path, run_import):
    output = run_import(
        export(
            tmp_path / "s.xml",
            [
                post(1, "Tomorrow", status="future", date_gmt="2999-01-01 08:00:00"),
                post(2, "Binned", status="trash"),
                post(3, "About us", post_type="page"),
                post(4, "A product", post_type="product"),
            ],
        )
    )

    assert Article.objects.get().status == Article.Status.SCHEDULED
    assert "Posts: 1 imported, 0 updated, 0 unchanged, 3 skipped" in output
    assert "in the trash ×1" in output and "page (pages are not articles) ×1" in output
    assert "product (not an article type) ×1" in output


def test_a_post_trashed_since_the_last_import_is_taken_off_the_site(tmp_path, run_import):
    run_import(export(tmp_path / "a.xml", [post(1, "Regretted")]))

    output = run_import(export(tmp_path / "b.xml", [post(1, "Regretted", status="trash")]))

    assert Article.objects.get().status == Article.Status.UNPUBLISHED
    assert "1 imported before and trashed since: unpublished" in output


def test_local_dates_are_read_in_the_given_time_zone_when_gmt_is_zero(tmp_path, run_import):
    path = export(
        tmp_path / "s.xml",
        [post(1, "Summer", date_gmt="0000-00-00 00:00:00", date="2024-07-01 12:00:00")],
    )

    run_import(path, "--timezone", "America/New_York")

    assert Article.objects.get().published_at == datetime(2024, 7, 1, 16, 0, tzinfo=UTC)


def test_a_modification_after_publication_shows_as_an_update(tmp_path, run_import):
    run_import(
        export(
            tmp_path / "s.xml",
            [
                post(1, "Edited", modified_gmt="2024-03-02 09:00:00"),
                post(2, "Typo fixed", modified_gmt="2024-03-01 09:01:00"),
            ],
        )
    )

    edited, typo = Article.objects.order_by("slug")
    assert edited.content_updated_at == datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    assert typo.content_updated_at is None


def test_a_live_post_without_body_is_imported_as_a_draft_and_reported(tmp_path, run_import):
    output = run_import(export(tmp_path / "s.xml", [post(1, "Empty", "")]))

    assert Article.objects.get().status == Article.Status.DRAFT
    assert "line 9, post 1: no body; draft" in output


def test_a_category_can_give_posts_another_article_type(tmp_path, run_import):
    run_import(
        export(tmp_path / "s.xml", [post(1, "My view", categories=[("columns", "Columns")])]),
        "--category-type",
        "columns=opinion",
    )

    assert Article.objects.get().article_type.slug == "opinion"


def test_an_unknown_article_type_is_refused_before_anything_is_written(tmp_path, run_import):
    with pytest.raises(CommandError, match="no article type editorial"):
        run_import(export(tmp_path / "s.xml", [post(1, "A")]), "--category-type", "x=editorial")
    assert Article.objects.count() == 0


def test_posts_with_the_same_slug_get_distinct_slugs(tmp_path, run_import):
    run_import(
        export(tmp_path / "s.xml", [post(1, "Same", slug="same"), post(2, "Same 2", slug="same")])
    )

    assert sorted(Article.objects.values_list("slug", flat=True)) == ["same", "same-2"]


def test_a_category_named_like_a_site_url_gets_another_section_slug(tmp_path, run_import):
    run_import(export(tmp_path / "s.xml", [post(1, "A", categories=[("search", "Search")])]))

    assert Article.objects.get().section.slug == "search-section"


def test_a_failed_post_leaves_no_section_behind_for_the_next_post_of_its_category(
    tmp_path, run_import
):
    # Only an embed: there is text to see (the fallback inside the iframe), so it
    # is not made a draft, but nothing of it survives sanitising, so saving it
    # live fails, after its new section was created inside its savepoint.
    embed = '<iframe src="https://video.example.org/v/1">Watch the video</iframe>'
    items = [
        post(1, "The launch, on video", embed, categories=[("video", "Video")]),
        post(2, "The launch, in words", categories=[("video", "Video")]),
    ]

    output = run_import(export(tmp_path / "s.xml", items))

    assert "line 9, post 1: " in output and "skipped, could not be saved" in output
    article = Article.objects.get()
    assert article.title == "The launch, in words"
    assert article.section == Section.objects.get(slug="video")
    assert "Posts: 1 imported, 0 updated, 0 unchanged, 1 skipped" in output
    assert "Created: 1 authors, 1 sections" in output


def test_a_post_failing_after_its_author_was_created_is_not_counted_nor_cached(
    tmp_path, run_import
):
    from comments import services as comment_services

    real = comment_services.comments_import

    def failing_once(*, article, comments):
        if article.title == "First":
            raise DatabaseError("the database refused a comment")
        return real(article=article, comments=comments)

    items = [
        post(n, title, creator="newcomer", categories=[("local", "Local")],
             comments=[comment(n, f"On {title}")])
        for n, title in ((1, "First"), (2, "Second"))
    ]  # fmt: skip
    path = export(tmp_path / "s.xml", items, authors=[author("newcomer", display_name="Nia New")])

    with mock.patch("newsroom.wordpress.importer.comments_import", failing_once):
        output = run_import(path)

    second = Article.objects.get()
    assert second.title == "Second"
    assert [a.name for a in second.authors.all()] == ["Nia New"]
    assert Comment.objects.get().body == "On Second"
    assert "Posts: 1 imported, 0 updated, 0 unchanged, 1 skipped" in output
    assert "Comments: 1 imported, 0 updated, 0 unchanged, 1 skipped" in output
    assert "Created: 1 authors, 1 sections" in output
    assert (Author.objects.count(), Section.objects.count()) == (1, 1)


# --- Comments ------------------------------------------------------------------


def threaded_export(tmp_path, *, depth=8):
    chain = [comment(100, "Top of the thread", date_gmt="2024-03-01 10:00:00")]
    for level in range(1, depth):
        chain.append(
            comment(
                100 + level,
                f"Reply at level {level + 1}",
                parent=100 + level - 1,
                date_gmt=f"2024-03-01 11:{level:02d}:00",
                author=f"Replier {level}",
            )
        )
    return export(tmp_path / "thread.xml", [post(1, "Threaded", comments=chain)])


@override_settings(NEWSROOM_COMMENT_MAX_DEPTH=5)
def test_threads_of_any_depth_nest_down_to_the_site_limit(tmp_path, run_import):
    run_import(threaded_export(tmp_path, depth=8))

    comments = {c.body: c for c in Comment.objects.all()}
    top = comments["Top of the thread"]
    assert len(comments) == 8
    assert [comments[f"Reply at level {n}"].depth for n in range(2, 9)] == [1, 2, 3, 4, 4, 4, 4]
    deepest_allowed = comments["Reply at level 4"]
    for n in (6, 7, 8):
        reply = comments[f"Reply at level {n}"]
        assert reply.parent == deepest_allowed
        assert reply.in_reply_to == comments[f"Reply at level {n - 1}"]
        assert reply.thread_id == top.pk
        assert reply.path.startswith(deepest_allowed.path + "/")
    assert comments["Reply at level 5"].in_reply_to is None
    assert top.descendant_count == 7 and deepest_allowed.descendant_count == 4
    # Reading order (by path) is the order the replies were written in.
    assert [c.body for c in Comment.objects.order_by("path")][-3:] == [
        "Reply at level 6",
        "Reply at level 7",
        "Reply at level 8",
    ]


def test_comments_keep_author_address_date_and_status(tmp_path, run_import):
    comments = [
        comment(1, "Approved", author="Ann", email="ann@example.org", url="https://ann.example"),
        comment(2, "Held", approved="0", ip="2001:db8::1", date_gmt="2024-03-02 08:30:00"),
        comment(3, "Buy pills", approved="spam"),
        comment(4, "Binned", approved="trash"),
        comment(5, "Reply to the binned one", parent=4, date_gmt="2024-03-03 10:00:00"),
        comment(6, "Linked from elsewhere", type="pingback"),
        comment(7, "Tracked", type="trackback"),
        comment(8, "Sneaky", url="javascript:alert(1)", email="not an address", ip="999.1.1.1"),
    ]
    output = run_import(export(tmp_path / "c.xml", [post(1, "Discussed", comments=comments)]))

    by_body = {c.body: c for c in Comment.objects.all()}
    assert set(by_body) == {
        "Approved", "Held", "Buy pills", "Binned", "Reply to the binned one", "Sneaky"
    }  # fmt: skip
    ann = by_body["Approved"]
    assert (ann.author_name, ann.author_email, ann.author_url) == (
        "Ann",
        "ann@example.org",
        "https://ann.example",
    )
    assert ann.ip_address == "192.0.2.1" and ann.status == Comment.Status.APPROVED
    held = by_body["Held"]
    assert held.status == Comment.Status.PENDING and held.ip_address == "2001:db8::1"
    assert held.created_at == datetime(2024, 3, 2, 8, 30, tzinfo=UTC)
    assert by_body["Buy pills"].status == Comment.Status.SPAM
    binned = by_body["Binned"]
    assert binned.status == Comment.Status.REMOVED and binned.descendant_count == 1
    assert by_body["Reply to the binned one"].parent == binned
    sneaky = by_body["Sneaky"]
    assert (sneaky.author_url, sneaky.author_email, sneaky.ip_address) == ("", "", None)
    assert "pingback (not a reader comment) ×1" in output
    assert "trackback (not a reader comment) ×1" in output


def test_replies_to_a_skipped_pingback_join_the_pingbacks_parent(tmp_path, run_import):
    comments = [
        comment(1, "Top"),
        comment(2, "Ping", parent=1, type="pingback"),
        comment(3, "Answering the ping", parent=2, date_gmt="2024-03-01 11:00:00"),
    ]
    run_import(export(tmp_path / "c.xml", [post(1, "P", comments=comments)]))

    reply = Comment.objects.get(body="Answering the ping")
    assert reply.parent.body == "Top"


def test_comments_by_the_posts_author_and_by_staff_get_their_badges(tmp_path, run_import):
    comments = [comment(1, "Author here", user_id=1), comment(2, "Editor here", user_id=2)]
    run_import(
        export(
            tmp_path / "c.xml",
            [post(1, "P", creator="ada", comments=comments)],
            authors=[author("ada", id=1), author("bo", id=2)],
        )
    )

    roles = dict(Comment.objects.values_list("body", "author_role"))
    assert roles == {"Author here": Comment.Role.AUTHOR, "Editor here": Comment.Role.STAFF}


def test_imported_comments_notify_nobody_and_bump_the_comment_cache_once_per_article(
    tmp_path, run_import, django_capture_on_commit_callbacks
):
    items = [
        post(n, f"Post {n}", comments=[comment(n * 10 + k, f"Comment {k}") for k in range(3)])
        for n in (1, 2)
    ]
    with (
        mock.patch("comments.services.cache.bump") as bump,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_import(export(tmp_path / "c.xml", items))

    article_ids = list(Article.objects.values_list("pk", flat=True))
    comment_bumps = [c.args for c in bump.call_args_list if c.args[0].startswith("comments:")]
    assert sorted(comment_bumps) == sorted((cache_key_name(pk),) for pk in article_ids)
    assert mail.outbox == []


def test_an_import_queues_one_full_related_computation_not_one_update_per_post(
    tmp_path, run_import, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    items = [post(n, f"Post {n}") for n in range(1, 13)]
    items.append(post(13, "Coming soon", status="future", date_gmt="2099-01-01 09:00:00"))
    path = export(tmp_path / "s.xml", items)

    with django_capture_on_commit_callbacks(execute=True):
        output = run_import(path, "--batch-size", "5")

    queued = DBTaskResult.objects.filter(task_path__contains="related")
    assert sorted(queued.values_list("task_path", flat=True)) == [
        "articles.tasks.recompute_related_articles",
        # Pages showing the scheduled post are still renewed when it goes live.
        "articles.tasks.renew_related_pages",
    ]
    assert "Related articles: one full computation queued" in output

    with django_capture_on_commit_callbacks(execute=True):
        run_import(path)  # nothing changed: nothing to recompute
    assert queued.count() == 2


def test_an_imported_article_shows_its_threaded_comments_to_readers(tmp_path, run_import, client):
    run_import(threaded_export(tmp_path, depth=3))

    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()

    assert page.count('<ol class="replies">') == 2
    assert (
        page.index("Top of the thread")
        < page.index("Reply at level 2")
        < page.index("Reply at level 3")
    )
    assert "Replier 2" in page


# --- Re-running -------------------------------------------------------------------


def test_running_the_same_file_again_changes_nothing_and_duplicates_nothing(tmp_path, run_import):
    path = threaded_export(tmp_path, depth=4)
    run_import(path)
    before = table_sizes()
    paths = dict(Comment.objects.values_list("pk", "path"))

    output = run_import(path)

    assert table_sizes() == before
    assert dict(Comment.objects.values_list("pk", "path")) == paths
    assert "Posts: 0 imported, 0 updated, 1 unchanged" in output
    assert "Comments: 0 imported, 0 updated, 4 unchanged" in output


def test_a_changed_export_updates_the_article_and_adds_new_comments(tmp_path, run_import):
    first = [comment(1, "First"), comment(2, "Second", parent=1)]
    run_import(export(tmp_path / "a.xml", [post(1, "Title", "Old text", comments=first)]))
    article = Article.objects.get()
    block_id = article.body.split('id="')[1][:7]
    moved = [
        comment(1, "First, edited"),
        comment(2, "Second", parent=1),
        comment(3, "Third", parent=2, date_gmt="2024-03-05 10:00:00"),
    ]

    output = run_import(
        export(tmp_path / "b.xml", [post(1, "New title", "Old text!", comments=moved)])
    )

    article.refresh_from_db()
    assert article.title == "New title" and "Old text!" in article.body
    assert f'id="{block_id}"' in article.body  # block ids survive re-imports
    assert Article.objects.count() == 1
    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "First, edited",
        "Second",
        "Third",
    ]
    assert Comment.objects.get(body="Third").parent.body == "Second"
    assert Comment.objects.get(body="First, edited").descendant_count == 2
    assert "Posts: 0 imported, 1 updated" in output
    assert "Comments: 1 imported, 2 updated" in output


def test_an_interrupted_import_is_completed_by_running_it_again(tmp_path, run_import):
    path = export(
        tmp_path / "s.xml",
        [post(n, f"Post {n}", comments=[comment(n, f"On {n}")]) for n in range(1, 6)],
    )
    from newsroom.wordpress.importer import _Importer

    real_item = _Importer.item
    calls = {"n": 0}

    def dying(self, item):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real_item(self, item)

    with mock.patch.object(_Importer, "item", dying), pytest.raises(KeyboardInterrupt):
        run_import(path, "--batch-size", "2")
    assert Article.objects.count() == 2  # the first batch was committed, the second was not

    output = run_import(path)

    assert Article.objects.count() == 5 and Comment.objects.count() == 5
    assert "Posts: 3 imported, 0 updated, 2 unchanged" in output


# --- Broken files -----------------------------------------------------------------


def test_a_truncated_file_is_refused_with_its_line_and_nothing_is_imported(tmp_path, run_import):
    path = export(tmp_path / "ok.xml", [post(n, f"Post {n}") for n in range(1, 30)])
    truncated = tmp_path / "truncated.xml"
    data = path.read_bytes()
    truncated.write_bytes(data[: len(data) - 300])

    with pytest.raises(CommandError) as error:
        run_import(truncated, "--batch-size", "1")

    assert "line " in str(error.value) and "truncated" in str(error.value)
    assert set(table_sizes().values()) == {0}


def test_a_post_without_author_or_date_is_refused_unless_lenient(tmp_path, run_import):
    cut = post(2, "Cut by hand").replace("<dc:creator><![CDATA[editor]]></dc:creator>\n", "")
    cut = re.sub(r"<wp:post_date(_gmt)?>.*</wp:post_date(_gmt)?>\n", "", cut)
    path = export(tmp_path / "cut.xml", [post(1, "Whole"), cut])

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "cut.xml, line 29: post 2 lacks dc:creator, wp:post_date" in str(error.value)
    assert "--lenient" in str(error.value)
    assert set(table_sizes().values()) == {0}
    output = run_import(path, "--lenient")
    assert Article.objects.count() == 2
    assert "line 29, post 2: no author in the export; no byline" in output


def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path, run_import):
    other = tmp_path / "feed.xml"
    other.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
                     "<item><title>y</title></item></channel></rss>")  # fmt: skip

    with pytest.raises(CommandError, match="wp:wxr_version> is missing"):
        run_import(other)
    assert Article.objects.count() == 0


# --- Media ----------------------------------------------------------------------


def test_a_featured_image_found_under_the_media_root_becomes_the_hero(tmp_path, run_import):
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    (uploads / "2024" / "03" / "harbour.jpg").write_bytes(image_bytes(400, 300))
    attachment = post(
        50,
        "harbour",
        "",
        post_type="attachment",
        status="inherit",
        excerpt="The harbour at dawn",
        attachment_url="https://old.example.org/wp-content/uploads/2024/03/harbour.jpg",
        meta={"_wp_attached_file": "2024/03/harbour.jpg", "_wp_attachment_image_alt": "Boats"},
    )
    items = [
        post(1, "With picture", meta={"_thumbnail_id": "50"}),
        post(2, "Missing picture", meta={"_thumbnail_id": "51"}),
        attachment,
    ]
    path = export(tmp_path / "m.xml", items)

    output = run_import(path, "--media-root", str(uploads))
    run_import(path, "--media-root", str(uploads), "--force")

    article = Article.objects.get(slug="with-picture")
    assert article.hero_image.alt_text == "Boats"
    assert article.hero_image.caption == "The harbour at dawn"
    assert article.hero_image.width == 400
    assert Image.objects.count() == 1
    assert "featured image 51 is not in the export" in output
    assert "Images: 1 imported, 1 not in the export" in output


def test_without_a_media_root_featured_images_are_reported(tmp_path, run_import):
    items = [
        post(1, "With picture", meta={"_thumbnail_id": "50"}),
        post(50, "pic", post_type="attachment", status="inherit",
             attachment_url="https://old.example.org/wp-content/uploads/p.jpg"),
    ]  # fmt: skip

    output = run_import(export(tmp_path / "m.xml", items))

    assert Article.objects.get().hero_image is None
    assert "uploads/p.jpg not found (give --media-root)" in output


def test_images_in_the_text_keep_their_addresses_and_are_counted(tmp_path, run_import):
    content = 'Look:\n\n<img src="/wp-content/uploads/2024/03/a.jpg" alt="A harbour">'

    output = run_import(export(tmp_path / "i.xml", [post(1, "Pictures", content)]))

    assert '<img src="/wp-content/uploads/2024/03/a.jpg" alt="A harbour">' in (
        Article.objects.get().body
    )
    assert "Images: 1 in post text, left at their addresses" in output


def test_progress_bars_count_items_and_comments(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = export(tmp_path / "p.xml", [post(1, "A", comments=[comment(1, "Hi"), comment(2, "Yo")])])
    out, err = StringIO(), StringIO()

    call_command("import_wordpress", str(path), stdout=out, stderr=err)

    progress = err.getvalue()
    assert "Items: 100%" in progress and "1/1" in progress
    assert "Comments: 100%" in progress and "2/2" in progress
    assert "Posts: 1 imported" in out.getvalue()


def test_imported_comments_never_notify_followers_later_when_restored_or_approved(
    tmp_path, run_import, django_capture_on_commit_callbacks
):
    from comments import services
    from comments.models import NotificationEvent
    from tests.factories import make_report, moderator, subscription

    comments = [comment(1, "Old and approved"), comment(2, "Old and held", approved="0")]
    run_import(export(tmp_path / "c.xml", [post(1, "Discussed", comments=comments)]))
    article = Article.objects.get()
    subscription(article, "follower@example.com")
    approved = Comment.objects.get(body="Old and approved")
    held = Comment.objects.get(body="Old and held")
    assert approved.notified_at is not None and held.notified_at is not None
    maria = moderator()

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_remove(comment=approved, moderator=maria)
        services.comment_set_status(comment=approved, status="approved", moderator=maria)
        services.comment_approve(comment=held, moderator=maria)
        make_report(held, reason="abuse")
        services.comment_set_status(comment=held, status="pending")
        services.comments_moderate(comment_ids=[held.pk], action="dismiss", moderator=maria)

    assert Comment.objects.filter(status="approved").count() == 2
    assert not NotificationEvent.objects.exists()
    assert mail.outbox == []
