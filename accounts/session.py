"""The accounts part of ``/session.json``: who is signed in, for the masthead.

>>> {"account": {"name": "Rosa V.", "avatar_url": "/avatars/….svg",
...              "public_url": "/readers/k3m9…/", "account_url": "/accounts/",
...              "logout_url": "/accounts/logout/", "links": [...]}}

``null`` for visitors who are not signed in. One query (the profile).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from newsroom.session import register

from . import avatars, pages
from .models import display_name_for


@register("account")
def account_state(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    profile = getattr(user, "reader_profile", None)  # cached on the user, shared with "user"
    state: dict[str, Any] = {
        "name": display_name_for(user),
        "avatar_url": avatars.avatar_url(profile.avatar_seed) if profile else None,
        "public_id": profile.public_id if profile else None,
        "public_url": profile.get_absolute_url() if profile else None,
        "account_url": reverse("accounts:home"),
        "profile_url": reverse("accounts:profile"),
        "logout_url": reverse("account_logout"),
        "links": pages.account_links(),
    }
    if user.is_staff:
        state["admin_url"] = reverse("admin:index")
    return state
