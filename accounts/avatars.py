"""Avatar uploads: decoded by Pillow (never trusting the name or content type), bounded, squared, resized."""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A decompression bomb (tiny file, huge canvas) is refused before pixels are decoded.
_MAX_PIXELS = settings.AVATAR_MAX_DIMENSION * settings.AVATAR_MAX_DIMENSION


def avatar_from_upload(upload: UploadedFile) -> ContentFile:
    """Validate an uploaded image and return a square WebP of AVATAR_SIZE pixels."""
    if upload.size is None or upload.size > settings.AVATAR_MAX_BYTES:
        limit = settings.AVATAR_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"The image is larger than {limit} MB.", code="too_large")
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.", code="bad_type")
            if width * height > _MAX_PIXELS:
                raise ValidationError("The image is too large to process.", code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            return _square_webp(image, width, height)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("That file is not an image we can read.", code="bad_image") from None


def _square_webp(image: Image.Image, width: int, height: int) -> ContentFile:
    minimum, maximum = settings.AVATAR_MIN_DIMENSION, settings.AVATAR_MAX_DIMENSION
    if width < minimum or height < minimum:
        raise ValidationError(f"The image must be at least {minimum}×{minimum} pixels.", code="too_small")
    if width > maximum or height > maximum:
        raise ValidationError(f"The image must be at most {maximum}×{maximum} pixels.", code="too_big")
    image = ImageOps.exif_transpose(image)  # phone photos carry their rotation in EXIF
    image = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA") else image.convert("RGB")
    size = settings.AVATAR_SIZE
    squared = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    squared.save(out, format="WEBP", quality=88, method=4)  # first frame only: avatars are still
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.webp")
