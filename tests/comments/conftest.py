import pytest
from django.core import signing

from comments.forms import TIMESTAMP_SALT


@pytest.fixture
def form_ts():
    """A form timestamp issued a minute ago (as the session endpoint would have)."""
    import time

    return signing.dumps(int(time.time()) - 60, salt=TIMESTAMP_SALT)


@pytest.fixture
def post_data(form_ts):
    def build(article, **overrides):
        data = {
            "article": article.pk,
            "body": "I was at the meeting and the numbers quoted are right.",
            "name": "Ines Park",
            "email": "ines@example.com",
            "ts": form_ts,
            "website": "",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build
