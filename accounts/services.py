"""Actions on reader accounts. Views, signal receivers and commands call these."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import privacy, signals
from .models import AccountDeletion, ReaderProfile, clean_display_name, validate_display_name

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "newsroom-personal-data/1"


class AccountDeletionRefused(PermissionDenied):
    """This account cannot close itself (staff accounts are closed by an administrator)."""


class PurgeFailed(Exception):
    """One or more purgers raised; the others still ran."""

    def __init__(self, failed: list[str], counts: dict[str, int]) -> None:
        super().__init__(f"purgers failed: {', '.join(failed)}")
        self.failed = failed
        self.counts = counts


def default_display_name(user: AbstractBaseUser) -> str:
    """A starting display name for accounts made outside sign-up (staff, demo)."""
    name = clean_display_name(user.get_full_name())
    try:
        validate_display_name(name)
    except ValidationError:
        return "Reader"
    return name


@transaction.atomic
def profile_create(*, user: AbstractBaseUser, display_name: str, bio: str = "") -> ReaderProfile:
    """Give ``user`` a reader profile (at sign-up)."""
    profile = ReaderProfile(user=user, display_name=clean_display_name(display_name), bio=bio)
    profile.full_clean(exclude=["user"])
    profile.save()
    return profile


def profile_ensure(*, user: AbstractBaseUser) -> ReaderProfile:
    """The reader profile of ``user``, created with a default name if missing.

    Read through the relation, so the profile stays cached on ``user`` for
    the rest of the request (the masthead reads it again).
    """
    profile = getattr(user, "reader_profile", None)
    if profile is None:
        with transaction.atomic():
            profile, _created = ReaderProfile.objects.get_or_create(
                user=user, defaults={"display_name": default_display_name(user)}
            )
        user.reader_profile = profile
    return profile


@transaction.atomic
def profile_update(
    *, profile: ReaderProfile, display_name: str, bio: str, new_avatar: bool = False
) -> ReaderProfile:
    """Change what others see of a reader; ``new_avatar`` draws a new avatar seed.

    A new display name is announced (``signals.display_name_changed``), so that
    apps showing the name with the reader's contributions show the new one.
    """
    from . import avatars

    # From the database: a ModelForm has already written the new name on ``profile``.
    previous = (
        ReaderProfile.objects.filter(pk=profile.pk).values_list("display_name", flat=True).first()
    )
    profile.display_name = clean_display_name(display_name)
    profile.bio = bio.strip()
    if new_avatar:
        profile.avatar_seed = avatars.new_seed()
    profile.full_clean(exclude=["user"])
    profile.save()
    if previous is not None and previous != profile.display_name:
        signals.display_name_changed.send(
            sender=ReaderProfile,
            user=profile.user,
            display_name=profile.display_name,
            previous=previous,
        )
    return profile


@transaction.atomic
def account_provision(
    *, user: AbstractBaseUser, display_name: str | None = None, email_verified: bool = True
) -> ReaderProfile:
    """Make an account created outside sign-up (``manage.py demo``, the admin,
    ``createsuperuser``) ready to sign in with allauth.

    Records ``user.email`` as the account's primary address, verified when
    ``email_verified`` (the caller vouches for it), and gives the user a
    profile. Safe to call again.
    """
    address = None
    if user.email:
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address is None:
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            address = EmailAddress.objects.create(
                user=user, email=user.email.lower(), primary=True, verified=email_verified
            )
        else:
            changed = []
            if email_verified and not address.verified:
                address.verified = True
                changed.append("verified")
            if not address.primary:
                EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
                address.primary = True
                changed.append("primary")
            if changed:
                address.save(update_fields=changed)
    profile = profile_ensure(user=user)
    if display_name and profile.display_name != clean_display_name(display_name):
        profile = profile_update(profile=profile, display_name=display_name, bio=profile.bio)
    # Once the profile has its name: claimed guest contributions take it.
    if address is not None and address.verified:
        account_claim_guest_content(user=user, email=address.email)
    return profile


def account_export(*, user: AbstractBaseUser, now: datetime | None = None) -> dict[str, Any]:
    """Everything the site holds about ``user``, for the reader to download.

    The account and profile come from here; comments, votes, subscriptions…
    from the apps that registered an exporter (``accounts.privacy``).
    Secrets (password hash, authenticator keys, recovery codes) are never
    included, only whether they exist.
    """
    profile = ReaderProfile.objects.filter(user=user).first()
    authenticator_types = set(
        Authenticator.objects.filter(user=user).values_list("type", flat=True)
    )
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "generated_at": now or timezone.now(),
        "site": {"name": settings.NEWSROOM_SITE_NAME, "url": settings.NEWSROOM_SITE_URL},
        "account": {
            "username": user.get_username(),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
            ],
            "two_factor": {
                "authenticator_app": Authenticator.Type.TOTP in authenticator_types,
                "recovery_codes": Authenticator.Type.RECOVERY_CODES in authenticator_types,
            },
        },
        "profile": None,
        "sessions": [
            {"started_at": session.created_at, "ip": session.ip, "browser": session.user_agent}
            for session in UserSession.objects.filter(user=user).order_by("-created_at")
        ],
    }
    if profile is not None:
        data["profile"] = {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "public_page": settings.NEWSROOM_SITE_URL + profile.get_absolute_url(),
            "avatar": settings.NEWSROOM_SITE_URL + profile.avatar_url,
            "created_at": profile.created_at,
        }
    for name, export in privacy.exporter.items():
        data[name] = export(user)
    return data


@transaction.atomic
def account_delete(
    *, user: AbstractBaseUser, content: privacy.ContentChoice | str
) -> AccountDeletion:
    """Close a reader's account, by their own choice.

    Every app's eraser runs first (comments anonymised or removed as the
    reader chose, votes and subscriptions deleted…), then every session of
    the reader is ended and the user row deleted, taking the profile, e-mail
    addresses, authenticators and session records with it. The deletion is
    recorded without personal data. Any failure rolls everything back.
    """
    if user.is_staff or user.is_superuser:
        raise AccountDeletionRefused(
            "Staff accounts are closed by an administrator, so that the newsroom keeps "
            "its records of who edited what."
        )
    content = privacy.ContentChoice(content)
    summary: dict[str, dict[str, int]] = {}
    for name, erase in privacy.eraser.items():
        counts = erase(user, content=content) or {}
        # Counts only: an eraser cannot smuggle personal data into the log.
        summary[name] = {str(key): int(value) for key, value in counts.items()}
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.delete()
    deletion = AccountDeletion.objects.create(content=content, summary=summary)
    logger.info("reader account closed (record %s, content %s)", deletion.pk, content)
    return deletion


@transaction.atomic
def account_claim_guest_content(*, user: AbstractBaseUser, email: str) -> dict[str, int]:
    """Attach to ``user`` what was contributed as a guest with ``email``.

    Only for an address ``user`` has verified: that proves the guest and the
    reader are the same person. Returns how many items each app attached.
    """
    if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        raise ValueError("Guest contributions can only be claimed with a verified address.")
    claimed = {}
    for name, claim in privacy.claimer.items():
        claimed[name] = int(claim(user, email=email.lower()) or 0)
    return claimed


def personal_data_purge(
    *, now: datetime | None = None, only: list[str] | None = None
) -> dict[str, int]:
    """Run every registered purger, or those named in ``only``, each in its own
    transaction.

    A failing purger does not stop the others; ``PurgeFailed`` is raised at the
    end so that a scheduler reports the failure.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    failed: list[str] = []
    for name, purge in privacy.purger.items():
        if only is not None and name not in only:
            continue
        try:
            with transaction.atomic():
                counts[name] = int(purge(now=now) or 0)
        except Exception:
            logger.exception("privacy purger %s failed", name)
            failed.append(name)
    if failed:
        raise PurgeFailed(failed, counts)
    return counts
