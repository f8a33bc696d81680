#!/usr/bin/env python
"""Related articles: measured quality on a labelled corpus, time and memory at scale.

Quality (precision@5 and coverage, against baselines)::

    .venv/bin/python bench/related_articles.py ../shared/data/news/bbc-news-2225.jsonl

Scale (a generated corpus of 100,000 articles: full and incremental recomputation)::

    .venv/bin/python bench/related_articles.py --generate 100000

(also ``manage.py bench_related …`` with the same arguments).

The corpus is a JSON Lines file, one article a line: ``id``, ``title``,
``paragraphs`` (a list) or ``body``, ``category`` (the label), and optionally
``standfirst``, ``tags``, ``section``, ``published`` (ISO 8601). Exact duplicates
(same title and text) are dropped. The articles are loaded in a shuffled order
(so that ids and ties carry no hint of the label) into a throwaway SQLite
database under /tmp, through the project's own models and publishing service,
then ``recompute_related`` computes every list, and each article's teasers are
read exactly as the article page reads them.

Sections and tags are withheld unless ``--with-metadata``: only the text and
the dates decide. When the corpus has no dates, every article is dated the
same, so recency is neutral.

Figures:

precision@5
    Share of the teasers shown (at most 5 per article) whose article has the
    same category as the article they are shown under.
strict precision@5
    The same, out of 5 per article: a teaser not shown counts as a miss.
coverage
    Share of articles showing at least one teaser (``full``: all five).

Nothing here is tuned to the labels: the labels are read only to score.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(
    os.environ.get("NEWSROOM_BENCH_DIR", Path(tempfile.gettempdir()) / "newsroom-bench-related")
)
SEED = 20240611
K = 5


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="JSON Lines corpus with a category per article")
    parser.add_argument("--generate", type=int, metavar="N", help="generate a corpus of N articles")
    parser.add_argument("--limit", type=int, help="load at most this many articles")
    parser.add_argument(
        "--with-metadata", action="store_true", help="use the corpus's sections and tags"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a database kept by --keep (scale runs)"
    )
    return parser.parse_args(argv)


# --- The corpus ---------------------------------------------------------------------------


def read_corpus(path: Path, limit: int | None) -> tuple[list[dict], int]:
    rows, seen, duplicates = [], set(), 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            paragraphs = row.get("paragraphs") or [row.get("body", "")]
            key = (row["title"], tuple(paragraphs))
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            row["paragraphs"] = paragraphs
            rows.append(row)
    random.Random(SEED).shuffle(rows)
    return rows[:limit] if limit else rows, duplicates


SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]


def generate_corpus(n: int, path: Path) -> None:
    """Synthetic news: stories in topics, Zipf-distributed words, tags and sections.

    Only its size and shape matter (it measures time and memory), but its
    categories are real enough for a sanity check of precision.
    """
    import numpy as np

    generator = np.random.default_rng(SEED)
    vocabulary = 60_000
    words = [
        "".join(SYLLABLES[s] for s in generator.integers(0, len(SYLLABLES), size=length))
        for length in generator.integers(2, 5, size=vocabulary)
    ]
    zipf = np.cumsum(1.0 / np.arange(1, vocabulary + 1))
    zipf /= zipf[-1]
    topics = max(5, n // 200)
    topic_words = [generator.choice(vocabulary, size=80, replace=False) for _ in range(topics)]
    sections = ["news", "politics", "business", "sport", "culture", "science", "world", "opinion"]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            topic = int(generator.integers(0, topics))
            length = int(generator.integers(250, 700))
            common = np.searchsorted(zipf, generator.random(int(length * 0.8)))
            specific = generator.choice(topic_words[topic], size=length - len(common))
            tokens = np.concatenate([common, specific])
            generator.shuffle(tokens)
            text = [words[t] for t in tokens]
            paragraphs = [" ".join(text[j : j + 60]) + "." for j in range(0, len(text), 60)]
            title = " ".join(words[t] for t in generator.choice(topic_words[topic], size=6))
            row = {
                "id": f"g{i}",
                "title": title.capitalize(),
                "paragraphs": paragraphs,
                "category": f"topic{topic}",
                "section": sections[topic % len(sections)],
                "tags": [f"tag{topic}-{t}" for t in generator.choice(4, size=2, replace=False)],
                "published": (
                    start + timedelta(minutes=int(generator.integers(0, 5 * 525_600)))
                ).isoformat(),
            }
            out.write(json.dumps(row) + "\n")


# --- The throwaway database -------------------------------------------------------------------


def setup_django(database: Path, *, fresh: bool = True) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if fresh:
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.bench"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(rows: list[dict], *, with_metadata: bool) -> dict[int, str]:
    """Create and publish every article through the project's own service."""
    from django.utils.html import escape
    from django.utils.text import slugify
    from tqdm import tqdm

    from articles import services
    from articles.models import Article, ArticleType, Section
    from articles.receivers import related_updates_paused

    news = ArticleType.objects.get(slug="news")
    default_section, _ = Section.objects.get_or_create(slug="news", defaults={"name": "News"})
    sections: dict[str, Section] = {}
    same_day = datetime(2005, 6, 1, 12, tzinfo=UTC)
    labels: dict[int, str] = {}
    with related_updates_paused():
        for row in tqdm(rows, desc="Loading articles", unit="article", disable=None):
            section = default_section
            if with_metadata and row.get("section"):
                name = str(row["section"])
                section = (
                    sections.get(name)
                    or Section.objects.get_or_create(
                        slug=slugify(name)[:100] or "section", defaults={"name": name[:100]}
                    )[0]
                )
                sections[name] = section
            digest = hashlib.sha1(str(row["id"]).encode(), usedforsecurity=False).hexdigest()[:10]
            article = Article.objects.create(
                title=row["title"][:300],
                slug=f"{slugify(row['title'])[:180]}-{digest}",
                standfirst=(row.get("standfirst") or "")[:600],
                section=section,
                article_type=news,
                body="".join(f"<p>{escape(p)}</p>" for p in row["paragraphs"] if p.strip()),
            )
            published = (
                datetime.fromisoformat(row["published"]) if row.get("published") else same_day
            )
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            services.article_publish(article=article, at=published)
            if with_metadata and row.get("tags"):
                article.tags.add(*[str(tag)[:100] for tag in row["tags"]])
            labels[article.pk] = row["category"]
    return labels


