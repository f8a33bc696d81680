"""The accounts part of ``/session.json``: who is signed in, for the masthead.

>>> {"account": {"name": "Rosa V.", "avatar_url": "/avatars/….svg",
...              "public_url": "/readers/k3m9…/", "account_url": "/accounts/",
...              "logout_url": "/accounts/logout/", "links": [...]}}

Staff also get ``staff_links`` (e.g. Moderation, with the number of comments
waiting; ``accounts.pages.staff_link``) and ``admin_url`` when the admin has
something for them. ``null`` for visitors who are not signed in. One query
(the profile) for readers; staff add their permissions (two queries, cached
on the user) and each link's count.
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
        state["staff_links"] = pages.staff_links(user)
        if can_use_admin(user):
            state["admin_url"] = reverse("admin:index")
    return state


def can_use_admin(user) -> bool:
    """Whether the admin would show ``user`` anything: active staff with a permission
    in one of its apps (superusers always). A staff account without any sees
    "You don't have permission to view or edit anything", so gets no link."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    from django.contrib import admin

    app_labels = {model._meta.app_label for model in admin.site._registry}
    return any(user.has_module_perms(label) for label in app_labels)
