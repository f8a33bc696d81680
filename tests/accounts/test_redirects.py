"""Every ``next=`` goes back to this site only, whatever an attacker puts in it."""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, ArticleFactory, make_comment, moderator, reader

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.com",
    "///evil.com",
    "////evil.com/",
    "https://evil.com",
    "http://evil.com/path",
    "HTTPS://EVIL.COM",
    "ftp://evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "/\\evil.com",
    "/\\/evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    " //evil.com",
    "\x0b//evil.com",
    "//evil.com\x00",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.com",
    "https:evil.com",
    "http:/evil.com",
    "https:/\\evil.com",
    "%2F%2Fevil.com",
    "%2f%5cevil.com",
    "evil.com",
    "https://testserver@evil.com",
    "https://testserver.evil.com/",
    "https://evil.com#@testserver",
    "https://evil.com\\@testserver",
    "https://evil.com?@testserver",
    "http://[::1]@evil.com",
    "\uff0f\uff0fevil.com",  # full-width solidus
    "/\u2215\u2215evil.com",  # division slash
    "https://ev\u0456l.com",  # Cyrillic i
    "https://\uff45\uff56\uff49\uff4c.com",  # full-width letters
    "/\u202e/moc.live//",  # right-to-left override
]

SAFE = ["/search/?q=bridge", "/accounts/profile/", "http://testserver/readers/abc/"]


@pytest.fixture
def rosa():
    return reader(email="rosa@example.org")


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_never_sends_the_reader_off_site(client, rosa, target):
    response = client.post(
        reverse("account_login"),
        {"login": "rosa@example.org", "password": PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


@pytest.mark.parametrize("target", HOSTILE)
def test_next_in_the_address_bar_is_checked_too(client, rosa, target):
    url = reverse("account_login") + "?" + urlencode({"next": target})
    response = client.post(url, {"login": "rosa@example.org", "password": PASSWORD})

    assert response["Location"] == reverse("accounts:home")
    # Once signed in, the sign-in page redirects at once: same rule.
    again = client.get(url)
    assert again["Location"] == reverse("accounts:home")


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_out_never_sends_the_reader_off_site(client, rosa, target):
    client.force_login(rosa)

    response = client.post(reverse("account_logout"), {"next": target})

    assert response["Location"] == "/"


def is_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        parts.netloc in ("", "testserver")
        and parts.scheme in ("", "http")
        and location.startswith(("/", "http://testserver/"))
        and not location.startswith(("//", "/\\"))
    )


@pytest.mark.parametrize("target", HOSTILE)
def test_staff_signing_in_for_the_admin_end_up_in_the_admin(client, target):
    reader(username="eda", email="eda@example.com", is_staff=True)

    to_sign_in = client.get(reverse("admin:login") + "?" + urlencode({"next": target}))
    signed_in = client.post(to_sign_in["Location"], {"login": "eda", "password": PASSWORD})
    landing = client.get(signed_in["Location"])

    locations = [to_sign_in["Location"], signed_in["Location"], landing["Location"]]
    assert all(is_on_site(location) for location in locations), locations
    assert landing["Location"] == reverse("admin:index")


@pytest.mark.parametrize("target", HOSTILE)
def test_re_authentication_never_sends_the_reader_off_site(client, rosa, target):
    client.force_login(rosa)
    url = reverse("account_reauthenticate") + "?" + urlencode({"next": target})

    response = client.post(url, {"password": PASSWORD, "next": target})

    assert response.status_code == 302
    assert is_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_up_and_verifying_never_sends_the_reader_off_site(client, target):
    signed_up = client.post(
        reverse("account_signup") + "?" + urlencode({"next": target}),
        {
            "display_name": "Nadia Q.",
            "email": "nadia@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": target,
        },
    )
    link = re.search(r"https?://[^/\s]+(/accounts/\S+)", mail.outbox[-1].body).group(1)
    verified = client.post(link)

    locations = [signed_up["Location"], verified["Location"]]
    assert all(is_on_site(location) for location in locations), locations
    assert "_auth_user_id" in client.session  # verified and signed in, on this site


@pytest.mark.parametrize("target", HOSTILE)
def test_setting_up_an_authenticator_app_never_sends_staff_off_site(client, target):
    client.post(
        reverse("account_login"),
        {"login": reader(email="eda@example.com", is_staff=True).email, "password": PASSWORD},
    )
    activate = reverse("mfa_activate_totp") + "?" + urlencode({"next": target})
    reauth = client.get(activate)
    client.post(reauth["Location"], {"password": PASSWORD})
    client.get(activate)
    code = format_hotp_value(hotp_value(client.session["mfa.totp.secret"], int(time.time()) // 30))

    response = client.post(activate, {"code": code, "next": target})

    assert response.status_code == 302
    assert is_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_moderation_actions_never_send_the_moderator_off_site(client, target):
    comment = make_comment(ArticleFactory(), status="pending")
    client.force_login(moderator())

    response = client.post(
        reverse("moderation:act"), {"do": f"approve:{comment.pk}", "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue", args=["pending"])


@pytest.mark.parametrize("target", SAFE)
def test_sign_in_returns_to_pages_of_this_site(client, rosa, target):
    response = client.post(
        reverse("account_login"),
        {"login": "rosa@example.org", "password": PASSWORD, "next": target},
    )

    assert response["Location"] == target


def test_redirect_to_plain_http_is_refused_on_a_secure_site(client, rosa, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.post(
        reverse("account_login"),
        {"login": "rosa@example.org", "password": PASSWORD, "next": "http://testserver/x/"},
        HTTP_X_FORWARDED_PROTO="https",
    )

    assert response["Location"] == reverse("accounts:home")
