"""A reader's rights through HTTP: download my data, delete my account, claim guest comments,
and the scheduled erasure of personal data, with the real comments app taking part through
the privacy registry (accounts/privacy.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import privacy, services
from accounts.models import AccountDeletion, ReaderProfile
from accounts.tasks import purge_personal_data
from comments.models import Comment
from tests.factories import PASSWORD, ArticleFactory, UserFactory, make_comment, reader

from .conftest import link_in_last_mail

pytestmark = pytest.mark.django_db


def sign_in(client, login="rosa@example.org"):
    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    return response


def confirm_password(client, response):
    """allauth asks for the password again before sensitive actions, then carries on."""
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    return client.post(response["Location"], {"password": PASSWORD})


@pytest.fixture
def rosa():
    return reader(email="rosa@example.org", username="rosa", display_name="Rosa Vale")


# --- Download my data ---------------------------------------------------------


def test_reader_downloads_everything_held_about_them(client, rosa):
    article = ArticleFactory(title="Bridge to close")
    mine = make_comment(article, user=rosa, body="First!")
    make_comment(article, body="Someone else", author_email="someone@example.net")
    sign_in(client)
    TOTP.activate(rosa, "JBSWY3DPEHPK3PXP")
    assert b"your comments" in client.get(reverse("accounts:data")).content

    response = confirm_password(client, client.post(reverse("accounts:data")))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="newsroom-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "newsroom-personal-data/1"
    assert data["account"]["email_addresses"] == [
        {"email": "rosa@example.org", "verified": True, "primary": True}
    ]
    assert data["account"]["two_factor"] == {"authenticator_app": True, "recovery_codes": False}
    assert data["profile"]["display_name"] == "Rosa Vale"
    assert data["profile"]["public_page"].endswith(rosa.reader_profile.get_absolute_url())
    assert len(data["sessions"]) == 1
    assert [(c["id"], c["article"], c["text"]) for c in data["comments"]] == [
        (mine.pk, "Bridge to close", "First!")
    ]
    assert data["comments"][0]["name_shown"] == "Rosa Vale"
    assert "someone@example.net" not in response.content.decode()
    raw = response.content.decode()
    assert "JBSWY3DPEHPK3PXP" not in raw  # never a secret
    assert rosa.password not in raw


def test_data_download_needs_the_password_again_and_a_post(client, rosa):
    client.force_login(rosa)

    assert client.get(reverse("accounts:data"))["Content-Type"].startswith("text/html")
    response = client.post(reverse("accounts:data"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    wrong = client.post(response["Location"], {"password": "not it"})
    assert wrong.status_code == 200
    assert "application/json" not in wrong["Content-Type"]


# --- Delete my account ----------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "expected_text", "expected_status"),
    [("anonymise", "My view on the bridge", "approved"), ("remove", "", "removed")],
)
def test_deleted_reader_leaves_no_personal_data_and_threads_stay(
    client, rosa, choice, expected_text, expected_status
):
    article = ArticleFactory()
    mine = make_comment(article, user=rosa, body="My view on the bridge", ip_address="203.0.113.5")
    reply = make_comment(article, parent=mine, body="I disagree")
    other_device = Client()
    sign_in(other_device)
    sign_in(client)
    profile_url = rosa.reader_profile.get_absolute_url()
    user_id = rosa.pk

    response = confirm_password(
        client, client.post(reverse("accounts:delete"), {"content": choice, "confirm": "on"})
    )

    assert response["Location"] == reverse("accounts:deleted")
    assert b"Your account is deleted" in client.get(response["Location"]).content
    # Personal data is gone…
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not ReaderProfile.objects.filter(user_id=user_id).exists()
    assert not EmailAddress.objects.filter(email="rosa@example.org").exists()
    assert not UserSession.objects.filter(user_id=user_id).exists()
    assert client.get(profile_url).status_code == 404
    assert json.loads(client.get(reverse("session_state")).content)["account"] is None
    assert json.loads(other_device.get(reverse("session_state")).content)["account"] is None
    mine.refresh_from_db()
    reply.refresh_from_db()
    assert (mine.user_id, mine.author_email, mine.ip_address) == (None, "", None)
    # …the discussion is intact.
    assert (mine.body, mine.author_name) == (expected_text, privacy.FORMER_READER)
    assert mine.status == expected_status
    assert reply.parent_id == mine.pk and reply.body == "I disagree"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "I disagree" in page and "Rosa Vale" not in page and "rosa@example.org" not in page
    # The deletion is logged, without anything that identifies Rosa.
    log = AccountDeletion.objects.get()
    assert log.content == choice
    # (Other apps' erasers, e.g. comment subscriptions, add their own counts.)
    done = "anonymised" if choice == "anonymise" else "removed"
    assert log.summary["comments"] == {done: 1, "votes_withdrawn": 0}
    assert {f.name for f in AccountDeletion._meta.get_fields()} == {
        "id",
        "deleted_at",
        "content",
        "summary",
    }
    logged = json.dumps([log.content, log.summary, str(log)])
    for personal in ("rosa", "Rosa", "example.org", "203.0.113.5", "My view"):
        assert personal not in logged


def test_deletion_form_errors_are_clear_and_nothing_is_deleted(client, rosa):
    client.force_login(rosa)
    response = confirm_password(client, client.post(reverse("accounts:delete"), {}))

    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Tick the box to confirm" in content
    assert get_user_model().objects.filter(pk=rosa.pk).exists()
    assert not AccountDeletion.objects.exists()


def test_a_failing_app_rolls_the_whole_deletion_back(rosa):
    comment = make_comment(ArticleFactory(), user=rosa, body="Kept")

    def broken(user, *, content):
        raise RuntimeError("that app's database is down")

    privacy.eraser("broken")(broken)  # runs after the comments eraser
    try:
        with pytest.raises(RuntimeError):
            services.account_delete(user=rosa, content=privacy.ContentChoice.REMOVE)
    finally:
        privacy.eraser.unregister("broken")

    comment.refresh_from_db()
    assert (comment.user_id, comment.body, comment.status) == (rosa.pk, "Kept", "approved")
    assert get_user_model().objects.filter(pk=rosa.pk).exists()
    assert ReaderProfile.objects.filter(user=rosa).exists()
    assert not AccountDeletion.objects.exists()


def test_an_eraser_cannot_write_personal_data_into_the_log(rosa):
    privacy.eraser("leaky")(lambda user, *, content: {"email": user.email})
    try:
        with pytest.raises(ValueError):
            services.account_delete(user=rosa, content="anonymise")
    finally:
        privacy.eraser.unregister("leaky")
    assert get_user_model().objects.filter(pk=rosa.pk).exists()


def test_staff_cannot_close_their_own_account(client):
    editor = reader(is_staff=True, email="eda@example.com")
    client.force_login(editor)
    page = client.get(reverse("accounts:delete"))
    assert b"closed by an administrator" in page.content

    response = confirm_password(
        client, client.post(reverse("accounts:delete"), {"content": "remove", "confirm": "on"})
    )

    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=editor.pk).exists()


# --- Claim guest contributions ---------------------------------------------------


def test_verifying_an_address_claims_guest_comments_made_with_it(client):
    article = ArticleFactory()
    guest = make_comment(article, body="As a guest", author_email="Nadia@Example.org")
    stranger = make_comment(article, body="Not mine", author_email="other@example.org")
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Nadia",
            "email": "nadia@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    user = get_user_model().objects.get(email="nadia@example.org")
    guest.refresh_from_db()
    assert guest.user_id is None  # not before the address is proven

    response = client.post(link_in_last_mail(), follow=True)

    guest.refresh_from_db()
    stranger.refresh_from_db()
    assert guest.user_id == user.pk
    assert stranger.user_id is None
    assert "We found 1 earlier contribution" in response.content.decode()


def test_claiming_needs_a_verified_address():
    user = UserFactory(email="nadia@example.org")
    EmailAddress.objects.create(user=user, email="nadia@example.org", verified=False)

    with pytest.raises(ValueError):
        services.account_claim_guest_content(user=user, email="nadia@example.org")


def test_changing_to_a_new_address_claims_its_guest_comments_once_verified(client, rosa):
    guest = make_comment(
        ArticleFactory(), body="Old guest comment", author_email="rosa.work@example.net"
    )
    sign_in(client)
    mail.outbox.clear()
    client.post(reverse("account_email"), {"action_add": "", "email": "rosa.work@example.net"})
    guest.refresh_from_db()
    assert guest.user_id is None

    client.post(link_in_last_mail())

    guest.refresh_from_db()
    assert guest.user_id == rosa.pk


# --- Keeping personal data only as long as needed ------------------------------------


def comment_with_ip(ip: str, age: timedelta):
    comment = make_comment(ArticleFactory(), ip_address=ip)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - age)
    return comment


def test_purge_command_erases_old_ip_addresses_and_ended_sessions(settings):
    settings.NEWSROOM_IP_RETENTION_DAYS = 90
    now = timezone.now()
    old = comment_with_ip("203.0.113.1", timedelta(days=91))
    recent = comment_with_ip("203.0.113.2", timedelta(days=89))
    rosa = reader(email="rosa@example.org")
    client = Client()
    sign_in(client)
    ended_key = client.session.session_key
    Session.objects.filter(session_key=ended_key).update(expire_date=now - timedelta(seconds=1))
    out = StringIO()

    call_command("purge_personal_data", stdout=out, stderr=StringIO())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, recent.ip_address) == (None, "203.0.113.2")
    assert not Session.objects.filter(session_key=ended_key).exists()
    assert not UserSession.objects.filter(user=rosa).exists()  # the IP of that session too
    assert "comment-ips: 1" in out.getvalue()
    # Safe to run again: nothing more to do.
    out = StringIO()
    call_command("purge_personal_data", stdout=out, stderr=StringIO())
    assert "comment-ips: 0" in out.getvalue()


def test_purge_keeps_device_records_of_live_sessions():
    reader(email="rosa@example.org")
    sign_in(Client())

    services.personal_data_purge()

    assert UserSession.objects.count() == 1


def test_purge_deletes_sign_ups_never_verified_after_a_month(client, settings):
    settings.NEWSROOM_UNVERIFIED_ACCOUNT_DAYS = 30
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Typo",
            "email": "someone.else@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    verified = reader(email="rosa@example.org")
    made_by_hand = UserFactory(username="archive")
    get_user_model().objects.update(date_joined=timezone.now() - timedelta(days=31))

    counts = services.personal_data_purge(only=["unverified-sign-ups"])

    assert counts == {"unverified-sign-ups": 1}
    assert set(get_user_model().objects.values_list("pk", flat=True)) == {
        verified.pk,
        made_by_hand.pk,
    }


def test_a_failing_purger_does_not_stop_the_others_and_fails_the_command():
    privacy.purger("broken")(lambda *, now: 1 / 0)
    old = comment_with_ip("203.0.113.1", timedelta(days=400))
    try:
        with pytest.raises(CommandError, match="broken"):
            call_command("purge_personal_data", stdout=StringIO(), stderr=StringIO())
    finally:
        privacy.purger.unregister("broken")
    old.refresh_from_db()
    assert old.ip_address is None


def test_purge_runs_as_a_background_task():
    old = comment_with_ip("203.0.113.1", timedelta(days=400))

    result = purge_personal_data.enqueue()

    assert result.return_value["comment-ips"] == 1
    old.refresh_from_db()
    assert old.ip_address is None
