"""Related articles: how they are scored, computed, stored and kept up to date.

Nothing here runs while a reader's page is served. Recommendations are
computed in the background (``articles.tasks``) when an article is published
or changed, and by ``manage.py recompute_related`` (nightly), and stored as
``RelatedArticle`` rows; the article page reads them with one query
(``Article.objects.published().related_to(article)``, see
``articles.views.related_teasers``).

The score
---------
For a candidate ``b`` under an article ``a``::

    text      = (keywords + topics) / 2
    relevance = text * (1 + SECTION_WEIGHT * same_section) + TAG_WEIGHT * tags
    score     = relevance * 0.5 ** (days between a and b / HALF_LIFE_DAYS)

keywords
    Cosine similarity of the two articles' TF-IDF vectors (scikit-learn's
    ``HashingVectorizer`` and ``TfidfTransformer``: words and two-word phrases,
    English stop words dropped, sublinear term frequency, headline and
    standfirst counted twice because they state the subject). Terms found in a
    single article (they cannot relate two) or in more than half of them (they
    say nothing about the subject) weigh nothing. Each article keeps its
    ``KEYWORDS`` heaviest terms: the specific names and phrases that tie two
    stories about the same event together.
topics
    Cosine similarity in a latent-semantic (LSA) space (scikit-learn's
    ``TruncatedSVD`` on the TF-IDF matrix) of ``TOPICS`` dimensions, the value
    scikit-learn recommends for LSA, or sqrt(n/2) for n articles when that is
    fewer (the classic rule of thumb for the number of groups among n items).
    It relates articles on the same subject told in different words. Negative
    values count as 0. Under about 200 articles (fewer than ``MIN_TOPICS``
    dimensions) there is no topic space and ``text = keywords``.
tags
    Cosine similarity of the articles' tag sets, each tag weighted by its
    rarity (inverse document frequency, scikit-learn's ``TfidfTransformer``):
    sharing a rare tag says more than sharing "Politics".
same_section
    1 when both are in the same section: their text similarity then counts
    ``SECTION_WEIGHT`` (20%) more. A boost of what the text says, never a
    reason on its own: two unrelated articles of one section stay unrelated.
decay
    Relevance halves for every ``HALF_LIFE_DAYS`` between the two
    publication times (both directions, so an article keeps showing the
    coverage of its own time, and a later follow-up under an older story).
    Being relative to the article rather than to "now", stored scores do not
    go stale as time passes.

Rules (hard, applied before ranking): a candidate is published or scheduled
(and the page filters again with ``published()`` at render time, so a
scheduled article appears only once it is public, and an unpublished one
disappears at once); it is not the article itself or one of its exclusions;
opinion pieces are not recommended under news (``OPINION_UNDER_NEWS``) and
news is under opinion (``NEWS_UNDER_OPINION``); candidates more than
``MAX_AGE_DAYS`` older than the article are dropped.

Minimum score: a teaser must score at least ``MIN_SCORE``. By default it is
*calibrated*: at each full computation, thousands of random article pairs are
scored, and a recommendation must stand out from them as an outlier: more
than ``MIN_SCORE_Z`` (3.5) robust standard deviations above their median
(Iglewicz and Hoaglin's modified z-score, with the median absolute deviation).
Random pairs are almost all unrelated, so this asks "is this pair clearly
more related than chance?". When most random pairs share no word at all (a
small site with short articles) their spread is nearly nil and one word shared
by chance would pass: ``MIN_SCORE_FLOOR`` (0.15, what a couple of shared terms
score) is the least any teaser needs. Otherwise the minimum needs no tuning:
it adapts to the corpus, its vocabulary, its number of sections and to the
weights, on a site of twenty articles as on one of a million. An article
shows fewer teasers, or none, rather than weak ones. Editors' pins skip every
rule but "public at render time".

Computation
-----------
A full computation (``recompute_all``) runs in stages, each resumable where
it stopped (progress is stored in ``RecommenderRun``):

1. fit: stream every article's text once to count document frequencies
   (bounded memory: hashed features, no vocabulary), then fit the LSA
   projection on a sample of ``FIT_SAMPLE`` articles;
2. vectors: store each article's keyword and topic vectors (``ArticleVector``);
3. calibrate: score random pairs, set the minimum score;
4. neighbours: score blocks of articles against all others (dense blocks of
   at most ``BLOCK_CELLS`` cells, then the top ``STORED`` per article) and
   store them;
5. catch up on articles edited while the run went on, switch to the new
   model and delete the previous one.

Memory stays bounded: the largest things held are the topic vectors (400
bytes per article), the keyword vectors (512 bytes per article) and one
block of scores.

An incremental update (``update_article``), run when one article is
published or changed, scores that one article against all others with the
stored model (no refit), replaces its list, and inserts it into, or removes
it from, the lists of the articles it now beats or no longer relates to.
Several workers may run updates at once: whatever writes a list (an update,
a block of the full computation) first locks its owner's row (``lock_lists``).

Staleness: the vocabulary weights and the topic space are those of the last
full computation. Words that were new since then weigh nothing until the next
one, and the minimum score is not re-calibrated. Run
``manage.py recompute_related`` nightly (it takes minutes for 100,000
articles, see bench/related_articles.py) and the drift is a day's worth.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize
from taggit.models import TaggedItem

from newsroom import cache, purge

from .models import (
    Article,
    ArticleVector,
    RecommenderRun,
    RelatedArticle,
    RelatedExclusion,
    RelatedPin,
)

logger = logging.getLogger(__name__)

#: Hashed feature space for words and phrases (collisions are negligible at this size).
N_FEATURES = 2**20
#: Dimensions of the topic space: scikit-learn's recommended value for LSA
#: (fewer on small sites, see fit_text_model).
TOPICS = 100
#: Fewer dimensions than this cannot tell subjects apart: no topic space then.
MIN_TOPICS = 10
#: The most common informative terms span the topic space (bounds its size).
TOPIC_FEATURES = 2**14
#: Heaviest terms kept per article for the keyword similarity.
KEYWORDS = 64
#: Articles the topic space is fitted on: a random sample bounds time and memory.
FIT_SAMPLE = 20_000
#: Headline and standfirst state the subject: count them this many times.
HEADLINE_WEIGHT = 2
#: Random pairs scored to calibrate the minimum score.
CALIBRATION_PAIRS = 20_000
#: Cells (articles × candidates) scored at once: 8M float32 cells are 32 MB.
BLOCK_CELLS = 8_000_000
#: Tokenise in parallel processes above this many articles.
PARALLEL_ABOVE = 4 * 1000
#: Articles read, vectorised or written per database round trip.
CHUNK = 1000

SECONDS_PER_DAY = 86_400.0
LIVE_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


# --- Settings -------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    count: int = 5
    stored: int = 10
    tag_weight: float = 0.25
    section_weight: float = 0.2
    half_life_days: float | None = 180
    max_age_days: float | None = None
    opinion_under_news: bool = False
    news_under_opinion: bool = True
    min_score: float | None = None
    min_score_z: float = 3.5
    min_score_floor: float = 0.15


def config() -> Config:
    """``settings.NEWSROOM_RELATED`` over the defaults above."""
    given = getattr(settings, "NEWSROOM_RELATED", {}) or {}
    return Config(**{key.lower(): value for key, value in given.items()})


# --- Text -------------------------------------------------------------------------


def plain_text(body: str) -> str:
    """The words of an article body (clean editor HTML), blocks kept apart."""
    if not body:
        return ""
    try:
        root = lxml_html.fragment_fromstring(body, create_parent="div")
    except (etree.ParserError, ValueError):
        return body
    return " ".join(root.itertext())


def article_text(title: str, standfirst: str, body: str) -> str:
    """The words an article is matched on: headline and standfirst weigh double."""
    return f"{title}\n{standfirst}\n" * HEADLINE_WEIGHT + plain_text(body)


def _hasher() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_FEATURES,
        ngram_range=(1, 2),
        stop_words="english",
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )


@dataclass
class TextModel:
    """The fitted state: IDF weights and the topic projection. Stored as plain arrays."""

    idf: np.ndarray  # float32[N_FEATURES]; 0 for terms that carry no information
    topic_columns: np.ndarray  # int32: the features spanning the topic space
    components: np.ndarray  # float32[topics, len(topic_columns)]

    def to_bytes(self) -> bytes:
        # Uncompressed: loading it must be quick for every incremental update.
        buffer = io.BytesIO()
        np.savez(buffer, idf=self.idf, topic_columns=self.topic_columns, components=self.components)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TextModel:
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as arrays:
            return cls(arrays["idf"], arrays["topic_columns"], arrays["components"])

    @classmethod
    def of(cls, run: RecommenderRun) -> TextModel:
        """The run's model, decoded once per process (a worker serves many updates)."""
        key = (run.pk, run.started_at)  # ids may be reused after a rollback
        cached = _models.get(key)
        if cached is None:
            state = run.state or RecommenderRun.objects.values_list("state", flat=True).get(
                pk=run.pk
            )
            cached = cls.from_bytes(state)
            _models.clear()
            _models[key] = cached
        return cached

    @property
    def dimensions(self) -> int:
        return int(self.components.shape[0])

    def _tfidf(self) -> TfidfTransformer:
        transformer = TfidfTransformer(sublinear_tf=True)
        # Fitted on an empty matrix only to declare the feature count; the
        # IDF weights are the ones counted over the whole corpus (see fit()).
        transformer.fit(sp.csr_matrix((1, N_FEATURES), dtype=np.float32))
        transformer.idf_ = self.idf
        return transformer

    def tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """TF-IDF vectors (unit length) of hashed term counts (see ``count_terms``)."""
        matrix = self._tfidf().transform(counts)
        matrix = sp.csr_matrix(matrix, dtype=np.float32)
        matrix.eliminate_zeros()
        return matrix

    def transform(self, counts: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
        """Keyword vectors (the heaviest terms, unit length) and topic vectors (unit length)."""
        matrix = self.tfidf(counts)
        if self.dimensions:
            topics = normalize(np.asarray(matrix[:, self.topic_columns] @ self.components.T))
        else:
            topics = np.zeros((matrix.shape[0], 0), dtype=np.float32)
        return normalize(_heaviest(matrix, KEYWORDS)), topics.astype(np.float32)


_models: dict[tuple[int, datetime], TextModel] = {}


def _heaviest(matrix: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Each row's ``keep`` largest entries (ties may keep a few more)."""
    matrix = matrix.copy()
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end - start > keep:
            values = matrix.data[start:end]
            values[values < np.partition(values, -keep)[-keep]] = 0
    matrix.eliminate_zeros()
    return matrix


def count_terms(texts: list[str]) -> sp.csr_matrix:
    """Hashed counts of the words and two-word phrases of each text."""
    return sp.csr_matrix(_hasher().transform(texts))


def fit_text_model(
    chunks: Iterable[tuple[list[int], sp.csr_matrix]], sample_ids: set[int]
) -> tuple[TextModel, int]:
    """Fit on the whole corpus, given as chunks of (article ids, hashed term counts),
    read once; the topic space is fitted on the articles of ``sample_ids``."""
    document_frequency = np.zeros(N_FEATURES, dtype=np.int64)
    documents = 0
    sample: list[sp.csr_matrix] = []
    for ids, counts in chunks:
        document_frequency += np.bincount(counts.indices, minlength=N_FEATURES)
        documents += len(ids)
        rows = [i for i, pk in enumerate(ids) if pk in sample_ids]
        if rows:
            sample.append(counts[rows])
    # scikit-learn's smooth IDF, from frequencies counted over the whole corpus.
    idf = (np.log((1 + documents) / (1 + document_frequency)) + 1).astype(np.float32)
    informative = (document_frequency >= 2) & (document_frequency <= documents / 2)
    idf[~informative] = 0
    by_frequency = np.argsort(-np.where(informative, document_frequency, 0), kind="stable")
    topic_columns = np.sort(by_frequency[: min(TOPIC_FEATURES, int(informative.sum()))]).astype(
        np.int32
    )
    model = TextModel(idf, topic_columns, np.zeros((0, len(topic_columns)), dtype=np.float32))
    matrix = model.tfidf(sp.vstack(sample, format="csr")) if sample else sp.csr_matrix((0, 1))
    if matrix.shape[0] and len(topic_columns):
        matrix = normalize(matrix[:, topic_columns])
    # A corpus supports about sqrt(n/2) groups (the classic rule of thumb for
    # the number of clusters in n items); LSA with more dimensions than that
    # models noise on a small site. Large sites get scikit-learn's 100.
    supported = round(math.sqrt(documents / 2))
    dimensions = min(TOPICS, supported, matrix.shape[0] - 1, len(topic_columns) - 1)
    # With fewer dimensions than MIN_TOPICS (under about 200 articles) a topic
    # space lumps unrelated subjects together: keywords alone decide.
    if dimensions >= MIN_TOPICS:
        svd = TruncatedSVD(n_components=dimensions, random_state=0)
        svd.fit(matrix)
        model.components = svd.components_.astype(np.float32)
    return model, documents


class Spool:
    """Hashed term counts of a run, kept on disk between the fit and the vectors stages,
    so that the text of every article is tokenised once. Optional: when the files are
    gone (another machine, a cleaned /tmp), the vectors stage tokenises again."""

    def __init__(self, run: RecommenderRun) -> None:
        # One directory per database and run: sites (or test databases) sharing
        # a machine never read each other's counts.
        database = str(connection.settings_dict["NAME"])
        key = hashlib.sha256(f"{database}|{run.pk}|{run.started_at.isoformat()}".encode())
        self.directory = Path(tempfile.gettempdir()) / f"newsroom-related-{key.hexdigest()[:16]}"

    def write(self, index: int, ids: list[int], counts: sp.csr_matrix) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.directory / f"{index:08d}.part.npz"
        np.savez(
            partial,
            ids=np.array(ids, dtype=np.int64),
            data=counts.data,
            indices=counts.indices,
            indptr=counts.indptr,
        )
        partial.rename(self.directory / f"{index:08d}.npz")

    def chunks(self) -> Iterator[tuple[list[int], sp.csr_matrix]]:
        for path in sorted(self.directory.glob("[0-9]*[0-9].npz")):
            with np.load(path) as arrays:
                counts = sp.csr_matrix(
                    (arrays["data"], arrays["indices"], arrays["indptr"]),
                    shape=(len(arrays["ids"]), N_FEATURES),
                )
                yield arrays["ids"].tolist(), counts

    def delete(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _counted(queryset, *, parallel: bool) -> Iterator[tuple[list[int], sp.csr_matrix]]:
    """Chunks of (ids, hashed counts) of the articles of ``queryset``, in id order.

    Tokenising is the slowest part of a full computation; on a big site it
    runs in one process per core (joblib, which scikit-learn ships with)."""
    chunks = _text_chunks(queryset)
    if not parallel:
        for ids, texts in chunks:
            yield ids, count_terms(texts)
        return
    from joblib import Parallel, delayed

    workers = min(2, os.cpu_count() or 1)
    pending: list[list[int]] = []
    # The workers get the scikit-learn object only: they never import Django.
    hasher = _hasher()

    def texts_only() -> Iterator[Any]:
        for ids, texts in chunks:
            pending.append(ids)
            yield delayed(hasher.transform)(texts)

    for counts in Parallel(n_jobs=workers, return_as="generator")(texts_only()):
        yield pending.pop(0), sp.csr_matrix(counts)


# --- Stored vectors ------------------------------------------------------------------


def pack_keywords(row: sp.csr_matrix) -> bytes:
    return row.indices.astype("<i4").tobytes() + row.data.astype("<f4").tobytes()


def unpack_keywords(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    data = bytes(data)
    half = len(data) // 2
    return np.frombuffer(data[:half], "<i4"), np.frombuffer(data[half:], "<f4")


@dataclass
class Block:
    """Articles as matrices: what scoring needs about each."""

    ids: np.ndarray
    keywords: sp.csr_matrix
    topics: np.ndarray
    tags: sp.csr_matrix
    section: np.ndarray
    opinion: np.ndarray
    day: np.ndarray  # publication time in days; NaN when unknown (drafts)
    eligible: np.ndarray  # may be recommended: published or scheduled
    position: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, pk: int) -> int | None:
        if not self.position:
            self.position = {int(pk): i for i, pk in enumerate(self.ids)}
        return self.position.get(int(pk))

    @cached_property
    def keywords_t(self) -> sp.csr_matrix:
        """Transposed once: every block of a full computation multiplies by it."""
        return sp.csr_matrix(self.keywords.T)

    @cached_property
    def topics_t(self) -> np.ndarray:
        return np.ascontiguousarray(self.topics.T)

    @cached_property
    def _sections(self) -> dict[int, np.ndarray]:
        order = np.argsort(self.section, kind="stable")
        values, starts = np.unique(self.section[order], return_index=True)
        return dict(zip(values.tolist(), np.split(order, starts[1:]), strict=True))

    def in_section(self, section: int) -> np.ndarray:
        """Positions of this block's articles in ``section``."""
        return self._sections.get(section, np.zeros(0, dtype=np.int64))

    @cached_property
    def tags_t(self) -> sp.csr_matrix:
        return sp.csr_matrix(self.tags.T)

    @cached_property
    def day32(self) -> np.ndarray:
        """Days in float32 (to a few minutes): half the memory traffic of the decay."""
        return np.nan_to_num(self.day).astype(np.float32)

    def rows(self, index: np.ndarray | slice) -> Block:
        return Block(
            self.ids[index],
            self.keywords[index],
            self.topics[index],
            self.tags[index],
            self.section[index],
            self.opinion[index],
            self.day[index],
            self.eligible[index],
        )


class TagSpace:
    """Tags weighted by rarity: IDF over every tagged article, unit-length vectors."""

    def __init__(self) -> None:
        self.by_article: dict[int, list[int]] = {}
        rows = TaggedItem.objects.filter(
            content_type__app_label="articles", content_type__model="article"
        ).values_list("object_id", "tag_id")
        columns: dict[int, int] = {}
        for article_id, tag_id in rows.iterator(chunk_size=10_000):
            self.by_article.setdefault(article_id, []).append(
                columns.setdefault(tag_id, len(columns))
            )
        self.width = max(1, len(columns))
        self.transformer = TfidfTransformer()
        tagged = self._binary(list(self.by_article), self.width)
        self.transformer.fit(tagged if tagged.shape[0] else sp.csr_matrix((1, self.width)))

    def _binary(self, article_ids: list[int], width: int) -> sp.csr_matrix:
        indptr, indices = [0], []
        for pk in article_ids:
            indices.extend(self.by_article.get(pk, ()))
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        return sp.csr_matrix((data, indices, indptr), shape=(len(article_ids), width))

    def vectors(self, article_ids: list[int]) -> sp.csr_matrix:
        matrix = self.transformer.transform(self._binary(article_ids, self.width))
        return sp.csr_matrix(matrix, dtype=np.float32)


def _day(moment: datetime | None) -> float:
    return moment.timestamp() / SECONDS_PER_DAY if moment else math.nan


def _block_from_rows(rows: list[tuple], tags: TagSpace, dimensions: int) -> Block:
    """Rows of (id, keywords, topics, section, opinion, published_at, status)."""
    indptr, indices, data = [0], [], []
    topics = np.zeros((len(rows), dimensions), dtype=np.float32)
    for i, row in enumerate(rows):
        term_ids, weights = unpack_keywords(row[1])
        indices.append(term_ids)
        data.append(weights)
        indptr.append(indptr[-1] + len(term_ids))
        if dimensions:
            topics[i] = np.frombuffer(bytes(row[2]), "<f4")
    keywords = sp.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0, np.float32),
            np.concatenate(indices) if indices else np.zeros(0, np.int32),
            np.array(indptr),
        ),
        shape=(len(rows), N_FEATURES),
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    return Block(
        ids=ids,
        keywords=keywords,
        topics=topics,
        tags=tags.vectors(ids.tolist()),
        section=np.array([row[3] for row in rows], dtype=np.int64),
        opinion=np.array([bool(row[4]) for row in rows], dtype=bool),
        day=np.array([_day(row[5]) for row in rows], dtype=np.float64),
        eligible=np.array([row[6] in LIVE_STATUSES and row[5] is not None for row in rows]),
    )


VECTOR_FIELDS = (
    "article_id",
    "keywords",
    "topics",
    "article__section_id",
    "article__article_type__is_opinion",
    "article__published_at",
    "article__status",
)


def iter_blocks(run: RecommenderRun, tags: TagSpace, *, size: int = 5000) -> Iterator[Block]:
    """Every vectorised article of ``run``, in blocks of ``size``."""
    dimensions = TextModel.of(run).dimensions
    rows = (
        ArticleVector.objects.filter(run=run)
        .order_by("article_id")
        .values_list(*VECTOR_FIELDS)
        .iterator(chunk_size=size)
    )
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield _block_from_rows(batch, tags, dimensions)
            batch = []
    if batch:
        yield _block_from_rows(batch, tags, dimensions)


def load_all(run: RecommenderRun, tags: TagSpace) -> Block:
    blocks = list(iter_blocks(run, tags))
    if not blocks:
        return _block_from_rows([], tags, TextModel.of(run).dimensions)
    return _concat(blocks)


# --- Scoring -------------------------------------------------------------------------


def _allowed(source: Block, candidates: Block, cfg: Config, *, pairwise: bool) -> np.ndarray:
    """The hard rules, as a boolean matrix (or vector, for aligned pairs)."""

    def grid(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (a, b) if pairwise else (a[:, None], b[None, :])

    src_opinion, cand_opinion = grid(source.opinion, candidates.opinion)
    src_ids, cand_ids = grid(source.ids, candidates.ids)
    allowed = (cand_ids != src_ids) & grid(source.eligible, candidates.eligible)[1]
    if not cfg.opinion_under_news:
        allowed &= ~(~src_opinion & cand_opinion)
    if not cfg.news_under_opinion:
        allowed &= ~(src_opinion & ~cand_opinion)
    if cfg.max_age_days is not None:
        src_day, cand_day = grid(source.day, candidates.day)
        with np.errstate(invalid="ignore"):
            allowed &= ~(src_day - cand_day > cfg.max_age_days)
    return allowed


def _decay(source: Block, candidates: Block, cfg: Config, *, pairwise: bool) -> np.ndarray:
    if cfg.half_life_days is None:
        shape = len(source) if pairwise else (len(source), len(candidates))
        return np.ones(shape, dtype=np.float32)
    # An undated source (a draft) has no gap; undated candidates are never allowed.
    undated = np.isnan(source.day)
    source_day = np.where(undated, 0.0, source.day)
    if pairwise:
        gap = np.abs(source_day - np.nan_to_num(candidates.day)).astype(np.float32)
    else:
        gap = source_day.astype(np.float32)[:, None] - candidates.day32[None, :]
        np.abs(gap, out=gap)
    if undated.any():
        gap[undated] = 0
    gap *= np.float32(-math.log(2) / cfg.half_life_days)
    return np.exp(gap, out=gap)


def score_matrix(
    source: Block, candidates: Block, cfg: Config, excluded: set[tuple[int, int]] = frozenset()
) -> np.ndarray:
    """Scores of every candidate under every source article; -inf where a rule forbids."""
    scores = source.topics @ candidates.topics_t if source.topics.shape[1] else None
    if scores is None:
        scores = np.zeros((len(source), len(candidates)), dtype=np.float32)
    np.maximum(scores, 0, out=scores)
    _add_sparse(scores, source.keywords @ candidates.keywords_t, 1.0)
    if source.topics.shape[1]:
        scores *= np.float32(0.5)  # the mean of the two text similarities
    if cfg.section_weight:
        boost = np.float32(1 + cfg.section_weight)
        for i, section in enumerate(source.section.tolist()):
            scores[i, candidates.in_section(section)] *= boost
    if cfg.tag_weight:
        _add_sparse(scores, source.tags @ candidates.tags_t, cfg.tag_weight)
    scores *= _decay(source, candidates, cfg, pairwise=False)
    scores[~_allowed(source, candidates, cfg, pairwise=False)] = -np.inf
    for pk, target in excluded:
        i, j = source.index_of(pk), candidates.index_of(target)
        if i is not None and j is not None:
            scores[i, j] = -np.inf
    return scores


def _add_sparse(dense: np.ndarray, product: sp.spmatrix, weight: float) -> None:
    product = sp.coo_matrix(product)
    if product.nnz:
        dense[product.row, product.col] += np.float32(weight) * product.data


def score_pairs(source: Block, candidates: Block, cfg: Config) -> dict[str, np.ndarray]:
    """Each part of the score for aligned pairs (source row i with candidate row i)."""
    keywords = np.asarray(source.keywords.multiply(candidates.keywords).sum(axis=1)).ravel()
    if source.topics.shape[1]:
        topics = np.maximum(np.einsum("ij,ij->i", source.topics, candidates.topics), 0)
    else:
        topics = np.zeros(len(source), dtype=np.float32)
    tags = np.asarray(source.tags.multiply(candidates.tags).sum(axis=1)).ravel()
    same_section = (source.section == candidates.section).astype(np.float32)
    decay = _decay(source, candidates, cfg, pairwise=True)
    text = (keywords + topics) / 2 if source.topics.shape[1] else keywords
    relevance = text * (1 + cfg.section_weight * same_section) + cfg.tag_weight * tags
    score = relevance * decay
    allowed = _allowed(source, candidates, cfg, pairwise=True)
    return {
        "score": np.where(allowed, score, -np.inf),
        "keywords": keywords,
        "topics": topics,
        "tags": tags,
        "section": same_section,
        "decay": decay,
        "days": np.nan_to_num(np.abs(source.day - candidates.day), nan=0.0),
    }


def _parts(pairs: dict[str, np.ndarray], i: int) -> dict[str, float]:
    return {
        key: round(float(pairs[key][i]), 4)
        for key in ("keywords", "topics", "tags", "section", "decay", "days")
    }


def calibrate(everything: Block, cfg: Config, *, pairs: int = CALIBRATION_PAIRS) -> float:
    """The minimum score: what sets a pair apart from random pairs of articles.

    Random pairs are overwhelmingly unrelated. A recommendation must be an
    outlier among them: its modified z-score (distance from their median in
    units of their median absolute deviation, Iglewicz and Hoaglin's robust
    outlier test) must exceed ``MIN_SCORE_Z``. Median and MAD ignore the few
    random pairs that happen to be related, so the rule holds on a site of
    twenty articles as on one of a million.
    """
    if cfg.min_score is not None:
        return float(cfg.min_score)
    eligible = np.flatnonzero(everything.eligible)
    if len(eligible) < 2:
        return cfg.min_score_floor
    generator = np.random.default_rng(0)
    source = generator.integers(0, len(everything), size=pairs)
    candidate = eligible[generator.integers(0, len(eligible), size=pairs)]
    scored = score_pairs(everything.rows(source), everything.rows(candidate), cfg)["score"]
    scored = scored[np.isfinite(scored)]
    if not len(scored):
        return cfg.min_score_floor
    median = float(np.median(scored))
    spread = float(np.median(np.abs(scored - median)))
    # 0.6745 turns a MAD into a standard deviation's scale for normal data.
    return max(cfg.min_score_floor, median + cfg.min_score_z * spread / 0.6745)


def best(scores: np.ndarray, keep: int, minimum: float) -> list[list[int]]:
    """Per row, the column indexes of the ``keep`` best scores at or above ``minimum``."""
    keep = min(keep, scores.shape[1])
    if keep <= 0:
        return [[] for _ in range(scores.shape[0])]
    top = np.argpartition(scores, -keep, axis=1)[:, -keep:]
    chosen = []
    for i, columns in enumerate(top):
        values = scores[i, columns]
        order = np.lexsort((columns, -values))
        chosen.append([int(columns[j]) for j in order if values[j] >= minimum and values[j] > 0])
    return chosen


# --- Reading articles -----------------------------------------------------------------


def _text_chunks(queryset, size: int = CHUNK) -> Iterator[tuple[list[int], list[str]]]:
    rows = queryset.order_by("pk").values_list("pk", "title", "standfirst", "body")
    ids: list[int] = []
    texts: list[str] = []
    for pk, title, standfirst, body in rows.iterator(chunk_size=size):
        ids.append(pk)
        texts.append(article_text(title, standfirst, body))
        if len(ids) == size:
            yield ids, texts
            ids, texts = [], []
    if ids:
        yield ids, texts


def _exclusions(article_ids: Iterable[int]) -> set[tuple[int, int]]:
    ids = list(article_ids)
    found: set[tuple[int, int]] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            RelatedExclusion.objects.filter(article_id__in=ids[start : start + CHUNK]).values_list(
                "article_id", "target_id"
            )
        )
    return found


# --- Full computation ------------------------------------------------------------------


class Progress(Protocol):
    def update(self, n: int = 1) -> Any: ...
    def close(self) -> Any: ...


ProgressFactory = Callable[[str, int], Progress]


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _silent(label: str, total: int) -> Progress:
    return _Silent()


def active_run() -> RecommenderRun | None:
    """The model incremental updates use: the latest completed run."""
    return (
        RecommenderRun.objects.filter(stage=RecommenderRun.Stage.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def unfinished_run() -> RecommenderRun | None:
    return RecommenderRun.objects.exclude(stage=RecommenderRun.Stage.DONE).order_by("-pk").first()


def recompute_all(
    *, restart: bool = False, progress: ProgressFactory | None = None, block_cells: int = 0
) -> RecommenderRun | None:
    """Refit the text model and recompute every article's related list.

    Resumes an interrupted run where it stopped unless ``restart``. Safe to run
    while the site is live: pages keep reading the previous lists until each
    article's new list replaces it. Returns None, doing nothing, on a site with
    fewer than two articles (nothing can be related yet).
    """
    if Article.objects.count() < 2:
        return None
    progress = progress or _silent
    cfg = config()
    run = unfinished_run()
    if run and restart:
        run.delete()
        run = None
    if run is None:
        run = RecommenderRun.objects.create(params=_params(cfg))
    if run.stage == RecommenderRun.Stage.FIT:
        _fit(run, progress)
    if run.stage == RecommenderRun.Stage.VECTORS:
        _vectorise(run, progress)
    tags = TagSpace()
    everything: Block | None = None
    if run.stage == RecommenderRun.Stage.CALIBRATE:
        everything = load_all(run, tags)
        run.min_score = calibrate(everything, cfg)
        _advance(run, RecommenderRun.Stage.NEIGHBOURS, "min_score")
    if run.stage == RecommenderRun.Stage.NEIGHBOURS:
        everything = everything or load_all(run, tags)
        _neighbours(run, everything, cfg, progress, block_cells or BLOCK_CELLS)
        _finish(run, progress)
    return run


def _params(cfg: Config) -> dict[str, Any]:
    return {
        "topics": TOPICS,
        "keywords": KEYWORDS,
        "headline_weight": HEADLINE_WEIGHT,
        "config": cfg.__dict__,
    }


def _advance(run: RecommenderRun, stage: str, *fields: str) -> None:
    run.stage = stage
    run.cursor = 0
    run.save(update_fields=["stage", "cursor", *fields])


def _fit(run: RecommenderRun, progress: ProgressFactory) -> None:
    all_ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    sampler = random.Random(0)  # noqa: S311 -- a reproducible sample, not a secret
    sample_ids = set(sampler.sample(all_ids, min(FIT_SAMPLE, len(all_ids))))
    bar = progress("Fitting: reading articles", len(all_ids))
    spool = Spool(run)
    spool.delete()

    def chunks() -> Iterator[tuple[list[int], sp.csr_matrix]]:
        parallel = len(all_ids) > PARALLEL_ABOVE
        for index, (ids, counts) in enumerate(_counted(Article.objects.all(), parallel=parallel)):
            spool.write(index, ids, counts)
            bar.update(len(ids))
            yield ids, counts

    model, documents = fit_text_model(chunks(), sample_ids)
    bar.close()
    run.state = model.to_bytes()
    run.articles = documents
    _advance(run, RecommenderRun.Stage.VECTORS, "state", "articles")


def _store_vectors(
    run: RecommenderRun, model: TextModel, ids: list[int], counts: sp.csr_matrix
) -> None:
    keywords, topics = model.transform(counts)
    now = timezone.now()
    with transaction.atomic():
        ArticleVector.objects.filter(run=run, article_id__in=ids).delete()
        ArticleVector.objects.bulk_create(
            ArticleVector(
                run=run,
                article_id=pk,
                keywords=pack_keywords(keywords[i]),
                topics=topics[i].astype("<f4").tobytes(),
                updated_at=now,
            )
            for i, pk in enumerate(ids)
        )
        RecommenderRun.objects.filter(pk=run.pk).update(cursor=ids[-1])
        run.cursor = ids[-1]


def _vectorise(run: RecommenderRun, progress: ProgressFactory) -> None:
    model = TextModel.of(run)
    bar = progress("Vectorising articles", Article.objects.filter(pk__gt=run.cursor).count())
    spool = Spool(run)
    for ids, counts in spool.chunks():
        if ids[-1] <= run.cursor:
            continue
        # Articles deleted since the fit are skipped; those edited since are
        # caught up at the end of the run.
        existing = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        keep = [i for i, pk in enumerate(ids) if pk in existing and pk > run.cursor]
        if keep:
            _store_vectors(run, model, [ids[i] for i in keep], counts[keep])
        bar.update(len(keep))
    remaining = Article.objects.filter(pk__gt=run.cursor)
    for ids, counts in _counted(remaining, parallel=remaining.count() > PARALLEL_ABOVE):
        _store_vectors(run, model, ids, counts)
        bar.update(len(ids))
    bar.close()
    spool.delete()
    _advance(run, RecommenderRun.Stage.CALIBRATE)


Row = tuple[int, int, float, dict[str, float]]  # article, target, score, parts


def _scored_rows(
    source: Block, rows: np.ndarray, candidates: Block, columns: np.ndarray, cfg: Config
) -> list[Row]:
    """The stored form of the pairs (source row i, candidate column j), with score parts."""
    if not len(rows):
        return []
    pairs = score_pairs(source.rows(rows), candidates.rows(columns), cfg)
    sources, targets = source.ids[rows].tolist(), candidates.ids[columns].tolist()
    return [
        (sources[k], targets[k], round(float(pairs["score"][k]), 6), _parts(pairs, k))
        for k in range(len(rows))
    ]


def _flatten(chosen: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    rows = np.array([i for i, columns in enumerate(chosen) for _ in columns], dtype=np.int64)
    columns = np.array([c for columns in chosen for c in columns], dtype=np.int64)
    return rows, columns


def insert_rows(rows: list[Row], now: datetime) -> None:
    """Store computed recommendations: hundreds of thousands in a full run, so with one
    ``executemany`` per batch rather than a model instance per row."""
    if not rows:
        return
    meta = RelatedArticle._meta
    parts_field, time_field = meta.get_field("parts"), meta.get_field("computed_at")
    moment = time_field.get_db_prep_save(now, connection)
    quote = connection.ops.quote_name
    # Only the model's own table and column names are interpolated; values are parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({quote('article_id')}, {quote('target_id')}, {quote('score')}, {quote('parts')}, "
        f"{quote('computed_at')}) VALUES (%s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5 * CHUNK):
            cursor.executemany(
                sql,
                [
                    (
                        article,
                        target,
                        score,
                        parts_field.get_db_prep_save(parts, connection),
                        moment,
                    )
                    for article, target, score, parts in rows[start : start + 5 * CHUNK]
                ],
            )


def _neighbours(
    run: RecommenderRun,
    everything: Block,
    cfg: Config,
    progress: ProgressFactory,
    block_cells: int,
) -> None:
    todo = np.flatnonzero(everything.ids > run.cursor)
    rows_per_block = max(1, min(len(everything) or 1, block_cells // max(1, len(everything))))
    bar = progress("Computing related articles", len(todo))
    # Editors exclude a handful of articles here and there: read them all once.
    excluded = set(RelatedExclusion.objects.values_list("article_id", "target_id"))
    everything.keywords_t, everything.tags_t, everything.topics_t, everything.day32  # noqa: B018

    def compute(index: np.ndarray) -> tuple[Block, list[Row]]:
        source = everything.rows(index)
        mine = {pair for pair in excluded if source.index_of(pair[0]) is not None}
        scores = score_matrix(source, everything, cfg, mine)
        rows, columns = _flatten(best(scores, cfg.stored, run.min_score))
        del scores
        return source, _scored_rows(source, rows, everything, columns, cfg)

    blocks = [todo[start : start + rows_per_block] for start in range(0, len(todo), rows_per_block)]
    # numpy and scipy release the GIL: two blocks are scored at once on two cores,
    # and written in order, so that the cursor only ever passes finished blocks.
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for source, new_rows in pool.map(compute, blocks):
            _write_block(run, source, new_rows)
            bar.update(len(source))
    bar.close()


def _write_block(run: RecommenderRun, source: Block, new_rows: list[Row]) -> None:
    with transaction.atomic():
        lock_lists(source.ids.tolist())
        RelatedArticle.objects.filter(article_id__in=source.ids.tolist()).delete()
        insert_rows(new_rows, timezone.now())
        run.cursor = int(source.ids[-1])
        RecommenderRun.objects.filter(pk=run.pk).update(cursor=run.cursor)
        renew_pages(source.ids.tolist(), purge_paths=False)


def lock_lists(article_ids: Iterable[int]) -> None:
    """Hold these articles' related lists for writing until the transaction ends.

    Updates run in parallel workers, and each writes into lists that others
    rewrite (two articles on one story enter each other's lists): unserialised,
    two of them insert the same pair (``related_article_unique``), both take a
    full list's last place, or deadlock. The lists' owners' rows are the locks,
    ``FOR NO KEY UPDATE`` so that the related rows inserted meanwhile, which
    reference them, are not blocked; taken in one order (by pk), so writers
    wait for each other and never deadlock. (SQLite has one writer at a time.)
    """
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), CHUNK):
        list(
            Article.objects.select_for_update(no_key=True)
            .filter(pk__in=ids[start : start + CHUNK])
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def renew_pages(article_ids: Iterable[int], *, purge_paths: bool = True) -> None:
    """The related blocks of these articles changed: once committed, give their pages a
    new version (new ETag, see ``ArticleDetailView``) and drop them from shared caches."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    names = [cache.related_version_name(pk) for pk in ids]
    transaction.on_commit(lambda: cache.bump(*names))
    if purge_paths and purge.enabled():
        pages = Article.objects.filter(pk__in=ids).values_list("section__slug", "slug")
        purge.schedule_purge(f"/{section}/{slug}/*" for section, slug in pages)


def _finish(run: RecommenderRun, progress: ProgressFactory) -> None:
    # Articles edited while this run went on were vectorised from older text:
    # bring them up to date with this run's model before it takes over.
    edited = list(
        Article.objects.filter(updated_at__gte=run.started_at)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    bar = progress("Catching up with edits made meanwhile", len(edited))
    for pk in edited:
        update_article(pk, run=run)
        bar.update()
    bar.close()
    with transaction.atomic():
        run.stage = RecommenderRun.Stage.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["stage", "finished_at"])
        RecommenderRun.objects.exclude(pk=run.pk).filter(pk__lt=run.pk).delete()
        # Every related block may have changed: one purge of everything, not one
        # per page (each page's version was renewed as its block was written).
        purge.schedule_purge(["/*"])


# --- Incremental update ------------------------------------------------------------------


def update_article(article_id: int, *, run: RecommenderRun | None = None) -> bool:
    """Recompute one article's list, and its place in the others', with the stored model.

    Returns False when there is nothing to update against yet (no computation has
    ever completed: one is started instead, or is already running).
    """
    run = run or active_run()
    if run is None:
        if unfinished_run() is None:
            recompute_all()
        return False
    article = (
        Article.objects.filter(pk=article_id)
        .values_list("pk", "title", "standfirst", "body")
        .first()
    )
    if article is None:
        return False
    cfg = config()
    model = TextModel.of(run)
    _store_vectors_of(run, model, article_id, article_text(*article[1:]))
    tags = TagSpace()
    source = _block_from_rows(
        list(
            ArticleVector.objects.filter(run=run, article_id=article_id).values_list(*VECTOR_FIELDS)
        ),
        tags,
        model.dimensions,
    )
    own_exclusions = _exclusions([article_id])
    excluding_it = set(
        RelatedExclusion.objects.filter(target_id=article_id).values_list("article_id", "target_id")
    )
    forward_scores: list[np.ndarray] = []
    forward_blocks: list[Block] = []
    reverse: list[RelatedArticle] = []
    now = timezone.now()
    for block in iter_blocks(run, tags):
        scores = score_matrix(source, block, cfg, own_exclusions)[0]
        keep = np.argsort(-scores, kind="stable")[: cfg.stored]
        forward_scores.append(scores[keep])
        forward_blocks.append(block.rows(keep))
        back = score_matrix(block, source, cfg, excluding_it)[:, 0]
        owners = np.flatnonzero((back >= run.min_score) & (back > 0))
        reverse.extend(
            RelatedArticle(article_id=a, target_id=t, score=score, parts=parts, computed_at=now)
            for a, t, score, parts in _scored_rows(
                block, owners, source, np.zeros(len(owners), dtype=np.int64), cfg
            )
        )
    rows: list[Row] = []
    if forward_blocks:
        merged = np.concatenate(forward_scores)
        candidates = _concat(forward_blocks)
        columns = np.array(best(merged[None, :], cfg.stored, run.min_score)[0], dtype=np.int64)
        rows = _scored_rows(
            source, np.zeros(len(columns), dtype=np.int64), candidates, columns, cfg
        )
    with transaction.atomic():
        # Pages showing this article in their block: its teaser may have changed
        # (headline, picture, public or not) even where its place did not.
        showing = set(
            RelatedArticle.objects.filter(target_id=article_id).values_list("article_id", flat=True)
        )
        # Every list written below: its own, those it enters and those it leaves.
        lock_lists({article_id, *showing, *(row.article_id for row in reverse)})
        showing.update(
            RelatedPin.objects.filter(target_id=article_id).values_list("article_id", flat=True)
        )
        RelatedArticle.objects.filter(article_id=article_id).delete()
        insert_rows(rows, now)
        _place_in_others(article_id, reverse, cfg.stored)
        renew_pages({article_id, *showing, *(row.article_id for row in reverse)})
    return True


def _store_vectors_of(run: RecommenderRun, model: TextModel, pk: int, text: str) -> None:
    """One article's vectors, without moving the run's cursor."""
    keywords, topics = model.transform(count_terms([text]))
    ArticleVector.objects.update_or_create(
        run=run,
        article_id=pk,
        defaults={
            "keywords": pack_keywords(keywords[0]),
            "topics": topics[0].astype("<f4").tobytes(),
            "updated_at": timezone.now(),
        },
    )


def _concat(blocks: list[Block]) -> Block:
    return Block(
        ids=np.concatenate([b.ids for b in blocks]),
        keywords=sp.vstack([b.keywords for b in blocks], format="csr"),
        topics=np.vstack([b.topics for b in blocks]),
        tags=sp.vstack([b.tags for b in blocks], format="csr"),
        section=np.concatenate([b.section for b in blocks]),
        opinion=np.concatenate([b.opinion for b in blocks]),
        day=np.concatenate([b.day for b in blocks]),
        eligible=np.concatenate([b.eligible for b in blocks]),
    )


def _place_in_others(article_id: int, qualifying: list[RelatedArticle], stored: int) -> None:
    """Insert the article into the lists it now belongs to; drop it from the others."""
    by_owner = {row.article_id: row for row in qualifying}
    RelatedArticle.objects.filter(target_id=article_id).exclude(
        article_id__in=list(by_owner)
    ).delete()
    owners = list(by_owner)
    current: dict[int, list[RelatedArticle]] = {}
    for start in range(0, len(owners), CHUNK):
        for row in RelatedArticle.objects.filter(article_id__in=owners[start : start + CHUNK]):
            current.setdefault(row.article_id, []).append(row)
    to_create, to_update, to_delete = [], [], []
    for owner, new in by_owner.items():
        rows = current.get(owner, [])
        existing = next((r for r in rows if r.target_id == article_id), None)
        if existing is not None:
            existing.score, existing.parts, existing.computed_at = (
                new.score,
                new.parts,
                new.computed_at,
            )
            to_update.append(existing)
            continue
        if len(rows) < stored:
            to_create.append(new)
            continue
        weakest = min(rows, key=lambda r: (r.score, -r.target_id))
        if new.score > weakest.score:
            to_delete.append(weakest.pk)
            to_create.append(new)
    for start in range(0, len(to_delete), CHUNK):
        RelatedArticle.objects.filter(pk__in=to_delete[start : start + CHUNK]).delete()
    RelatedArticle.objects.bulk_create(to_create, batch_size=CHUNK)
    RelatedArticle.objects.bulk_update(
        to_update, ["score", "parts", "computed_at"], batch_size=CHUNK
    )
