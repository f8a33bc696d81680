"""Who is commenting or voting, without storing anything personal.

Guests get a random browser token in an HttpOnly cookie the first time they
post or vote (never on the cacheable reader pages). The database only ever
stores keyed hashes of it, so a stolen database does not reveal the tokens,
and the token alone proves "same browser" for a guest's pending comments,
edits and votes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from newsroom.clientip import client_ip

COOKIE_NAME = "nr_client"
COOKIE_AGE = 60 * 60 * 24 * 365


def _keyed_hash(purpose: str, value: str) -> str:
    key = hashlib.sha256(f"newsroom.comments.{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def browser_token(request: HttpRequest) -> str:
    """This browser's token, creating one (to be set by ``remember_browser``) if new."""
    token = request.COOKIES.get(COOKIE_NAME, "")
    if not (20 <= len(token) <= 64) or not token.replace("-", "").replace("_", "").isalnum():
        token = getattr(request, "_new_browser_token", "") or secrets.token_urlsafe(24)
        request._new_browser_token = token
    return token


def browser_hash(request: HttpRequest) -> str:
    """The keyed hash stored with a guest's comments to recognise their browser."""
    return _keyed_hash("browser", browser_token(request))


def existing_browser_hash(request: HttpRequest) -> str:
    """Like ``browser_hash`` but never invents a token (for read-only requests)."""
    token = request.COOKIES.get(COOKIE_NAME, "")
    return _keyed_hash("browser", token) if token else ""


def client_fingerprint(request: HttpRequest) -> str:
    """A keyed hash of address and browser: one guest vote per client, cookies or not."""
    return _keyed_hash("client", f"{client_ip(request)}|{request.headers.get('user-agent', '')}")


def voter_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    return f"g:{browser_hash(request)}"


def remember_browser(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the browser cookie if this request created the token."""
    token = getattr(request, "_new_browser_token", "")
    if token:
        response.set_cookie(
            COOKIE_NAME,
            token,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
