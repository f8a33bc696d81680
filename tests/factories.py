"""Test data, built in code (never JSON fixtures)."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from accounts.models import ReaderProfile
from accounts.services import account_provision
from articles.models import (
    Article,
    ArticleNote,
    ArticleType,
    Author,
    Byline,
    Disclaimer,
    Image,
    PullQuote,
    RelatedExclusion,
    RelatedPin,
    Section,
    TranscriptTurn,
)


def image_bytes(
    width: int = 800, height: int = 500, fmt: str = "JPEG", color=(30, 90, 150)
) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


def image_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class ReaderProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReaderProfile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    display_name = factory.Faker("name")


def reader(display_name: str = "Rosa Vale", **kwargs):
    """A reader who signed up and verified their address: can sign in with allauth."""
    user = UserFactory(**kwargs)
    account_provision(user=user, display_name=display_name)
    return user


PASSWORD = "correct horse battery"


def editor(**kwargs):
    return UserFactory(is_staff=True, groups=["Editors"], **kwargs)


def moderator(**kwargs):
    return UserFactory(is_staff=True, groups=["Moderators"], **kwargs)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class DisclaimerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclaimer

    name = factory.Sequence(lambda n: f"Disclaimer {n}")
    text = "The views expressed in this column are the author's own."


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(image_upload)
    alt_text = "A test picture"
    credit = "Test Agency"


def article_type(slug: str = "news") -> ArticleType:
    return ArticleType.objects.get(slug=slug)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Council approves plan number {n}")
    slug = factory.Sequence(lambda n: f"council-plan-{n}")
    standfirst = "A short summary of what happened and why it matters."
    section = factory.SubFactory(SectionFactory)
    article_type = factory.LazyFunction(lambda: article_type("news"))
    body = (
        "<p>The first paragraph of the story, with the news in it.</p>"
        "<p>A second paragraph adds detail and context for readers.</p>"
        "<blockquote><p>A quotation from someone involved.</p></blockquote>"
        "<p>A third paragraph closes the story.</p>"
    )
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(extracted or [AuthorFactory()]):
            Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class PullQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PullQuote

    article = factory.SubFactory(ArticleFactory)
    text = "The quote readers will remember"
    attribution = "A source"
    after_paragraph = 1


class TranscriptTurnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TranscriptTurn

    article = factory.SubFactory(ArticleFactory)
    speaker = "Interviewer"
    is_question = True
    text = "What happened?"
    position = factory.Sequence(int)


class ArticleNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleNote

    article = factory.SubFactory(ArticleFactory)
    kind = ArticleNote.Kind.CORRECTION
    text = "An earlier version misspelled a name."


def make_comment(article, *, parent=None, body="A thoughtful comment.", user=None, **kwargs):
    """A comment through the real service (threading, counters), approved by default."""
    from comments import services
    from comments.models import Comment

    status = kwargs.pop("status", Comment.Status.APPROVED)
    comment = services.comment_post(
        article=article,
        body=body,
        user=user,
        author_name=kwargs.pop("author_name", "Reader"),
        author_email=kwargs.pop("author_email", "reader@example.com"),
        parent_id=parent.pk if parent else None,
        **kwargs,
    )
    if comment.status != status:
        comment = services.comment_set_status(comment=comment, status=status)
    return comment


def bulk_comments(article, *, threads: int, replies_per_thread: int = 0, max_depth: int = 4):
    """Many approved comments fast (bulk inserts), with correct threading fields.

    Replies alternate between nesting under the previous reply (down to
    ``max_depth``) and answering the thread's top comment.
    """
    from datetime import timedelta

    from django.utils import timezone

    from comments.models import Comment

    now = timezone.now() - timedelta(days=1)
    roots = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                depth=0,
                author_name=f"Reader {n}",
                author_email=f"r{n}@example.com",
                body=f"Top-level comment number {n}.",
                body_html=f"<p>Top-level comment number {n}.</p>",
                status=Comment.Status.APPROVED,
                created_at=now + timedelta(seconds=n),
                score=n % 7,
                descendant_count=replies_per_thread,
            )
            for n in range(threads)
        ]
    )
    for root in roots:
        root.place_in_tree(None)
    Comment.objects.bulk_update(roots, ["thread", "path"])
    level: list = list(roots)
    for r in range(replies_per_thread):
        parents = [
            (previous if previous.depth < max_depth and r % 2 == 0 else root)
            for root, previous in zip(roots, level, strict=True)
        ]
        replies = Comment.objects.bulk_create(
            [
                Comment(
                    article=article,
                    parent=parent,
                    thread_id=root.pk,
                    depth=parent.depth + 1,
                    author_name=f"Replier {r}",
                    author_email=f"p{r}@example.com",
                    body=f"Reply {r}.",
                    body_html=f"<p>Reply {r}.</p>",
                    status=Comment.Status.APPROVED,
                    created_at=now + timedelta(hours=1, seconds=r),
                )
                for root, parent in zip(roots, parents, strict=True)
            ]
        )
        for reply, parent in zip(replies, parents, strict=True):
            reply.place_in_tree(parent)
        Comment.objects.bulk_update(replies, ["thread", "path"])
        level = replies
    return roots


class RelatedPinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedPin

    article = factory.SubFactory(ArticleFactory)
    target = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)


class RelatedExclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedExclusion

    article = factory.SubFactory(ArticleFactory)
    target = factory.SubFactory(ArticleFactory)


def make_report(comment, *, reporter: str | None = None, reason: str = "abuse", note: str = ""):
    """A reader's report through the real service (counts, holding after N reports)."""
    from comments import services

    make_report.counter = getattr(make_report, "counter", 0) + 1
    return services.comment_report(
        comment=comment,
        reporter=reporter or f"g:reader-{make_report.counter}",
        client=f"client-{make_report.counter}",
        reason=reason,
        note=note,
    )


