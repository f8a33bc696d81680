"""Illustrations for the demo content, drawn with Pillow.

Every picture is a function of its inputs: the composition, the palette, the
options and a text seed (the article slug) drive a private ``random.Random``,
so loading the demo twice draws the same pixels. Shapes are drawn at twice
the final size and scaled down, which gives clean anti-aliased edges without
any extra dependency.

>>> picture = render("skyline", seed="wend-bridge", palette="dusk", size=(160, 100))
>>> picture.size
(160, 100)
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: Bump when a composition changes, so stored pictures are drawn again.
ART_VERSION = 1
SUPERSAMPLE = 2
#: Pictures are drawn at least this wide, then scaled: small test-sized pictures
#: are the same composition in miniature, and no shape collapses below a pixel.
MIN_DRAWING_WIDTH = 320

RGB = tuple[int, int, int]

#: Five tones from dark to light, then an accent.
PALETTES: dict[str, tuple[str, ...]] = {
    "dusk": ("#1d2340", "#3b3f6b", "#b5577a", "#f2a65a", "#ffe3bd", "#ffd36b"),
    "dawn": ("#16324f", "#2f6690", "#8fb8de", "#f4d8cd", "#fff4e6", "#f28f3b"),
    "night": ("#0b1020", "#1a2340", "#34406b", "#6a78a8", "#c9d3f2", "#ffd86b"),
    "civic": ("#2b1b17", "#6b2d2a", "#b5382f", "#e8c9a0", "#f7efe3", "#1f6f8b"),
    "ledger": ("#0f2a2e", "#1f4e57", "#2f7f7a", "#a8d5ba", "#f2f7f2", "#f2b134"),
    "moss": ("#1e2d24", "#35563f", "#6f8f5b", "#c8d5a8", "#f3f1e0", "#d98c3f"),
    "river": ("#0d2436", "#164863", "#427d9d", "#9bbec8", "#ddf2fd", "#e9b44c"),
    "drought": ("#23301f", "#4f6b3a", "#9aa86a", "#d9c99a", "#f6ecd6", "#f2a03d"),
    "ember": ("#1c0f0a", "#4a1d10", "#8c3414", "#e0782c", "#ffd9a8", "#ffc15e"),
    "earth": ("#2b1d14", "#4a3323", "#7a5638", "#b08968", "#efe0cc", "#7fb069"),
    "poster": ("#1b1b1b", "#d7263d", "#f46036", "#2e294e", "#f7f3e3", "#1b998b"),
    "harbour": ("#102542", "#1f7a8c", "#bfdbf7", "#f87060", "#f6f1e9", "#e1bc29"),
    "opinion": ("#2a1740", "#4b2a6b", "#6a3d9a", "#c9b6e4", "#f6f0fb", "#f2b134"),
    "ink": ("#111111", "#2f2f2f", "#a4161a", "#d9d6cf", "#fffdf8", "#a4161a"),
    "clinic": ("#0b2e33", "#105e62", "#2a9d8f", "#b8e0d2", "#eef8f5", "#ff6b6b"),
}

#: Cold to hot, for heat maps.
HEAT_RAMP = ("#2c7bb6", "#6fb0d2", "#abd9e9", "#ffffbf", "#fdae61", "#f46d43", "#d7191c")


def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    t = min(max(t, 0.0), 1.0)
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def ramp(stops: Sequence[RGB], t: float) -> RGB:
    t = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    index = min(int(t), len(stops) - 2)
    return mix(stops[index], stops[index + 1], t - index)


def fingerprint(*parts: Any) -> str:
    """A short stable hash of whatever decides a picture's pixels."""
    text = "|".join(repr(part) for part in (ART_VERSION, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


class Canvas:
    """An RGBA picture with helpers that take coordinates as fractions of the size."""

    def __init__(self, width: int, height: int, background: RGB = (0, 0, 0)) -> None:
        self.width, self.height = width, height
        self.image = Image.new("RGBA", (width, height), (*background, 255))
        self.draw = ImageDraw.Draw(self.image)

    def x(self, fraction: float) -> float:
        return fraction * self.width

    def y(self, fraction: float) -> float:
        return fraction * self.height

    def vertical_gradient(self, stops: Sequence[RGB], top: float = 0, bottom: float = 1) -> None:
        y0, y1 = int(self.y(top)), int(self.y(bottom))
        span = max(y1 - y0, 1)
        for row in range(y0, y1):
            self.draw.line([(0, row), (self.width, row)], fill=ramp(stops, (row - y0) / span))

    def overlay(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        return layer, ImageDraw.Draw(layer)

    def merge(self, layer: Image.Image, blur: float = 0) -> None:
        if blur:
            layer = layer.filter(ImageFilter.GaussianBlur(blur))
        self.image = Image.alpha_composite(self.image, layer)
        self.draw = ImageDraw.Draw(self.image)

    def glow(self, cx: float, cy: float, radius: float, colour: RGB, strength: int = 90) -> None:
        layer, draw = self.overlay()
        for step in range(6, 0, -1):
            r = radius * (1 + step * 0.35)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*colour, strength // (step + 1)))
        self.merge(layer, blur=radius * 0.6)


# --- Compositions --------------------------------------------------------------
# Each takes (canvas, rng, palette colours, options) and draws on the canvas.


def _buildings(
    canvas: Canvas,
    rng: random.Random,
    *,
    base: float,
    min_h: float,
    max_h: float,
    colour: RGB,
    windows: RGB | None = None,
    lit: float = 0.3,
) -> None:
    draw = canvas.draw
    x = -rng.uniform(0, 40)
    while x < canvas.width:
        w = canvas.x(rng.uniform(0.035, 0.09))
        h = canvas.y(rng.uniform(min_h, max_h))
        top = base - h
        draw.rectangle([x, top, x + w, base], fill=colour)
        roof = rng.random()
        if roof < 0.15:
            draw.polygon([(x, top), (x + w / 2, top - w * 0.45), (x + w, top)], fill=colour)
        elif roof < 0.25:
            draw.rectangle([x + w * 0.45, top - h * 0.25, x + w * 0.55, top], fill=colour)
            draw.polygon(
                [
                    (x + w * 0.42, top - h * 0.25),
                    (x + w / 2, top - h * 0.45),
                    (x + w * 0.58, top - h * 0.25),
                ],
                fill=colour,
            )
        elif roof < 0.33:
            draw.pieslice(
                [x + w * 0.1, top - w * 0.4, x + w * 0.9, top + w * 0.4], 180, 360, fill=colour
            )
        elif roof < 0.5:
            draw.rectangle([x + w * 0.2, top - h * 0.08, x + w * 0.8, top], fill=colour)
        if windows:
            size = max(canvas.x(0.006), 2)
            gap = size * 2.2
            wy = top + gap
            while wy < base - gap * 1.5:
                wx = x + gap * 0.8
                while wx < x + w - gap:
                    if rng.random() < lit:
                        draw.rectangle([wx, wy, wx + size, wy + size * 1.3], fill=windows)
                    wx += gap
                wy += gap * 1.4
        x += w + canvas.x(rng.uniform(-0.01, 0.012))


def _bridge(canvas: Canvas, rng: random.Random, *, deck: float, colour: RGB) -> None:
    draw = canvas.draw
    thickness = canvas.y(0.018)
    draw.rectangle([0, deck, canvas.width, deck + thickness], fill=colour)
    spans = 3
    span_w = canvas.width / spans
    rise = canvas.y(0.16)
    line = max(int(canvas.x(0.006)), 2)
    for index in range(spans):
        left = index * span_w
        box = [left + span_w * 0.04, deck - rise, left + span_w * 0.96, deck + rise]
        draw.arc(box, 180, 360, fill=colour, width=line * 2)
        # Verticals from the arch to the deck: the truss.
        for step in range(1, 12):
            t = step / 12
            px = box[0] + (box[2] - box[0]) * t
            angle = math.pi * (1 - t)
            py = deck - rise * math.sin(angle)
            draw.line([(px, py), (px, deck)], fill=colour, width=line)
        pier = left
        draw.rectangle(
            [pier - canvas.x(0.012), deck, pier + canvas.x(0.012), canvas.height], fill=colour
        )
    draw.rectangle([canvas.width - canvas.x(0.012), deck, canvas.width, canvas.height], fill=colour)
    # Lamps along the parapet.
    for lamp in range(14):
        lx = (lamp + 0.5) * canvas.width / 14
        draw.line([(lx, deck), (lx, deck - canvas.y(0.05))], fill=colour, width=line)
        r = canvas.x(0.004)
        draw.ellipse(
            [lx - r, deck - canvas.y(0.05) - r, lx + r, deck - canvas.y(0.05) + r],
            fill=(255, 214, 140),
        )


def _bus(canvas: Canvas, *, x: float, base: float, colour: RGB, glass: RGB) -> None:
    draw = canvas.draw
    w, h = canvas.x(0.34), canvas.y(0.17)
    draw.rounded_rectangle([x, base - h, x + w, base], radius=h * 0.12, fill=colour)
    pane_w = w * 0.11
    for index in range(7):
        px = x + w * 0.05 + index * (pane_w + w * 0.02)
        draw.rounded_rectangle(
            [px, base - h * 0.86, px + pane_w, base - h * 0.5], radius=h * 0.03, fill=glass
        )
    draw.rectangle([x, base - h * 0.32, x + w, base - h * 0.27], fill=glass)
    for wheel in (0.18, 0.8):
        cx, r = x + w * wheel, h * 0.14
        draw.ellipse([cx - r, base - r, cx + r, base + r], fill=(20, 20, 24))
        draw.ellipse(
            [cx - r * 0.45, base - r * 0.45, cx + r * 0.45, base + r * 0.45], fill=(120, 120, 130)
        )


def skyline(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    river = opts.get("river", False) or opts.get("bridge", False)
    horizon = 0.66 if river else 0.84
    canvas.vertical_gradient([pal[1], pal[2], pal[3], pal[4]], 0, horizon)
    sun_x = canvas.x(rng.uniform(0.2, 0.8))
    sun_y = canvas.y(horizon - rng.uniform(0.12, 0.3))
    sun_r = canvas.y(0.07)
    canvas.glow(sun_x, sun_y, sun_r, pal[5], strength=120)
    canvas.draw.ellipse(
        [sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=mix(pal[5], pal[4], 0.3)
    )
    layer, draw = canvas.overlay()
    for _ in range(5):
        cx, cy = canvas.x(rng.random()), canvas.y(rng.uniform(0.08, horizon - 0.3))
        w, h = canvas.x(rng.uniform(0.12, 0.3)), canvas.y(rng.uniform(0.02, 0.04))
        draw.rounded_rectangle([cx - w, cy - h, cx + w, cy + h], radius=h, fill=(*pal[4], 70))
    canvas.merge(layer, blur=canvas.y(0.01))
    base = canvas.y(horizon)
    _buildings(canvas, rng, base=base, min_h=0.18, max_h=0.42, colour=mix(pal[2], pal[3], 0.35))
    _buildings(canvas, rng, base=base, min_h=0.1, max_h=0.3, colour=mix(pal[1], pal[2], 0.45))
    _buildings(
        canvas,
        rng,
        base=base,
        min_h=0.05,
        max_h=0.2,
        colour=pal[0],
        windows=mix(pal[5], pal[4], 0.2),
        lit=0.35,
    )
    if opts.get("smoke"):
        layer, draw = canvas.overlay()
        sx = canvas.x(rng.uniform(0.35, 0.65))
        for step in range(14):
            r = canvas.y(0.03 + step * 0.012)
            cx = sx + canvas.x(0.02 * step) + canvas.x(rng.uniform(-0.02, 0.02))
            cy = base - canvas.y(0.12 + step * 0.04)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(70, 60, 60, 70))
        canvas.merge(layer, blur=canvas.y(0.02))
        canvas.glow(sx, base - canvas.y(0.12), canvas.y(0.05), pal[5], strength=160)
    if river:
        top = int(base)
        reflection = canvas.image.crop((0, 0, canvas.width, top)).transpose(
            Image.Transpose.FLIP_TOP_BOTTOM
        )
        reflection = reflection.resize((canvas.width, canvas.height - top)).filter(
            ImageFilter.GaussianBlur(canvas.y(0.008))
        )
        water = Image.new("RGBA", reflection.size, (*pal[1], 255))
        canvas.image.paste(Image.blend(reflection, water, 0.55), (0, top))
        canvas.draw = ImageDraw.Draw(canvas.image)
        for _ in range(60):
            wy = canvas.y(rng.uniform(horizon + 0.01, 1))
            wx = canvas.x(rng.random())
            ww = canvas.x(rng.uniform(0.02, 0.1))
            canvas.draw.line(
                [(wx, wy), (wx + ww, wy)],
                fill=mix(pal[1], pal[4], 0.35),
                width=max(int(canvas.y(0.003)), 1),
            )
    if opts.get("bridge"):
        _bridge(canvas, rng, deck=canvas.y(horizon + 0.1), colour=pal[0])
    if opts.get("bus"):
        canvas.draw.rectangle([0, base, canvas.width, canvas.height], fill=mix(pal[0], pal[1], 0.4))
        for lane in range(8):
            lx = canvas.x(lane / 8 + 0.02)
            ly = canvas.y(horizon + 0.11)
            canvas.draw.rectangle(
                [lx, ly, lx + canvas.x(0.06), ly + canvas.y(0.008)], fill=mix(pal[4], pal[1], 0.3)
            )
        _bus(
            canvas,
            x=canvas.x(opts.get("bus_x", 0.33)),
            base=canvas.y(0.96),
            colour=hex_rgb(opts.get("bus_colour", "#c8102e")),
            glass=mix(pal[1], pal[4], 0.5),
        )
    if opts.get("crane"):
        draw = canvas.draw
        cx = canvas.x(opts.get("crane_x", 0.7))
        mast_top = canvas.y(horizon - 0.55)
        line = max(int(canvas.x(0.004)), 2)
        draw.rectangle([cx - line * 2, mast_top, cx + line * 2, base], fill=pal[0])
        jib_left, jib_right = cx - canvas.x(0.28), cx + canvas.x(0.09)
        draw.rectangle([jib_left, mast_top, jib_right, mast_top + line * 3], fill=pal[0])
        draw.line([(cx, mast_top - canvas.y(0.06)), (jib_left, mast_top)], fill=pal[0], width=line)
        draw.line([(cx, mast_top - canvas.y(0.06)), (jib_right, mast_top)], fill=pal[0], width=line)
        hook_x = cx - canvas.x(0.18)
        draw.line(
            [(hook_x, mast_top), (hook_x, mast_top + canvas.y(0.22))], fill=pal[0], width=line
        )
        draw.rectangle(
            [
                hook_x - canvas.x(0.03),
                mast_top + canvas.y(0.22),
                hook_x + canvas.x(0.03),
                mast_top + canvas.y(0.25),
            ],
            fill=pal[5],
        )


def hemicycle(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[4], mix(pal[3], pal[4], 0.5)])
    draw = canvas.draw
    # A faint town-hall portico behind the chamber.
    cx = canvas.x(0.5)
    faint = mix(pal[3], pal[4], 0.35)
    base = canvas.y(0.8)
    draw.polygon(
        [
            (cx - canvas.x(0.34), canvas.y(0.2)),
            (cx, canvas.y(0.06)),
            (cx + canvas.x(0.34), canvas.y(0.2)),
        ],
        fill=faint,
    )
    for column in range(9):
        px = cx - canvas.x(0.3) + column * canvas.x(0.6) / 8
        draw.rectangle(
            [px - canvas.x(0.012), canvas.y(0.22), px + canvas.x(0.012), base], fill=faint
        )
    draw.rectangle(
        [cx - canvas.x(0.36), base, cx + canvas.x(0.36), base + canvas.y(0.03)], fill=faint
    )
    groups = [(int(n), hex_rgb(colour)) for n, colour in opts.get("seats", [(40, "#b5382f")])]
    total = sum(n for n, _ in groups)
    rows = max(3, round(math.sqrt(total / 4)))
    r_out, r_in = canvas.y(0.62), canvas.y(0.26)
    centre = (cx, canvas.y(0.86))
    radii = [r_in + (r_out - r_in) * (i + 0.5) / rows for i in range(rows)]
    weights = [r / sum(radii) for r in radii]
    per_row = [max(1, round(total * w)) for w in weights]
    per_row[-1] += total - sum(per_row)
    seats: list[tuple[float, float, float]] = []
    for radius, count in zip(radii, per_row, strict=True):
        for index in range(count):
            angle = math.pi * (index + 0.5) / count
            seats.append((angle, radius, count))
    seats.sort(key=lambda seat: -seat[0])
    colours = [colour for n, colour in groups for _ in range(n)]
    dot = (r_out - r_in) / rows * 0.36
    for (angle, radius, _count), colour in zip(seats, colours, strict=False):
        sx = centre[0] + radius * math.cos(angle)
        sy = centre[1] - radius * math.sin(angle)
        draw.ellipse([sx - dot, sy - dot, sx + dot, sy + dot], fill=colour)
    draw.rectangle([0, canvas.y(0.9), canvas.width, canvas.height], fill=pal[1])
    rule = canvas.y(0.012)
    start = canvas.x(0.08)
    for n, colour in groups:
        width = canvas.x(0.84) * n / total
        draw.rectangle(
            [start, canvas.y(0.94), start + width - 4, canvas.y(0.94) + rule], fill=colour
        )
        start += width


def chart(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[0], mix(pal[0], pal[1], 0.7)])
    draw = canvas.draw
    left, right, top, bottom = canvas.x(0.07), canvas.x(0.95), canvas.y(0.12), canvas.y(0.86)
    grid = mix(pal[0], pal[3], 0.22)
    line = max(int(canvas.y(0.002)), 1)
    for step in range(6):
        gy = top + (bottom - top) * step / 5
        draw.line([(left, gy), (right, gy)], fill=grid, width=line)
    bars = int(opts.get("bars", 14))
    trend = float(opts.get("trend", 0.5))
    value = rng.uniform(0.35, 0.5) if trend >= 0 else rng.uniform(0.7, 0.85)
    values = []
    for _ in range(bars):
        value = min(max(value + trend * 0.035 + rng.uniform(-0.06, 0.06), 0.08), 0.95)
        values.append(value)
    slot = (right - left) / bars
    highlight = int(opts.get("highlight", -1)) % bars
    for index, v in enumerate(values):
        bx = left + index * slot + slot * 0.18
        colour = pal[5] if index == highlight else mix(pal[2], pal[3], index / bars * 0.6)
        draw.rectangle([bx, bottom - (bottom - top) * v, bx + slot * 0.64, bottom], fill=colour)
    # A second series as a line with markers.
    second = [min(max(v * rng.uniform(0.7, 0.95) + 0.05, 0.05), 0.98) for v in values]
    points = [(left + (i + 0.5) * slot, bottom - (bottom - top) * v) for i, v in enumerate(second)]
    layer, ldraw = canvas.overlay()
    ldraw.polygon([(points[0][0], bottom), *points, (points[-1][0], bottom)], fill=(*pal[4], 38))
    canvas.merge(layer)
    canvas.draw.line(points, fill=pal[4], width=max(int(canvas.y(0.006)), 2), joint="curve")
    r = canvas.y(0.012)
    for px, py in points:
        canvas.draw.ellipse(
            [px - r, py - r, px + r, py + r],
            fill=pal[4],
            outline=pal[0],
            width=max(int(r * 0.35), 1),
        )
    canvas.draw.line([(left, bottom), (right, bottom)], fill=pal[4], width=line * 2)


def pulse(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[0], pal[1]])
    draw = canvas.draw
    grid = mix(pal[0], pal[2], 0.35)
    step = canvas.y(0.05)
    gx = 0.0
    while gx < canvas.width:
        draw.line([(gx, 0), (gx, canvas.height)], fill=grid, width=1)
        gx += step
    gy = 0.0
    while gy < canvas.height:
        draw.line([(0, gy), (canvas.width, gy)], fill=grid, width=1)
        gy += step
    # A window of the infirmary at night, lit, on the right.
    for row in range(4):
        for col in range(5):
            wx = canvas.x(0.66 + col * 0.06)
            wy = canvas.y(0.08 + row * 0.09)
            lit = rng.random() < 0.6
            draw.rectangle(
                [wx, wy, wx + canvas.x(0.04), wy + canvas.y(0.06)],
                fill=mix(pal[3], pal[4], 0.5) if lit else mix(pal[0], pal[1], 0.5),
            )
    mid = canvas.y(0.55)
    points = []
    x = 0.0
    beat = canvas.x(0.22)
    while x < canvas.width + beat:
        jitter = rng.uniform(0.9, 1.1)
        shape = [
            (0, 0),
            (0.3, 0),
            (0.36, -0.05),
            (0.42, 0),
            (0.5, 0),
            (0.54, 0.08),
            (0.58, -0.42 * jitter),
            (0.62, 0.16),
            (0.66, 0),
            (0.78, -0.07),
            (0.86, 0),
        ]
        points.extend((x + dx * beat, mid + dy * canvas.y(0.8)) for dx, dy in shape)
        x += beat
    layer, ldraw = canvas.overlay()
    ldraw.line(points, fill=(*pal[5], 255), width=int(canvas.y(0.03)), joint="curve")
    canvas.merge(layer, blur=canvas.y(0.015))
    canvas.draw.line(
        points,
        fill=mix(pal[5], (255, 255, 255), 0.45),
        width=max(int(canvas.y(0.007)), 2),
        joint="curve",
    )


def _hills(canvas: Canvas, rng: random.Random, *, base: float, amp: float, colour: RGB) -> list:
    phase = rng.uniform(0, math.tau)
    freq = rng.uniform(1.2, 2.6)
    points = []
    for step in range(0, 101):
        x = canvas.width * step / 100
        y = base - amp * (
            0.6 * math.sin(phase + freq * math.tau * step / 100)
            + 0.4 * math.sin(phase * 1.7 + freq * 2.3 * math.tau * step / 100)
        )
        points.append((x, y))
    canvas.draw.polygon([(0, canvas.height), *points, (canvas.width, canvas.height)], fill=colour)
    return points


def _tree(canvas: Canvas, x: float, y: float, size: float, colour: RGB, trunk: RGB) -> None:
    draw = canvas.draw
    draw.rectangle([x - size * 0.08, y - size * 0.6, x + size * 0.08, y], fill=trunk)
    draw.ellipse([x - size * 0.5, y - size * 1.5, x + size * 0.5, y - size * 0.45], fill=colour)


def landscape(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([mix(pal[3], pal[4], 0.3), pal[4]], 0, 0.6)
    sun_x, sun_y, sun_r = canvas.x(rng.uniform(0.6, 0.85)), canvas.y(0.2), canvas.y(0.08)
    canvas.glow(sun_x, sun_y, sun_r, pal[5], strength=110)
    canvas.draw.ellipse(
        [sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=mix(pal[5], pal[4], 0.4)
    )
    canvas.draw.rectangle([0, canvas.y(0.6), canvas.width, canvas.height], fill=pal[4])
    _hills(canvas, rng, base=canvas.y(0.5), amp=canvas.y(0.06), colour=mix(pal[3], pal[4], 0.4))
    _hills(canvas, rng, base=canvas.y(0.58), amp=canvas.y(0.05), colour=pal[3])
    water = hex_rgb(opts.get("water", "#5b8fb0"))
    if opts.get("lake"):
        level = float(opts.get("level", 0.8))
        cx, cy = canvas.x(0.45), canvas.y(0.66)
        rx, ry = canvas.x(0.36), canvas.y(0.09)
        canvas.draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=mix(pal[3], pal[4], 0.7))
        srx, sry = rx * (0.55 + 0.45 * level), ry * (0.55 + 0.45 * level)
        canvas.draw.ellipse([cx - srx, cy - sry, cx + srx, cy + sry], fill=water)
        for _ in range(14):
            wx = cx + rng.uniform(-srx * 0.6, srx * 0.6)
            wy = cy + rng.uniform(-sry * 0.5, sry * 0.5)
            canvas.draw.line(
                [(wx, wy), (wx + canvas.x(0.04), wy)],
                fill=mix(water, pal[4], 0.5),
                width=max(int(canvas.y(0.003)), 1),
            )
    _hills(canvas, rng, base=canvas.y(0.74), amp=canvas.y(0.04), colour=pal[2])
    if opts.get("stream", True):
        points_l, points_r = [], []
        for step in range(41):
            t = step / 40
            y = canvas.y(0.7 + 0.3 * t)
            x = canvas.x(0.5 + 0.16 * math.sin(t * math.pi * 1.6 + 0.4))
            half = canvas.x(0.008 + 0.1 * t * t)
            points_l.append((x - half, y))
            points_r.append((x + half, y))
        canvas.draw.polygon(points_l + points_r[::-1], fill=water)
        if opts.get("dam"):
            t = 0.55
            y = canvas.y(0.7 + 0.3 * t)
            x = canvas.x(0.5 + 0.16 * math.sin(t * math.pi * 1.6 + 0.4))
            half = canvas.x(0.008 + 0.1 * t * t) * 1.5
            for _ in range(40):
                sx = x + rng.uniform(-half, half)
                sy = y + rng.uniform(-canvas.y(0.015), canvas.y(0.015))
                length = canvas.x(rng.uniform(0.03, 0.07))
                angle = rng.uniform(-0.4, 0.4)
                canvas.draw.line(
                    [
                        (sx - length / 2 * math.cos(angle), sy - length / 2 * math.sin(angle)),
                        (sx + length / 2 * math.cos(angle), sy + length / 2 * math.sin(angle)),
                    ],
                    fill=mix(hex_rgb("#5a3b22"), hex_rgb("#8a6642"), rng.random()),
                    width=max(int(canvas.y(0.006)), 2),
                )
    _hills(canvas, rng, base=canvas.y(0.9), amp=canvas.y(0.025), colour=pal[1])
    for _ in range(int(opts.get("trees", 18))):
        tx = canvas.x(rng.random())
        if abs(tx - canvas.x(0.5)) < canvas.x(0.12):
            continue
        ty = canvas.y(rng.uniform(0.74, 0.98))
        size = canvas.y(0.06 + 0.12 * (ty / canvas.height - 0.7))
        _tree(canvas, tx, ty, size, mix(pal[0], pal[1], rng.random()), pal[0])
    layer, draw = canvas.overlay()
    for _ in range(140):
        rx = canvas.x(rng.random())
        ry = canvas.y(rng.uniform(0.93, 1.0))
        draw.line(
            [(rx, ry), (rx + canvas.x(rng.uniform(-0.01, 0.01)), ry - canvas.y(0.05))],
            fill=(*pal[0], 200),
            width=max(int(canvas.y(0.003)), 1),
        )
    canvas.merge(layer)


def heatmap(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    stops = [hex_rgb(c) for c in HEAT_RAMP]
    canvas.image.paste((*pal[0], 255), (0, 0, canvas.width, canvas.height))
    hot = [
        (rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7), rng.uniform(0.12, 0.25)) for _ in range(3)
    ]
    cool = [
        (rng.uniform(0.05, 0.95), rng.uniform(0.05, 0.95), rng.uniform(0.08, 0.16))
        for _ in range(4)
    ]

    def temperature(fx: float, fy: float) -> float:
        value = 0.35
        for hx, hy, spread in hot:
            value += 0.55 * math.exp(-((fx - hx) ** 2 + (fy - hy) ** 2) / (2 * spread**2))
        for kx, ky, spread in cool:
            value -= 0.35 * math.exp(-((fx - kx) ** 2 + (fy - ky) ** 2) / (2 * spread**2))
        return value

    street = canvas.x(0.006)
    y = 0.0
    while y < canvas.height:
        row_h = canvas.y(rng.uniform(0.06, 0.11))
        x = 0.0
        while x < canvas.width:
            w = canvas.x(rng.uniform(0.04, 0.09))
            t = temperature((x + w / 2) / canvas.width, (y + row_h / 2) / canvas.height)
            colour = ramp(stops, t + rng.uniform(-0.04, 0.04))
            canvas.draw.rectangle(
                [x + street, y + street, x + w - street, y + row_h - street], fill=colour
            )
            x += w
        y += row_h
    # The river, cool, crossing the map.
    points = []
    for step in range(41):
        t = step / 40
        points.append((canvas.x(t), canvas.y(0.62 + 0.1 * math.sin(t * math.tau * 0.8 + 1))))
    canvas.draw.line(points, fill=hex_rgb("#2c7bb6"), width=int(canvas.y(0.05)), joint="curve")
    # Parks: cool green blobs.
    for kx, ky, spread in cool[:2]:
        r = canvas.y(spread * 0.7)
        cx, cy = canvas.x(kx), canvas.y(ky)
        canvas.draw.ellipse([cx - r * 1.3, cy - r, cx + r * 1.3, cy + r], fill=hex_rgb("#3f8f5a"))
    # Legend: the ramp, bottom right.
    lx0, lx1, ly = canvas.x(0.68), canvas.x(0.95), canvas.y(0.92)
    canvas.draw.rectangle([lx0 - 10, ly - 10, lx1 + 10, ly + canvas.y(0.035) + 10], fill=pal[0])
    for px in range(int(lx0), int(lx1)):
        canvas.draw.line(
            [(px, ly), (px, ly + canvas.y(0.035))], fill=ramp(stops, (px - lx0) / (lx1 - lx0))
        )


def poster(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    """A Bauhaus-style grid of tiles, each clipped to its cell."""
    canvas.image.paste((*pal[4], 255), (0, 0, canvas.width, canvas.height))
    cols, rows = 8, 5
    cw, ch = canvas.width // cols, canvas.height // rows
    gutter = max(int(cw * 0.015), 1)
    colours = [pal[0], pal[1], pal[2], pal[3], pal[5]]
    for row in range(rows):
        for col in range(cols):
            bg, fg = rng.sample(colours, 2)
            if rng.random() < 0.25:
                bg = pal[4]
            tile = Image.new("RGBA", (cw, ch), (*bg, 255))
            draw = ImageDraw.Draw(tile)
            motif = rng.randrange(7)
            if motif == 0:
                draw.ellipse([cw * 0.1, ch * 0.1, cw * 0.9, ch * 0.9], fill=fg)
            elif motif == 1:
                cx, cy = rng.choice([(0, 0), (cw, 0), (cw, ch), (0, ch)])
                draw.ellipse([cx - cw, cy - ch, cx + cw, cy + ch], fill=fg)
            elif motif == 2:
                start = rng.choice([0, 90, 180, 270])
                draw.pieslice([0, 0, cw, ch], start, start + 180, fill=fg)
            elif motif == 3:
                for stripe in range(5):
                    sy = ch * (stripe + 0.25) / 5
                    draw.rectangle([0, sy, cw, sy + ch * 0.1], fill=fg)
            elif motif == 4:
                draw.polygon([(0, ch), (cw / 2, 0), (cw, ch)], fill=fg)
            elif motif == 5:
                r = min(cw, ch) * 0.18
                draw.ellipse([cw / 2 - r, ch / 2 - r, cw / 2 + r, ch / 2 + r], fill=fg)
            # motif 6: a plain block of colour.
            canvas.image.paste(
                tile.crop((gutter, gutter, cw - gutter, ch - gutter)),
                (col * cw + gutter, row * ch + gutter),
            )
    canvas.draw = ImageDraw.Draw(canvas.image)


def stage(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[0], mix(pal[0], pal[1], 0.6)])
    draw = canvas.draw
    cinema = opts.get("cinema", False)
    if cinema:
        sx0, sy0, sx1, sy1 = canvas.x(0.2), canvas.y(0.14), canvas.x(0.8), canvas.y(0.56)
        for row in range(int(sy0), int(sy1)):
            t = (row - sy0) / (sy1 - sy0)
            draw.line([(sx0, row), (sx1, row)], fill=ramp([pal[3], pal[4], pal[5], pal[2]], t))
        layer, ldraw = canvas.overlay()
        origin = (canvas.x(0.5), canvas.y(0.98))
        ldraw.polygon([origin, (sx0, sy1), (sx1, sy1)], fill=(*pal[4], 45))
        for _ in range(80):
            px = canvas.x(rng.uniform(0.3, 0.7))
            py = canvas.y(rng.uniform(0.55, 0.95))
            r = canvas.y(0.002)
            ldraw.ellipse([px - r, py - r, px + r, py + r], fill=(*pal[4], 120))
        canvas.merge(layer, blur=canvas.y(0.01))
    else:
        layer, ldraw = canvas.overlay()
        for beam in range(3):
            bx = canvas.x(0.25 + beam * 0.25)
            ldraw.polygon(
                [
                    (bx - canvas.x(0.02), 0),
                    (bx + canvas.x(0.02), 0),
                    (bx + canvas.x(0.14), canvas.y(0.78)),
                    (bx - canvas.x(0.14), canvas.y(0.78)),
                ],
                fill=(*pal[5], 70),
            )
        canvas.merge(layer, blur=canvas.y(0.02))
        draw = canvas.draw
        draw.rectangle([0, canvas.y(0.78), canvas.width, canvas.y(0.84)], fill=pal[2])
        # Musicians: simple standing figures on the stage.
        for index in range(int(opts.get("figures", 4))):
            fx = canvas.x(0.3 + index * 0.4 / max(int(opts.get("figures", 4)) - 1, 1))
            fy = canvas.y(0.78)
            head = canvas.y(0.035)
            draw.ellipse(
                [fx - head, fy - canvas.y(0.33) - head, fx + head, fy - canvas.y(0.33) + head],
                fill=pal[0],
            )
            draw.rounded_rectangle(
                [fx - canvas.x(0.03), fy - canvas.y(0.3), fx + canvas.x(0.03), fy],
                radius=canvas.x(0.02),
                fill=pal[0],
            )
    draw = canvas.draw
    # Curtains at the sides, with folds.
    for side in (0, 1):
        for fold in range(7):
            t = fold / 7
            x0 = canvas.x(t * 0.16) if side == 0 else canvas.x(1 - (t + 1 / 7) * 0.16)
            colour = mix(pal[1], pal[2], 0.3 + 0.5 * ((fold % 2) == 0))
            draw.rectangle([x0, 0, x0 + canvas.x(0.16 / 7) + 1, canvas.height], fill=colour)
    for scallop in range(12):
        sx = canvas.x(scallop / 12)
        draw.pieslice(
            [sx, -canvas.y(0.08), sx + canvas.x(1 / 12), canvas.y(0.1)], 0, 180, fill=pal[1]
        )
    # Rows of seats in silhouette.
    for row in range(3):
        sy = canvas.y(0.88 + row * 0.05)
        r = canvas.x(0.022)
        offset = r if row % 2 else 0
        x = -offset
        while x < canvas.width:
            draw.pieslice([x, sy - r, x + r * 1.8, sy + r], 180, 360, fill=pal[0])
            x += r * 2.1
        draw.rectangle([0, sy, canvas.width, canvas.height], fill=pal[0])


def waves(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[0], pal[1]])
    lines = 34
    for index in range(lines):
        t = index / lines
        base = canvas.y(0.1 + 0.85 * t)
        amp = canvas.y(0.02 + 0.03 * rng.random())
        phase = rng.uniform(0, math.tau)
        freq = rng.uniform(1.5, 3.0)
        points = [
            (canvas.width * s / 80, base + amp * math.sin(phase + freq * math.tau * s / 80))
            for s in range(81)
        ]
        colour = ramp([pal[2], pal[3], pal[4]], t)
        canvas.draw.line(points, fill=colour, width=max(int(canvas.y(0.006)), 2), joint="curve")
    if opts.get("outfall"):
        murk = hex_rgb(opts.get("murk", "#8a6d3b"))
        layer, draw = canvas.overlay()
        ox, oy = canvas.x(0.08), canvas.y(0.45)
        for step in range(30):
            r = canvas.y(0.04 + step * 0.012)
            cx = ox + canvas.x(0.025 * step)
            cy = oy + canvas.y(0.01 * step) + canvas.y(rng.uniform(-0.02, 0.02))
            draw.ellipse([cx - r * 1.4, cy - r, cx + r * 1.4, cy + r], fill=(*murk, 28))
        canvas.merge(layer, blur=canvas.y(0.02))
        draw = canvas.draw
        draw.rectangle([0, oy - canvas.y(0.22), canvas.x(0.1), oy + canvas.y(0.1)], fill=pal[0])
        r = canvas.y(0.08)
        draw.ellipse(
            [ox - r, oy - r, ox + r, oy + r],
            fill=mix(pal[0], (0, 0, 0), 0.5),
            outline=mix(pal[0], pal[3], 0.4),
            width=max(int(canvas.y(0.012)), 2),
        )


def quote(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[1], pal[2]])
    layer, draw = canvas.overlay()
    spacing = canvas.y(0.04)
    angle = rng.uniform(0.3, 1.2)
    y = 0.0
    while y < canvas.height + spacing:
        x = 0.0
        while x < canvas.width + spacing:
            t = (x * math.cos(angle) + y * math.sin(angle)) / (canvas.width + canvas.height)
            r = spacing * 0.42 * (1 - t)
            if r > 0.5:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=(*pal[3], 60))
            x += spacing
        y += spacing
    canvas.merge(layer)
    draw = canvas.draw
    mark = pal[5]
    size = canvas.y(0.2)
    for index in range(2):
        cx = canvas.x(0.14) + index * size * 1.25
        cy = canvas.y(0.32)
        draw.ellipse([cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2], fill=mark)
        draw.polygon(
            [
                (cx - size / 2, cy + size * 0.05),
                (cx + size * 0.05, cy + size * 0.2),
                (cx - size * 0.35, cy + size * 1.05),
            ],
            fill=mark,
        )
    # Lines of "text", like a column set in type.
    for row in range(7):
        ly = canvas.y(0.62 + row * 0.05)
        length = canvas.x(rng.uniform(0.36, 0.46) if row < 6 else rng.uniform(0.15, 0.25))
        draw.rounded_rectangle(
            [canvas.x(0.12), ly, canvas.x(0.12) + length, ly + canvas.y(0.018)],
            radius=canvas.y(0.009),
            fill=mix(pal[4], pal[3], 0.3),
        )
    glyph = opts.get("motif")
    if glyph == "arch":
        line = max(int(canvas.y(0.012)), 2)
        left, right, deck = canvas.x(0.6), canvas.x(0.95), canvas.y(0.42)
        colour = pal[4]
        draw.line(
            [(left - canvas.x(0.03), deck), (right + canvas.x(0.03), deck)],
            fill=colour,
            width=line * 2,
        )
        box = [left, deck - canvas.y(0.26), right, deck + canvas.y(0.26)]
        draw.arc(box, 180, 360, fill=colour, width=line * 2)
        for step in range(1, 10):
            t = step / 10
            px = left + (right - left) * t
            py = deck - canvas.y(0.26) * math.sin(math.pi * t)
            draw.line([(px, py), (px, deck)], fill=colour, width=line)
        # One span has failed: a gap in the deck, a crack down the pier.
        draw.rectangle(
            [canvas.x(0.76), deck - line * 2, canvas.x(0.79), deck + line * 2], fill=pal[2]
        )
        for pier in (left, right):
            draw.rectangle([pier - line * 2, deck, pier + line * 2, canvas.y(0.56)], fill=colour)
    elif glyph == "stethoscope":
        line = max(int(canvas.y(0.018)), 2)
        colour = pal[4]
        draw.arc(
            [canvas.x(0.66), canvas.y(0.02), canvas.x(0.9), canvas.y(0.5)],
            0,
            180,
            fill=colour,
            width=line,
        )
        for ear in (0.66, 0.9):
            r = canvas.y(0.025)
            ex, ey = canvas.x(ear), canvas.y(0.26)
            draw.ellipse([ex - r, ey - r, ex + r, ey + r], fill=colour)
        tube = [
            (
                canvas.x(0.78) + canvas.x(0.08) * math.sin(t / 10 * math.pi),
                canvas.y(0.5 + 0.035 * t),
            )
            for t in range(11)
        ]
        draw.line(tube, fill=colour, width=line, joint="curve")
        cx, cy, r = canvas.x(0.78), canvas.y(0.9), canvas.y(0.07)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=pal[5], outline=colour, width=line)
    elif glyph == "tram":
        body, glass = pal[4], mix(pal[1], pal[4], 0.35)
        x0, x1, y0, y1 = canvas.x(0.56), canvas.x(0.96), canvas.y(0.2), canvas.y(0.46)
        line = max(int(canvas.y(0.008)), 2)
        draw.line(
            [(canvas.x(0.5), canvas.y(0.06)), (canvas.width, canvas.y(0.06))], fill=body, width=line
        )
        mid = (x0 + x1) / 2
        draw.line([(mid - canvas.x(0.04), y0), (mid, canvas.y(0.06))], fill=body, width=line)
        draw.line([(mid + canvas.x(0.04), y0), (mid, canvas.y(0.06))], fill=body, width=line)
        draw.rounded_rectangle([x0, y0, x1, y1], radius=canvas.y(0.05), fill=body)
        for index in range(5):
            wx = x0 + (x1 - x0) * (0.06 + index * 0.185)
            draw.rounded_rectangle(
                [wx, y0 + canvas.y(0.04), wx + (x1 - x0) * 0.14, y0 + canvas.y(0.13)],
                radius=canvas.y(0.015),
                fill=glass,
            )
        draw.rectangle([x0, y1 - canvas.y(0.05), x1, y1 - canvas.y(0.035)], fill=pal[5])
        draw.rectangle(
            [x0 - canvas.x(0.04), y1 + canvas.y(0.02), x1 + canvas.x(0.04), y1 + canvas.y(0.03)],
            fill=body,
        )
    elif glyph == "bricks":
        bw, bh = canvas.x(0.06), canvas.y(0.045)
        for row in range(12):
            offset = bw / 2 if row % 2 else 0
            for col in range(7):
                bx = canvas.x(0.6) + col * bw - offset
                by = canvas.y(0.05) + row * bh
                if bx < canvas.x(0.58):
                    continue
                tone = mix(pal[0], pal[5], rng.uniform(0.2, 0.7))
                draw.rectangle([bx + 3, by + 3, bx + bw - 3, by + bh - 3], fill=tone)


