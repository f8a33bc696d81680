"""Recompute every article's related list (run nightly), or one article's."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import recommendations
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Refit the related-articles text model and recompute every list. Interrupted runs "
        "resume where they stopped; pages keep showing the previous lists meanwhile. "
        "With --article, update just those articles with the current model."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--restart", action="store_true", help="Start over instead of resuming."
        )
        parser.add_argument(
            "--article", type=int, action="append", metavar="ID", help="Update only this article."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, restart: bool, article: list[int] | None, no_progress: bool, **kw):
        if article:
            started = time.perf_counter()
            for pk in article:
                if not Article.objects.filter(pk=pk).exists():
                    raise CommandError(f"No article with id {pk}.")
                if not recommendations.update_article(pk):
                    raise CommandError(
                        "No related-articles model yet: run recompute_related without --article."
                    )
            self.stdout.write(
                f"Updated {len(article)} article(s) in {time.perf_counter() - started:.1f} s."
            )
            return

        def progress(label: str, total: int):
            return tqdm(
                total=total,
                desc=label,
                unit="article",
                disable=no_progress,
                file=self.stderr._out,
                dynamic_ncols=True,
            )

        resuming = recommendations.unfinished_run() is not None and not restart
        if resuming:
            self.stdout.write("Resuming the interrupted computation.")
        run = recommendations.recompute_all(restart=restart, progress=progress)
        if run is None:
            self.stdout.write("Fewer than two articles: nothing to relate yet.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Related articles computed for {run.articles} articles "
                f"(minimum score {run.min_score:.4f})."
            )
        )
