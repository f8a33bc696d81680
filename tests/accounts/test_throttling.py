"""Failed sign-ins are throttled per account and per client, never for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.adapter import KNOWN_DEVICE_COOKIE
from tests.factories import PASSWORD, reader

from .conftest import link_in_last_mail
from .test_staff import SECRET, totp_code

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def attempt(client, login, password, ip="203.0.113.10"):
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip
    )


def fail_five_times(client, login, *, ips=None):
    for n in range(5):
        ip = ips[n] if ips else "203.0.113.10"
        response = attempt(client, login, f"guess number {n}", ip=ip)
        assert TOO_MANY not in response.content.decode()


def test_an_account_is_locked_after_five_failures_even_from_many_clients(client):
    reader(email="rosa@example.org")
    # A botnet: every guess from another address.
    fail_five_times(client, "rosa@example.org", ips=[f"198.51.100.{n}" for n in range(5)])

    response = attempt(client, "rosa@example.org", PASSWORD, ip="192.0.2.77")

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_username_and_address_share_the_same_budget(client):
    user = reader(email="eda@example.com", username="eda", is_staff=True)
    for n in range(3):
        attempt(client, "eda", f"guess {n}")
    for n in range(2):
        attempt(client, "eda@example.com", f"guess {n}")

    response = attempt(client, user.username, PASSWORD)

    assert TOO_MANY in response.content.decode()


def test_the_lock_lifts_by_itself_after_five_minutes(client):
    reader(email="rosa@example.org")
    fail_five_times(client, "rosa@example.org")

    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        response = attempt(client, "rosa@example.org", PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_password_reset_lifts_the_lock_at_once(client):
    reader(email="rosa@example.org")
    fail_five_times(client, "rosa@example.org")
    new_password = "a brand new long passphrase"

    client.post(reverse("account_reset_password"), {"email": "rosa@example.org"})
    set_password = client.get(link_in_last_mail(), follow=True).redirect_chain[-1][0]
    client.post(set_password, {"password1": new_password, "password2": new_password})

    assert attempt(client, "rosa@example.org", new_password).status_code == 302


def test_one_client_is_throttled_across_accounts(client):
    for n in range(11):
        reader(email=f"reader{n}@example.org", username=f"reader{n}")
    for n in range(10):
        attempt(client, f"reader{n}@example.org", "wrong", ip="203.0.113.99")

    blocked = attempt(client, "reader10@example.org", PASSWORD, ip="203.0.113.99")
    other_client = attempt(client, "reader10@example.org", PASSWORD, ip="203.0.113.100")

    assert TOO_MANY in blocked.content.decode()
    assert other_client.status_code == 302


def test_successful_sign_ins_do_not_use_up_the_budget(client):
    reader(email="rosa@example.org")
    for _ in range(6):
        assert attempt(client, "rosa@example.org", PASSWORD).status_code == 302
        client.post(reverse("account_logout"), REMOTE_ADDR="203.0.113.10")


def test_proxy_headers_from_untrusted_clients_do_not_dodge_the_limit(client):
    for n in range(11):
        reader(email=f"reader{n}@example.org", username=f"reader{n}")
    for n in range(10):
        client.post(
            reverse("account_login"),
            {"login": f"reader{n}@example.org", "password": "wrong"},
            REMOTE_ADDR="203.0.113.99",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )

    response = client.post(
        reverse("account_login"),
        {"login": "reader10@example.org", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.99",
        HTTP_X_FORWARDED_FOR="10.9.9.200",
    )

    assert TOO_MANY in response.content.decode()


def test_a_steady_attacker_cannot_lock_an_editor_out_of_a_device_they_signed_in_from():
    eda = reader(username="eda", email="eda@example.com", is_staff=True)
    laptop, attacker, new_laptop = Client(), Client(), Client()
    assert attempt(laptop, "eda", PASSWORD, ip="192.0.2.10").status_code == 302
    cookie = laptop.cookies[KNOWN_DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] >= 60 * 60 * 24 * 300
    # A keyed hash standing for the account (signed, with a time), not its id or address.
    token = cookie.value.split(":")[0]
    assert len(token) >= 40 and token != str(eda.pk) and "eda" not in cookie.value
    laptop.post(reverse("account_logout"), REMOTE_ADDR="192.0.2.10")
    start = timezone.now()

    # Five wrong guesses every five minutes, each round from other addresses.
    for round_ in range(3):
        with time_machine.travel(start + timedelta(minutes=5, seconds=1) * round_):
            ips = [f"198.51.100.{10 * round_ + n}" for n in range(5)]
            fail_five_times(attacker, "eda@example.com", ips=ips)

            on_a_new_device = attempt(new_laptop, "eda", PASSWORD, ip="192.0.2.20")
            assert TOO_MANY in on_a_new_device.content.decode()
            assert attempt(laptop, "eda", PASSWORD, ip="192.0.2.10").status_code == 302
            assert "_auth_user_id" in laptop.session
            laptop.post(reverse("account_logout"), REMOTE_ADDR="192.0.2.10")


def test_a_known_device_still_has_the_per_client_limit_and_names_only_its_account(client):
    reader(username="eda", email="eda@example.com", is_staff=True)
    reader(email="rosa@example.org")
    attempt(client, "eda", PASSWORD)
    client.post(reverse("account_logout"), REMOTE_ADDR="203.0.113.10")
    fail_five_times(Client(), "rosa@example.org", ips=[f"198.51.100.{n}" for n in range(5)])

    # Eda's cookie does nothing for another account…
    assert TOO_MANY in attempt(client, "rosa@example.org", PASSWORD).content.decode()
    # …nor against the limit per client.
    for n in range(9):
        attempt(client, "eda", f"wrong {n}")
    assert TOO_MANY in attempt(client, "eda", PASSWORD).content.decode()


def test_the_known_device_cookie_is_secure_in_production(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    reader(email="rosa@example.org")

    attempt(client, "rosa@example.org", PASSWORD)

    assert client.cookies[KNOWN_DEVICE_COOKIE]["secure"]


def test_authenticator_codes_are_rate_limited_too(client):
    eda = reader(username="eda", email="eda@example.com", is_staff=True)
    TOTP.activate(eda, SECRET)
    assert attempt(client, "eda", PASSWORD)["Location"] == reverse("mfa_authenticate")

    for n in range(5):
        wrong = client.post(reverse("mfa_authenticate"), {"code": f"00000{n}"})
        assert "Incorrect code" in wrong.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