def gears(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[0], pal[1]])
    draw = canvas.draw
    grid = mix(pal[1], pal[3], 0.25)
    step = canvas.y(0.05)
    for index in range(int(canvas.width / step) + 1):
        width = 2 if index % 5 == 0 else 1
        draw.line([(index * step, 0), (index * step, canvas.height)], fill=grid, width=width)
    for index in range(int(canvas.height / step) + 1):
        width = 2 if index % 5 == 0 else 1
        draw.line([(0, index * step), (canvas.width, index * step)], fill=grid, width=width)

    def gear(cx: float, cy: float, radius: float, teeth: int, colour: RGB, turn: float) -> None:
        points = []
        for tooth in range(teeth * 4):
            angle = turn + math.tau * tooth / (teeth * 4)
            r = radius * (1.0 if tooth % 4 in (1, 2) else 0.84)
            points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
        draw.polygon(points, fill=colour)
        hole = radius * 0.32
        draw.ellipse([cx - hole, cy - hole, cx + hole, cy + hole], fill=pal[0])
        for spoke in range(5):
            angle = turn + math.tau * spoke / 5
            sx, sy = cx + radius * 0.58 * math.cos(angle), cy + radius * 0.58 * math.sin(angle)
            r = radius * 0.1
            draw.ellipse([sx - r, sy - r, sx + r, sy + r], fill=pal[0])

    gear(canvas.x(0.36), canvas.y(0.5), canvas.y(0.36), 18, pal[3], rng.random())
    gear(canvas.x(0.62), canvas.y(0.3), canvas.y(0.2), 11, pal[5], rng.random())
    gear(canvas.x(0.7), canvas.y(0.72), canvas.y(0.16), 9, pal[2], rng.random())
    gear(canvas.x(0.1), canvas.y(0.12), canvas.y(0.12), 8, mix(pal[2], pal[3], 0.5), rng.random())
    # A dimension line, as on an engineering drawing.
    y = canvas.y(0.94)
    draw.line([(canvas.x(0.05), y), (canvas.x(0.95), y)], fill=pal[4], width=2)
    for x in (canvas.x(0.05), canvas.x(0.95)):
        draw.line([(x, y - canvas.y(0.02)), (x, y + canvas.y(0.02))], fill=pal[4], width=2)


