"""Emote images: an upload decoded by Pillow (never trusting its name or content type), bounded in bytes,
pixels and frames, padded to a square and stored at 28/56/112 px. Animated GIF/WebP stay animated.
"""

from __future__ import annotations

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageSequence, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "GIF", "WEBP", "JPEG"}
MAX_BYTES = 1024 * 1024
MIN_SIDE = 28
MAX_SIDE = 1024
MAX_ASPECT = 2.0  # wider than 2:1 would be mostly padding once made square
MAX_FRAMES = 250
# Frames × pixels decoded: the cost of an animation. 1024×1024 × 40 frames, or 112×112 × 250 easily.
MAX_TOTAL_PIXELS = 40 * 1024 * 1024
SIZES = {"1x": 28, "2x": 56, "4x": 112}
DEFAULT_FRAME_MS = 100


def emote_images(upload: UploadedFile) -> tuple[dict[str, ContentFile], bool]:
    """Validate an uploaded emote and return its three sizes (keyed "1x", "2x", "4x") and whether
    it is animated. Raises ValidationError (code too_large, bad_type, bad_image, too_small, too_big,
    bad_shape, too_many_frames) keyed "upload"."""
    data = _read_bounded(upload)
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = _check(image)
            animated = frames > 1
            if animated:
                return _animated(image), True
            image.load()
            return _still(image), False
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise _invalid("That file is not an image we can read.", "bad_image") from None


def _invalid(message: str, code: str) -> ValidationError:
    return ValidationError({"upload": [ValidationError(message, code=code)]})


def _read_bounded(upload: UploadedFile) -> bytes:
    # The declared size can lie (or be missing); read one byte past the limit to know for sure.
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _invalid("An emote image is at most 1 MB.", "too_large")
    return data


def _check(image: Image.Image) -> int:
    """Refuse what we will not decode, from the header alone; returns the frame count."""
    if image.format not in ALLOWED_FORMATS:
        raise _invalid("Upload a PNG, GIF, WebP or JPEG image.", "bad_type")
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE:
        raise _invalid(f"An emote is at most {MAX_SIDE}×{MAX_SIDE} pixels.", "too_big")
    if width < MIN_SIDE or height < MIN_SIDE:
        raise _invalid(f"An emote is at least {MIN_SIDE}×{MIN_SIDE} pixels.", "too_small")
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise _invalid("An emote must be roughly square (at most 2:1).", "bad_shape")
    frames = int(getattr(image, "n_frames", 1))
    # A small file can hold thousands of frames, each decoded in full: bound their total.
    if frames > MAX_FRAMES or frames * width * height > MAX_TOTAL_PIXELS:
        raise _invalid("The animation has too many frames for its size.", "too_many_frames")
    return frames


def _square(frame: Image.Image, side: int) -> Image.Image:
    """Fit into a side×side transparent square, keeping the aspect ratio (no cropping)."""
    rgba = frame.convert("RGBA")
    scale = side / max(rgba.size)
    size = (max(1, round(rgba.width * scale)), max(1, round(rgba.height * scale)))
    resized = rgba.resize(size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    canvas.paste(resized, ((side - size[0]) // 2, (side - size[1]) // 2))
    return canvas


def _name(label: str) -> str:
    return f"{secrets.token_hex(8)}_{label}.webp"


def _still(image: Image.Image) -> dict[str, ContentFile]:
    out: dict[str, ContentFile] = {}
    for label, side in SIZES.items():
        buffer = io.BytesIO()
        # Lossless: emotes are small, flat-coloured art where lossy artefacts show.
        _square(image, side).save(buffer, format="WEBP", lossless=True, method=4)
        out[label] = ContentFile(buffer.getvalue(), name=_name(label))
    return out


def _keep_alpha(frame: Image.Image) -> None:
    """libwebp's animation encoder crops fully transparent borders off a frame and, when what is left is
    opaque, leaves the file's alpha flag unset: some decoders then paint the padding black. One
    practically invisible pixel (alpha 1) in a transparent corner keeps the whole canvas, and its alpha."""
    pixel = frame.getpixel((0, 0))
    if isinstance(pixel, tuple) and pixel[3] == 0:
        frame.putpixel((0, 0), (0, 0, 0, 1))


def _animated(image: Image.Image) -> dict[str, ContentFile]:
    # Pillow hands out each frame already composited (GIF disposal and WebP blending applied).
    durations: list[int] = []
    scaled: dict[str, list[Image.Image]] = {label: [] for label in SIZES}
    for frame in ImageSequence.Iterator(image):
        frame.load()  # a frame's info (its duration) is only filled in once it is decoded
        durations.append(int(frame.info.get("duration") or DEFAULT_FRAME_MS))
        for label, side in SIZES.items():
            scaled[label].append(_square(frame, side))
    loop = int(image.info.get("loop", 0))
    out: dict[str, ContentFile] = {}
    for label, frames in scaled.items():
        _keep_alpha(frames[0])
        buffer = io.BytesIO()
        frames[0].save(
            buffer,
            format="WEBP",
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=loop,
            lossless=True,
            method=4,
        )
        out[label] = ContentFile(buffer.getvalue(), name=_name(label))
    return out
