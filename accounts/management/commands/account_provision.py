"""Make accounts created outside sign-up able to sign in (verified e-mail, profile)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import services


class Command(BaseCommand):
    help = (
        "Record each user's e-mail address as verified and give them a reader profile, so "
        "accounts made with createsuperuser or the admin can sign in. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("usernames", nargs="+", metavar="username")
        parser.add_argument("--display-name", help="Display name (only with one username).")

    def handle(self, *args, usernames: list[str], display_name: str | None, **options) -> None:
        if display_name and len(usernames) > 1:
            raise CommandError("--display-name needs exactly one username.")
        User = get_user_model()
        for username in usernames:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user called {username!r}.")
            if not user.email:
                raise CommandError(f"{username!r} has no e-mail address; set one first.")
            services.account_provision(user=user, display_name=display_name)
            self.stdout.write(f"{username}: ready to sign in with {user.email}")
