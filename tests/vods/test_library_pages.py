"""The pages: /<slug>/videos/ and /videos/<id>/ (view counting, resume, 404s), and the channel page's link."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import StreamChannelFactory
from tests.vods.factories import ViewerFactory, VODFactory
from vods.models import VOD, Visibility, VODStatus, WatchProgress

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_videos_page_lists_watchable_vods_with_duration_and_views():
    channel = StreamChannelFactory()
    public = VODFactory(channel=channel, title="Speedrun night", duration=3725, views=12)
    VODFactory(channel=channel, title="Hidden one", visibility=Visibility.PRIVATE)
    VODFactory(channel=channel, title="Still processing", status=VODStatus.PROCESSING)

    response = _client().get(f"/{channel.slug}/videos/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Speedrun night" in body and f"/videos/{public.pk}/" in body
    assert "1:02:05" in body and "12 views" in body
    assert "Hidden one" not in body and "Still processing" not in body
    owner_body = _client(channel.owner_user).get(f"/{channel.slug}/videos/").content.decode()
    assert "Hidden one" in owner_body and "Private" in owner_body


def test_videos_page_paginates_and_shows_an_empty_state():
    channel = StreamChannelFactory()
    empty = _client().get(f"/{channel.slug}/videos/").content.decode()
    assert "No videos yet" in empty
    for n in range(25):
        VODFactory(channel=channel, title=f"Video {n:02d}")
    first = _client().get(f"/{channel.slug}/videos/").content.decode()
    second = _client().get(f"/{channel.slug}/videos/?page=2").content.decode()
    assert "Video 24" in first and "Video 00" not in first and "Page 1 of 2" in first
    assert "Video 00" in second


def test_videos_page_of_a_missing_channel_is_404():
    assert _client().get("/nobody_here/videos/").status_code == 404


def test_videos_page_query_count_does_not_grow_with_vods(django_assert_max_num_queries):
    channel = StreamChannelFactory()
    for _ in range(10):
        VODFactory(channel=channel)
    with django_assert_max_num_queries(6):
        assert _client().get(f"/{channel.slug}/videos/").status_code == 200


def test_vod_page_has_the_player_config_and_the_chat_replay_panel():
    vod = VODFactory(title="Boss fight")
    body = _client().get(f"/videos/{vod.pk}/").content.decode()
    assert "Boss fight" in body and "Chat replay" in body and "vod-player.js" in body
    config = json.loads(body.split('id="vod-config" type="application/json">')[1].split("</script>")[0])
    assert config["playlist"] == f"/videos/{vod.pk}/media/index.m3u8"
    assert config["chat_url"] == f"/api/v1/vods/{vod.pk}/chat"
    assert config["progress_url"] == "" and config["resume"] == 0


def test_vod_page_resumes_a_signed_in_viewer_at_their_position():
    vod, viewer = VODFactory(), ViewerFactory()
    WatchProgress.objects.create(user=viewer, vod=vod, position=5.5)
    body = _client(viewer).get(f"/videos/{vod.pk}/").content.decode()
    config = json.loads(body.split('id="vod-config" type="application/json">')[1].split("</script>")[0])
    assert config["resume"] == 5.5 and config["progress_url"] == f"/api/v1/vods/{vod.pk}/progress"


def test_vod_page_counts_one_view_per_viewer_not_per_reload():
    vod = VODFactory()
    viewer, other = _client(ViewerFactory()), _client(ViewerFactory())
    for _ in range(3):
        viewer.get(f"/videos/{vod.pk}/")
    other.get(f"/videos/{vod.pk}/")
    anonymous = Client(REMOTE_ADDR="203.0.113.9")
    anonymous.get(f"/videos/{vod.pk}/")
    anonymous.get(f"/videos/{vod.pk}/")
    assert VOD.objects.get(pk=vod.pk).views == 3


def test_private_vod_page_is_404_for_others_and_not_counted():
    vod = VODFactory(visibility=Visibility.PRIVATE)
    assert _client().get(f"/videos/{vod.pk}/").status_code == 404
    assert _client(ViewerFactory()).get(f"/videos/{vod.pk}/").status_code == 404
    assert VOD.objects.get(pk=vod.pk).views == 0
    assert _client(vod.channel.owner_user).get(f"/videos/{vod.pk}/").status_code == 200
    assert _client().get("/videos/999999/").status_code == 404


def test_channel_page_links_to_its_videos():
    channel = StreamChannelFactory()
    assert f"/{channel.slug}/videos/" in _client().get(f"/{channel.slug}/").content.decode()


def test_vod_page_offers_signed_in_viewers_the_clip_editor_of_public_vods_only():
    public, private = VODFactory(), VODFactory(visibility=Visibility.PRIVATE)
    assert (
        f"/videos/{public.pk}/clip/" in _client(ViewerFactory()).get(f"/videos/{public.pk}/").content.decode()
    )
    assert f"/videos/{public.pk}/clip/" not in _client().get(f"/videos/{public.pk}/").content.decode()
    owner_view = _client(private.channel.owner_user).get(f"/videos/{private.pk}/").content.decode()
    assert f"/videos/{private.pk}/clip/" not in owner_view
