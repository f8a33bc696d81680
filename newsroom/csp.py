"""The admin's one exception to the strict Content-Security-Policy.

The reader site allows no inline script at all (``script-src 'self'``). The
admin's rich-text editor (django-prose-editor) is made of JavaScript modules
that find each other through an *import map*, which can only be an inline
``<script type="importmap">``. Rather than loosening the policy, the admin
pages that render an editor get a fresh nonce per response: the form's media
(import map included) are rendered with ``nonce="…"`` and only that response's
``script-src`` names it. The editor (Tiptap) also injects its small base
stylesheet as a ``<style>`` element; that one fixed stylesheet is allowed by
its hash. Every other page, and every other admin page, keeps the site-wide
policy unchanged.

>>> @admin.register(Article)
... class ArticleAdmin(EditorMediaNonceMixin, admin.ModelAdmin): ...
"""

from __future__ import annotations

from csp.constants import NONCE
from js_asset import Media

#: sha256 of the base stylesheet Tiptap injects (``<style data-tiptap-style>``)
#: in the django-prose-editor 0.28 bundle. If an upgrade changes it, the
#: browser test of the editor fails on the CSP violation and names the new hash.
TIPTAP_BASE_CSS_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class EditorMediaNonceMixin:
    """ModelAdmin mixin: render the change form's media with this response's CSP nonce."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        response = super().render_change_form(request, context, *args, **kwargs)
        # django-csp replaces NONCE with the nonce generated while rendering;
        # if nothing asked for one, the sentinel is simply dropped.
        response._csp_update = {"script-src": [NONCE], "style-src": [TIPTAP_BASE_CSS_HASH]}
        return response
