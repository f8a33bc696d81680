"""Fixtures for the accounts tests: a fake "comments" app speaking the privacy registry.

The real comments app is not on this branch yet; ``fake_comments`` plays its
part through the same registry it will use (accounts/privacy.py): it keeps
comments in a list, exports them, anonymises or removes them when a reader
closes their account, attaches guest comments to a verified address and
forgets old IP addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from django.core import mail

from accounts import pages, privacy


@dataclass
class FakeComment:
    id: int
    text: str
    user_id: int | None = None
    name: str = ""
    email: str = ""
    ip: str = ""
    parent: int | None = None
    removed: bool = False
    created_at: datetime | None = None


@dataclass
class FakeComments:
    rows: list[FakeComment] = field(default_factory=list)
    fail_erasing: bool = False

    def add(self, **kwargs) -> FakeComment:
        comment = FakeComment(id=len(self.rows) + 1, **kwargs)
        self.rows.append(comment)
        return comment

    def by(self, user) -> list[FakeComment]:
        return [c for c in self.rows if c.user_id == user.pk]

    # -- the providers -----------------------------------------------------
    def export(self, user):
        return [{"id": c.id, "text": c.text} for c in self.by(user)]

    def erase(self, user, *, content):
        if self.fail_erasing:
            raise RuntimeError("the comments database is down")
        mine = self.by(user)
        for comment in mine:
            comment.user_id, comment.email, comment.ip = None, "", ""
            if content == privacy.ContentChoice.ANONYMISE:
                comment.name = privacy.FORMER_READER
            else:
                comment.text, comment.name, comment.removed = "", "", True
        key = "anonymised" if content == privacy.ContentChoice.ANONYMISE else "removed"
        return {key: len(mine)}

    def claim(self, user, *, email):
        claimed = [c for c in self.rows if c.user_id is None and c.email.lower() == email]
        for comment in claimed:
            comment.user_id = user.pk
        return len(claimed)

    def purge(self, *, now):
        cutoff = privacy.retention_cutoff(now)
        old = [c for c in self.rows if c.ip and c.created_at and c.created_at < cutoff]
        for comment in old:
            comment.ip = ""
        return len(old)


@pytest.fixture
def fake_comments():
    """Stand in for the real comments providers, and put them back afterwards."""
    comments = FakeComments()
    registrations = [
        (privacy.exporter, "comments", comments.export),
        (privacy.exporter, "votes", lambda user: []),
        (privacy.eraser, "comments", comments.erase),
        (privacy.claimer, "comments", comments.claim),
        (privacy.purger, "comment-ips", comments.purge),
    ]
    saved = [(registry, name, registry.get(name)) for registry, name, _ in registrations]
    for registry, name, provider in registrations:
        registry(name)(provider)
    yield comments
    for registry, name, previous in saved:
        registry.unregister(name)
        if previous is not None:
            registry(name)(previous)


@pytest.fixture
def restore_reader_sections():
    """Put the accounts app's own reader-page sections back after a test replaces them."""
    saved = dict(pages._sections), dict(pages._links)
    yield
    pages._sections.clear()
    pages._sections.update(saved[0])
    pages._links.clear()
    pages._links.update(saved[1])


def link_in_last_mail(pattern: str = r"https?://\S+/accounts/\S+") -> str:
    """The first link matching ``pattern`` in the last e-mail sent, as a path."""
    body = mail.outbox[-1].body
    match = re.search(pattern, body)
    assert match, f"no link in: {body}"
    return re.sub(r"^https?://[^/]+", "", match.group(0))
