"""Background tasks of the comments app (django-tasks, run by ``manage.py db_worker``).

``purge_discussion_pages``
    Drops an article's page and its comment fragments from the shared caches.

Notifications are kept in the database (``OutboxMessage``, ``NotificationEvent``);
the tasks only decide *when* the worker looks at them:

``deliver_notifications``
    Woken after every commit that queues something (``wake``): fans out new
    events and sends what is due, up to 500 messages per run, then wakes
    itself again while work remains, or schedules itself for the next retry.

``notifications_periodic``
    Every ``NEWSROOM_NOTIFY_SWEEP_INTERVAL`` seconds: daily digests once their
    hour has passed, anything a lost wake-up left behind (a crash between a
    commit and its wake-up, a worker killed mid-batch), then clean-up. It
    schedules its own next run with ``run_after``: django-tasks has no
    periodic tasks. The chain is (re)started by every ``wake`` and never
    duplicated (a run only schedules the next one when none is waiting).

Both run on the default queue, so any ``db_worker`` picks them up. Without a
worker, cron or a systemd timer can run the same work with
``manage.py send_notifications`` and ``manage.py send_digests`` (see README).

With a backend that runs tasks at once (the ImmediateBackend of the test
settings) nothing is scheduled for later: waking runs the delivery there and
then.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from newsroom.purge import page_keys, purge_now

from . import delivery

# Above the default (0): a reader may be waiting for a confirmation link.
DELIVERY_PRIORITY = 10


@task()
def purge_discussion_pages(article_id: int, thread_id: int | None = None) -> dict[str, int]:
    """Drop an article's page and its comment fragments from the shared caches."""
    from articles.models import Article

    article = Article.objects.select_related("section").filter(pk=article_id).first()
    if article is None:
        return {"done": 0, "failed": 0}
    paths = page_keys(article.get_absolute_url())
    paths.append(f"/comments/article/{article_id}/*")
    if thread_id:
        thread = f"/comments/thread/{thread_id}/"
        paths += [thread, f"{thread}?fragment=1", f"{thread}*"]
    return purge_now(paths)


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (value.isoformat() if isinstance(value, datetime) else value)
        for key, value in stats.items()
    }


@task(priority=DELIVERY_PRIORITY)
def deliver_notifications() -> dict[str, Any]:
    """Fan out new comment events and send the messages that are due."""
    stats = delivery.run()
    if stats["more"]:
        _enqueue(deliver_notifications)
    elif stats["next_due"] is not None:
        _enqueue(deliver_notifications, run_after=stats["next_due"])
    return _jsonable(stats)


@task()
def notifications_periodic() -> dict[str, Any]:
    """Digests, anything left behind, clean-up; then schedule the next run."""
    stats = delivery.sweep()
    schedule_periodic()
    return {key: _jsonable(value) for key, value in stats.items()}


def wake() -> None:
    """Have the worker look at the outbox now (call on commit)."""
    _enqueue(deliver_notifications)
    schedule_periodic()


def schedule_periodic() -> None:
    """Make sure the periodic pass will run within one interval."""
    run_after = timezone.now() + timedelta(seconds=settings.NEWSROOM_NOTIFY_SWEEP_INTERVAL)
    _enqueue(notifications_periodic, run_after=run_after, any_time=True)


def _durable(task_) -> bool:
    return isinstance(task_.get_backend(), DatabaseBackend)


def _enqueue(task_, *, run_after: datetime | None = None, any_time: bool = False) -> None:
    """Enqueue ``task_`` unless a run that would do the same job is already waiting.

    ``any_time``: any waiting run will do (the periodic chain); otherwise one
    that may start by ``run_after`` (or now).
    """
    if not _durable(task_):
        if run_after is None:
            task_.enqueue()  # runs at once; later runs cannot be scheduled
        return
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = DBTaskResult.objects.filter(
        task_path=task_.module_path, status="READY", backend_name=task_.backend
    )
    if not any_time:
        by = run_after or timezone.now()
        waiting = waiting.filter(Q(run_after=get_date_max()) | Q(run_after__lte=by))
    if waiting.exists():
        return
    (task_.using(run_after=run_after) if run_after else task_).enqueue()
