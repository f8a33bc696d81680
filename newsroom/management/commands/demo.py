"""``manage.py demo``: the whole site with demo content, in one command (development only).

Migrates, loads the demo newspaper (and the demo comments when the comments
app provides ``load_demo_comments``), creates the demo accounts, prints their
credentials, then serves the site with a background task worker beside it.
Safe to re-run: nothing is duplicated.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.shortcuts import resolve_url
from django.urls import reverse

from newsroom.services import demo_accounts_ensure

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def worker_command() -> list[str]:
    """The background task worker, run with the same interpreter and settings."""
    return [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "worker",
        "--no-reload",
    ]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run_alongside(
    command: Sequence[str],
    serve: Callable[[subprocess.Popen], None],
    *,
    stop_timeout: float = 10,
    env: dict[str, str] | None = None,
) -> None:
    """Start ``command`` as a child process, call ``serve(child)``, stop the child after.

    The child gets a session of its own, so Ctrl-C reaches only us and the
    child is stopped once, with SIGTERM (a worker finishes its current task),
    then killed if it does not exit within ``stop_timeout`` seconds. SIGTERM
    sent to us is turned into KeyboardInterrupt so the same cleanup runs.
    """
    child = subprocess.Popen(command, start_new_session=True, env=env)  # noqa: S603 -- our own argv
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    try:
        serve(child)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _display_host(addrport: str) -> str:
    host, _, port = addrport.rpartition(":")
    if host in {"", "0.0.0.0", "0", "[::]", "::"}:  # noqa: S104 -- display only
        host = "127.0.0.1"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Set up and run the site with demo content: migrate, load demo articles (and comments), "
        "create demo accounts (passwords are printed: development only), start a task worker "
        "and serve. Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Do everything except starting the worker and the server.",
        )
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"Address and port to serve on (default: {DEFAULT_ADDRPORT}).",
        )
        parser.add_argument(
            "--image-scale",
            type=float,
            default=1.0,
            help="Draw the demo pictures at this fraction of their full size (default: 1).",
        )

    def handle(
        self, *args, no_serve: bool, addrport: str, image_scale: float, verbosity: int, **options
    ) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo creates accounts with well-known passwords and prints them, so it only "
                "runs with DEBUG on (the default development settings). Do not use it on a "
                "real site."
            )
        if ":" not in addrport:
            addrport = f"127.0.0.1:{addrport}"
        output = {"verbosity": verbosity, "stdout": self.stdout, "stderr": self.stderr}

        self._step("Migrating the database", verbosity)
        call_command("migrate", interactive=False, **{**output, "verbosity": max(verbosity - 1, 0)})
        self._step("Loading the demo content", verbosity)
        call_command("load_demo_content", image_scale=image_scale, **output)
        if "load_demo_comments" in get_commands():
            self._step("Loading the demo comments", verbosity)
            call_command("load_demo_comments", **output)
        # The nightly maintenance computes related articles; a new site
        # should not wait for the night to show them.
        self._step("Computing related articles", verbosity)
        call_command("recompute_related", no_progress=True, **output)
        self._step("Creating the demo accounts", verbosity)
        accounts = demo_accounts_ensure()
        self._print_summary(accounts, _display_host(addrport))

        if no_serve:
            return
        self._step("Starting the background task worker and the web server", verbosity)
        try:
            run_alongside(
                worker_command(),
                lambda worker: call_command("runserver", addrport, use_reloader=False),
                # The worker logs each task it runs; in the demo's terminal only
                # its warnings and errors, so the server's requests stay readable.
                env={**os.environ, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING")},
            )
        finally:
            self.stdout.write("Stopped the web server and the background task worker.")

    def _step(self, text: str, verbosity: int) -> None:
        if verbosity >= 1:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{text}…"))

    def _print_summary(self, accounts, base_url: str) -> None:
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS("The Newsroom demo is ready (development only)."))
        write("")
        write(f"  Site:     {base_url}{reverse('articles:home')}")
        write(f"  Admin:    {base_url}{reverse('admin:index')}")
        write(f"  Sign in:  {base_url}{resolve_url(settings.LOGIN_URL)}")
        write("")
        write("  Demo accounts. These passwords are public: never use them on a real site.")
        write("")
        write(f"    {'Role':<11}{'Username':<11}{'E-mail':<24}{'Password':<20}Can")
        for account, _user, _created in accounts:
            write(
                f"    {account.role:<11}{account.username:<11}{account.email:<24}"
                f"{self.style.WARNING(f'{account.password:<20}')}{account.can}"
            )
        write("")
