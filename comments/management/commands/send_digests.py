"""Build and send the daily digests that are due.

    manage.py send_digests

Run it daily after ``NEWSROOM_DIGEST_HOUR`` from cron or a systemd timer if
the task worker is not running (with the worker, ``notifications_periodic``
does it). Idempotent: a digest is unique per subscriber and day, so running it
twice, or on two machines, sends each digest once.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from comments import delivery


class Command(BaseCommand):
    help = "Build the daily comment digests that are due and send them."

    def handle(self, *, verbosity: int, **options) -> None:
        built = delivery.build_digests()
        self.stdout.write(
            f"Digests built: {built['digests']} ({built['notifications']} notifications)"
        )
        call_command("send_notifications", verbosity=verbosity, stdout=self.stdout)
