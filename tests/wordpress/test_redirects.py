"""Old WordPress addresses of imported posts answer with permanent redirects."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import SectionFactory

from .build import export, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path, run_import):
    run_import(
        export(
            tmp_path / "r.xml",
            [
                post(42, "Harbour vote", slug="harbour-vote", date="2023-05-03 23:30:00",
                     date_gmt="2023-05-03 22:30:00"),
                post(43, "Still a draft", slug="still-a-draft", status="draft"),
                post(44, "Politics", slug="politics"),
            ],
        )
    )  # fmt: skip
    return Article.objects.get(slug="harbour-vote")


@pytest.mark.parametrize(
    "old_url",
    [
        "/?p=42",
        "/2023/05/03/harbour-vote/",
        "/2023/05/03/harbour-vote",
        "/2023/05/harbour-vote/",
        "/harbour-vote/",
    ],
)
def test_each_old_wordpress_url_form_redirects_permanently(client, imported, old_url):
    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == imported.get_absolute_url()
    assert "public" in response["Cache-Control"]


def test_the_date_in_an_old_url_must_be_the_posts_local_date(client, imported):
    assert client.get("/2023/05/04/harbour-vote/").status_code == 404


def test_unknown_ids_and_unpublished_posts_are_not_redirected(client, imported):
    assert client.get("/?p=43").status_code == 200  # the home page, as before
    assert client.get("/still-a-draft/").status_code == 404
    assert client.get("/?p=999").status_code == 200


def test_the_sites_own_urls_win_over_old_wordpress_slugs(client, imported):
    section = SectionFactory(slug="politics", name="Politics desk")

    response = client.get("/politics/")

    assert response.status_code == 200
    assert section.name in response.content.decode()


def test_old_urls_cost_one_indexed_lookup_and_a_redirect_no_more_than_a_404(
    client, imported, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert client.get("/?p=42").status_code == 301
    cache.clear()  # both counted with the navigation's cache empty
    with CaptureQueriesContext(connection) as not_found:
        assert client.get("/no-such-page/").status_code == 404
    cache.clear()
    with django_assert_num_queries(len(not_found)):
        assert client.get("/harbour-vote/").status_code == 301
    lookups = [q for q in not_found.captured_queries if "newsroom_wordpresspost" in q["sql"]]
    assert len(lookups) == 1
