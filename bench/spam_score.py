"""Precision and recall of the spam score on a public labelled comment collection.

    .venv/bin/python bench/spam_score.py [--data ../shared/data/spam]

Reads the YouTube Spam Collection (Alberto, Lochter & Almeida 2015; CSV files
with CONTENT and CLASS, 1 = spam), and posts every comment, oldest first, one
article per file, through the real ``comments.services.comment_post`` into a
throwaway SQLite database: the score sees what it would see on a live site
(earlier comments for repeated text, posting speed and the author's history,
as decided by the system itself; the labels are never shown to it). The
authors' names stand in for their e-mail addresses; there are no IP addresses
in the collection.

It prints, for the site's thresholds (``NEWSROOM_SPAM_SCORE`` files a comment
as spam, ``NEWSROOM_SPAM_HOLD_SCORE`` holds it for review), the confusion
matrix, precision and recall per file and overall, how often each signal fired
on spam and on legitimate comments, and a sweep over thresholds. The sweep is
the only thing tuned on this data: the thresholds in the settings were chosen
from it. The signals and the lists of spam phrases (``comments/spam.py``) were
written from general knowledge of comment spam, without reading these files'
texts; the files are only used to measure.

Skips (exit code 0, with a message) when the data folder is absent.
"""

from __future__ import annotations

import argparse
import csv
import html
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "spam"

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def plain_text(content: str) -> str:
    """What the reader typed: YouTube's HTML (links, line breaks, entities) back to text."""
    text = _BREAK.sub("\n", content)
    text = _TAG.sub("", text)
    return html.unescape(text).replace("\ufeff", "").strip()


def parse_date(value: str) -> datetime:
    value = value.strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return datetime(2013, 1, 1, tzinfo=UTC)


def metrics(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    tp = sum(1 for truth, guess in pairs if truth and guess)
    fp = sum(1 for truth, guess in pairs if not truth and guess)
    fn = sum(1 for truth, guess in pairs if truth and not guess)
    tn = sum(1 for truth, guess in pairs if not truth and not guess)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def show_matrix(title: str, result: dict[str, float | int]) -> None:
    print(f"  {title}")
    print("                      decided spam   decided not")
    print(f"    labelled spam     {result['tp']:>12}   {result['fn']:>11}")
    print(f"    labelled not      {result['fp']:>12}   {result['tn']:>11}")
    print(
        f"    precision {result['precision']:.3f}   recall {result['recall']:.3f}   "
        f"F1 {result['f1']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    files = sorted(args.data.glob("*.csv")) if args.data.exists() else []
    if not files:
        print(f"SKIPPED: no CSV files in {args.data} (../shared/data is optional)")
        return

    workdir = tempfile.mkdtemp(prefix="newsroom-spam-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.utils.text import slugify
    from tqdm import tqdm

    from comments import services
    from tests.factories import ArticleFactory

    settings.MEDIA_ROOT = Path(workdir) / "media"
    call_command("migrate", verbosity=0, interactive=False)
    spam_at, hold_at = settings.NEWSROOM_SPAM_SCORE, settings.NEWSROOM_SPAM_HOLD_SCORE

    rows: list[dict] = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    {
                        "file": path.stem,
                        "author": row["AUTHOR"],
                        "date": parse_date(row["DATE"]),
                        "text": plain_text(row["CONTENT"]),
                        "spam": row["CLASS"].strip() == "1",
                    }
                )
    rows.sort(key=lambda row: row["date"])
    articles = {path.stem: ArticleFactory(title=f"Video {path.stem}") for path in files}

    results: list[dict] = []
    skipped = 0
    for row in tqdm(rows, desc="posting", unit="comment"):
        email = f"{slugify(row['author'])[:40] or 'anonymous'}@youtube.invalid"
        try:
            comment = services.comment_post(
                article=articles[row["file"]],
                body=row["text"],
                author_name=row["author"][:80] or "Anonymous",
                author_email=email,
                now=row["date"],
            )
        except ValidationError:
            skipped += 1
            continue
        results.append(
            {
                **row,
                "score": comment.spam_score,
                "status": comment.status,
                "signals": [signal["name"] for signal in comment.spam_signals],
            }
        )

    total_spam = sum(r["spam"] for r in results)
    print(
        f"\n{len(results)} comments ({total_spam} labelled spam) from {len(files)} files; "
        f"{skipped} refused by the form rules (empty or too long)."
    )
    print(f"Thresholds from settings: spam at score >= {spam_at}, hold at score >= {hold_at}.\n")

    print("Decision: filed as spam (score >= NEWSROOM_SPAM_SCORE)")
    for name in [*sorted(articles), "all"]:
        subset = [r for r in results if name in ("all", r["file"])]
        show_matrix(name, metrics([(r["spam"], r["score"] >= spam_at) for r in subset]))
    print("\nDecision: kept from readers, held or spam (score >= NEWSROOM_SPAM_HOLD_SCORE)")
    show_matrix("all", metrics([(r["spam"], r["score"] >= hold_at) for r in results]))
    print("\nStatus given by all the rules together (spam score, link limit):")
    by_status = Counter((r["status"], r["spam"]) for r in results)
    for status in ("approved", "pending", "spam", "rejected"):
        print(
            f"  {status:<9} {by_status[(status, True)]:>5} labelled spam, "
            f"{by_status[(status, False)]:>5} labelled not"
        )

    print("\nSignals: share of comments where each fired")
    fired: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        for name in set(r["signals"]):
            fired[name][r["spam"]] += 1
    ham_total = len(results) - total_spam
    for name, counts in sorted(fired.items()):
        print(
            f"  {name:<15} spam {counts[True] / max(total_spam, 1):6.1%}   "
            f"not spam {counts[False] / max(ham_total, 1):6.1%}"
        )

    print("\nThreshold sweep (the only tuning on this data; the settings' choice is marked):")
    print("  threshold  precision  recall     F1   flagged")
    for threshold in range(10, 101, 10):
        result = metrics([(r["spam"], r["score"] >= threshold) for r in results])
        marks = []
        if threshold == spam_at:
            marks.append("<- NEWSROOM_SPAM_SCORE")
        if threshold == hold_at:
            marks.append("<- NEWSROOM_SPAM_HOLD_SCORE")
        print(
            f"  {threshold:>9}  {result['precision']:>9.3f}  {result['recall']:>6.3f}  "
            f"{result['f1']:>5.3f}  {result['tp'] + result['fp']:>8}  {' '.join(marks)}"
        )


if __name__ == "__main__":
    main()
