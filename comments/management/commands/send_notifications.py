"""Send the comment notifications that are due, without waiting for the worker.

    manage.py send_notifications            # fan out new comments, send what is due
    manage.py send_notifications --digests  # … and build the daily digests first

For sites that run it from cron or a systemd timer instead of (or besides)
``manage.py db_worker``. Safe to run at any time, twice, or in parallel with
the worker: see comments/delivery.py.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from comments import delivery
from comments.models import NotificationEvent, OutboxMessage


class Command(BaseCommand):
    help = "Fan out new comment notifications and send the e-mails that are due."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--digests", action="store_true", help="Build the daily digests that are due first."
        )
        parser.add_argument(
            "--purge", action="store_true", help="Also delete old sent messages and events."
        )

    def handle(self, *, digests: bool, purge: bool, verbosity: int, **options) -> None:
        if digests:
            built = delivery.build_digests()
            self.stdout.write(f"Digests built: {built['digests']} ({built['notifications']} items)")
        waiting = NotificationEvent.objects.filter(processed_at__isnull=True).count()
        with tqdm(total=waiting, desc="comments", unit="event", disable=verbosity < 1) as bar:
            while True:
                done = delivery.fan_out_events(limit=10)
                bar.update(done["events"])
                if not done["events"]:
                    break
        totals = {"sent": 0, "skipped": 0, "retrying": 0, "failed": 0}
        due = OutboxMessage.objects.due(timezone.now()).count()
        with tqdm(total=due, desc="e-mails", unit="msg", disable=verbosity < 1) as bar:
            while True:
                batch = delivery.deliver_due()
                bar.update(batch["claimed"])
                for key in totals:
                    totals[key] += batch[key]
                if not batch["claimed"]:
                    break
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in totals.items()))
        if purge:
            purged = delivery.purge()
            self.stdout.write("Purged: " + ", ".join(f"{k}: {v}" for k, v in purged.items()))
