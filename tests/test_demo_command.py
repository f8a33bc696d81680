"""``manage.py demo``: one command from a fresh checkout to a running site with demo data."""

from __future__ import annotations

import io
import signal
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, RelatedArticle
from newsroom.management.commands import demo

pytestmark = pytest.mark.django_db

SCALE = "0.05"


@pytest.fixture
def commands_run(monkeypatch):
    """Record the commands ``demo`` runs, without loading content or serving for real.

    (The content has its own tests: tests/articles/test_demo_content.py.)
    """
    calls: list[tuple[str, tuple, dict]] = []
    real_call_command = demo.call_command

    def recording_call_command(name, *args, **kwargs):
        calls.append((name, args, kwargs))
        if name in {"load_demo_content", "load_demo_comments", "runserver"}:
            return None
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo, "call_command", recording_call_command)
    return calls


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--image-scale", SCALE, *args, stdout=out, stderr=out)
    return out.getvalue()


def test_demo_refuses_to_run_unless_debug_is_on(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        run_demo()

    assert not get_user_model().objects.exists()
    assert not Article.objects.exists()


def test_demo_loads_the_content_and_creates_the_three_accounts_with_their_roles(settings):
    settings.DEBUG = True

    output = run_demo()

    users = {user.username: user for user in get_user_model().objects.all()}
    # The demo discussions add accounts of their own (an author, the desk),
    # none of them able to sign in to the admin with a known password.
    assert {"editor", "moderator", "reader"} <= set(users)
    assert {u for u, user in users.items() if user.has_usable_password()} == {
        "editor",
        "moderator",
        "reader",
    }
    editor, moderator, reader = users["editor"], users["moderator"], users["reader"]
    assert editor.is_staff and not editor.is_superuser
    assert [g.name for g in editor.groups.all()] == ["Editors"]
    assert moderator.is_staff and not moderator.is_superuser
    assert [g.name for g in moderator.groups.all()] == ["Moderators"]
    assert not reader.is_staff and not reader.groups.exists()
    assert editor.email == "editor@example.com"
    assert editor.check_password("newsroom-editor")
    assert moderator.check_password("newsroom-moderator")
    assert reader.check_password("newsroom-reader")
    assert editor.has_perm("articles.change_article")
    assert not moderator.has_perm("articles.change_article")
    # The credentials and where to use them are printed at the end.
    assert "http://127.0.0.1:8000/admin/" in output
    for user in (editor, moderator, reader):
        assert f"{user.username}@example.com" in output
    assert output.index("newsroom-reader") > output.index("Demo content:")
    assert Article.objects.published().count() >= 24
    # Related articles are there from the start, not after the nightly run.
    assert RelatedArticle.objects.values("article").distinct().count() >= 12


def test_demo_run_again_resets_the_accounts_without_duplicating_them(settings, commands_run):
    settings.DEBUG = True
    run_demo()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("changed by someone")
    editor.is_staff = False
    editor.save()
    editor_id = editor.pk

    output = run_demo("--addrport", "0.0.0.0:8123")

    assert get_user_model().objects.count() == 3
    editor = get_user_model().objects.get(username="editor")
    assert editor.pk == editor_id
    assert editor.check_password("newsroom-editor") and editor.is_staff
    assert "http://127.0.0.1:8123/" in output


def test_demo_also_loads_demo_comments_when_a_load_demo_comments_command_exists(
    settings, monkeypatch, commands_run
):
    settings.DEBUG = True
    monkeypatch.setattr(demo, "get_commands", lambda: {"load_demo_comments": "comments"})

    run_demo()

    assert [name for name, _args, _kwargs in commands_run] == [
        "migrate",
        "load_demo_content",
        "load_demo_comments",
        "recompute_related",
    ]


def test_demo_skips_demo_comments_when_no_app_provides_them(settings, monkeypatch, commands_run):
    settings.DEBUG = True
    monkeypatch.setattr(demo, "get_commands", lambda: {"migrate": "django.core"})

    run_demo()

    assert "load_demo_comments" not in [name for name, _args, _kwargs in commands_run]


def test_demo_serves_with_a_background_task_worker_beside_the_server(
    settings, monkeypatch, commands_run
):
    settings.DEBUG = True
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    started = {}

    def fake_run_alongside(command, serve, env=None):
        started["command"], started["env"] = command, env
        serve(None)

    monkeypatch.setattr(demo, "run_alongside", fake_run_alongside)

    call_command("demo", "--image-scale", SCALE, "--addrport", "8124", stdout=io.StringIO())

    command = started["command"]
    assert command[0] == sys.executable
    assert command[1].endswith("manage.py")
    assert command[2] == "worker"
    # Only the worker's warnings reach the terminal, not a line per task.
    assert started["env"]["LOG_LEVEL"] == "WARNING"
    assert ("runserver", ("127.0.0.1:8124",), {"use_reloader": False}) in commands_run


def test_the_worker_is_stopped_when_the_server_stops_even_on_ctrl_c():
    seen = {}

    def serve(worker):
        seen["worker"] = worker
        assert worker.poll() is None  # running while we serve
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.run_alongside([sys.executable, "-c", "import time; time.sleep(60)"], serve)

    assert seen["worker"].poll() == -signal.SIGTERM  # asked to stop, not killed


def test_a_worker_that_ignores_sigterm_is_killed_after_the_timeout(monkeypatch):
    ignores_term = (
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(60)"
    )
    popen = subprocess.Popen
    # Read the child's output, to know when its SIGTERM handler is in place.
    monkeypatch.setattr(
        subprocess, "Popen", lambda command, **kw: popen(command, stdout=subprocess.PIPE, **kw)
    )
    seen = {}

    def serve(worker):
        seen["worker"] = worker
        worker.stdout.readline()

    demo.run_alongside([sys.executable, "-c", ignores_term], serve, stop_timeout=0.2)

    seen["worker"].stdout.close()
    assert seen["worker"].returncode == -signal.SIGKILL
