"""VOD files through the real nginx front door: never straight from /media/vods/, only through
the checked route, which nginx completes with X-Accel-Redirect (aethex/nginx/frontdoor.conf.template)."""

from __future__ import annotations

import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from aethex.management.commands.runnginx import FrontDoor, nginx_command, write_frontdoor
from tests.streams.conftest import _answers, _stop, free_port, http_get, wait_for
from tests.vods.factories import ViewerFactory, VODFactory, with_media
from vods.models import Visibility

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [pytest.mark.media, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def door(settings, tmp_path: Path, live_server) -> Iterator[str]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is installed by scripts/bootstrap.sh")
    settings.VODS_ACCEL_REDIRECT = True
    port = free_port()
    front = FrontDoor(
        prefix=tmp_path / "nginx",
        port=port,
        upstream=f"127.0.0.1:{live_server.thread.port}",
        static_root=tmp_path / "static",
        media_root=Path(settings.MEDIA_ROOT),
        error_log=str(tmp_path / "nginx-error.log"),
        access_log=str(tmp_path / "nginx-access.log"),
    )
    write_frontdoor(front)
    process = subprocess.Popen(nginx_command(front), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: _answers(port), timeout=10)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


def _get(url: str, user=None) -> tuple[int, bytes, dict[str, str]]:
    if user is None:
        return http_get(url)
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def test_front_door_never_serves_vod_files_from_media_directly(door, hls_source):
    private = with_media(VODFactory(visibility=Visibility.PRIVATE), hls_source)
    public = with_media(VODFactory(), hls_source)
    for vod in (private, public):
        for name in ("index.m3u8", "seg000.ts", "poster.jpg"):
            assert (Path(settings.MEDIA_ROOT) / vod.storage_prefix / name).exists()
            status, body, _headers = _get(f"{door}/media/{vod.storage_prefix}/{name}")
            assert status == 404 and b"#EXTM3U" not in body
            # The internal location answers nginx's own redirects only.
            assert _get(f"{door}/_protected/media/{vod.storage_prefix}/{name}")[0] == 404
    # Other uploads are still files served by nginx.
    avatar = Path(settings.MEDIA_ROOT) / "avatars" / "a.jpg"
    avatar.parent.mkdir(parents=True, exist_ok=True)
    avatar.write_bytes(b"\xff\xd8jpeg")
    assert _get(f"{door}/media/avatars/a.jpg")[0] == 200


def test_front_door_serves_private_vod_to_its_owner_only(door, hls_source):
    vod = with_media(VODFactory(visibility=Visibility.PRIVATE), hls_source)
    stranger = ViewerFactory()
    for name in ("index.m3u8", "seg000.ts"):
        url = f"{door}/videos/{vod.pk}/media/{name}"
        assert _get(url)[0] == 404
        assert _get(url, stranger)[0] == 404
        status, body, headers = _get(url, vod.channel.owner_user)
        assert status == 200 and "X-Accel-Redirect" not in headers  # nginx consumed it
        assert headers["Cache-Control"].startswith("private")
        expected = (Path(settings.MEDIA_ROOT) / vod.storage_prefix / name).read_bytes()
        assert body == expected
    assert headers["Content-Type"] == "video/mp2t"


def test_front_door_serves_public_vod_segments_cacheable_by_anyone(door, hls_source):
    vod = with_media(VODFactory(), hls_source)
    status, body, headers = _get(f"{door}/videos/{vod.pk}/media/seg001.ts")
    assert status == 200 and body[:1] == b"G" and headers["Cache-Control"].startswith("public")
    assert _get(f"{door}/videos/{vod.pk}/media/..%2F..%2Fsettings.py")[0] == 404
