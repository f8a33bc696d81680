"""WordPress import: time and peak memory for 10,000 posts and 100,000 comments.

    .venv/bin/python bench/wordpress_import.py [--posts 10000] [--comments-per-post 10]

Writes a WXR export into /tmp (classic and block-editor posts, categories,
tags, threaded discussions up to eight replies deep, some spam and pingbacks),
then imports it with ``manage.py import_wordpress`` into a throwaway SQLite
database (or the PostgreSQL server named by BENCH_DATABASE_URL), once at a
quarter of the size and once at full size, each in a fresh process, and
prints the file size, the time (wall clock and the process's CPU time), the
throughput and the peak memory (RSS) of each run, and the time of a re-run of
the full file (everything unchanged). Memory
staying flat while the file grows fourfold shows the import streams. The
related-articles computation the import queues is not run (nor timed): tasks
go to the database queue, and no worker runs here.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (  # noqa: SIM905 -- easier to read as prose
    "council budget harbour bridge ferry traffic vote consultation residents plan cost "
    "years money school transport housing river market policy report numbers meeting "
    "think agree disagree evidence argument point question answer fair wrong right city"
).split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate(path: Path, *, posts: int, comments_per_post: int, seed: int = 7) -> None:
    from tests.wordpress.build import author, comment, post, write

    rng = random.Random(seed)
    sections = [(f"section-{n}", f"Section {n}") for n in range(12)]
    tags = [(f"topic-{n}", f"Topic {n}") for n in range(200)]

    def items():
        comment_id = 1
        for n in range(1, posts + 1):
            paragraphs = [sentence(rng, rng.randint(20, 60)) for _ in range(rng.randint(4, 10))]
            if n % 3:
                content = "\n\n".join(paragraphs)  # classic: auto-paragraphs
            else:
                content = "\n".join(
                    f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
                )
            discussion = []
            ids: list[int] = []
            for k in range(comments_per_post):
                parent = rng.choice(ids[-3:]) if ids and k % 4 else 0
                approved = "spam" if k % 29 == 7 else "0" if k % 17 == 3 else "1"
                kind = "pingback" if k % 37 == 11 else ""
                discussion.append(
                    comment(
                        comment_id,
                        sentence(rng, rng.randint(10, 60)),
                        parent=parent,
                        approved=approved,
                        type=kind,
                        author=f"Reader {rng.randint(1, 5000)}",
                        date_gmt=f"2023-{1 + n % 12:02d}-{1 + n % 28:02d} "
                        f"{10 + k // 60 % 10:02d}:{k % 60:02d}:00",
                    )
                )
                ids.append(comment_id)
                comment_id += 1
            yield post(
                n,
                f"Story number {n}: {sentence(rng, 6)[:-1]}",
                content,
                slug=f"story-{n}",
                creator=f"writer{n % 25}",
                date_gmt=f"2023-{1 + n % 12:02d}-{1 + n % 28:02d} 09:{n % 60:02d}:00",
                excerpt=sentence(rng, 20),
                categories=[rng.choice(sections)],
                tags=rng.sample(tags, 3),
                sticky=n % 500 == 0,
                comments=discussion,
            )

    with path.open("w", encoding="utf-8") as handle:
        write(
            handle,
            items(),
            authors=[author(f"writer{n}", id=n + 1, display_name=f"Writer {n}") for n in range(25)],
        )


def child(export: Path, database_url: str, runs: int) -> None:
    """Import ``export`` (``runs`` times) in this process and print the figures as JSON."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    # The test settings run tasks at once, in this process: the related-articles
    # computation the import queues would be timed as part of it. Queued in the
    # database, as in production, it waits for a worker this bench does not run.
    override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}).enable()
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-bench-media-"))
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "postgresql":
        call_command("flush", verbosity=0, interactive=False)
        call_command("migrate", verbosity=0, interactive=False)
    figures, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        call_command("import_wordpress", str(export), "--no-progress", verbosity=0)
        figures.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    from articles.models import Article
    from comments.models import Comment

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": figures,
                "cpu": cpu,
                "peak_mib": peak_kib / 1024,
                "articles": Article.objects.count(),
                "comments": Comment.objects.count(),
                "vendor": connection.vendor,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=10)
    parser.add_argument("--child", nargs=3, metavar=("EXPORT", "DATABASE_URL", "RUNS"))
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1], int(args.child[2]))
        return

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-wpbench-", dir="/tmp"))
    sizes = [args.posts // 4, args.posts]
    print(f"exports and databases in {workdir}\n")
    print(f"{'posts':>7} {'comments':>9} {'file':>8} {'import':>8} {'CPU':>8} {'posts/s':>8} "
          f"{'comm./s':>8} {'peak RSS':>9} {'re-run':>8}")  # fmt: skip
    for posts in sizes:
        export = workdir / f"export-{posts}.xml"
        generate(export, posts=posts, comments_per_post=args.comments_per_post)
        size_mib = export.stat().st_size / 2**20
        database = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/db-{posts}.sqlite3")
        runs = 2 if posts == sizes[-1] else 1
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(export), database, str(runs)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        seconds = figures["seconds"][0]
        rerun = f"{figures['seconds'][1]:>7.1f}s" if runs == 2 else f"{'':>8}"
        print(
            f"{figures['articles']:>7,} {figures['comments']:>9,} {size_mib:>6.1f}MB "
            f"{seconds:>7.1f}s {figures['cpu'][0]:>7.1f}s {figures['articles'] / seconds:>8.0f} "
            f"{figures['comments'] / seconds:>8.0f} {figures['peak_mib']:>7.0f}MB {rerun}"
        )
    print(
        f"\ndatabase: {figures['vendor']}; CPU: the import process's own time (on a busy "
        "machine the wall-clock time is longer); comments: those imported"
    )


if __name__ == "__main__":
    main()
