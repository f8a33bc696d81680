"""Image uploads: validation before anything is decoded, and renditions made once.

Uploads are checked for size in bytes, then opened lazily so that only the
header is read: the pixel count is refused before Pillow decodes a single
pixel, which is what protects us from decompression bombs. Only then is the
image decoded in full, as making renditions will: a file with a valid header
and checksums but broken pixel data is refused with the form's message
instead of failing later, after the original was stored. Renditions in the
widths of ``NEWSROOM_IMAGE_RENDITION_WIDTHS`` are written when the image is
saved (never while serving a page) and listed on the model, so a ``srcset``
costs no query and no file-system access.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image_file(upload: Any) -> None:
    """Refuse anything that is not a real, reasonably sized image."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; images may be at most %(max)s. Export a smaller version.",
            code="too_large",
            params={"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
        )
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            try:
                with PILImage.open(upload) as image:
                    width, height = image.size
                    image_format = image.format
                    if width * height > max_pixels:
                        raise ValidationError(
                            "This image is %(w)s × %(h)s pixels; the limit is %(max)s million "
                            "pixels. Resize it before uploading.",
                            code="too_many_pixels",
                            params={"w": width, "h": height, "max": max_pixels // 1_000_000},
                        )
                    image.verify()
                # verify() checks the structure, not the pixels: decode them
                # too (within the pixel limit checked above). verify() leaves
                # the image unusable, hence a second open.
                upload.seek(0)
                with PILImage.open(upload) as image:
                    image.load()
            except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
                raise ValidationError(
                    "This image declares more pixels than we can safely open "
                    "(a possible decompression bomb). Resize it before uploading.",
                    code="decompression_bomb",
                ) from exc
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
                raise ValidationError(
                    "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
                    code="not_an_image",
                ) from exc
        if image_format not in ACCEPTED_FORMATS:
            raise ValidationError(
                "%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
                code="bad_format",
                params={"format": image_format},
            )
    finally:
        if position is not None:
            upload.seek(position)


def _upright(source: PILImage.Image) -> PILImage.Image:
    """The image as it should be seen: EXIF orientation applied, in a mode WebP can store."""
    image = ImageOps.exif_transpose(source)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    wanted = "RGBA" if has_alpha else "RGB"
    if image.mode != wanted:
        image = image.convert(wanted)
    return image


def make_renditions(name: str, *, key: str, previous: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Write WebP renditions of the stored image ``name``; return their descriptions.

    Each is ``{"width", "height", "name"}``, upright (EXIF orientation applied),
    smallest first.

    Files are named after ``key`` (the image's id) and a digest of the source,
    so a replaced picture gets new URLs (safe behind far-future cache headers).
    ``previous`` lists the names of renditions to delete once the new ones exist.
    """
    widths = settings.NEWSROOM_IMAGE_RENDITION_WIDTHS
    with default_storage.open(name, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:10]
        handle.seek(0)
        with PILImage.open(handle) as source:
            # Animated GIFs: the first frame stands for the image.
            source.seek(0)
            source.load()
            image = _upright(source)
    original_width, original_height = image.size
    targets = {w for w in widths if w < original_width}
    targets.add(min(original_width, widths[-1]))
    items = []
    for width in sorted(targets):
        height = max(1, round(original_height * width / original_width))
        resized = (
            image
            if width == original_width
            else image.resize((width, height), PILImage.Resampling.LANCZOS)
        )
        buffer = io.BytesIO()
        resized.save(buffer, "WEBP", quality=80, method=4)
        path = str(PurePosixPath("renditions") / key / f"{digest}-{width}.webp")
        if default_storage.exists(path):
            default_storage.delete(path)
        stored = default_storage.save(path, ContentFile(buffer.getvalue()))
        items.append({"width": width, "height": height, "name": stored})
    kept = {item["name"] for item in items}
    for old in previous:
        if old not in kept and default_storage.exists(old):
            default_storage.delete(old)
    return items
