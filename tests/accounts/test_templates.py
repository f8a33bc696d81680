"""Every account page keeps the strict CSP: no inline script, style or handler."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD, reader

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
SIGNED_IN_PAGES = [
    "accounts:home",
    "accounts:profile",
    "accounts:data",
    "accounts:delete",
    "account_email",
    "account_change_password",
    "account_logout",
    "mfa_index",
    "mfa_activate_totp",
    "usersessions_list",
]


def assert_csp_clean(response, url):
    html = response.content.decode()
    assert response.status_code == 200, url
    assert not INLINE_SCRIPT.search(html), url
    assert not STYLE_ATTRIBUTE.search(html), url
    assert not STYLE_ELEMENT.search(html), url
    assert not HANDLER.search(html), url
    assert 'href="/static/css/site.css"' in html, url  # the site's look


def test_pages_for_visitors_have_no_inline_code(client):
    for name in ANONYMOUS_PAGES:
        url = reverse(name)
        assert_csp_clean(client.get(url), url)


def test_pages_for_signed_in_readers_have_no_inline_code(client):
    user = reader(email="rosa@example.org")
    client.post(reverse("account_login"), {"login": "rosa@example.org", "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert_csp_clean(client.get(reverse("account_reauthenticate")), "reauthenticate")
    for name in SIGNED_IN_PAGES:
        url = reverse(name)
        assert_csp_clean(client.get(url), url)

    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_deactivate_totp"):
        url = reverse(name)
        assert_csp_clean(client.get(url), url)
    assert_csp_clean(client.get(user.reader_profile.get_absolute_url()), "reader page")
    client.post(reverse("account_logout"))
    second_step = client.post(
        reverse("account_login"), {"login": "rosa@example.org", "password": PASSWORD}
    )
    assert second_step["Location"] == reverse("mfa_authenticate")
    assert_csp_clean(client.get(reverse("mfa_authenticate")), "mfa_authenticate")