def facade(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([pal[3], pal[4]], 0, 0.3)
    draw = canvas.draw
    x = 0.0
    shuttered = set(opts.get("shuttered", []))
    index = 0
    while x < canvas.width:
        w = canvas.x(rng.uniform(0.17, 0.26))
        top = canvas.y(rng.uniform(0.04, 0.16))
        body = mix(pal[rng.choice([1, 2])], pal[3], rng.uniform(0, 0.35))
        trim = mix(body, pal[4], 0.6)
        draw.rectangle([x, top, x + w, canvas.height], fill=body)
        draw.rectangle([x - 4, top, x + w + 4, top + canvas.y(0.025)], fill=trim)
        shop_top = canvas.y(0.64)
        for row in range(3):
            wy = top + canvas.y(0.08 + row * 0.16)
            if wy + canvas.y(0.11) > shop_top - canvas.y(0.03):
                break
            for col in range(3):
                wx = x + w * (0.1 + col * 0.3)
                draw.rectangle([wx, wy, wx + w * 0.2, wy + canvas.y(0.11)], fill=trim)
                draw.rectangle(
                    [wx + 4, wy + 4, wx + w * 0.2 - 4, wy + canvas.y(0.11) - 4],
                    fill=mix(pal[0], pal[1], 0.5),
                )
        draw.rectangle([x, shop_top - canvas.y(0.05), x + w, shop_top], fill=pal[0])
        if index in shuttered:
            for slat in range(16):
                sy = shop_top + slat * canvas.y(0.022)
                draw.rectangle(
                    [x + w * 0.05, sy, x + w * 0.95, sy + canvas.y(0.016)],
                    fill=mix((130, 130, 135), (200, 200, 205), slat % 2),
                )
        else:
            draw.rectangle(
                [x + w * 0.05, shop_top + canvas.y(0.04), x + w * 0.95, canvas.y(0.98)],
                fill=mix(pal[4], pal[5], 0.25),
            )
            stripes = 8
            for stripe in range(stripes):
                sx = x + w * stripe / stripes
                colour = pal[5] if stripe % 2 else pal[4]
                draw.polygon(
                    [
                        (sx, shop_top),
                        (sx + w / stripes, shop_top),
                        (sx + w / stripes + w * 0.02, shop_top + canvas.y(0.07)),
                        (sx + w * 0.02, shop_top + canvas.y(0.07)),
                    ],
                    fill=colour,
                )
        draw.rectangle([x - 3, top, x + 3, canvas.height], fill=pal[0])
        x += w
        index += 1


def soil(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    canvas.vertical_gradient([mix(pal[4], pal[5], 0.15), pal[4]], 0, 0.3)
    draw = canvas.draw
    bands = [0.3, 0.45, 0.62, 0.8, 1.01]
    colours = [pal[3], pal[2], pal[1], pal[0]]
    for index, colour in enumerate(colours):
        top, bottom = bands[index], bands[index + 1]
        phase = rng.uniform(0, math.tau)
        points = [
            (canvas.width * s / 60, canvas.y(top) + canvas.y(0.015) * math.sin(phase + s / 4))
            for s in range(61)
        ]
        draw.polygon(
            [*points, (canvas.width, canvas.y(bottom) + 40), (0, canvas.y(bottom) + 40)],
            fill=colour,
        )
        for _ in range(90):
            px, py = canvas.x(rng.random()), canvas.y(rng.uniform(top + 0.02, bottom))
            r = canvas.y(rng.uniform(0.002, 0.008))
            draw.ellipse([px - r, py - r, px + r, py + r], fill=mix(colour, pal[4], 0.25))
    # Plants and their roots.
    for index in range(7):
        px = canvas.x(0.08 + index * 0.14)
        stem_top = canvas.y(0.3 - rng.uniform(0.08, 0.16))
        draw.line([(px, canvas.y(0.3)), (px, stem_top)], fill=pal[5], width=int(canvas.y(0.008)))
        for side in (-1, 1):
            lx = px + side * canvas.x(0.03)
            ly = stem_top + canvas.y(0.03)
            draw.ellipse(
                [min(px, lx), ly - canvas.y(0.02), max(px, lx), ly + canvas.y(0.02)], fill=pal[5]
            )
        x, y = px, canvas.y(0.3)
        for _ in range(12):
            nx = x + canvas.x(rng.uniform(-0.015, 0.015))
            ny = y + canvas.y(rng.uniform(0.02, 0.04))
            draw.line([(x, y), (nx, ny)], fill=mix(pal[4], pal[3], 0.4), width=3)
            x, y = nx, ny
    # The sensor: a probe with a glowing tip.
    sx = canvas.x(0.63)
    draw.rounded_rectangle(
        [sx - canvas.x(0.03), canvas.y(0.14), sx + canvas.x(0.03), canvas.y(0.32)],
        radius=canvas.x(0.01),
        fill=(236, 236, 232),
    )
    draw.rectangle(
        [sx - canvas.x(0.006), canvas.y(0.32), sx + canvas.x(0.006), canvas.y(0.7)],
        fill=(200, 200, 196),
    )
    canvas.glow(sx, canvas.y(0.7), canvas.y(0.03), hex_rgb("#7ee8fa"), strength=200)
    canvas.draw.ellipse(
        [sx - canvas.y(0.015), canvas.y(0.685), sx + canvas.y(0.015), canvas.y(0.715)],
        fill=(210, 250, 255),
    )


def pages(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    """An open ledger, hand-ruled, with a tide line: archive material."""
    canvas.vertical_gradient([pal[0], pal[1]])
    draw = canvas.draw
    left, right = canvas.x(0.1), canvas.x(0.9)
    top, bottom = canvas.y(0.12), canvas.y(0.9)
    draw.rectangle([left + 14, top + 14, right + 14, bottom + 14], fill=mix(pal[0], (0, 0, 0), 0.4))
    paper = hex_rgb("#efe4c8")
    draw.rectangle([left, top, right, bottom], fill=paper)
    mid = canvas.x(0.5)
    draw.line([(mid, top), (mid, bottom)], fill=mix(paper, (90, 70, 40), 0.4), width=4)
    ink = hex_rgb("#3b2f2a")
    for page_left in (left, mid):
        x0, x1 = page_left + canvas.x(0.03), page_left + canvas.x(0.37)
        y = top + canvas.y(0.08)
        draw.line([(x0, y - canvas.y(0.03)), (x1, y - canvas.y(0.03))], fill=(170, 60, 50), width=3)
        while y < bottom - canvas.y(0.04):
            draw.line([(x0, y), (x1, y)], fill=mix(paper, (120, 140, 170), 0.5), width=2)
            cursor = x0
            while cursor < x1 - canvas.x(0.03):
                word = canvas.x(rng.uniform(0.015, 0.05))
                end = min(cursor + word, x1)
                wy = y - canvas.y(0.012)
                wobble = [
                    (
                        cursor + (end - cursor) * s / 6,
                        wy + canvas.y(0.004) * math.sin(s * 1.9 + cursor),
                    )
                    for s in range(7)
                ]
                draw.line(wobble, fill=ink, width=max(int(canvas.y(0.004)), 2))
                cursor = end + canvas.x(0.008)
            y += canvas.y(0.045)
    # A flood tide mark across the lower part of both pages.
    layer, ldraw = canvas.overlay()
    points = [
        (left + (right - left) * s / 40, canvas.y(0.7) + canvas.y(0.02) * math.sin(s * 0.8))
        for s in range(41)
    ]
    ldraw.polygon([*points, (right, bottom), (left, bottom)], fill=(140, 100, 50, 55))
    ldraw.line(points, fill=(110, 75, 35, 120), width=int(canvas.y(0.006)))
    canvas.merge(layer, blur=canvas.y(0.003))


def dialogue(canvas: Canvas, rng: random.Random, pal: list[RGB], opts: dict[str, Any]) -> None:
    """Two overlapping speech bubbles: a conversation, for interviews."""
    canvas.vertical_gradient([pal[4], mix(pal[3], pal[4], 0.5)])
    layer, draw = canvas.overlay()
    spacing = canvas.y(0.035)
    for row in range(int(canvas.height / spacing) + 1):
        for col in range(int(canvas.width / spacing) + 1):
            x, y = col * spacing, row * spacing
            t = max(0.0, 1 - math.hypot(canvas.width - x, canvas.height - y) / canvas.width)
            r = spacing * 0.45 * t
            if r > 0.5:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=(*pal[2], 90))
    canvas.merge(layer)

    def bubble(box: list[float], colour: RGB, ink: RGB, tail_left: bool, lines: int) -> None:
        x0, y0, x1, y1 = box
        radius = (y1 - y0) * 0.22
        draw = canvas.draw
        shadow = [x0 + 14, y0 + 18, x1 + 14, y1 + 18]
        draw.rounded_rectangle(shadow, radius=radius, fill=mix(colour, (0, 0, 0), 0.45))
        draw.rounded_rectangle(box, radius=radius, fill=colour)
        if tail_left:
            tail = [
                (x0 + (x1 - x0) * 0.15, y1 - 2),
                (x0 + (x1 - x0) * 0.32, y1 - 2),
                (x0 + (x1 - x0) * 0.06, y1 + (y1 - y0) * 0.3),
            ]
        else:
            tail = [
                (x1 - (x1 - x0) * 0.32, y1 - 2),
                (x1 - (x1 - x0) * 0.15, y1 - 2),
                (x1 - (x1 - x0) * 0.06, y1 + (y1 - y0) * 0.3),
            ]
        draw.polygon(tail, fill=colour)
        pad = (y1 - y0) * 0.2
        step = (y1 - y0 - 2 * pad) / max(lines, 1)
        for line in range(lines):
            ly = y0 + pad + line * step
            length = (x1 - x0 - 2 * pad) * (rng.uniform(0.7, 1.0) if line < lines - 1 else 0.45)
            draw.rounded_rectangle(
                [x0 + pad, ly, x0 + pad + length, ly + step * 0.42], radius=step * 0.21, fill=ink
            )

    bubble(
        [canvas.x(0.07), canvas.y(0.1), canvas.x(0.6), canvas.y(0.48)],
        pal[1],
        mix(pal[1], pal[4], 0.45),
        tail_left=True,
        lines=3,
    )
    bubble(
        [canvas.x(0.38), canvas.y(0.5), canvas.x(0.93), canvas.y(0.8)],
        pal[5],
        mix(pal[5], pal[4], 0.55),
        tail_left=False,
        lines=2,
    )
    # A desk microphone between the speakers.
    draw = canvas.draw
    mx, my = canvas.x(0.2), canvas.y(0.78)
    head = canvas.y(0.07)
    draw.rounded_rectangle(
        [mx - head * 0.6, my - head, mx + head * 0.6, my + head * 0.4],
        radius=head * 0.6,
        fill=pal[0],
    )
    draw.rectangle(
        [mx - canvas.x(0.003), my + head * 0.4, mx + canvas.x(0.003), canvas.y(0.94)], fill=pal[0]
    )
    draw.rounded_rectangle(
        [mx - canvas.x(0.05), canvas.y(0.93), mx + canvas.x(0.05), canvas.y(0.96)],
        radius=canvas.y(0.01),
        fill=pal[0],
    )


COMPOSITIONS: dict[str, Callable[[Canvas, random.Random, list[RGB], dict[str, Any]], None]] = {
    "skyline": skyline,
    "hemicycle": hemicycle,
    "chart": chart,
    "pulse": pulse,
    "landscape": landscape,
    "heatmap": heatmap,
    "poster": poster,
    "stage": stage,
    "waves": waves,
    "quote": quote,
    "gears": gears,
    "facade": facade,
    "soil": soil,
    "pages": pages,
    "dialogue": dialogue,
}


def _rng(seed: str) -> random.Random:
    # Not for security: a reproducible stream of numbers per picture.
    return random.Random(hashlib.sha256(seed.encode()).digest())  # noqa: S311


def render(
    kind: str,
    *,
    seed: str,
    palette: str,
    size: tuple[int, int] = (1600, 1000),
    options: dict[str, Any] | None = None,
) -> Image.Image:
    """Draw the composition ``kind``; the same arguments always give the same picture."""
    width, height = size
    factor = SUPERSAMPLE * max(1.0, MIN_DRAWING_WIDTH / width)
    pal = [hex_rgb(colour) for colour in PALETTES[palette]]
    canvas = Canvas(round(width * factor), round(height * factor), background=pal[0])
    COMPOSITIONS[kind](canvas, _rng(f"{kind}:{seed}"), pal, dict(options or {}))
    return canvas.image.convert("RGB").resize(size, Image.Resampling.LANCZOS)


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from django.contrib.staticfiles import finders

    path = finders.find("vendor/fonts/source-serif-4/latin-700-normal.woff2")
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:  # a FreeType without WOFF2 support
            pass
    return ImageFont.load_default(size=size)


def portrait(*, initials: str, colour: str, seed: str, size: int = 600) -> Image.Image:
    """An abstract portrait: initials on a coloured disc, over a soft pattern."""
    rng = _rng(f"portrait:{seed}")
    base = hex_rgb(colour)
    big = max(size, MIN_DRAWING_WIDTH // 3) * SUPERSAMPLE
    canvas = Canvas(big, big, background=mix(base, (255, 255, 255), 0.82))
    layer, draw = canvas.overlay()
    for _ in range(7):
        r = big * rng.uniform(0.15, 0.4)
        cx, cy = big * rng.random(), big * rng.random()
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*mix(base, (255, 255, 255), 0.5), 70))
    canvas.merge(layer, blur=big * 0.02)
    margin = big * 0.08
    canvas.draw.ellipse([margin, margin, big - margin, big - margin], fill=base)
    # A lighter half-disc: a hint of light falling on a face.
    layer, draw = canvas.overlay()
    draw.pieslice([margin, margin, big - margin, big - margin], 200, 340, fill=(255, 255, 255, 40))
    canvas.merge(layer)
    font = _font(int(big * 0.36))
    canvas.draw.text(
        (big / 2, big / 2 + big * 0.02),
        initials,
        font=font,
        anchor="mm",
        fill=mix(base, (255, 255, 255), 0.92),
    )
    return canvas.image.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
