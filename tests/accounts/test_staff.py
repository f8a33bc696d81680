"""Staff sign in through allauth: admin login, two-factor authentication, short sessions."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, ArticleFactory, reader

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def staff():
    return reader(username="eda", email="eda@example.com", display_name="Eda", is_staff=True)


def sign_in(client, login="eda", password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_admin_login_page_sends_everyone_to_the_site_sign_in(client):
    response = client.get(reverse("admin:index"), follow=True)

    final_url = response.redirect_chain[-1][0]
    assert urlsplit(final_url).path == reverse("account_login")
    assert parse_qs(urlsplit(final_url).query)["next"] == [reverse("admin:index")]
    # The admin's own password form never appears.
    assert b'name="username"' not in response.content


def test_admin_login_form_cannot_be_posted_to_directly(client, staff):
    response = client.post(
        reverse("admin:login"), {"username": "eda", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_staff_signs_in_and_reaches_the_admin(client, staff):
    response = client.post(
        reverse("account_login") + "?next=" + reverse("admin:index"),
        {"login": "eda", "password": PASSWORD},
    )

    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_signed_in_reader_is_refused_the_admin(client):
    client.force_login(reader())

    response = client.get(reverse("admin:login"))

    assert response.status_code == 403


def test_staff_with_an_authenticator_app_is_asked_for_a_code(client, staff):
    TOTP.activate(staff, SECRET)

    response = sign_in(client)

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()

    client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert client.get(reverse("admin:index")).status_code == 200


def test_when_two_factor_is_mandatory_staff_set_it_up_before_the_admin(client, staff, settings):
    settings.NEWSROOM_STAFF_MFA_REQUIRED = True
    sign_in(client)

    response = client.get(reverse("admin:index"))

    activate = reverse("mfa_activate_totp")
    assert response.status_code == 302
    assert response["Location"] == f"{activate}?next=%2Fadmin%2F"
    # allauth asks for the password again before adding an authenticator.
    reauth = client.get(response["Location"])
    assert urlsplit(reauth["Location"]).path == reverse("account_reauthenticate")
    client.post(reauth["Location"], {"password": PASSWORD})
    page = client.get(activate)
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content  # the QR code, drawn here
    secret = client.session["mfa.totp.secret"]

    client.post(activate, {"code": totp_code(secret)})

    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_mandatory_two_factor_still_lets_staff_sign_out_and_read_the_site(client, staff, settings):
    settings.NEWSROOM_STAFF_MFA_REQUIRED = True
    sign_in(client)

    assert client.get(reverse("articles:home")).status_code == 200
    assert client.post(reverse("admin:logout")).status_code in (200, 302)
    assert "_auth_user_id" not in client.session


def test_staff_session_cookie_ends_with_the_staff_session_age(client, staff, settings):
    settings.NEWSROOM_STAFF_SESSION_AGE = 2 * 60 * 60
    sign_in(client)
    client.get(reverse("admin:index"))

    assert client.session.get_expiry_age() <= 2 * 60 * 60
    assert client.cookies["sessionid"]["max-age"] <= 2 * 60 * 60

    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        response = client.get(reverse("admin:index"), follow=True)

    assert urlsplit(response.redirect_chain[-1][0]).path == reverse("account_login")


def test_staff_signed_in_long_ago_must_sign_in_again_for_the_admin(client, staff, settings):
    settings.NEWSROOM_STAFF_SESSION_AGE = 60 * 60
    sign_in(client)  # the session itself would last two weeks

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert "Your staff session has ended" in page.content.decode()


def test_reader_signs_out_everywhere_else(staff):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)
    sessions_page = laptop.get(reverse("usersessions_list"))
    assert sessions_page.content.decode().count("<tr>") == 3  # header + two sessions

    laptop.post(reverse("usersessions_list"))

    assert "_auth_user_id" in laptop.session
    assert phone.get(reverse("accounts:home")).status_code == 302


def test_staff_rules_cover_the_article_preview(client, settings):
    # A draft's preview is as much a staff area as the admin: same session age, same TOTP.
    reader(
        username="ed", email="ed@example.com", display_name="Ed", is_staff=True, groups=["Editors"]
    )
    preview = reverse("articles:preview", args=[ArticleFactory(status="draft").pk])
    settings.NEWSROOM_STAFF_SESSION_AGE = 60 * 60
    sign_in(client, login="ed")
    assert client.get(preview).status_code == 200

    settings.NEWSROOM_STAFF_MFA_REQUIRED = True
    response = client.get(preview)
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?{urlencode({'next': preview})}"

    settings.NEWSROOM_STAFF_MFA_REQUIRED = False
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get(preview)
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert "_auth_user_id" not in client.session
