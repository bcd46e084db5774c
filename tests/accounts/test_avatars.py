from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.accounts.test_api import assert_error

pytestmark = pytest.mark.django_db

AVATAR = "/api/v1/me/avatar"


def image_file(size=(300, 200), fmt="PNG", name="me.png", frames=1) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    images = [Image.new("RGB", size, (40 * i, 120, 200)) for i in range(frames)]
    extra = {"save_all": True, "append_images": images[1:]} if frames > 1 else {}
    images[0].save(buffer, format=fmt, **extra)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_avatar_is_squared_resized_and_stored_as_webp(auth_client, user, fmt):
    response = auth_client.put(
        AVATAR, {"avatar": image_file(fmt=fmt, name=f"me.{fmt.lower()}")}, format="multipart"
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    with Image.open(user.avatar.path) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (256, 256)
    assert response.json()["avatar_url"].endswith(".webp")


def test_animated_gif_is_accepted_as_a_still(auth_client, user):
    response = auth_client.put(
        AVATAR, {"avatar": image_file(fmt="GIF", name="a.gif", frames=3)}, format="multipart"
    )
    assert response.status_code == 200, response.content


def test_replacing_an_avatar_deletes_the_old_file(auth_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.put(AVATAR, {"avatar": image_file()}, format="multipart")
    user.refresh_from_db()
    first = user.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.put(AVATAR, {"avatar": image_file()}, format="multipart")
    user.refresh_from_db()
    assert user.avatar.path != first
    assert not Path(first).exists()


def test_remove_avatar(auth_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.put(AVATAR, {"avatar": image_file()}, format="multipart")
    user.refresh_from_db()
    path = user.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        assert auth_client.delete(AVATAR).status_code == 204
    user.refresh_from_db()
    assert not user.avatar
    assert not Path(path).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("me.png", b"definitely not a png", content_type="image/png"), "not an image"),
        (SimpleUploadedFile("me.png", b"", content_type="image/png"), ""),
        (image_file(size=(32, 32)), "at least 64"),
        (image_file(size=(5000, 100)), "at most 4096"),
        (image_file(fmt="BMP", name="me.bmp"), "JPEG, PNG, WebP or GIF"),
        (image_file(fmt="TIFF", name="me.png"), "JPEG, PNG, WebP or GIF"),
    ],
)
def test_bad_avatar_uploads_are_refused_with_a_reason(auth_client, user, upload, message):
    error = assert_error(auth_client.put(AVATAR, {"avatar": upload}, format="multipart"), 400, "invalid")
    assert message in " ".join(error["fields"]["avatar"])
    user.refresh_from_db()
    assert not user.avatar


def test_oversized_avatar_file_is_refused(auth_client, user, settings):
    settings.AVATAR_MAX_BYTES = 1000
    error = assert_error(
        auth_client.put(
            AVATAR, {"avatar": image_file(size=(800, 800), fmt="BMP", name="big.bmp")}, format="multipart"
        ),
        400,
    )
    assert "larger than" in error["fields"]["avatar"][0]


def test_decompression_bomb_is_refused_before_decoding(auth_client, user):
    bomb = image_file(size=(4097, 4097))  # a flat colour compresses to a few KB
    assert (bomb.size or 0) < 200_000
    assert_error(auth_client.put(AVATAR, {"avatar": bomb}, format="multipart"), 400)


def test_avatar_needs_authentication(api_client):
    assert_error(api_client.put(AVATAR, {"avatar": image_file()}, format="multipart"), 401)


def test_avatar_missing_file_field(auth_client):
    error = assert_error(auth_client.put(AVATAR, {}, format="multipart"), 400)
    assert "avatar" in error["fields"]
