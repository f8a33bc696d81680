"""Form fields for the editors' workspace."""

from __future__ import annotations

from django import forms

from .images import validate_image_file


class ImageUploadField(forms.ImageField):
    """An image upload checked for bytes, pixels and decompression bombs first.

    Django's own ``ImageField`` decodes the upload to verify it and answers
    any failure with a generic "not a valid image"; checking our limits before
    that gives the editor the real reason (too big, too many pixels, a bomb).
    """

    def to_python(self, data):
        if data is not None and hasattr(data, "size"):
            validate_image_file(data)
        return super().to_python(data)
