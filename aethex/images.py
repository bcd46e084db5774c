"""Image uploads (avatars, banners, emotes later): decoded by Pillow, never trusting the file name
or content type, bounded in bytes and pixels, cropped to the wanted shape and stored as WebP."""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def fitted_webp(
    upload: UploadedFile, *, size: tuple[int, int], min_size: tuple[int, int] | None = None
) -> ContentFile:
    """Validate an uploaded image and return it cropped and resized to `size` as a WebP file."""
    if upload.size is None or upload.size > settings.AVATAR_MAX_BYTES:
        limit = settings.AVATAR_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"The image is larger than {limit} MB.", code="too_large")
    maximum = settings.AVATAR_MAX_DIMENSION
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.", code="bad_type")
            # A decompression bomb (tiny file, huge canvas) is refused before pixels are decoded.
            if width * height > maximum * maximum:
                raise ValidationError("The image is too large to process.", code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            return _fit(image, width, height, size, min_size or size)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("That file is not an image we can read.", code="bad_image") from None


def avatar_from_upload(upload: UploadedFile) -> ContentFile:
    """A square WebP of AVATAR_SIZE pixels, from an image at least AVATAR_MIN_DIMENSION wide and high."""
    side, minimum = settings.AVATAR_SIZE, settings.AVATAR_MIN_DIMENSION
    return fitted_webp(upload, size=(side, side), min_size=(minimum, minimum))


def _fit(
    image: Image.Image, width: int, height: int, size: tuple[int, int], min_size: tuple[int, int]
) -> ContentFile:
    maximum = settings.AVATAR_MAX_DIMENSION
    if width < min_size[0] or height < min_size[1]:
        raise ValidationError(
            f"The image must be at least {min_size[0]}×{min_size[1]} pixels.", code="too_small"
        )
    if width > maximum or height > maximum:
        raise ValidationError(f"The image must be at most {maximum}×{maximum} pixels.", code="too_big")
    image = ImageOps.exif_transpose(image)  # phone photos carry their rotation in EXIF
    image = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA") else image.convert("RGB")
    fitted = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    fitted.save(out, format="WEBP", quality=88, method=4)  # first frame only: these images are still
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.webp")
