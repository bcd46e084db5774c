from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageSequence

from chat import emotes as emote_images_module
from chat import selectors
from chat.models import Emote
from chat.services import emotes as services
from tests.factories import UserFactory
from tests.streams.helpers import make_channel


def image_file(size=(64, 64), fmt="PNG", color=(255, 0, 0, 255), name="emote.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    mode = "RGB" if fmt == "JPEG" else "RGBA"
    Image.new(mode, size, color[:3] if mode == "RGB" else color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def animation(
    fmt="GIF", size=(64, 64), colors=("red", "yellow", "blue", "green"), durations=(40, 60, 80, 100)
):
    frames = [Image.new("RGBA", size, color) for color in colors]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format=fmt, save_all=True, append_images=frames[1:], duration=list(durations), loop=0
    )
    return SimpleUploadedFile(f"anim.{fmt.lower()}", buffer.getvalue())


def opened(content) -> Image.Image:
    content.seek(0)
    return Image.open(io.BytesIO(content.read()))


def durations_of(image: Image.Image) -> list[int]:
    result = []
    for frame in ImageSequence.Iterator(image):
        frame.load()
        result.append(frame.info["duration"])
    return result


def error_code(exc: pytest.ExceptionInfo[ValidationError], field: str = "upload") -> str | None:
    return exc.value.error_dict[field][0].code


# --- image processing ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_still_images_make_three_square_sizes(fmt):
    files, animated = emote_images_module.emote_images(image_file(fmt=fmt, name="whatever.txt"))
    assert not animated
    assert {label: opened(f).size for label, f in files.items()} == {
        "1x": (28, 28),
        "2x": (56, 56),
        "4x": (112, 112),
    }
    assert all(opened(f).format == "WEBP" for f in files.values())


def test_non_square_image_is_padded_with_transparency_not_cropped():
    files, _ = emote_images_module.emote_images(image_file(size=(100, 50)))
    big = opened(files["4x"]).convert("RGBA")
    assert big.size == (112, 112)
    assert big.getpixel((56, 2))[3] == 0  # padding above
    assert big.getpixel((56, 56)) == (255, 0, 0, 255)
    assert big.getpixel((1, 56))[3] == 255  # full width kept


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animation_keeps_every_frame_duration_and_loop_at_every_size(fmt):
    files, animated = emote_images_module.emote_images(animation(fmt))
    assert animated
    for label, side in {"1x": 28, "2x": 56, "4x": 112}.items():
        image = opened(files[label])
        assert image.size == (side, side)
        assert image.n_frames == 4, label
        assert durations_of(image) == [40, 60, 80, 100]
        assert image.info["loop"] == 0


def test_animation_frames_keep_their_content():
    files, _ = emote_images_module.emote_images(animation("GIF"))
    image = opened(files["2x"])
    seen = []
    for frame in ImageSequence.Iterator(image):
        seen.append(frame.convert("RGB").getpixel((28, 28)))
    assert seen == [(255, 0, 0), (255, 255, 0), (0, 0, 255), (0, 128, 0)]


def test_padded_animation_stays_transparent():
    files, _ = emote_images_module.emote_images(animation("GIF", size=(64, 40)))
    image = opened(files["4x"])
    assert image.mode == "RGBA"
    image.seek(2)
    assert image.convert("RGBA").getpixel((56, 5))[3] == 0


def test_refuses_too_many_bytes():
    payload = image_file().read() + b"\0" * (1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        emote_images_module.emote_images(SimpleUploadedFile("a.png", payload))
    assert error_code(exc) == "too_large"


def test_refuses_what_is_not_an_image():
    with pytest.raises(ValidationError) as exc:
        emote_images_module.emote_images(SimpleUploadedFile("a.png", b"<?php echo 1; ?>"))
    assert error_code(exc) == "bad_image"


def test_refuses_other_formats_whatever_the_name():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64)).save(buffer, format="BMP")
    with pytest.raises(ValidationError) as exc:
        emote_images_module.emote_images(SimpleUploadedFile("a.png", buffer.getvalue()))
    assert error_code(exc) == "bad_type"


@pytest.mark.parametrize(
    ("size", "code"), [((20, 20), "too_small"), ((1100, 1100), "too_big"), ((200, 60), "bad_shape")]
)
def test_refuses_bad_dimensions(size, code):
    with pytest.raises(ValidationError) as exc:
        emote_images_module.emote_images(image_file(size=size))
    assert error_code(exc) == code


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def test_refuses_a_huge_canvas_before_decoding():
    with pytest.raises(ValidationError) as exc:
        emote_images_module.emote_images(SimpleUploadedFile("bomb.png", png_header_only(60000, 60000)))
    assert error_code(exc) in {"too_big", "bad_image"}


