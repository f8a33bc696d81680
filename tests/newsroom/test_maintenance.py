"""The daily maintenance chain and ``manage.py worker``."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from newsroom import tasks
from tests.factories import ArticleFactory, make_comment

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_next_run_is_today_at_the_hour_or_tomorrow(settings):
    settings.NEWSROOM_MAINTENANCE_HOUR = 4
    london = ZoneInfo("Europe/London")
    early = datetime(2026, 11, 25, 2, 0, tzinfo=london)
    late = datetime(2026, 11, 25, 9, 0, tzinfo=london)
    assert tasks.next_run(early) == datetime(2026, 11, 25, 4, 0, tzinfo=london)
    assert tasks.next_run(late) == datetime(2026, 11, 26, 4, 0, tzinfo=london)


@pytest.mark.django_db
def test_worker_schedules_one_maintenance_run_and_never_two(settings, monkeypatch):
    from newsroom.management.commands import worker

    settings.TASKS = DB_TASKS
    started = []
    # The db_worker itself closes the database connection when it exits,
    # which a test's transaction cannot survive: record how it is started.
    monkeypatch.setattr(worker, "call_command", lambda *args: started.append(args))

    call_command("worker", "--batch", "--no-reload", stdout=StringIO())
    call_command("worker", "--batch", "--no-reload", stdout=StringIO())

    waiting = DBTaskResult.objects.filter(task_path=tasks.TASK_PATH, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after > tasks.timezone.now()
    assert started[0] == ("db_worker", "--queue-name", "*", "--batch", "--no-reload")


@pytest.mark.django_db
def test_maintenance_forgets_old_ip_addresses_and_schedules_the_next_day(settings):
    settings.TASKS = DB_TASKS
    old = make_comment(ArticleFactory(), ip_address="203.0.113.9")
    Comment.objects.filter(pk=old.pk).update(created_at=tasks.timezone.now() - timedelta(days=400))

    result = tasks.daily_maintenance.call()

    old.refresh_from_db()
    assert old.ip_address is None
    assert result["personal_data"] != "failed" and result["related_articles"] != "failed"
    assert DBTaskResult.objects.filter(task_path=tasks.TASK_PATH, status="READY").count() == 1
