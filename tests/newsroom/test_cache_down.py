"""With Redis down the site still serves, reads and writes: slower, never broken."""

import pytest
from django.core.cache import caches

from comments.models import Comment
from tests.factories import ArticleFactory, make_comment

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Nothing listens on port 1: every cache call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}


@pytest.fixture
def redis_down(settings):
    # Changing CACHES makes Django rebuild its cache connections (setting_changed).
    settings.CACHES = DEAD_REDIS
    assert caches["default"].__class__.__name__ == "RedisCache"


def test_pages_render_and_comments_post_while_redis_is_down(redis_down, client, post_data):
    article = ArticleFactory()
    make_comment(article, body="Said while Redis was up")

    assert client.get("/").status_code == 200
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Said while Redis was up" in page.content.decode()
    assert client.get(f"/session.json?article={article.pk}").status_code == 200

    response = client.post("/comments/post/", post_data(article, body="Said while Redis was down"))

    assert response.status_code == 302
    assert Comment.objects.filter(body="Said while Redis was down").exists()
    assert "Said while Redis was down" in client.get(article.get_absolute_url()).content.decode()
