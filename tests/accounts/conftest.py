"""Fixtures for the accounts tests.

The comments app takes part in these tests for real, through the registries
it uses in production (accounts/privacy.py, accounts/pages.py).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts import pages


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
