"""Extra rules for the staff areas (the admin, the moderation queues, article previews).

Only requests under ``NEWSROOM_STAFF_URL_PREFIXES`` are looked at: reader
pages must not touch the session, or they would stop being cacheable.

- A staff session lasts ``NEWSROOM_STAFF_SESSION_AGE`` seconds from sign-in,
  then the staff member signs in again (the session cookie and the stored
  session expire at that moment too).
- With ``NEWSROOM_STAFF_MFA_REQUIRED``, staff without an authenticator app
  are sent to set one up first.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

#: Set in the session at every sign-in (accounts/receivers.py).
SIGNED_IN_AT = "newsroom_signed_in_at"


def _exempt_paths() -> set[str]:
    # Signing out must always be possible.
    return {reverse("admin:logout")}


class StaffAreaMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if self._in_staff_area(request.path) and request.path not in _exempt_paths():
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _in_staff_area(path: str) -> bool:
        return any(path.startswith(prefix) for prefix in settings.NEWSROOM_STAFF_URL_PREFIXES)

    def _check(self, request: HttpRequest):
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        now = time.time()
        signed_in_at = request.session.get(SIGNED_IN_AT)
        if signed_in_at is None:
            # A session from before this rule existed: start counting now.
            signed_in_at = request.session[SIGNED_IN_AT] = now
        deadline = signed_in_at + settings.NEWSROOM_STAFF_SESSION_AGE
        if now >= deadline:
            logout(request)
            messages.info(request, "Your staff session has ended. Please sign in again.")
            return self._redirect(reverse("account_login"), next_url=request.get_full_path())
        expiry = datetime.fromtimestamp(deadline, tz=UTC).isoformat()
        if request.session.get("_session_expiry") != expiry:
            request.session.set_expiry(datetime.fromtimestamp(deadline, tz=UTC))
        if settings.NEWSROOM_STAFF_MFA_REQUIRED and not self._has_totp(user):
            messages.warning(
                request,
                "Staff accounts need two-factor authentication. Set up an authenticator "
                "app to continue.",
            )
            return self._redirect(reverse("mfa_activate_totp"), next_url=request.get_full_path())
        return None

    @staticmethod
    def _has_totp(user) -> bool:
        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    @staticmethod
    def _redirect(url: str, *, next_url: str) -> HttpResponseRedirect:
        return HttpResponseRedirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
