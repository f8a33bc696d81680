"""Reader account flows through HTTP: sign up, verify, sign in and out, reset, change e-mail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from accounts.models import ReaderProfile
from tests.factories import PASSWORD, UserFactory, reader

from .conftest import link_in_last_mail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer new passphrase"


def sign_up(client, *, email="nadia@example.org", display_name="Nadia Q.", **extra):
    data = {
        "display_name": display_name,
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def sign_in(client, login, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def session_account(client):
    return json.loads(client.get(reverse("session_state")).content)["account"]


def test_reader_signs_up_verifies_the_address_and_is_signed_in(client):
    form_page = client.get(reverse("account_signup"))
    assert form_page.status_code == 200
    assert "no-store" in form_page["Cache-Control"]
    assert b"Display name" in form_page.content

    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="nadia@example.org")
    assert user.reader_profile.display_name == "Nadia Q."
    # The login name is opaque, never derived from the address or the name.
    assert "nadia" not in user.username.lower()
    assert not EmailAddress.objects.get(user=user).verified
    assert session_account(client) is None  # not signed in before verifying

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia@example.org"]
    assert message.subject.startswith("[The Newsroom Courier] ")
    assert "Nadia Q." in message.body
    confirm_path = link_in_last_mail()
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b"Confirm" in page.content

    confirmed = client.post(confirm_path)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert session_account(client)["name"] == "Nadia Q."


def test_unverified_reader_cannot_sign_in_and_gets_a_new_link_after_a_cool_down(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()

    response = sign_in(client, "nadia@example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert session_account(client) is None
    assert mail.outbox == []  # one link every few minutes at most: no mail bombing

    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        sign_in(client, "nadia@example.org")
    assert [message.to for message in mail.outbox] == [["nadia@example.org"]]


def test_sign_up_errors_are_clear_and_keep_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Nadia Q.",
            "email": "not-an-address",
            "password1": PASSWORD,
            "password2": "something else entirely",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter a valid email address." in content
    assert "You must type the same password each time." in content
    assert 'value="Nadia Q."' in content
    assert 'value="not-an-address"' in content
    assert not get_user_model().objects.exists()


def test_a_too_short_password_is_explained_by_its_field_and_the_rest_typed_is_kept(client):
    name = "סבסטיאן Ñandú-Øster 記者"

    response = sign_up(
        client, display_name=name, email="nadia@example.org", password1="kort1", password2="kort1"
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    document = lxml_html.fromstring(response.content.decode())
    password = document.get_element_by_id("id_password1")
    assert password.get("aria-invalid") == "true"
    described_by = password.get("aria-describedby").split()
    errors = [document.get_element_by_id(id_) for id_ in described_by if id_.endswith("_error")]
    assert [error.text_content() for error in errors] == [
        "This password is too short. It must contain at least 8 characters."
    ]
    assert errors[0].getparent() is password.getparent()  # right by the field
    assert document.get_element_by_id("id_display_name").get("value") == name
    assert document.get_element_by_id("id_email").get("value") == "nadia@example.org"
    assert password.get("value") is None  # a password is never sent back
    assert not get_user_model().objects.exists()
    assert not EmailAddress.objects.exists() and not ReaderProfile.objects.exists()


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "This field is required."),
        ("\u200b\u202e", "at least two visible characters"),
        ("Moderator", "could be mistaken for the newsroom"),
        ("a  FORMER reader", "could be mistaken for the newsroom"),
        ("The Newsroom Courier", "could be mistaken for the newsroom"),
        ("x" * 51, "at most 50 characters"),
    ],
)
def test_display_name_that_could_mislead_is_refused(client, typed, error):
    response = sign_up(client, display_name=typed)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not get_user_model().objects.exists()


def test_display_name_keeps_scripts_of_any_language_but_drops_invisible_controls(client):
    sign_up(client, display_name="  سارة\u202e   النجار\u200b ")

    profile = ReaderProfile.objects.get()
    assert profile.display_name == "سارة النجار"


def test_sign_up_with_an_address_already_registered_does_not_reveal_it(client):
    reader(email="rosa@example.org")
    mail.outbox.clear()

    response = sign_up(client, email="ROSA@example.org")

    # Same answer as a fresh sign-up; the owner of the address is told instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert get_user_model().objects.count() == 1
    assert mail.outbox[0].to == ["rosa@example.org"]
    assert "already" in mail.outbox[0].body.lower()


def test_reader_signs_in_and_out_and_sign_out_needs_a_post(client):
    reader(email="rosa@example.org", display_name="Rosa Vale")

    response = sign_in(client, "rosa@example.org")
    assert response.status_code == 302
    assert session_account(client)["name"] == "Rosa Vale"

    confirm = client.get(reverse("account_logout"))
    assert confirm.status_code == 200
    assert session_account(client) is not None  # a link or an image cannot sign anyone out

    client.post(reverse("account_logout"))
    assert session_account(client) is None


def test_wrong_password_gives_a_clear_error_and_keeps_the_login(client):
    reader(email="rosa@example.org")

    response = sign_in(client, "rosa@example.org", "wrong password")

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "not correct" in content
    assert 'value="rosa@example.org"' in content


def test_reader_resets_a_forgotten_password(client):
    reader(email="rosa@example.org")
    mail.outbox.clear()

    client.post(reverse("account_reset_password"), {"email": "rosa@example.org"})
    assert mail.outbox[0].to == ["rosa@example.org"]
    key_page = client.get(link_in_last_mail(), follow=True)
    action = key_page.redirect_chain[-1][0] if key_page.redirect_chain else link_in_last_mail()
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert sign_in(client, "rosa@example.org", NEW_PASSWORD).status_code == 302
    assert session_account(client) is not None


def test_password_reset_for_unknown_address_looks_the_same_and_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_changed_address_is_used_only_once_verified(client):
    user = reader(email="rosa@example.org")
    sign_in(client, "rosa@example.org")
    mail.outbox.clear()

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "rosa.vale@example.net"}
    )

    assert response.status_code == 302
    assert mail.outbox[0].to == ["rosa.vale@example.net"]
    assert EmailAddress.objects.get(user=user, primary=True).email == "rosa@example.org"
    page = client.get(reverse("account_email")).content.decode()
    assert "rosa.vale@example.net" in page and "waiting for verification" in page

    client.post(link_in_last_mail())

    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("rosa.vale@example.net", True)
    ]
    client.post(reverse("account_logout"))
    assert sign_in(client, "rosa.vale@example.net").status_code == 302
    assert session_account(client) is not None


def test_staff_account_made_outside_sign_up_signs_in_by_username_or_address(client):
    # What `manage.py demo` does: a plain user, then account_provision.
    UserFactory(username="editor", email="editor@example.com", is_staff=True, groups=["Editors"])
    call_command("account_provision", "editor", "--display-name", "Eda Editor", stdout=None)

    assert sign_in(client, "editor").status_code == 302
    assert session_account(client)["name"] == "Eda Editor"
    client.post(reverse("account_logout"))
    assert sign_in(client, "editor@example.com").status_code == 302
    assert session_account(client)["admin_url"] == reverse("admin:index")


def test_account_pages_need_a_signed_in_reader(client):
    for name in ("accounts:home", "accounts:profile", "accounts:data", "accounts:delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_reader_edits_profile_and_draws_a_new_avatar(client):
    user = reader(display_name="Rosa Vale")
    client.force_login(user)
    old_seed = user.reader_profile.avatar_seed

    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Rosa V.", "bio": "Cyclist, <b>reader</b>.", "new_avatar": "on"},
    )

    assert response.status_code == 302
    profile = ReaderProfile.objects.get(user=user)
    assert (profile.display_name, profile.bio) == ("Rosa V.", "Cyclist, <b>reader</b>.")
    assert profile.avatar_seed != old_seed
    public = client.get(profile.get_absolute_url()).content.decode()
    assert "Cyclist, &lt;b&gt;reader&lt;/b&gt;." in public


def test_profile_errors_keep_what_was_typed(client):
    user = reader(display_name="Rosa Vale")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"), {"display_name": "Editor", "bio": "b" * 301}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "could be mistaken for the newsroom" in content
    assert "at most 300 characters" in content
    assert "b" * 301 in content
    assert ReaderProfile.objects.get(user=user).display_name == "Rosa Vale"


def test_provisioning_twice_changes_nothing_more():
    user = UserFactory(username="reader", email="Reader@Example.com")

    for _ in range(2):
        call_command("account_provision", "reader", stdout=None)

    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("reader@example.com", True)
    ]
    assert ReaderProfile.objects.filter(user=user).count() == 1


def test_accounts_that_existed_before_the_upgrade_can_sign_in(client):
    from importlib import import_module

    from django.apps import apps

    provision = import_module("accounts.migrations.0002_provision_existing_users").provision
    # A user made before this app: no address record, no profile.
    user = UserFactory(username="veteran", email="vet@example.com", first_name="Val")
    EmailAddress.objects.filter(user=user).delete()
    ReaderProfile.objects.filter(user=user).delete()

    provision(apps, None)

    assert sign_in(client, "vet@example.com").status_code == 302
    assert session_account(client)["name"].startswith("Val")


@pytest.mark.parametrize(
    ("login", "password", "name"),
    [
        ("editor", "newsroom-editor", "Editor"),
        ("moderator@example.com", "newsroom-moderator", "Moderator"),
        ("reader@example.com", "newsroom-reader", "Reader"),
    ],
)
def test_demo_accounts_sign_in_through_allauth(client, login, password, name):
    from newsroom.services import demo_accounts_ensure

    demo_accounts_ensure()
    demo_accounts_ensure()  # `manage.py demo` may run again

    assert sign_in(client, login, password)["Location"] == reverse("accounts:home")
    assert session_account(client)["name"] == name


def test_staff_may_sign_as_the_newsroom_but_readers_may_not(client):
    editor = reader(is_staff=True, email="eda@example.com", display_name="Eda")
    client.force_login(editor)

    response = client.post(reverse("accounts:profile"), {"display_name": "The Editors"})

    assert response.status_code == 302
    assert ReaderProfile.objects.get(user=editor).display_name == "The Editors"
