import logging

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from newsroom.cache import EDITORIAL, get_version

from .models import Section

logger = logging.getLogger(__name__)


def _sections() -> list[Section]:
    version = get_version(EDITORIAL)
    if version is None:
        return list(Section.objects.all())
    key = f"nav-sections:{version}"
    try:
        sections = cache.get(key)
    except Exception:
        logger.warning("cache unavailable for the navigation", exc_info=True)
        return list(Section.objects.all())
    if sections is None:
        sections = list(Section.objects.all())
        try:
            cache.set(key, sections, 60 * 60)
        except Exception:
            logger.warning("cache unavailable storing the navigation", exc_info=True)
    return sections


def navigation(request):
    """Sections for the site navigation: cached until sections change, and only
    read if a template shows them."""
    return {"nav_sections": SimpleLazyObject(_sections)}
