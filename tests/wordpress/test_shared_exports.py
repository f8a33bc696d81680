"""Every export under ../shared/data/wxr (WordPress importer's own test files).

Skipped, with the reason, where ../shared is not on the machine.
"""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError

from articles.models import Article, Author, Section
from comments.models import Comment
from newsroom.wordpress.models import WordPressComment, WordPressPost
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db

# file: (articles, comments) it must give
IMPORTABLE = {
    "authors-multiline.xml": (1, 0),
    "backslashes.xml": (1, 0),
    "blank-lines.xml": (1, 0),
    "cdata-edge.xml": (1, 0),
    "crazy-cdata-escaped.xml": (1, 0),
    "e2e-wxr-comprehensive.xml": (1, 1),
    "multiple-cdata.xml": (1, 0),
    "namespace-edge-cases.xml": (5, 0),
    "post-content-blank-lines.xml": (1, 0),
    "slashes.xml": (1, 1),
    "small-export.xml": (6, 1),
    "term-formats.xml": (0, 0),
    "test-serialized-comment-meta.xml": (1, 1),
    "valid-wxr-1.0.xml": (3, 1),
    "valid-wxr-1.1.xml": (1, 1),
    "wxr-simple.xml": (1, 0),
    "wxr-utf-8-challenges.xml": (1, 0),
}
# Cut-down files (WordPress's importer tests feed them to one function): their
# posts lack tags WordPress's exporter always writes (the author, the date), so
# they are refused like missing-tags.xml unless the operator says --lenient.
LENIENT = {
    "authors-multiline.xml",
    "backslashes.xml",
    "blank-lines.xml",
    "cdata-edge.xml",
    "multiple-cdata.xml",
    "namespace-edge-cases.xml",
}
# file: (line named in the error, words of the error)
BROKEN = {
    "malformed.xml": (90, "not well-formed"),
    "malformed-simple.xml": (14, "truncated"),
    # Broken on purpose, says the data's README: the post has no author and no date.
    "missing-tags.xml": (9, "post 1 lacks dc:creator, wp:post_date"),
    # Not in the README's list, but not XML either: an unescaped "]]>" inside
    # CDATA. (WordPress's exporter splits it, as in crazy-cdata-escaped.xml.)
    "crazy-cdata.xml": (18, "split across two CDATA sections"),
}


def everything():
    return [
        model.objects.count()
        for model in (Article, Comment, Section, Author, WordPressPost, WordPressComment)
    ]


def test_every_shared_export_is_covered_by_these_tests():
    folder = shared_file("wxr")
    assert {p.name for p in folder.glob("*.xml")} == set(IMPORTABLE) | set(BROKEN)


@pytest.mark.parametrize("name", sorted(IMPORTABLE))
def test_shared_export_imports_with_the_expected_counts_and_again_without_change(name, run_import):
    path = shared_file("wxr", name)
    articles, comments = IMPORTABLE[name]
    flags = ["--lenient"] if name in LENIENT else []

    run_import(path, *flags)
    counts = everything()
    again = run_import(path, *flags)

    assert (Article.objects.count(), Comment.objects.count()) == (articles, comments)
    assert everything() == counts
    assert f"0 imported, 0 updated, {articles} unchanged" in again


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_shared_export_fails_naming_the_line_and_imports_nothing(name, run_import):
    line, words = BROKEN[name]

    with pytest.raises(CommandError) as error:
        run_import(shared_file("wxr", name))

    assert f"{name}, line {line}:" in str(error.value)
    assert words in str(error.value)
    assert set(everything()) == {0}


@pytest.mark.parametrize("name", sorted(LENIENT | {"missing-tags.xml"}))
def test_posts_lacking_tags_wordpress_always_writes_are_refused_unless_lenient(name, run_import):
    path = shared_file("wxr", name)

    with pytest.raises(CommandError) as error:
        run_import(path)
    assert f"{name}, line " in str(error.value)
    assert "which WordPress always exports" in str(error.value)
    assert "--lenient" in str(error.value)
    assert set(everything()) == {0}

    run_import(path, "--lenient")
    assert Article.objects.exists()


def test_missing_tags_export_imports_with_warnings_when_lenient(run_import):
    output = run_import(shared_file("wxr", "missing-tags.xml"), "--lenient")

    article = Article.objects.get()
    assert article.title == "No Author Post" and not article.authors.exists()
    assert "line 9, post 1: no author in the export; no byline" in output
    assert "line 9, post 1: no date in the export; dated at import time" in output


