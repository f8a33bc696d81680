"""``{% fragment name version %}…{% endfragment %}``: a fragment cached by version.

Like Django's ``{% cache %}``, but keyed by a version string (see
``newsroom.cache``) instead of a timeout: the fragment is served from the
cache until something it shows changes, which changes the version. With no
version (the cache is unavailable) the fragment is simply rendered.

    {% load fragments %}
    {% fragment "article-main" fragment_version %}…expensive…{% endfragment %}
"""

from __future__ import annotations

import logging

from django import template
from django.core.cache import cache

logger = logging.getLogger(__name__)
register = template.Library()

FRAGMENT_TIMEOUT = 60 * 60


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, version):
        self.nodelist, self.name, self.version = nodelist, name, version

    def render(self, context) -> str:
        version = self.version.resolve(context)
        if not version:
            return self.nodelist.render(context)
        key = f"fragment:{self.name.resolve(context)}:{version}"
        try:
            html = cache.get(key)
        except Exception:
            logger.warning("cache unavailable reading %s", key, exc_info=True)
            return self.nodelist.render(context)
        if html is None:
            html = self.nodelist.render(context)
            try:
                cache.set(key, html, FRAGMENT_TIMEOUT)
            except Exception:
                logger.warning("cache unavailable storing %s", key, exc_info=True)
        return html


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("usage: {% fragment name version %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))
