"""How django-allauth fits Newsroom.

- Client addresses for rate limits come from ``newsroom.clientip`` (the same
  trusted-proxy rules as everywhere else).
- ``next=`` targets are checked by allauth against the site's own hosts; we
  refuse, before that, anything a browser might read differently from
  Python (backslashes, control characters, look-alike Unicode).
- Failed sign-ins are counted per *account*, whichever login (username or
  e-mail address) was typed, so trying both does not double an attacker's
  guesses.
- Readers never choose a username: they sign in with their e-mail address
  and get an opaque login name that is never shown.
- E-mails carry the site's name and address from settings.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.utils import user_username
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.crypto import get_random_string

from newsroom.clientip import client_ip

READER_USERNAME_PREFIX = "reader-"


def site_identity() -> SimpleNamespace:
    """What e-mail templates call ``current_site``: name and domain from settings."""
    return SimpleNamespace(
        name=settings.NEWSROOM_SITE_NAME, domain=urlsplit(settings.NEWSROOM_SITE_URL).netloc
    )


def _looks_tampered(url: str) -> bool:
    if not url.isascii():
        # Look-alike slashes and letters, direction overrides… Our own links are
        # percent-encoded, so a genuine target is always plain ASCII.
        return True
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc and not url.startswith("/"):
        return True  # only site paths ("/…") or full URLs of our own hosts
    return any(ch == "\\" or ch.isspace() or not ch.isprintable() for ch in url)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address

    def is_safe_url(self, url: str | None) -> bool:
        if not url or _looks_tampered(url):
            return False
        if not super().is_safe_url(url):
            return False
        request = allauth_context.request
        if request is not None and request.is_secure():
            # Never send a signed-in browser from https back to plain http.
            return urlsplit(url).scheme in ("", "https")
        return True

    def populate_username(self, request: HttpRequest, user) -> None:
        if not user_username(user):
            user_username(user, self._new_reader_username())

    def _new_reader_username(self) -> str:
        User = get_user_model()
        while True:
            candidate = READER_USERNAME_PREFIX + get_random_string(12).lower()
            if not User.objects.filter(username__iexact=candidate).exists():
                return candidate

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {"current_site": site_identity(), **context})

    def format_email_subject(self, subject: str) -> str:
        prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        return f"{prefix}{subject}"

    # allauth counts failed sign-ins under this key. Resolve the typed login to
    # the account so that username and e-mail share one budget; the same key
    # is cleared when the account's password is reset.
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        login = (credentials.get("email") or credentials.get("username") or "").strip()
        user_id = None
        if login:
            User = get_user_model()
            user_id = (
                EmailAddress.objects.filter(email__iexact=login)
                .values_list("user_id", flat=True)
                .first()
            )
            if user_id is None:
                user_id = (
                    User.objects.filter(username__iexact=login).values_list("pk", flat=True).first()
                )
            if user_id is None:
                user_id = (
                    User.objects.filter(email__iexact=login).values_list("pk", flat=True).first()
                )
        if user_id is not None:
            return f"account:{user_id}"
        return f"login:{login.lower()}"