def test_refuses_too_many_frames_for_the_size(monkeypatch):
    monkeypatch.setattr(emote_images_module, "MAX_TOTAL_PIXELS", 64 * 64 * 3)
    with pytest.raises(ValidationError) as exc:
        emote_images_module.emote_images(animation("GIF"))
    assert error_code(exc) == "too_many_frames"


def test_truncated_image_is_refused_cleanly():
    data = image_file(size=(200, 200)).read()
    with pytest.raises(ValidationError) as exc:
        emote_images_module.emote_images(SimpleUploadedFile("cut.png", data[: len(data) // 2]))
    assert error_code(exc) == "bad_image"


# --- services -----------------------------------------------------------------------------


@pytest.fixture
def channel(db):
    return make_channel("nova")[0]


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def test_emote_create_stores_three_files(channel):
    emote = services.emote_create(
        code="novaHype", upload=animation(), channel=channel, created_by=channel.owner_user
    )
    emote.refresh_from_db()
    assert emote.animated and emote.channel == channel and emote.created_by == channel.owner_user
    for field, side in [(emote.image_1x, 28), (emote.image_2x, 56), (emote.image_4x, 112)]:
        assert field.name.startswith("emotes/") and field.name.endswith(".webp")
        with field.open("rb") as stored:
            image = Image.open(stored)
            assert image.size == (side, side)
            assert image.n_frames == 4


def test_global_emote(staff):
    emote = services.emote_create(code="GG", upload=image_file(), created_by=staff)
    assert emote.channel is None and not emote.animated


def test_emote_appears_in_the_channel_map_at_once(channel, staff, django_capture_on_commit_callbacks):
    assert "Kappa" not in selectors.emote_map(channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        services.emote_create(code="Kappa", upload=image_file(), created_by=staff)
    assert "Kappa" in selectors.emote_map(channel=channel)


@pytest.mark.parametrize("code", ["a", "x" * 26, "has space", "emoji🙂", "dash-ed", "", "<b>"])
def test_emote_code_must_be_2_to_25_word_characters(channel, code):
    with pytest.raises(ValidationError) as exc:
        services.emote_create(code=code, upload=image_file(), channel=channel, created_by=None)
    assert "code" in exc.value.error_dict
    assert not Emote.objects.exists()


def test_emote_code_unique_per_channel_but_reusable_elsewhere(channel):
    other = make_channel("orbit")[0]
    services.emote_create(code="hype", upload=image_file(), channel=channel, created_by=None)
    with pytest.raises(ValidationError) as exc:
        services.emote_create(code="hype", upload=image_file(), channel=channel, created_by=None)
    assert "code" in exc.value.error_dict
    services.emote_create(code="hype", upload=image_file(), channel=other, created_by=None)
    assert Emote.objects.filter(code="hype").count() == 2


def test_channel_emote_may_not_shadow_a_global_one_nor_the_reverse(channel, staff):
    services.emote_create(code="GG", upload=image_file(), created_by=staff)
    with pytest.raises(ValidationError):
        services.emote_create(code="GG", upload=image_file(), channel=channel, created_by=None)
    with pytest.raises(ValidationError):
        services.emote_create(code="GG", upload=image_file(), created_by=staff)
    services.emote_create(code="mine", upload=image_file(), channel=channel, created_by=None)
    with pytest.raises(ValidationError):
        services.emote_create(code="mine", upload=image_file(), created_by=staff)


def test_channel_emote_limit(channel, monkeypatch):
    monkeypatch.setattr(services, "MAX_CHANNEL_EMOTES", 2)
    for code in ["one1", "two2"]:
        services.emote_create(code=code, upload=image_file(), channel=channel, created_by=None)
    with pytest.raises(ValidationError) as exc:
        services.emote_create(code="three", upload=image_file(), channel=channel, created_by=None)
    assert "channel" in exc.value.error_dict


def test_global_emote_cannot_be_subscriber_only(staff):
    with pytest.raises(ValidationError) as exc:
        services.emote_create(code="GG", upload=image_file(), created_by=staff, subscriber_only=True)
    assert "subscriber_only" in exc.value.error_dict


def test_bad_upload_creates_nothing(channel):
    with pytest.raises(ValidationError) as exc:
        services.emote_create(
            code="bad", upload=SimpleUploadedFile("a.gif", b"GIF89a nope"), channel=channel, created_by=None
        )
    assert "upload" in exc.value.error_dict
    assert not Emote.objects.exists()


def test_emote_delete_removes_row_and_files(channel, django_capture_on_commit_callbacks):
    emote = services.emote_create(code="bye", upload=image_file(), channel=channel, created_by=None)
    storage, names = emote.image_1x.storage, [emote.image_1x.name, emote.image_2x.name, emote.image_4x.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.emote_delete(emote=emote)
    assert not Emote.objects.exists()
    assert not any(storage.exists(name) for name in names)
    assert "bye" not in selectors.emote_map(channel=channel)
