"""Reactions to sign-in and to e-mail verification (signals from Django and allauth)."""

from __future__ import annotations

import time

from allauth.account import signals as allauth_signals
from allauth.account.signals import email_confirmed
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services
from .adapter import remember_device
from .middleware import SIGNED_IN_AT


@receiver(user_logged_in, dispatch_uid="accounts.signed_in")
def on_signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        # Staff sessions are timed from here (accounts/middleware.py).
        request.session[SIGNED_IN_AT] = time.time()
    services.profile_ensure(user=user)


@receiver(allauth_signals.user_logged_in, dispatch_uid="accounts.remember_device")
def on_signed_in_through_allauth(sender, request, user, response=None, **kwargs) -> None:
    # allauth's signal, unlike Django's, carries the response the cookie goes on.
    if response is not None:
        remember_device(response, user)


@receiver(email_confirmed, dispatch_uid="accounts.claim_guest_content")
def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    claimed = services.account_claim_guest_content(
        user=email_address.user, email=email_address.email
    )
    total = sum(claimed.values())
    if total and request is not None and hasattr(request, "_messages"):
        messages.success(
            request,
            f"We found {total} earlier contribution{'s' if total != 1 else ''} you made as a "
            "guest with this address; they are now part of your account.",
        )
