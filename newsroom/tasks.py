"""Site-wide scheduled work, run by the task worker.

django-tasks has no periodic tasks, so ``daily_maintenance`` schedules its
own next run (with ``run_after``) each time it runs; ``manage.py worker``
makes sure one run is always waiting before it starts the worker. Each day,
at ``NEWSROOM_MAINTENANCE_HOUR`` (local time):

- ``purge_personal_data``: IP addresses older than the retention period,
  expired sessions, unverified sign-ups… (``accounts.privacy``);
- a full recomputation of related articles (new words enter the model; the
  day's incremental updates are folded in).

Where no worker runs, cron or a systemd timer can run the same commands:
``manage.py purge_personal_data`` and ``manage.py recompute_related``.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

TASK_PATH = "newsroom.tasks.daily_maintenance"


def next_run(now: datetime | None = None) -> datetime:
    """The next maintenance time: today at the configured hour, or tomorrow."""
    now = timezone.localtime(now or timezone.now())
    today = timezone.make_aware(
        datetime.combine(now.date(), time(hour=settings.NEWSROOM_MAINTENANCE_HOUR)),
        now.tzinfo,
    )
    return today if today > now else today + timedelta(days=1)


def schedule_daily_maintenance() -> bool:
    """Queue the next maintenance run unless one is already waiting. True if queued."""
    backend = daily_maintenance.get_backend()
    if backend.__class__.__name__ == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
        if waiting.exists():
            return False
        daily_maintenance.using(run_after=next_run()).enqueue()
        return True
    return False  # backends that run at once (tests) have nothing to schedule


@task()
def daily_maintenance() -> dict[str, Any]:
    from accounts.services import personal_data_purge
    from articles import recommendations

    results: dict[str, Any] = {}
    try:
        results["personal_data"] = personal_data_purge()
    except Exception:
        logger.exception("daily maintenance: purging personal data failed")
        results["personal_data"] = "failed"
    try:
        run = recommendations.recompute_all()
        results["related_articles"] = f"run {run.pk}" if run else "fewer than two articles"
    except Exception:
        logger.exception("daily maintenance: recomputing related articles failed")
        results["related_articles"] = "failed"
    schedule_daily_maintenance()
    return {
        key: value if isinstance(value, str | int) else str(value) for key, value in results.items()
    }
