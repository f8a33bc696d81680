"""Project-wide actions that belong to no single app.

Demo accounts
    ``manage.py demo`` creates three accounts with fixed, publicly known
    passwords so that a newcomer can sign in as each kind of user. They are
    made through the plain user model (username, e-mail, password), so they
    keep working whatever login front end the site uses. Never run this
    against a real site: the ``demo`` command refuses unless ``DEBUG`` is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db import transaction


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    email: str
    password: str
    group: str | None
    is_staff: bool
    can: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "Editor", "editor", "editor@example.com", "newsroom-editor", "Editors", True,
        "write, schedule and publish articles in the admin",
    ),
    DemoAccount(
        "Moderator", "moderator", "moderator@example.com", "newsroom-moderator", "Moderators",
        True, "run the comment queues",
    ),
    DemoAccount(
        "Reader", "reader", "reader@example.com", "newsroom-reader", None, False,
        "comment and vote on the site (no admin access)",
    ),
)  # fmt: skip


@transaction.atomic
def demo_accounts_ensure(
    *, accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS
) -> list[tuple[DemoAccount, AbstractBaseUser, bool]]:
    """Create the demo accounts, or reset them to their documented state.

    Idempotent: an existing account keeps its id (and its comments) but gets
    its documented e-mail, password, staff flag and group back. Returns
    ``(account, user, created)`` for each.
    """
    user_model = get_user_model()
    results = []
    for account in accounts:
        user, created = user_model._default_manager.get_or_create(
            **{user_model.USERNAME_FIELD: account.username},
            defaults={"email": account.email},
        )
        user.email = account.email
        user.is_staff = account.is_staff
        user.is_superuser = False
        user.is_active = True
        user.set_password(account.password)
        user.save()
        user.groups.set([Group.objects.get(name=account.group)] if account.group else [])
        _mark_email_verified(user, account.email)
        _ensure_profile(user, account.role)
        results.append((account, user, created))
    return results


def _mark_email_verified(user: AbstractBaseUser, email: str) -> None:
    # With django-allauth installed, logging in may require a verified address;
    # demo addresses at example.com can never receive the confirmation mail.
    if not apps.is_installed("allauth.account"):
        return
    email_address = apps.get_model("account", "EmailAddress")
    email_address.objects.filter(user=user).exclude(email__iexact=email).delete()
    email_address.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )


def _ensure_profile(user: AbstractBaseUser, display_name: str) -> None:
    # The name shown with the account's comments (accounts app: reader profiles).
    if not apps.is_installed("accounts"):
        return
    from accounts.services import account_provision

    account_provision(user=user, display_name=display_name)
