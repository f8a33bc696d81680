"""Everything the demo loads, in one place: the masthead and every section's articles."""

from . import business, culture, environment, news, opinion, politics
from .masthead import AUTHORS, DISCLAIMERS, SECTIONS
from .spec import ArticleSpec

ARTICLES: tuple[ArticleSpec, ...] = (
    *news.ARTICLES,
    *politics.ARTICLES,
    *business.ARTICLES,
    *environment.ARTICLES,
    *culture.ARTICLES,
    *opinion.ARTICLES,
)

__all__ = ["ARTICLES", "AUTHORS", "DISCLAIMERS", "SECTIONS"]
