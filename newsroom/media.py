"""Uploaded images served by Django itself, for a single-box deployment.

A real deployment lets the web server answer ``/media/`` straight from
``MEDIA_ROOT`` (nginx: ``location /media/ { alias /srv/newsroom/media/; }``)
and never reaches this view. On a single box without one, set
``NEWSROOM_SERVE_MEDIA=1`` and gunicorn serves them, with cache headers:

* renditions (``renditions/<id>/<digest>-<width>.webp``) are named after
  their content, so they are cached for a year and marked immutable;
* originals keep their upload name (Django never reuses one while the file
  exists), so a day is enough.

In development (``DEBUG``) media are always served.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

YEAR = 60 * 60 * 24 * 365
DAY = 60 * 60 * 24


@require_safe
def serve_media(request, path: str):
    if not (settings.DEBUG or settings.NEWSROOM_SERVE_MEDIA):
        raise Http404("Media files are served by the web server.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        if path.startswith("renditions/"):
            patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
        else:
            patch_cache_control(response, public=True, max_age=DAY)
    return response
