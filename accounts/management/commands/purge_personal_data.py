"""Erase personal data that is no longer needed. Run it daily (see accounts/README.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from accounts import privacy, services


class Command(BaseCommand):
    help = (
        "Run every registered privacy purger: IP addresses past NEWSROOM_IP_RETENTION_DAYS, "
        "ended sessions, never-verified sign-ups… Safe to run again at any time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the task worker (manage.py db_worker) instead.",
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            from accounts.tasks import purge_personal_data

            result = purge_personal_data.enqueue()
            self.stdout.write(f"Enqueued task {result.id}.")
            return
        now = timezone.now()
        names = [name for name, _purger in privacy.purger.items()]
        counts: dict[str, int] = {}
        failed: list[str] = []
        for name in tqdm(names, desc="Purging", unit="purger", disable=options["verbosity"] < 1):
            try:
                counts.update(services.personal_data_purge(now=now, only=[name]))
            except services.PurgeFailed as error:
                failed.extend(error.failed)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        if failed:
            raise CommandError(f"These purgers failed (see the log): {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(counts.values())} rows erased."))