def test_backslashes_and_wordpress_slashes_are_kept_as_written(run_import):
    run_import(shared_file("wxr", "slashes.xml"))

    article = Article.objects.get()
    assert 'Slashes aren\\\'t \\"cool\\"' in article.body
    assert article.section.name == 'a \\"great\\" category'
    assert Comment.objects.get().body == "\\o/ ¯\\_(ツ)_/¯"

    run_import(shared_file("wxr", "backslashes.xml"), "--lenient")
    assert "C:\\xampp\\htdocs\\wp-content" in Article.objects.get(slug="paths").body


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cdata-edge.xml", ">ends with sequence ]] &gt;</p>"),
        ("multiple-cdata.xml", ">line oneline twoline three</p>"),
        # "<![CDATA[ tags ]]>" is a comment to an HTML parser: no browser showed it.
        ("crazy-cdata-escaped.xml", ">Content with nested  :)</p>"),
    ],
)
def test_cdata_edge_cases_give_the_text_wordpress_meant(name, expected, run_import):
    run_import(shared_file("wxr", name), *(["--lenient"] if name in LENIENT else []))

    assert Article.objects.get().body.endswith(expected)


def test_blank_lines_become_paragraphs(run_import):
    run_import(shared_file("wxr", "post-content-blank-lines.xml"))

    body = Article.objects.get().body
    assert body.count("<p ") == 2
    assert "This is an example of a WordPress post.<br>" in body


def test_block_editor_post_keeps_its_paragraphs_terms_excerpt_and_comment(run_import):
    run_import(shared_file("wxr", "e2e-wxr-comprehensive.xml"))

    article = Article.objects.get()
    assert "wp:paragraph" not in article.body and article.body.count("<p ") == 2
    assert article.standfirst == "An excerpt for comprehensive post"
    assert article.section.name == "News"
    assert sorted(article.tags.names()) == ["T1", "T2", "Updates"]
    assert article.authors.get().slug == "alice"
    assert article.published_at == datetime(2024, 6, 5, 16, 4, 48, tzinfo=UTC)
    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email, comment.ip_address) == (
        "Commenter",
        "commenter@example.com",
        "127.0.0.1",
    )
    assert comment.created_at == datetime(2024, 6, 6, 10, 0, tzinfo=UTC)


def test_unicode_challenges_survive_and_slugs_stay_ascii(run_import):
    run_import(shared_file("wxr", "wxr-utf-8-challenges.xml"))

    article = Article.objects.get()
    assert article.title.startswith('"The Road \u202eNot\u202c Taken"')
    assert article.slug == "hello-world-utf8-test"
    multi_byte = "\U0001d4e3\U0001d4ee\U0001d4fc\U0001d4fd"  # bold script "Test"
    assert multi_byte in article.body and "السلام عليكم" in article.body
    assert article.section.name.endswith("🎭")
    assert article.authors.get().slug == "admin"


def test_namespaces_are_recognised_by_uri_not_by_prefix(run_import):
    output = run_import(shared_file("wxr", "namespace-edge-cases.xml"), "--lenient")

    titles = set(Article.objects.values_list("title", flat=True))
    # Post 5 binds wp: to another URI, so it has no WordPress id: skipped.
    assert "Hijacked Namespace" not in titles
    assert {"Mixed Namespaces", "No Prefix", "Empty Namespace", "Unicode Namespace"} <= titles
    assert set(WordPressPost.objects.values_list("wp_id", flat=True)) == {1, 2, 3, 4, 6}
    assert "is not a valid URI" in output  # tolerated, but reported
    bomb = Article.objects.get(title="Namespace Bomb")
    assert "&amp;lol1;" in bomb.body  # text, never expanded


def test_wxr_1_0_terms_dates_and_drafts(run_import):
    run_import(shared_file("wxr", "valid-wxr-1.0.xml"))

    alpha = Article.objects.get(slug="alpha-post")
    assert alpha.section.slug == "alpha"
    assert sorted(alpha.tags.names()) == ["news", "roar"]
    assert Article.objects.get(slug="child-post").section.slug == "child"


def test_small_export_statuses_categories_and_tags(run_import):
    output = run_import(shared_file("wxr", "small-export.xml"))

    private = Article.objects.get(slug="private-post")
    assert private.status == Article.Status.UNPUBLISHED
    assert sorted(private.tags.names()) == ["Tag1", "Tag2", "Tag3"]
    many = Article.objects.get(slug="many-categories")
    assert many.section.slug == "alpha" and len(many.tags.names()) == 26
    assert "page (pages are not articles) ×5" in output
    assert Article.objects.get(slug="foo-child").authors.get().slug == "editor"


def test_serialized_comment_meta_does_not_get_in_the_way(run_import):
    run_import(shared_file("wxr", "test-serialized-comment-meta.xml"))

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.published_at is None
    comment = Comment.objects.get()
    assert comment.author_name == "A WordPress Commenter"
    assert '<a href="https://gravatar.com" rel="nofollow ugc noopener">Gravatar</a>' in (
        comment.body_html
    )
