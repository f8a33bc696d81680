"""Load the demo discussions (comments/demo.py) onto the demo articles.

Safe to re-run: a comment already there (same article, author and text) is
kept as it is, so nothing is duplicated. Articles that are not in the
database (demo content not loaded) are skipped with a note.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from comments import services
from comments.demo import DISCUSSIONS, Say
from comments.models import Comment, Vote

User = get_user_model()


class Command(BaseCommand):
    help = "Load threaded demo discussions onto the demo articles (idempotent)."

    def handle(self, *args, **options) -> None:
        created = kept = 0
        for slug, discussion in DISCUSSIONS.items():
            article = Article.objects.filter(slug=slug).select_related("section").first()
            if article is None:
                self.stdout.write(f"  skipped {slug}: article not found (load the demo content)")
                continue
            with transaction.atomic():
                counts = self._discussion(article, discussion)
            created += counts[0]
            kept += counts[1]
            self.stdout.write(f"  {slug}: {sum(counts)} comments")
        self.stdout.write(
            self.style.SUCCESS(f"Demo comments: {created} created, {kept} already there.")
        )

    def _author_user(self, article: Article):
        """A site account for the article's first author, so their replies carry the badge."""
        author = article.authors.order_by("byline__position").first()
        if author is None:
            return None
        if author.user_id is None:
            user, created = User.objects.get_or_create(
                username=f"author-{author.slug}"[:150],
                defaults={
                    "email": f"{author.slug}@example.com",
                    "first_name": author.name.split(" ")[0],
                    "last_name": " ".join(author.name.split(" ")[1:]),
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            author.user = user
            author.save(update_fields=["user"])
        return author.user

    def _staff_user(self):
        user, created = User.objects.get_or_create(
            username="newsroom-desk",
            defaults={
                "email": "desk@example.com",
                "first_name": "Newsroom",
                "last_name": "desk",
                "is_staff": True,
            },
        )
        if created:
            # A byline for staff replies, not an account anyone signs in with.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _votes(self, comment: Comment, say: Say) -> None:
        # Demo readers' votes, inserted in bulk (hundreds of service calls would
        # be slow); the counters are set to match, as comment_vote would.
        votes = [Vote(comment=comment, voter=f"g:demo-up-{n}", value=1) for n in range(say.up)]
        votes += [
            Vote(comment=comment, voter=f"g:demo-down-{n}", value=-1) for n in range(say.down)
        ]
        Vote.objects.bulk_create(votes, ignore_conflicts=True)
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=say.up, downvotes=say.down, score=say.up - say.down
        )

    def _discussion(self, article: Article, discussion: tuple[Say, ...]) -> tuple[int, int]:
        created = kept = 0

        def place(say: Say, parent: Comment | None, index: str) -> None:
            nonlocal created, kept
            existing = Comment.objects.filter(
                article=article, author_name=say.who, body=say.text.strip()
            ).first()
            if existing is None:
                existing = Comment.objects.filter(article=article, body=say.text.strip()).first()
            if existing:
                comment, kept = existing, kept + 1
            else:
                user = None
                if say.role == "author":
                    user = self._author_user(article)
                elif say.role == "staff":
                    user = self._staff_user()
                comment = services.comment_post(
                    article=article,
                    body=say.text,
                    user=user,
                    author_name=say.who,
                    author_email=f"{'.'.join(say.who.lower().split())}@example.net",
                    parent_id=parent.pk if parent else None,
                    now=article.published_at + timedelta(minutes=say.after),
                    client_hash=f"demo-{index}",
                )
                created += 1
                self._votes(comment, say)
            for position, reply in enumerate(say.replies):
                place(reply, comment, f"{index}.{position}")
            # Statuses last, so replies could be posted to the comment first.
            if comment.status != say.status:
                services.comment_set_status(comment=comment, status=say.status)

        for position, say in enumerate(discussion):
            place(say, None, str(position))
        return created, kept