def bulk_load(rows: list[dict]) -> None:
    """The generated corpus, inserted in bulk through the models (100,000 articles
    through the publishing service, one by one, take an hour; what is measured
    here is the recomputation, not the import). Bodies are plain paragraphs of
    generated words, so the sanitising that ``save()`` would do changes nothing."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils.html import escape
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem
    from tqdm import tqdm

    from articles.models import Article, ArticleType, Section

    news = ArticleType.objects.get(slug="news")
    sections = {
        name: Section.objects.get_or_create(slug=slugify(name), defaults={"name": name.title()})[0]
        for name in {row["section"] for row in rows}
    }
    tags = {}
    content_type = ContentType.objects.get_for_model(Article)
    for start in tqdm(range(0, len(rows), 2000), desc="Loading in bulk", disable=None):
        batch = rows[start : start + 2000]
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(
                    title=row["title"][:300],
                    slug=f"{slugify(row['title'])[:150]}-{row['id']}",
                    section=sections[row["section"]],
                    article_type=news,
                    body="".join(f"<p>{escape(p)}</p>" for p in row["paragraphs"]),
                    body_html="".join(f"<p>{escape(p)}</p>" for p in row["paragraphs"]),
                    status=Article.Status.PUBLISHED,
                    published_at=datetime.fromisoformat(row["published"]),
                )
                for row in batch
            )
            names = {tag for row in batch for tag in row["tags"]} - set(tags)
            Tag.objects.bulk_create([Tag(name=n, slug=slugify(n)) for n in names])
            tags.update(Tag.objects.filter(name__in=names).values_list("name", "pk"))
            TaggedItem.objects.bulk_create(
                TaggedItem(tag_id=tags[tag], content_type=content_type, object_id=article.pk)
                for article, row in zip(articles, batch, strict=True)
                for tag in row["tags"]
            )


# --- Measuring ---------------------------------------------------------------------------------


class Score:
    def __init__(self, name: str) -> None:
        self.name, self.hits, self.shown, self.articles, self.covered, self.full = (
            name,
            0,
            0,
            0,
            0,
            0,
        )

    def add(self, label: str, recommended: list[str]) -> None:
        recommended = recommended[:K]
        self.articles += 1
        self.shown += len(recommended)
        self.hits += sum(1 for other in recommended if other == label)
        self.covered += bool(recommended)
        self.full += len(recommended) == K

    def line(self) -> str:
        if not self.shown:
            return f"{self.name:<44} {'—':>7} {'—':>7} {0:>8.1%} {0:>7.1%} {0:>6.2f}"
        return (
            f"{self.name:<44} {self.hits / self.shown:>7.4f} "
            f"{self.hits / (K * self.articles):>7.4f} {self.covered / self.articles:>8.1%} "
            f"{self.full / self.articles:>7.1%} {self.shown / self.articles:>6.2f}"
        )


def text_parts(ids: list[int], labels: dict[int, str]) -> list[Score]:
    """Each half of Newsroom's text similarity alone, from the stored vectors."""
    import numpy as np

    from articles import recommendations

    everything = recommendations.load_all(recommendations.active_run(), recommendations.TagSpace())
    keep = np.isin(everything.ids, ids)
    block = everything.rows(np.flatnonzero(keep))
    scores = []
    for name, matrix in (
        ("Newsroom keywords alone", (block.keywords @ block.keywords.T).toarray()),
        ("Newsroom topics alone (LSA)", block.topics @ block.topics.T),
    ):
        score = Score(name)
        np.fill_diagonal(matrix, -np.inf)
        for i, row in enumerate(matrix):
            top = np.argsort(-row, kind="stable")[:K]
            score.add(labels[int(block.ids[i])], [labels[int(block.ids[j])] for j in top])
        scores.append(score)
    return scores


