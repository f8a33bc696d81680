"""The client's IP address, as far as we can trust it.

``REMOTE_ADDR`` is the truth unless the connection came from a proxy listed in
``NEWSROOM_TRUSTED_PROXIES``. Only then is ``X-Forwarded-For`` read, right to
left, skipping hops that are themselves trusted proxies: the first untrusted
hop is the client. A header sent by the client itself therefore never
replaces its real address.

>>> # REMOTE_ADDR=10.0.0.2 (trusted), X-Forwarded-For: 6.6.6.6, 203.0.113.9
>>> # client_ip(request) == "203.0.113.9"   (6.6.6.6 was written by the client)
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """Return the best-trusted client address for ``request`` (may be "")."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.NEWSROOM_TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if _parse(hop) is None:
            # Garbage in the chain: stop trusting it at this point.
            return remote
        if not _trusted(hop, networks):
            return hop
    return remote
