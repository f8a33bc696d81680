"""The related block in a real browser: it is seen, followed and counted."""

import pytest

from articles.models import RelatedClick, RelatedStat
from tests.factories import ArticleFactory, ImageFactory, RelatedPinFactory

pytestmark = pytest.mark.django_db(transaction=True)


def report(kind):
    def matches(response):
        request = response.request
        return request.url.endswith("/api/related/event/") and f"kind={kind}" in (
            request.post_data or ""
        )

    return matches


def test_reader_sees_and_follows_a_related_teaser_and_it_is_counted(page):
    article = ArticleFactory(title="Harbour dredging approved")
    target = ArticleFactory(title="Fishermen fear for the mussel beds", hero_image=ImageFactory())
    RelatedPinFactory(article=article, target=target)

    with page.expect_response(report("impression")) as seen:
        page.goto(article.get_absolute_url())
        page.locator(".related").scroll_into_view_if_needed()
    assert seen.value.status == 204
    # The browser follows the link; answering it with "204 No Content" keeps this
    # page open, so the report's answer is seen whatever the machine's speed.
    target_url = f"**{target.get_absolute_url()}"
    page.route(target_url, lambda route: route.fulfill(status=204))
    with page.expect_request(target_url), page.expect_response(report("click")) as clicked:
        page.get_by_role("link", name="Fishermen fear for the mussel beds").click()
    assert clicked.value.status == 204

    assert RelatedStat.objects.get(article=article).impressions == 1
    assert RelatedClick.objects.get(article=article, target=target).clicks == 1
