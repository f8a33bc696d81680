"""The accounts app's own entries in the privacy and page registries.

- Purgers for the personal data the accounts side keeps: expired sessions,
  the list of signed-in devices (IP address, browser) once a session is over,
  and sign-ups whose e-mail address was never verified (somebody may have
  typed another person's address).
- A neutral "comments" section for the reader page, which the comments app
  replaces by registering its own under the same name.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from . import pages, privacy

DB_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


@privacy.purger("expired-sessions")
def purge_expired_sessions(*, now: datetime) -> int:
    """Expired sessions (they hold who was signed in): what ``clearsessions`` does."""
    if settings.SESSION_ENGINE in DB_SESSION_ENGINES:
        from django.contrib.sessions.models import Session

        deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
        return deleted
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return 0


@privacy.purger("ended-device-sessions")
def purge_ended_user_sessions(*, now: datetime) -> int:
    """Device records (IP address, browser) of sessions that are over."""
    if settings.SESSION_ENGINE in DB_SESSION_ENGINES:
        from django.contrib.sessions.models import Session

        live = Session.objects.filter(expire_date__gte=now).values("session_key")
        deleted, _ = UserSession.objects.exclude(session_key__in=live).delete()
        return deleted
    return sum(1 for session in UserSession.objects.iterator() if session.purge())


@privacy.purger("unverified-sign-ups")
def purge_unverified_sign_ups(*, now: datetime) -> int:
    """Accounts whose address was never verified, long after the link expired.

    Only sign-ups (which record their address unverified) that never signed
    in and are not staff: accounts made by hand without an address record
    are left alone.
    """
    cutoff = now - timedelta(days=settings.NEWSROOM_UNVERIFIED_ACCOUNT_DAYS)
    addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
    stale = (
        get_user_model()
        .objects.filter(
            date_joined__lt=cutoff, last_login__isnull=True, is_staff=False, is_superuser=False
        )
        .filter(Exists(addresses.filter(verified=False)))
        .exclude(Exists(addresses.filter(verified=True)))
    )
    count = 0
    for user in stale.iterator():
        user.delete()
        count += 1
    return count


@pages.reader_section("comments", title="Comments", order=10, default=True)
def no_comments_yet(user) -> pages.Section:
    # Placeholder until the comments app registers its own "comments" section.
    return pages.Section("accounts/includes/reader_comments_empty.html")
