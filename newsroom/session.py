"""The per-reader state of a page, served apart from the page itself.

Reader pages are identical for everyone so that a shared cache can serve them.
Whatever differs per reader (the CSRF token for forms, who is signed in, the
reader's own pending comments, their votes…) comes from one small, uncached
JSON request that ``static/js/site.js`` makes once per page view:

    GET /session.json?article=42   →  {"csrf": "…", "user": {...} | null, ...}

Apps add their part by registering a provider:

>>> from newsroom.session import register
>>> @register("comments")
... def comments_state(request):          # reads request.GET["article"] itself
...     return {"pending": [...], "votes": {...}}

Each provider's result appears under its name. A provider must be cheap (a
couple of queries) and must only ever describe the requesting reader.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.http import require_GET

from .http import mark_private

logger = logging.getLogger(__name__)

Provider = Callable[[HttpRequest], Any]
_providers: dict[str, Provider] = {}


def register(name: str) -> Callable[[Provider], Provider]:
    def decorator(provider: Provider) -> Provider:
        _providers[name] = provider
        return provider

    return decorator


def user_state(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    from allauth.account.utils import user_display

    return {
        # The name the reader chose to be shown under, never their login.
        "name": user_display(user),
        "is_staff": user.is_staff,
    }


@require_GET
def session_state(request: HttpRequest) -> JsonResponse:
    data: dict[str, Any] = {"csrf": get_token(request), "user": user_state(request)}
    for name, provider in _providers.items():
        data[name] = provider(request)
    return mark_private(JsonResponse(data))
