"""Avatars drawn here, from a seed: never fetched from a third party.

An avatar is a symmetric 5×5 pattern in a colour, both derived from a hash of
the seed, so the same seed always gives the same picture and the picture says
nothing about the person. Its URL contains the seed, so it can be cached for
ever and costs no database query:

>>> avatar_url("3f9c0a7e51d2b8c4")
'/avatars/3f9c0a7e51d2b8c4.svg'

Readers get a random seed with their profile (and a new one when they ask).
Apps that show guests (e.g. comments) can derive a stable seed from anything
they know about the guest without revealing it:

>>> avatar_url(seed_for(f"guest:{comment.guest_name}:{article.pk}"))
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join

SEED_LENGTH = 16
SEED_PATTERN = r"[0-9a-f]{16}"
GRID = 5
CELL = 10


def new_seed() -> str:
    return secrets.token_hex(SEED_LENGTH // 2)


def seed_for(value: str) -> str:
    """A stable seed for ``value`` that cannot be turned back into it (keyed hash)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)
    return digest.hexdigest()[:SEED_LENGTH]


def avatar_url(seed: str) -> str:
    return reverse("accounts:avatar", kwargs={"seed": seed})


def identicon_svg(seed: str) -> str:
    """The avatar for ``seed`` as an SVG document (a string)."""
    digest = hashlib.sha256(seed.encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    # Strong enough against the light background to read as a shape.
    colour = f"hsl({hue} 55% 42%)"
    background = f"hsl({hue} 40% 93%)"
    bits = int.from_bytes(digest[2:6], "big")
    cells = []
    half = (GRID + 1) // 2
    for row in range(GRID):
        for col in range(half):
            if bits & (1 << (row * half + col)):
                cells.append((col, row))
                if col != GRID - 1 - col:
                    cells.append((GRID - 1 - col, row))
    size = CELL * (GRID + 1)
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"/>',
        ((CELL // 2 + x * CELL, CELL // 2 + y * CELL, CELL, CELL) for x, y in sorted(cells)),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        'width="{size}" height="{size}" role="img">'
        '<rect width="{size}" height="{size}" fill="{background}"/>'
        '<g fill="{colour}">{rects}</g></svg>',
        size=size,
        background=background,
        colour=colour,
        rects=rects,
    )
