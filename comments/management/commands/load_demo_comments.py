"""Load the demo discussions (comments/demo.py) onto the demo articles.

Then the inline feedback (``comments.demo.FEEDBACK``): readers' comments on
passages of the body, anchored as the page's script would anchor them, and an
editors' question on a passage with readers' answers.

Then the moderation scenario (``comments.demo.MODERATION``): a colleague's
word rules and bans, and guests' comments posted through the services, so
the rules and the spam score hold, file or reject them as they would on a
live site, plus readers' reports on one of them.

Safe to re-run: a comment already there (same article, author and text) is
kept as it is, and rules, reports and bans that exist are left alone, so
nothing is duplicated. Articles that are not in the database (demo content
not loaded) are skipped with a note.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.anchoring import BodyText, Selector
from articles.models import Article, PassageQuestion
from comments import services
from comments.bans import normalise_email
from comments.demo import DISCUSSIONS, FEEDBACK, MODERATION, Colleague, Incoming, OnPassage, Say
from comments.models import Ban, Comment, Report, Vote, WordRule
from comments.wordrules import rule_key

User = get_user_model()


def plural(comments: int) -> str:
    return f"{comments} comment{'' if comments == 1 else 's'}"


class Command(BaseCommand):
    help = "Load threaded demo discussions onto the demo articles (idempotent)."

    def handle(self, *args, **options) -> None:
        created = kept = 0
        for load, content, what in (
            (self._discussion, DISCUSSIONS, ""),
            (self._feedback, FEEDBACK, " of inline feedback"),
        ):
            for slug, items in content.items():
                article = Article.objects.filter(slug=slug).select_related("section").first()
                if article is None:
                    self.stdout.write(
                        f"  skipped {slug}: article not found (load the demo content)"
                    )
                    continue
                with transaction.atomic():
                    counts = load(article, items)
                created += counts[0]
                kept += counts[1]
                self.stdout.write(f"  {slug}: {plural(sum(counts))}{what}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo comments: {created} created, {kept} already there.")
        )
        added = self._moderation()
        self.stdout.write(
            self.style.SUCCESS(f"Demo moderation: {added} rules, comments, reports and bans added.")
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

    def _feedback(self, article: Article, passages: tuple[OnPassage, ...]) -> tuple[int, int]:
        created = kept = 0
        text = BodyText.of(article.body)
        for number, passage in enumerate(passages):
            at = text.text.find(passage.quote)
            if at < 0:
                self.stdout.write(f"  skipped a passage of {article.slug}: its words are not there")
                continue
            selector, question_id = (
                Selector(passage.quote, start=at, end=at + len(passage.quote)),
                None,
            )
            if passage.question:
                # Placed as an editor does in the admin: a paragraph and its words.
                question, _ = PassageQuestion.objects.get_or_create(
                    article=article,
                    question=passage.question,
                    defaults={"block_id": text.block_of_start(at).id, "exact": passage.quote},
                )
                selector, question_id = None, question.pk
            counts = self._discussion(
                article,
                passage.says,
                anchor=selector,
                question_id=question_id,
                prefix=f"feedback-{number}-",
            )
            created += counts[0]
            kept += counts[1]
        return created, kept

    def _discussion(
        self,
        article: Article,
        discussion: tuple[Say, ...],
        *,
        anchor: Selector | None = None,
        question_id: int | None = None,
        prefix: str = "",
    ) -> tuple[int, int]:
        """Post ``discussion``; its top-level comments on the passage ``anchor``
        (or answering the question ``question_id``) when given."""
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
                    anchor=anchor if parent is None else None,
                    question_id=question_id if parent is None else None,
                    now=article.published_at + timedelta(minutes=say.after),
                    client_hash=f"demo-{prefix}{index}",
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

    # --- The moderation scenario ---------------------------------------------------------

    def _colleague(self, colleague: Colleague):
        """The moderator whose name is on the rules and bans (cannot sign in)."""
        user, created = User.objects.get_or_create(
            username=colleague.username,
            defaults={
                "email": f"{colleague.username}@example.com",
                "first_name": colleague.first_name,
                "last_name": colleague.last_name,
                "is_staff": True,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name="Moderators"))
        return user

    def _moderation(self) -> int:
        scenario = MODERATION
        now = timezone.now()
        added = 0
        colleague = self._colleague(scenario.colleague)
        # Rules first: they act on the comments below.
        for rule in scenario.rules:
            if not WordRule.objects.filter(key=rule_key(rule.phrase)).exists():
                services.word_rule_add(
                    phrase=rule.phrase,
                    kind=rule.kind,
                    note=rule.note,
                    moderator=colleague,
                    now=now - timedelta(days=rule.days_ago),
                )
                added += 1
        for incoming in scenario.comments:
            added += self._incoming(incoming, now)
        for past in scenario.bans:
            email = normalise_email(past.email)
            if Ban.objects.filter(kind=Ban.Kind.EMAIL, email=email).exists():
                continue  # one demo ban per address, whatever became of it
            made = now - timedelta(days=past.days_ago)
            services.ban_add(
                kind=Ban.Kind.EMAIL,
                email=email,
                moderator=colleague,
                expires_at=made + timedelta(days=past.days) if past.days else None,
                reason=past.reason,
                now=made,
            )
            added += 1
        return added

    def _incoming(self, incoming: Incoming, now) -> int:
        article = Article.objects.filter(slug=incoming.article).first()
        if article is None:
            return 0
        added = 0
        comment = Comment.objects.filter(
            article=article, author_name=incoming.who, body=incoming.text
        ).first()
        if comment is None:
            # This morning's comments, though never before the article appeared.
            posted_at = max(
                now - timedelta(minutes=incoming.ago),
                min(article.published_at + timedelta(minutes=5), now),
            )
            comment = services.comment_post(
                article=article,
                body=incoming.text,
                author_name=incoming.who,
                author_email=incoming.email,
                ip_address=incoming.ip or None,
                client_hash=f"demo-{incoming.email}",
                now=posted_at,
            )
            added += 1
        for number, (reason, note) in enumerate(incoming.reports, start=1):
            reporter = f"g:demo-reader-{comment.pk}-{number}"
            if not Report.objects.filter(comment=comment, reporter=reporter).exists():
                services.comment_report(
                    comment=comment,
                    reporter=reporter,
                    client=f"demo-client-{comment.pk}-{number}",
                    reason=reason,
                    note=note,
                )
                added += 1
        return added
