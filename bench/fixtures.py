"""Throwaway benchmark data: articles with realistic threaded discussions.

Shared by the benchmarks. Comments are written with bulk inserts (with the
same threading fields the services maintain), so 5,000 comments take seconds.
"""

from __future__ import annotations

import random
from datetime import timedelta

WORDS = (  # noqa: SIM905 -- easier to read and edit as prose
    "council budget harbour bridge ferry traffic vote consultation residents plan cost "
    "years money school transport housing river market policy report numbers meeting "
    "think agree disagree evidence argument point question answer fair wrong right city "
    "people local public service rates tax funding decision future community safety"
).split()


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def build_discussion(article, *, comments: int, top_level: int, seed: int = 1) -> int:
    """Give ``article`` ``comments`` approved comments in ``top_level`` threads.

    Replies go to depths 2–5 (levels, the top being 1) and have 20–80 words.
    """
    from django.utils import timezone

    from comments.models import PATH_WIDTH, Comment

    rng = random.Random(seed)
    start = timezone.now() - timedelta(days=2)
    roots = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                depth=0,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@example.com",
                body=(text := sentence(rng, rng.randint(20, 80))),
                body_html=f"<p>{text}</p>",
                status=Comment.Status.APPROVED,
                created_at=start + timedelta(seconds=n * 30),
                upvotes=(up := rng.randint(0, 40)),
                score=up,
            )
            for n in range(top_level)
        ]
    )
    for root in roots:
        root.thread_id, root.path = root.pk, str(root.pk).zfill(PATH_WIDTH)
    Comment.objects.bulk_update(roots, ["thread", "path"])
    nodes = list(roots)
    remaining = comments - top_level
    batch = []
    while remaining > 0:
        parent = rng.choice(nodes)
        if parent.depth >= 4:
            parent = roots[rng.randrange(len(roots))]
        text = sentence(rng, rng.randint(20, 80))
        batch.append(
            Comment(
                article=article,
                parent=parent,
                thread_id=parent.thread_id,
                depth=parent.depth + 1,
                author_name=f"Replier {remaining}",
                author_email=f"replier{remaining}@example.com",
                body=text,
                body_html=f"<p>{text}</p>",
                status=Comment.Status.APPROVED,
                created_at=parent.created_at + timedelta(minutes=rng.randint(1, 600)),
            )
        )
        remaining -= 1
        if len(batch) == 200 or remaining == 0:
            created = Comment.objects.bulk_create(batch)
            for reply in created:
                reply.path = f"{reply.parent.path}/{str(reply.pk).zfill(PATH_WIDTH)}"
            Comment.objects.bulk_update(created, ["path"])
            nodes.extend(created)
            batch = []
    # Approved descendants per comment, as the services maintain them.
    counts: dict[int, int] = {}
    for node in nodes:
        for ancestor in node.path.split("/")[:-1]:
            counts[int(ancestor)] = counts.get(int(ancestor), 0) + 1
    updates = [Comment(pk=pk, descendant_count=n) for pk, n in counts.items()]
    Comment.objects.bulk_update(updates, ["descendant_count"], batch_size=500)
    return len(nodes)
