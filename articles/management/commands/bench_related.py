"""Run bench/related_articles.py (quality and scale of related articles).

It loads its corpus into its own throwaway database under /tmp, never the
configured one: this command only starts the script in a new process.
"""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Benchmark related articles on a labelled JSON Lines corpus (precision@5, coverage, "
        "baselines) or a generated one (--generate N: time and memory). Uses a throwaway "
        "database under /tmp."
    )

    def add_arguments(self, parser):
        parser.add_argument("arguments", nargs="*", help="Passed to the script (see --help).")
        parser.add_argument("--generate", type=int, metavar="N")
        parser.add_argument("--limit", type=int)
        parser.add_argument("--with-metadata", action="store_true")
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, arguments, generate, limit, with_metadata, keep, **options):
        script = settings.BASE_DIR / "bench" / "related_articles.py"
        if not script.exists():
            raise CommandError(f"{script} is missing: run this from a source checkout.")
        command = [sys.executable, str(script), *arguments]
        if generate:
            command += ["--generate", str(generate)]
        if limit:
            command += ["--limit", str(limit)]
        if with_metadata:
            command.append("--with-metadata")
        if keep:
            command.append("--keep")
        completed = subprocess.run(command, check=False)  # noqa: S603 -- our own script
        if completed.returncode:
            raise CommandError(f"The benchmark failed (exit status {completed.returncode}).")
