"""Is this reader banned? Checked when they post, edit, vote or report.

Bans target an account, an e-mail address or an IP address/network. The
active bans are few (hundreds at most, even on a big site), so every process
keeps them in memory as a small snapshot, reloaded when a moderator adds or
lifts one (a version key in the shared cache, see ``newsroom.cache``).
Addresses are then matched in Python with ``ipaddress``: the same code on
SQLite and PostgreSQL, no query per comment, and IPv4-mapped IPv6 addresses
(``::ffff:203.0.113.9``) match their IPv4 ban. Expiry is checked against the
clock at each call, so a suspension ends on time without any reload.

The address checked is the one ``newsroom.clientip.client_ip`` trusts
(REMOTE_ADDR unless the request came through a configured proxy), so a forged
``X-Forwarded-For`` header changes nothing.

>>> ban = find(user=None, email="Spammer@Example.com ", ip_address="203.0.113.9")
>>> ban.message
'Comments from this e-mail address are suspended until 3 May 2026, 14:00. If you…'
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import formats, timezone

from newsroom import cache

VERSION_NAME = "comments:bans"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def normalise_email(value: str) -> str:
    """The form in which e-mail addresses are banned and compared: trimmed, lower case."""
    return (value or "").strip().lower()


def parse_network(value: str) -> IPNetwork:
    """An address or CIDR network as a network (a lone address is a /32 or /128).

    Raises ValueError for anything else. Host bits are cleared
    (``203.0.113.9/24`` → ``203.0.113.0/24``).
    """
    text = (value or "").strip()
    if not text:
        raise ValueError("empty address")
    network = ipaddress.ip_network(text, strict=False)
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped:
        mapped = network.network_address.ipv4_mapped
        network = ipaddress.ip_network(f"{mapped}/{max(network.prefixlen - 96, 0)}", strict=False)
    return network


def parse_address(value: str | None) -> IPAddress | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@dataclass(frozen=True)
class ActiveBan:
    pk: int
    kind: str
    expires_at: datetime | None

    @property
    def message(self) -> str:
        if self.kind == "network":
            subject = "Comments from your network are suspended"
        elif self.kind == "email":
            subject = "Comments from this e-mail address are suspended"
        else:
            subject = "Your account is suspended from commenting"
        if self.expires_at is None:
            return f"{subject}. If you think this is a mistake, contact the editors."
        until = formats.date_format(timezone.localtime(self.expires_at), "j F Y, H:i")
        return f"{subject} until {until}. If you think this is a mistake, contact the editors."


@dataclass
class Snapshot:
    users: dict[int, list[ActiveBan]]
    emails: dict[str, list[ActiveBan]]
    networks: list[tuple[IPNetwork, ActiveBan]]


_lock = threading.Lock()
_loaded: tuple[str | None, Snapshot] | None = None


def _load() -> Snapshot:
    from .models import Ban

    snapshot = Snapshot(users={}, emails={}, networks=[])
    for pk, kind, user_id, email, network, expires_at in Ban.objects.active().values_list(
        "pk", "kind", "user_id", "email", "network", "expires_at"
    ):
        ban = ActiveBan(pk=pk, kind=kind, expires_at=expires_at)
        if kind == Ban.Kind.ACCOUNT and user_id:
            snapshot.users.setdefault(user_id, []).append(ban)
        elif kind == Ban.Kind.EMAIL and email:
            snapshot.emails.setdefault(normalise_email(email), []).append(ban)
        elif kind == Ban.Kind.NETWORK and network:
            try:
                snapshot.networks.append((parse_network(network), ban))
            except ValueError:
                continue
    return snapshot


def snapshot() -> Snapshot:
    global _loaded
    version = cache.get_version(VERSION_NAME)
    loaded = _loaded
    if loaded is not None and version is not None and loaded[0] == version:
        return loaded[1]
    fresh = _load()
    with _lock:
        _loaded = (version, fresh)
    return fresh


def changed() -> None:
    """Call (on commit) after a ban is added or lifted, so every process reloads."""
    cache.bump(VERSION_NAME)


def find(
    *,
    user: AbstractBaseUser | None = None,
    email: str = "",
    ip_address: str | None = None,
    at: datetime | None = None,
) -> ActiveBan | None:
    """The ban that applies to this reader now, if any (the longest one first)."""
    moment = at or timezone.now()
    current = snapshot()
    candidates: list[ActiveBan] = []
    if user is not None and user.pk:
        candidates += current.users.get(user.pk, [])
    if email:
        candidates += current.emails.get(normalise_email(email), [])
    address = parse_address(ip_address)
    if address is not None:
        candidates += [
            ban
            for network, ban in current.networks
            if network.version == address.version and address in network
        ]
    live = [ban for ban in candidates if ban.expires_at is None or ban.expires_at > moment]
    if not live:
        return None
    return max(live, key=lambda ban: (ban.expires_at is None, ban.expires_at or moment))
