"""The privacy registry: how every app takes part in a reader's rights.

The accounts app owns the reader's rights (download my data, delete my
account, claim what I wrote as a guest, keep personal data only as long as
needed) but not the data itself: comments, votes and subscriptions live in
their own apps, which ``accounts`` never imports. Those apps register
*providers* here, usually from their ``AppConfig.ready()``:

>>> from accounts import privacy
>>>
>>> @privacy.exporter("comments")
... def export_comments(user):
...     # JSON-serialisable; everything this app holds about ``user``.
...     return [{"article": c.article.title, "text": c.text, ...} for c in ...]
>>>
>>> @privacy.eraser("comments")
... def erase_comments(user, *, content):
...     # Called inside the account-deletion transaction, before the user row
...     # is deleted. ``content`` is the reader's choice (ContentChoice):
...     # ANONYMISE keeps the text, signed privacy.FORMER_READER, with the
...     # user, e-mail and IP address removed; REMOVE deletes the text but
...     # keeps the thread readable (replies stay). Return counts, never data.
...     return {"anonymised": 3}
>>>
>>> @privacy.claimer("comments")
... def claim_guest_comments(user, *, email):
...     # ``email`` has just been verified as the reader's: attach earlier
...     # guest contributions made with that address (compare case-insensitively).
...     return 2                          # how many were attached
>>>
>>> @privacy.purger("comment-ips")
... def forget_comment_ips(*, now):
...     # Erase personal data that is no longer needed, e.g. IP addresses
...     # older than privacy.retention_cutoff(now). Return how many rows changed.
...     return 14

Providers must be quick and side-effect free apart from their own rows
(no e-mails); an exception in an eraser rolls the whole deletion back, so a
reader is never half-deleted. Registering a name again replaces the earlier
provider (the accounts app registers neutral defaults that apps replace).

``manage.py purge_personal_data`` (or the ``purge_personal_data`` task) runs
every purger; schedule it daily, see accounts/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import models

#: How anonymised contributions are signed.
FORMER_READER = "a former reader"


class ContentChoice(models.TextChoices):
    """What happens to a deleted reader's comments (the reader chooses)."""

    ANONYMISE = "anonymise", "Keep my comments, signed “a former reader”"
    REMOVE = "remove", "Remove my comments"


Exporter = Callable[[Any], Any]
Eraser = Callable[..., dict[str, int]]
Claimer = Callable[..., int]
Purger = Callable[..., int]
P = TypeVar("P", bound=Callable[..., Any])


class Registry(Generic[P]):
    """Named providers of one kind, called in the order they were registered."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._providers: dict[str, P] = {}

    def __call__(self, name: str) -> Callable[[P], P]:
        def decorator(provider: P) -> P:
            self._providers[name] = provider
            return provider

        return decorator

    def unregister(self, name: str) -> None:
        self._providers.pop(name, None)

    def get(self, name: str) -> P | None:
        return self._providers.get(name)

    def items(self) -> Iterator[tuple[str, P]]:
        return iter(list(self._providers.items()))

    def __contains__(self, name: str) -> bool:
        return name in self._providers

    def __repr__(self) -> str:
        return f"<{self.kind} registry: {', '.join(self._providers) or 'empty'}>"


exporter: Registry[Exporter] = Registry("exporter")
eraser: Registry[Eraser] = Registry("eraser")
claimer: Registry[Claimer] = Registry("claimer")
purger: Registry[Purger] = Registry("purger")


def retention_cutoff(now: datetime) -> datetime:
    """IP addresses (and similar) recorded before this moment must be erased."""
    return now - timedelta(days=settings.NEWSROOM_IP_RETENTION_DAYS)
