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
