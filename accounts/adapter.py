"""How django-allauth fits Newsroom.

- Client addresses for rate limits come from ``newsroom.clientip`` (the same
  trusted-proxy rules as everywhere else).
- ``next=`` targets are checked by allauth against the site's own hosts; we
  refuse, before that, anything a browser might read differently from
  Python (backslashes, control characters, look-alike Unicode).
- Failed sign-ins are counted per *account*, whichever login (username or
  e-mail address) was typed, so trying both does not double an attacker's
  guesses.
- Known devices: a successful sign-in leaves a long-lived cookie naming the
  account (a keyed hash of its id, signed; never the address). Sign-ins for
  that account from a device carrying it skip the per-account limit (the
  per-client one still applies), so an attacker who keeps failing against an
  account cannot keep its owner out of the devices they already use.
- Readers never choose a username: they sign in with their e-mail address
  and get an opaque login name that is never shown.
- E-mails carry the site's name and address from settings.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.utils import user_username
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac

from newsroom.clientip import client_ip

READER_USERNAME_PREFIX = "reader-"

KNOWN_DEVICE_COOKIE = "newsroom_known_device"
KNOWN_DEVICE_SALT = "accounts.known-device"
KNOWN_DEVICE_MAX_AGE = 60 * 60 * 24 * 365


def _device_token(user_id: int) -> str:
    # Names the account to this site only: without SECRET_KEY the value cannot
    # be linked to an account, and it says nothing of the person's address.
    return salted_hmac(KNOWN_DEVICE_SALT, str(user_id)).hexdigest()


def remember_device(response: HttpResponseBase, user) -> None:
    """Mark the browser ``response`` goes to as one ``user`` signed in from."""
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        _device_token(user.pk),
        salt=KNOWN_DEVICE_SALT,
        max_age=KNOWN_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known_device(request: HttpRequest, user_id: int) -> bool:
    """Whether ``request`` comes from a browser the account ``user_id`` signed in from."""
    token = request.get_signed_cookie(
        KNOWN_DEVICE_COOKIE, default=None, salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE
    )
    return bool(token) and constant_time_compare(token, _device_token(user_id))


def _per_client_rates() -> str:
    """The failed sign-in rates without the per-account ones (``…/key``)."""
    rates = account_settings.RATE_LIMITS.get("login_failed") or ""
    parts = [part.strip() for part in rates.split(",") if part.strip()]
    return ",".join(part for part in parts if ratelimit.parse_rate(part).per != "key")


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
        user_id = self._account_id(**credentials)
        if user_id is not None:
            return f"account:{user_id}"
        login = (credentials.get("email") or credentials.get("username") or "").strip()
        return f"login:{login.lower()}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        user_id = self._account_id(**credentials)
        if user_id is None or not is_known_device(request, user_id):
            super().pre_authenticate(request, **credentials)
            return
        # The per-account limit slides: an attacker failing five times every
        # five minutes would keep it shut for good. A device the account
        # already signed in from is exempt; the per-client limit still holds.
        self._login_failed_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config={"login_failed": _per_client_rates()},
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    @staticmethod
    def _account_id(**credentials: Any) -> int | None:
        """The account the typed login (address or username) names, if any."""
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
        return user_id
