"""Failed sign-ins are throttled per account and per client, never for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, reader

from .conftest import link_in_last_mail

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
