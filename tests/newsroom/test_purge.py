import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsroom.purge import purge_now, schedule_purge


class Recorder(BaseHTTPRequestHandler):
    received: list = []

    def do_PURGE(self):
        Recorder.received.append((self.path, self.headers["Host"]))
        self.send_response(404 if self.path.endswith("/missing/") else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cache_server(settings):
    Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NEWSROOM_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}"]
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    yield Recorder.received
    server.shutdown()


@pytest.mark.django_db
def test_purges_are_sent_after_commit_with_the_public_host(
    cache_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule_purge(["/politics/bridge/*", "/", "/politics/bridge/*"])
    assert cache_server == []

    for callback in callbacks:
        callback()

    assert cache_server == [
        ("/politics/bridge/*", "news.example.org"),
        ("/", "news.example.org"),
    ]


def test_unreachable_or_failing_caches_are_reported_not_raised(settings, cache_server):
    settings.NEWSROOM_PURGE_URLS = [*settings.NEWSROOM_PURGE_URLS, "http://127.0.0.1:9"]
    result = purge_now(["/a/", "/missing/"])
    assert result == {"done": 2, "failed": 2}


@pytest.mark.django_db
def test_nothing_is_scheduled_when_no_cache_is_configured(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGE_URLS = []
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_purge(["/"])
    assert callbacks == []


@pytest.mark.django_db
def test_approving_a_comment_purges_the_article_and_its_discussion_pages(
    cache_server, django_capture_on_commit_callbacks
):
    from comments import services
    from comments.models import Comment
    from tests.factories import ArticleFactory, make_comment

    article = ArticleFactory()
    comment = make_comment(article, status=Comment.Status.PENDING)
    cache_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment)

    paths = {path for path, _host in cache_server}
    url = article.get_absolute_url()
    assert paths == {
        url,
        f"{url}?sort=newest",
        f"{url}?sort=oldest",
        f"{url}?sort=votes",
        f"{url}?view=inline",
        f"{url}*",
        f"/comments/article/{article.pk}/*",
        f"/comments/thread/{comment.pk}/",
        f"/comments/thread/{comment.pk}/?fragment=1",
        f"/comments/thread/{comment.pk}/*",
    }


@pytest.mark.django_db
def test_publishing_an_article_purges_every_page_that_lists_it(
    cache_server, django_capture_on_commit_callbacks
):
    from articles import services
    from articles.models import Article
    from tests.factories import ArticleFactory, AuthorFactory

    article = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        tags=["Harbour"],
        authors=[AuthorFactory(slug="ada-quill")],
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article)

    paths = {path for path, _host in cache_server}
    assert {
        f"{article.get_absolute_url()}*",
        "/",
        f"/{article.section.slug}/*",
        "/tag/harbour/*",
        "/author/ada-quill/*",
        "/feeds/*",
    } <= paths