def text_baselines(ids: list[int], labels: dict[int, str]) -> list[Score]:
    """Plain TF-IDF cosine similarity, the top 5 by similarity alone."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from articles.models import Article
    from articles.recommendations import plain_text

    plain = [
        f"{title}\n{standfirst}\n{plain_text(body)}"
        for title, standfirst, body in Article.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("title", "standfirst", "body")
    ]
    ordered = sorted(ids)
    scores = []
    for name, vectorizer in (
        ("TF-IDF cosine (scikit-learn defaults)", TfidfVectorizer()),
        (
            "TF-IDF cosine (sublinear tf, stop words)",
            TfidfVectorizer(sublinear_tf=True, stop_words="english"),
        ),
    ):
        matrix = vectorizer.fit_transform(plain)
        score = Score(name)
        for start in range(0, len(ordered), 500):
            block = (matrix[start : start + 500] @ matrix.T).toarray()
            for i, row in enumerate(block):
                row[start + i] = -np.inf
                top = np.argsort(-row, kind="stable")[:K]
                pk = ordered[start + i]
                score.add(labels[pk], [labels[ordered[j]] for j in top])
        scores.append(score)
    return scores


def quality(rows: list[dict], duplicates: int, args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    from articles import recommendations
    from articles.models import Article
    from articles.views import related_teasers

    print(f"Corpus: {len(rows) + duplicates} rows, {duplicates} exact duplicates dropped")
    labels = load(rows, with_metadata=args.with_metadata)
    ids = sorted(labels)
    dated = any(row.get("published") for row in rows)
    print(
        f"{len(ids)} articles, {len(set(labels.values()))} categories; "
        + ("sections and tags used" if args.with_metadata else "sections and tags withheld")
        + ("; dated" if dated else "; no dates in the corpus: all dated the same")
    )
    started = time.perf_counter()
    run = recommendations.recompute_all()
    print(
        f"Full computation: {time.perf_counter() - started:.1f} s; calibrated minimum score "
        f"{run.min_score:.4f} (modified z-score {recommendations.config().min_score_z:g} "
        "over random pairs)"
    )

    header = f"{'method':<44} {'P@5':>7} {'strict':>7} {'coverage':>8} {'full':>7} {'shown':>6}"
    print("\n" + header + "\n" + "-" * len(header))
    ours = Score("Newsroom (as the article page shows)")
    for article in Article.objects.filter(pk__in=ids).order_by("pk"):
        shown = related_teasers(article, count=K)
        ours.add(labels[article.pk], [labels[t.pk] for t in shown])
    print(ours.line())

    # The same blend without the minimum score: the top 5 whatever their score.
    with override_settings(NEWSROOM_RELATED={**settings.NEWSROOM_RELATED, "MIN_SCORE": -1.0}):
        recommendations.recompute_all()
    unfiltered = Score("Newsroom, no minimum score")
    for article in Article.objects.filter(pk__in=ids).order_by("pk"):
        shown = related_teasers(article, count=K)
        unfiltered.add(labels[article.pk], [labels[t.pk] for t in shown])
    print(unfiltered.line())

    for score in text_parts(ids, labels):
        print(score.line())
    for score in text_baselines(ids, labels):
        print(score.line())

    tags = Score("Shared tags (taggit similar_objects())")
    has_tags = False
    for article in Article.objects.filter(pk__in=ids).prefetch_related("tags"):
        similar = [o for o in article.tags.similar_objects() if o.pk in labels][:K]
        has_tags = has_tags or bool(article.tags.all())
        tags.add(labels[article.pk], [labels[o.pk] for o in similar])
    print(tags.line() + ("" if has_tags else "   (no tags given)"))

    recent = Score("Most recent")
    by_date = list(
        Article.objects.published()
        .filter(pk__in=ids)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        recent.add(labels[pk], [labels[o] for o in by_date[: K + 1] if o != pk][:K])
    print(recent.line())

    chance = Score("Random")
    generator = random.Random(SEED)
    for pk in ids:
        others = generator.sample(ids, K + 1)
        chance.add(labels[pk], [labels[o] for o in others if o != pk][:K])
    print(chance.line())


# Peak memory of a child process: ru_maxrss carries the high-water mark of the
# process it was forked from (this one, holding the corpus), so the command is
# started by a small launcher process and measured from there.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:])\n"
    "_pid, status, usage = os.wait4(child.pid, 0)\n"
    "print(f'\\nMAXRSS {usage.ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def _child(command: list[str]) -> tuple[float, float, str]:
    """Run a command; its wall time (s), its own peak resident memory (MiB), its output."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode:
        print(completed.stdout, completed.stderr)
        raise SystemExit(f"{' '.join(command)} failed")
    peak = int(completed.stderr.rsplit("MAXRSS ", 1)[1].split()[0])
    return elapsed, peak / 1024, completed.stdout


