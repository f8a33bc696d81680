"""``manage.py load_demo_content``: the demo newspaper, loaded or refreshed in place."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.demo.loader import load_demo_content


class Command(BaseCommand):
    help = (
        "Load the demo sections, authors and articles (a fictional city's newspaper) with "
        "generated illustrations. Safe to re-run: rows are matched on their slugs and updated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--image-scale",
            type=float,
            default=1.0,
            help="Draw the pictures at this fraction of their full size (0 < scale ≤ 1), "
            "e.g. 0.1 for quick test runs. Default: 1.",
        )

    def handle(self, *args, image_scale: float, verbosity: int, **options) -> None:
        if not 0 < image_scale <= 1:
            raise CommandError("--image-scale must be more than 0 and at most 1.")

        def progress(items, label):
            return tqdm(items, desc=label, unit="", disable=verbosity < 1, leave=True)

        report = load_demo_content(image_scale=image_scale, progress=progress)
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content: {report.sections} sections, {report.authors} authors, "
                    f"{report.articles_created} articles created, "
                    f"{report.articles_updated} updated; pictures: {report.images_drawn} drawn, "
                    f"{report.images_kept} unchanged."
                )
            )
