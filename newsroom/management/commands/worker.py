"""``manage.py worker``: the background task worker, with the periodic jobs kept scheduled.

It makes sure the self-rescheduling periodic tasks have a run waiting (the
daily maintenance of ``newsroom/tasks.py`` and the notification sweep of
``comments/tasks.py``), then runs django-tasks-db's ``db_worker`` on every
queue. Extra options are passed to ``db_worker``.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from comments.tasks import schedule_periodic
from newsroom.tasks import schedule_daily_maintenance


class Command(BaseCommand):
    help = "Run the task worker (db_worker) with the periodic jobs scheduled."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--no-reload", action="store_true", help="Do not reload on changes.")

    def handle(self, *args, **options) -> None:
        if schedule_daily_maintenance():
            self.stdout.write("Scheduled the daily maintenance.")
        schedule_periodic()
        arguments = ["--queue-name", "*"]
        if options["batch"]:
            arguments.append("--batch")
        if options["no_reload"]:
            arguments.append("--no-reload")
        call_command("db_worker", *arguments)
