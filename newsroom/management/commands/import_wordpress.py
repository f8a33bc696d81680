"""``manage.py import_wordpress EXPORT.xml``: bring a WordPress site's posts and comments in.

Export the site with WordPress's Tools → Export → All content. Re-running the
same file is safe: what changed is updated, nothing is duplicated, and an
interrupted run is completed. See ``newsroom/wordpress/importer.py``.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.wordpress.importer import ImportOptions, describe_error, import_export
from newsroom.wordpress.wxr import WXRError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR 1.0–1.2): posts, authors, categories, tags, comments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument(
            "--timezone",
            default=settings.TIME_ZONE,
            help="The WordPress site's time zone, for dates the export gives only in local "
            "time (default: %(default)s).",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="A copy of the site's wp-content/uploads folder, to import featured images.",
        )
        parser.add_argument(
            "--post-type",
            action="append",
            dest="post_types",
            metavar="TYPE",
            help="Post types to import as articles (repeat for several; default: post).",
        )
        parser.add_argument(
            "--category-type",
            action="append",
            default=[],
            metavar="CATEGORY=TYPE",
            help="Give the posts of a category an article type, e.g. opinion=opinion "
            "(category slug = article type slug; repeat for several). Default type: news.",
        )
        parser.add_argument(
            "--default-section",
            default="uncategorized",
            help="Section slug for posts without a category (default: %(default)s).",
        )
        parser.add_argument(
            "--lenient",
            action="store_true",
            help="Import posts that lack their id, title, author, status or date (the file "
            "is refused by default): without an author no byline, without a date the "
            "import's time.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-apply every post, even those unchanged since the last import.",
        )
        parser.add_argument("--batch-size", type=int, default=100, help="Posts per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, **options) -> None:
        path: Path = options["export"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            zone = ZoneInfo(options["timezone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CommandError(f"unknown time zone {options['timezone']!r}") from exc
        media_root = options["media_root"]
        if media_root is not None and not media_root.is_dir():
            raise CommandError(f"--media-root {media_root}: no such folder")
        category_types = {}
        for pair in options["category_type"]:
            category, sep, type_slug = pair.partition("=")
            if not sep or not category or not type_slug:
                raise CommandError(f"--category-type {pair!r}: write CATEGORY=TYPE")
            category_types[category.strip()] = type_slug.strip()
        import_options = ImportOptions(
            timezone=zone,
            media_root=media_root,
            post_types=frozenset(options["post_types"] or ["post"]),
            category_types=category_types,
            default_section=options["default_section"],
            lenient=options["lenient"],
            force=options["force"],
            batch_size=max(options["batch_size"], 1),
            progress=not options["no_progress"] and options["verbosity"] > 0,
            progress_file=self.stderr._out,
        )
        try:
            summary = import_export(path, import_options)
        except WXRError as exc:
            raise CommandError(describe_error(exc, path)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            for line in summary.lines():
                self.stdout.write(line)
