"""What other apps add to a reader's public page and to the account area.

The public reader page (``/readers/<public id>/``) is the same for every
visitor and publicly cacheable; apps add *sections* to it. A section provider
receives the profile's user and returns the template and context to render,
or None to show nothing. It must only show what is public (approved
comments, never e-mail addresses or pending items) and use a fixed number of
queries:

>>> from accounts import pages
>>>
>>> @pages.reader_section("comments", title="Comments", order=10)
... def reader_comments(user):
...     comments = Comment.objects.visible().filter(user=user).for_reader_page()[:20]
...     return pages.Section("comments/includes/reader_comments.html", {"comments": comments})

The accounts app registers a "comments" section that shows an empty list;
registering the same name replaces it.

A section registered with ``paged=True`` is also given the page the visitor
asked for (``?page=``, 1 and up) and may raise ``Http404`` for a page past
its last; its template links to the others (``?page=N``), so every page is
a plain, cacheable URL:

>>> @pages.reader_section("comments", title="Comments", order=10, paged=True)
... def reader_comments(user, *, page):
...     ...

Apps also add links to the reader's account menu (shown on the account
pages, and to the owner on their public page by ``static/js/account-nav.js``):

>>> pages.account_link("subscriptions", label="Your subscriptions",
...                    url_name="notifications:subscriptions", order=20)

Staff areas add a link to the masthead's account menu, shown only to staff
who hold ``permission``, with an optional count beside it (comments waiting
for a moderator…). ``count(user)`` must be cheap: one indexed query, capped.

>>> pages.staff_link("moderation", label="Moderation", url_name="moderation:home",
...                  permission="comments.moderate_comments", count=pending_count)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _SectionProvider:
    name: str
    title: str
    order: int
    provider: Callable[..., Section | None]
    paged: bool = False


@dataclass(frozen=True)
class AccountLink:
    name: str
    label: str
    url_name: str
    order: int

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


@dataclass(frozen=True)
class StaffLink:
    name: str
    label: str
    url_name: str
    permission: str
    order: int
    count: Callable[[Any], int | None] | None = None


#: A count above this shows as "99+": the badge says "there is work", not how much.
COUNT_CAP = 99

_sections: dict[str, _SectionProvider] = {}
_links: dict[str, AccountLink] = {}
_staff_links: dict[str, StaffLink] = {}


def reader_section(
    name: str, *, title: str, order: int = 50, default: bool = False, paged: bool = False
):
    """Register a section of the reader page.

    ``default=True`` registers a fallback that never replaces a provider
    another app registered under the same name, whatever the app order.
    ``paged=True``: the provider is called with ``page`` too (see above).
    """

    def decorator(provider: Callable[..., Section | None]):
        if not (default and name in _sections):
            _sections[name] = _SectionProvider(name, title, order, provider, paged)
        return provider

    return decorator


def unregister_reader_section(name: str) -> None:
    _sections.pop(name, None)


def account_link(name: str, *, label: str, url_name: str, order: int = 50) -> None:
    _links[name] = AccountLink(name, label, url_name, order)


def unregister_account_link(name: str) -> None:
    _links.pop(name, None)


@dataclass(frozen=True)
class RenderedSection:
    name: str
    title: str
    template: str
    context: dict[str, Any]


def sections_for(user, *, page: int = 1) -> list[RenderedSection]:
    """The public sections of ``user``'s reader page, in order; ``page`` for paged ones."""
    rendered = []
    for entry in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        section = entry.provider(user, page=page) if entry.paged else entry.provider(user)
        if section is not None:
            rendered.append(
                RenderedSection(entry.name, entry.title, section.template, section.context)
            )
    return rendered


def account_links() -> list[dict[str, str]]:
    """Links other apps add to the account menu (label and URL), in order."""
    links = []
    for link in sorted(_links.values(), key=lambda item: (item.order, item.name)):
        url = link.url
        if url:
            links.append({"name": link.name, "label": link.label, "url": url})
    return links


def staff_link(
    name: str,
    *,
    label: str,
    url_name: str,
    permission: str,
    order: int = 50,
    count: Callable[[Any], int | None] | None = None,
) -> None:
    """Add a staff area to the masthead menu of staff who hold ``permission``.

    ``count(user)``: a number shown beside the label (None or 0: nothing);
    it should stop counting above ``COUNT_CAP``.
    """
    _staff_links[name] = StaffLink(name, label, url_name, permission, order, count)


def unregister_staff_link(name: str) -> None:
    _staff_links.pop(name, None)


def staff_links(user) -> list[dict[str, Any]]:
    """The staff areas ``user`` may open, in order, with their counts.

    Only staff accounts get any: the staff areas are where staff sessions
    and two-factor sign-in apply (accounts.middleware).
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    links = []
    for link in sorted(_staff_links.values(), key=lambda item: (item.order, item.name)):
        if not user.has_perm(link.permission):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        count = (link.count(user) or 0) if link.count else 0
        text = f"{COUNT_CAP}+" if count > COUNT_CAP else f"{count}" if count else ""
        count = min(count, COUNT_CAP + 1)
        links.append(
            {"name": link.name, "label": link.label, "url": url, "count": count, "count_text": text}
        )
    return links
