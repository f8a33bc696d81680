"""The Jinja2 environment, used for the few templates on the hottest path.

The site's templates are Django templates. The comment list is the exception:
an article page shows up to a few hundred comments, and Django's template
engine spends about 90 µs per comment on that markup where Jinja2 spends
about 15 µs (measured with bench/comments_page.py). Jinja2 templates live
beside the others in ``templates/`` with the ``.jinja`` extension and are
always loaded through ``engines["jinja2"]`` (see ``comments/render.py``),
never through Django's loaders.
"""

from jinja2 import Environment


def environment(**options) -> Environment:
    options.setdefault("trim_blocks", False)
    env = Environment(**options)  # noqa: S701 -- autoescape is set by Django's backend
    return env
