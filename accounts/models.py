"""Reader profiles and the log of closed accounts.

A reader's *login* (username, e-mail address) is private; what others see is
the profile: a display name, an optional short bio and an avatar drawn from a
random seed (see ``accounts/avatars.py``). The public reader page is found by
``public_id``, a random string that says nothing about the person.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact, LessThanOrEqual
from django.urls import reverse
from django.utils.crypto import get_random_string

from . import avatars, privacy

DISPLAY_NAME_MAX_LENGTH = 50
BIO_MAX_LENGTH = 300
PUBLIC_ID_LENGTH = 10
# No look-alike characters (0/o, 1/l/i): people read these aloud.
PUBLIC_ID_CHARS = "abcdefghjkmnpqrstuvwxyz23456789"

#: Names a reader may not take, because readers would take them for the
#: newsroom speaking or for an erased account.
RESERVED_DISPLAY_NAMES = frozenset(
    {
        "a former reader", "former reader", "admin", "administrator", "editor", "editors",
        "the editors", "moderator", "moderators", "newsroom", "staff", "deleted",
    }
)  # fmt: skip

# Characters that reorder or hide text (bidi overrides, zero-width marks):
# harmless in a name, but they let one name pose as another.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}


def new_public_id() -> str:
    return get_random_string(PUBLIC_ID_LENGTH, PUBLIC_ID_CHARS)


def clean_display_name(value: str) -> str:
    """Normalise a display name: NFKC, no control or format characters, single spaces."""
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(ch for ch in value if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    return " ".join(value.split())


def validate_display_name(value: str) -> None:
    if len(clean_display_name(value)) < 2:
        raise ValidationError("Your display name needs at least two visible characters.")


def validate_reader_display_name(value: str) -> None:
    """What readers may not call themselves (staff may: they are the newsroom)."""
    validate_display_name(value)
    cleaned = clean_display_name(value)
    if cleaned.casefold() in RESERVED_DISPLAY_NAMES or (
        cleaned.casefold() == settings.NEWSROOM_SITE_NAME.casefold()
    ):
        raise ValidationError(
            "“%(name)s” could be mistaken for the newsroom itself; choose another name.",
            params={"name": cleaned},
        )


class ReaderProfileQuerySet(models.QuerySet):
    def active(self) -> ReaderProfileQuerySet:
        """Profiles of accounts that may still sign in (their public page exists)."""
        return self.filter(user__is_active=True)

    def for_reader_page(self) -> ReaderProfileQuerySet:
        """Only what the public reader page shows: never the login or the e-mail."""
        return (
            self.active()
            .select_related("user")
            .only(
                "public_id", "display_name", "bio", "avatar_seed", "created_at",
                "user__id", "user__is_active",
            )
        )  # fmt: skip


class ReaderProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reader_profile",
    )
    public_id = models.CharField(
        max_length=PUBLIC_ID_LENGTH, unique=True, default=new_public_id, editable=False
    )
    display_name = models.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        validators=[validate_display_name],
        help_text="Shown with the reader's comments. Not used to sign in.",
    )
    bio = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(BIO_MAX_LENGTH)],
        help_text=f"Optional, plain text, up to {BIO_MAX_LENGTH} characters.",
    )
    avatar_seed = models.CharField(
        max_length=avatars.SEED_LENGTH, default=avatars.new_seed, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReaderProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(display_name=""), name="readerprofile_display_name_not_empty"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("bio"), BIO_MAX_LENGTH),
                name="readerprofile_bio_max_length",
            ),
            models.CheckConstraint(
                condition=Exact(Length("public_id"), PUBLIC_ID_LENGTH),
                name="readerprofile_public_id_length",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:reader", kwargs={"public_id": self.public_id})

    @property
    def avatar_url(self) -> str:
        return avatars.avatar_url(self.avatar_seed)


class AccountDeletion(models.Model):
    """One closed account, recorded without anything that identifies the person.

    Kept so the newsroom can show how many readers left and what became of
    their contributions (e.g. ``{"comments": {"anonymised": 3}}``), never who.
    """

    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    content = models.CharField(
        max_length=10,
        choices=privacy.ContentChoice,
        help_text="What the reader chose for their comments.",
    )
    summary = models.JSONField(
        default=dict, blank=True, help_text="Counts reported by each app; never personal data."
    )

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = "closed account"
        verbose_name_plural = "closed accounts"

    def __str__(self) -> str:
        return f"Account closed {self.deleted_at:%Y-%m-%d %H:%M}"


def display_name_for(user) -> str:
    """How allauth names a user in its pages and e-mails: the display name, never the login."""
    # Through the relation, so the profile is cached on the user for the request.
    profile = getattr(user, "reader_profile", None)
    if profile is not None:
        return profile.display_name
    return user.get_full_name() or "reader"
