"""Who may watch a VOD (vods/access.py) and the checked media route /videos/<id>/media/<file>."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from channels_app.models import ChannelRole, Role
from tests.vods.factories import ViewerFactory, VODFactory, with_media
from vods.access import can_watch
from vods.models import Visibility, VODStatus

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _segment(vod) -> str:
    return f"/videos/{vod.pk}/media/seg000.ts"


def _playlist(vod) -> str:
    return f"/videos/{vod.pk}/media/index.m3u8"


def test_public_ready_vod_is_watchable_by_anyone():
    vod = VODFactory()
    assert can_watch(AnonymousUser(), vod) and can_watch(ViewerFactory(), vod)


def test_vod_that_is_not_ready_is_watchable_by_no_one():
    vod = VODFactory(status=VODStatus.PROCESSING)
    assert not can_watch(vod.channel.owner_user, vod) and not can_watch(AnonymousUser(), vod)


def test_private_vod_is_watchable_by_owner_editor_and_staff_only():
    vod = VODFactory(visibility=Visibility.PRIVATE)
    editor, moderator, stranger = ViewerFactory(), ViewerFactory(), ViewerFactory()
    ChannelRole.objects.create(channel=vod.channel, user=editor, role=Role.EDITOR)
    ChannelRole.objects.create(channel=vod.channel, user=moderator, role=Role.MODERATOR)
    staff = ViewerFactory(is_staff=True)

    assert can_watch(vod.channel.owner_user, vod) and can_watch(editor, vod) and can_watch(staff, vod)
    assert not can_watch(moderator, vod) and not can_watch(stranger, vod)
    assert not can_watch(AnonymousUser(), vod)


def test_subscribers_only_vod_asks_the_subscriber_hook(settings):
    vod = VODFactory(visibility=Visibility.SUBSCRIBERS)
    subscriber, other = ViewerFactory(username="paying_fan"), ViewerFactory()
    assert not can_watch(subscriber, vod)  # no hook configured: only the team

    settings.VODS_SUBSCRIBER_CHECK = "tests.vods.test_access.fake_subscriber_check"
    assert can_watch(subscriber, vod) and not can_watch(other, vod)
    assert not can_watch(AnonymousUser(), vod)
    assert can_watch(vod.channel.owner_user, vod)


def fake_subscriber_check(*, user, channel) -> bool:
    return bool(user.username == "paying_fan")


def test_suspended_channel_vods_are_only_for_staff():
    vod = VODFactory()
    vod.channel.suspended_at = vod.created_at
    vod.channel.save()
    assert not can_watch(AnonymousUser(), vod) and not can_watch(vod.channel.owner_user, vod)
    assert can_watch(ViewerFactory(is_staff=True), vod)


# --- The media route ------------------------------------------------------------------------


def test_owner_gets_private_playlist_and_segment(hls_source):
    vod = with_media(VODFactory(visibility=Visibility.PRIVATE), hls_source)
    client = _client(vod.channel.owner_user)

    playlist = client.get(_playlist(vod))
    assert playlist.status_code == 200
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    body = b"".join(playlist.streaming_content)
    assert b"#EXT-X-ENDLIST" in body and b"seg000.ts" in body
    assert "private" in playlist["Cache-Control"] and "public" not in playlist["Cache-Control"]

    segment = client.get(_segment(vod))
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    assert b"".join(segment.streaming_content)[:1] == b"G"  # MPEG-TS sync byte
    assert "private" in segment["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_private_playlist_and_segment_are_404_for_others(hls_source, who):
    vod = with_media(VODFactory(visibility=Visibility.PRIVATE), hls_source)
    client = _client(None if who == "anonymous" else ViewerFactory())

    for path in (_playlist(vod), _segment(vod), f"/videos/{vod.pk}/media/poster.jpg"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"#EXTM3U" not in response.content


def test_public_vod_media_is_cacheable_publicly(hls_source):
    vod = with_media(VODFactory(), hls_source)
    response = _client().get(_segment(vod))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    poster = _client().get(f"/videos/{vod.pk}/media/poster.jpg")
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "name",
    ["..%2F..%2Fsecret.ts", "..", ".index.m3u8", "%2E%2E", "index.m3u8%00.ts", "notes.txt", "missing.ts"],
)
def test_media_route_refuses_names_outside_the_vod_folder(hls_source, name):
    vod = with_media(VODFactory(), hls_source)
    other = with_media(VODFactory(visibility=Visibility.PRIVATE), hls_source)
    # Another VOD's files exist one folder over: no name may reach them.
    traversal = f"..%2F{other.storage_prefix.rsplit('/', 1)[-1]}%2Fseg000.ts"
    for candidate in (name, traversal):
        assert _client().get(f"/videos/{vod.pk}/media/{candidate}").status_code == 404


def test_media_of_a_missing_vod_is_404():
    assert _client().get("/videos/999999/media/index.m3u8").status_code == 404


def test_media_behind_the_front_door_is_an_accel_redirect(hls_source, settings):
    settings.VODS_ACCEL_REDIRECT = True
    vod = with_media(VODFactory(visibility=Visibility.PRIVATE), hls_source)
    response = _client(vod.channel.owner_user).get(_segment(vod))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/media/{vod.storage_prefix}/seg000.ts"
    assert response["Content-Type"] == "video/mp2t" and "private" in response["Cache-Control"]
    assert _client().get(_segment(vod)).status_code == 404