def _rule_key(phrase: str) -> str:
    from comments.wordrules import rule_key

    return rule_key(phrase)


class WordRuleFactory(factory.django.DjangoModelFactory):
    """A word rule written directly (moderators go through ``services.word_rule_add``)."""

    class Meta:
        model = "comments.WordRule"
        skip_postgeneration_save = True

    phrase = factory.Sequence(lambda n: f"word{n}")
    key = factory.LazyAttribute(lambda rule: _rule_key(rule.phrase))
    kind = "suspect"

    @factory.post_generation
    def reload(self, create, extracted, **kwargs):
        from comments import wordrules

        wordrules.changed()


class BanFactory(factory.django.DjangoModelFactory):
    """A ban written directly (moderators go through ``services.ban_add``)."""

    class Meta:
        model = "comments.Ban"
        skip_postgeneration_save = True

    kind = "email"
    email = factory.Sequence(lambda n: f"banned{n}@example.com")

    @factory.post_generation
    def reload(self, create, extracted, **kwargs):
        from comments import bans

        bans.changed()


def subscription(
    article,
    email: str = "follower@example.com",
    *,
    comment=None,
    delivery: str = "instant",
    status: str = "active",
    user=None,
):
    """A subscription made directly (no confirmation e-mail), active by default."""
    from comments.models import Subscriber, Subscription

    subscriber, _ = Subscriber.objects.get_or_create(
        email=email.lower(), defaults={"delivery": delivery, "user": user}
    )
    return Subscription.objects.create(
        subscriber=subscriber,
        kind=Subscription.Kind.REPLIES if comment else Subscription.Kind.ARTICLE,
        article=article,
        comment=comment,
        status=status,
        confirmed_at=timezone.now() if status == "active" else None,
    )


def bulk_subscribers(article, count: int, *, delivery: str = "instant", prefix: str = "fan"):
    """``count`` active followers of ``article``'s discussion, with bulk inserts."""
    from comments.models import Subscriber, Subscription

    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"{prefix}{n}@example.com", delivery=delivery) for n in range(count)],
        batch_size=1000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=subscriber,
                kind=Subscription.Kind.ARTICLE,
                article=article,
                status=Subscription.Status.ACTIVE,
            )
            for subscriber in subscribers
        ],
        batch_size=1000,
    )
    return subscribers
