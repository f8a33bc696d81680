"""Image uploads (validated in the admin) and their renditions (made once, on save)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Image
from tests.conftest import form_data
from tests.factories import ArticleFactory, ImageFactory, editor, image_bytes

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_image_add")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_with(width: int, height: int, pixel_data: bytes) -> bytes:
    """An 8-bit RGB PNG with a valid header and checksums around ``pixel_data``."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(pixel_data))
        + png_chunk(b"IEND", b"")
    )


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    return png_with(width, height, b"\x00" * 64)


def png_with_broken_pixels() -> bytes:
    """A PNG that passes ``verify()`` (header, chunk checksums) but cannot be decoded:
    every row starts with filter type 9, which does not exist."""
    return png_with(100, 100, (b"\x09" + b"\x00" * 300) * 100)


def noisy_jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.effect_noise((width, height), 120).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def upload(client, name: str, content: bytes, content_type: str = "image/jpeg"):
    data = form_data(client.get(ADD_URL), "image_form")
    data.update({"alt_text": ["A harbour at dawn"], "credit": ["Agency"]})
    data["file"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(ADD_URL, data)


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return (
        [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()] if root.exists() else []
    )


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    return client


# --- validation in the admin --------------------------------------------------------


def test_editor_uploads_an_image_and_renditions_are_made(editor_client, settings):
    response = upload(editor_client, "harbour.jpg", image_bytes(1600, 1000))

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (1600, 1000)
    assert [r["width"] for r in image.renditions] == [320, 640, 960, 1280, 1600]
    assert all(default_storage.exists(r["name"]) for r in image.renditions)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.jpg",
            b"These are my notes, not a picture.",
            "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
        ),
        (
            "truncated.png",
            image_bytes(200, 200, fmt="PNG")[:60],
            "This file is not an image we can read.",
        ),
        (
            "broken-pixels.png",
            png_with_broken_pixels(),
            "This file is not an image we can read.",
        ),
        (
            "bomb.png",
            png_declaring(40_000, 40_000),
            "This image declares more pixels than we can safely open "
            "(a possible decompression bomb). Resize it before uploading.",
        ),
    ],
    ids=["not-an-image", "truncated", "broken-pixel-data", "decompression-bomb"],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(
    editor_client, settings, name, content, message
):
    response = upload(editor_client, name, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="A harbour at dawn"' in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_an_image_over_the_byte_limit_is_refused(editor_client, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 50_000
    content = noisy_jpeg(600, 600)
    assert len(content) > 50_000

    response = upload(editor_client, "big.jpg", content)

    assert response.status_code == 200
    assert "images may be at most 48.8\xa0KB. Export a smaller version." in (
        response.content.decode()
    )
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_an_image_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000_000

    response = upload(editor_client, "wide.png", png_declaring(2000, 1000))

    assert response.status_code == 200
    assert "This image is 2000 × 1000 pixels; the limit is 1 million pixels." in (
        response.content.decode()
    )
    assert not Image.objects.exists()


# --- renditions ----------------------------------------------------------------------


def test_when_renditions_cannot_be_made_the_stored_original_is_deleted(monkeypatch, settings):
    def fail(*args, **kwargs):
        raise OSError("broken data stream when reading image file")

    monkeypatch.setattr("articles.models.make_renditions", fail)

    with pytest.raises(OSError):
        ImageFactory(file=SimpleUploadedFile("a.jpg", image_bytes(700, 350)))

    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_renditions_are_made_once_on_save_not_again_and_not_per_request(
    client, monkeypatch, django_assert_num_queries
):
    image = ImageFactory(file=SimpleUploadedFile("a.jpg", image_bytes(1000, 500)))
    first = list(image.renditions)
    assert [r["width"] for r in first] == [320, 640, 960, 1000]

    def fail(*args, **kwargs):
        raise AssertionError("renditions made again")

    monkeypatch.setattr("articles.models.make_renditions", fail)
    image.alt_text = "New description"
    image.save()
    assert image.renditions == first

    # Serving a page reads the list from the row: no image is opened.
    monkeypatch.setattr(default_storage, "open", fail)
    article = ArticleFactory(hero_image=image)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


def test_replacing_the_file_makes_new_renditions_under_new_names(settings):
    image = ImageFactory(file=SimpleUploadedFile("a.jpg", image_bytes(700, 350)))
    old = [r["name"] for r in image.renditions]

    image.file = SimpleUploadedFile("b.jpg", image_bytes(700, 350, color=(200, 10, 10)))
    image.save()

    new = [r["name"] for r in image.renditions]
    assert set(new).isdisjoint(old)
    assert all(default_storage.exists(name) for name in new)
    assert not any(default_storage.exists(name) for name in old)


def test_page_has_srcset_and_intrinsic_width_and_height(client):
    image = ImageFactory(
        file=SimpleUploadedFile("a.jpg", image_bytes(1600, 900)), alt_text="Boats in fog"
    )
    article = ArticleFactory(hero_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    srcset = ", ".join(f"/media/{r['name']} {r['width']}w" for r in image.renditions)
    assert f'srcset="{srcset}"' in html
    assert 'width="1280" height="720" alt="Boats in fog"' in html
    # A small original is never announced larger than it is.
    small = ImageFactory(file=SimpleUploadedFile("s.jpg", image_bytes(500, 250)))
    other = ArticleFactory(hero_image=small)
    assert 'width="500" height="250"' in client.get(other.get_absolute_url()).content.decode()


def test_exif_orientation_is_applied_to_renditions_and_page_dimensions(client):
    # A phone photo stored 400 × 200, tagged "rotate 90° clockwise to view".
    exif = PILImage.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 200), (10, 120, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    image = ImageFactory(file=SimpleUploadedFile("phone.jpg", buffer.getvalue()))

    largest = image.renditions[-1]
    assert (largest["width"], largest["height"]) == (200, 400)
    with default_storage.open(largest["name"]) as handle, PILImage.open(handle) as rendition:
        assert rendition.size == (200, 400)
    article = ArticleFactory(hero_image=image)
    assert 'width="200" height="400"' in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("mode", ["RGBA", "P"])
def test_png_transparency_survives_in_renditions(mode):
    picture = PILImage.new("RGBA", (400, 300), (0, 0, 0, 0))
    picture.paste((200, 30, 30, 255), (100, 100, 300, 200))
    if mode == "P":
        picture = picture.convert("P", palette=PILImage.Palette.ADAPTIVE)
        picture.info["transparency"] = picture.getpixel((0, 0))
    buffer = io.BytesIO()
    picture.save(
        buffer, "PNG", **({"transparency": picture.info["transparency"]} if mode == "P" else {})
    )
    image = ImageFactory(file=SimpleUploadedFile("logo.png", buffer.getvalue()))

    with default_storage.open(image.renditions[0]["name"]) as handle, PILImage.open(handle) as out:
        out = out.convert("RGBA")
        assert out.getpixel((0, 0))[3] == 0  # the corner stays transparent
        assert out.getpixel((out.width // 2, out.height // 2))[3] == 255


def test_animated_gif_gets_renditions_of_its_first_frame():
    frames = [PILImage.new("P", (300, 200), color) for color in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    image = ImageFactory(file=SimpleUploadedFile("anim.gif", buffer.getvalue()))

    assert [r["width"] for r in image.renditions] == [300]
    with default_storage.open(image.renditions[0]["name"]) as handle, PILImage.open(handle) as out:
        assert out.format == "WEBP"
        assert out.size == (300, 200)