def scale(rows: list[dict], args: argparse.Namespace) -> None:
    from articles.models import Article

    if args.reuse and Article.objects.exists():
        print(f"Reusing the {Article.objects.count()} articles already loaded")
    else:
        started = time.perf_counter()
        bulk_load(rows)
        print(f"Loaded {len(rows)} articles in {time.perf_counter() - started:.0f} s")
    manage = [sys.executable, str(ROOT / "manage.py")]
    _idle_time, idle_memory, _ = _child([*manage, "recompute_related", "--help"])
    print(f"Baseline (Python, Django, scikit-learn loaded, nothing done): {idle_memory:.0f} MiB")
    elapsed, memory, _ = _child([*manage, "recompute_related", "--restart", "--no-progress"])
    print(f"Full recomputation:   {elapsed:7.1f} s, peak memory {memory:6.0f} MiB")
    article = Article.objects.order_by("?").first()
    elapsed, memory, output = _child([*manage, "recompute_related", "--article", str(article.pk)])
    inside = output.strip().rsplit(" in ", 1)[-1].rstrip(".")
    print(
        f"Incremental update:   {elapsed:7.1f} s, peak memory {memory:6.0f} MiB "
        f"(one article; {inside} of it updating, the rest starting Python and Django)"
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.generate:
        corpus = WORK / f"generated-{args.generate}.jsonl"
        if not corpus.exists():
            WORK.mkdir(parents=True, exist_ok=True)
            print(f"Generating {args.generate} articles into {corpus}")
            generate_corpus(args.generate, corpus)
    elif args.corpus:
        corpus = Path(args.corpus)
        if not corpus.exists():
            print(f"SKIPPED: {corpus} is not on this machine (the labelled corpus is optional).")
            return
    else:
        raise SystemExit("Give a corpus file or --generate N (see --help)")
    rows, duplicates = read_corpus(corpus, args.limit)
    database = WORK / f"{corpus.stem}.sqlite3"
    print(f"Throwaway database: {database}")
    setup_django(database, fresh=not args.reuse)
    print(f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    try:
        if args.generate:
            scale(rows, args)
        else:
            quality(rows, duplicates, args)
    finally:
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
