import pytest

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DisclaimerFactory,
    PullQuoteFactory,
    SectionFactory,
    article_type,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_goes_from_home_page_to_opinion_article(page):
    opinion = article_type("opinion")
    opinion.disclaimers.add(DisclaimerFactory(text="These views are the columnist's own."))
    article = ArticleFactory(
        title="The case for slower streets",
        section=SectionFactory(name="Opinion", slug="opinion"),
        article_type=opinion,
        authors=[AuthorFactory(name="Maren Holt")],
    )
    PullQuoteFactory(article=article, text="A street is a room, not a pipe")
    article.save()

    page.goto("/")
    page.get_by_role("link", name="The case for slower streets").first.click()

    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "The case for slower streets"
    assert page.locator(".byline").is_visible()
    assert "By Maren Holt in Opinion" in page.locator(".byline").inner_text()
    assert page.locator(".disclaimer-above").is_visible()
    assert page.locator(".disclaimer-below").is_visible()
    assert page.locator(".pull-quote").is_visible()
    assert "A street is a room" in page.locator(".pull-quote").inner_text()
