"""A clip outlives its source: deleting the VOD or the session clears the link and keeps the
clip; deleting the channel deletes its clips (and never fails on them)."""

from __future__ import annotations

from django.test import Client

from channels_app.models import Channel
from streams.models import Stream
from tests.vods.clip_factories import ClipFactory, make_vod
from vods.models import Clip


def test_deleting_a_channel_with_clips_deletes_them(db):
    clip = ClipFactory()
    Channel.objects.filter(pk=clip.channel_id).delete()
    assert not Clip.objects.exists()


def test_deleting_the_session_keeps_a_live_clip(db):
    clip = ClipFactory()
    Stream.objects.filter(pk=clip.stream_id).delete()
    clip.refresh_from_db()
    assert clip.stream_id is None
    assert Client().get(f"/clip/{clip.slug}/").status_code == 200


def test_deleting_the_vod_keeps_its_clips(db):
    vod = make_vod(seconds=30, files=False)
    clip = ClipFactory(channel=vod.channel, vod=vod, stream=vod.stream)
    vod.delete()
    clip.refresh_from_db()
    assert clip.vod_id is None
    html = Client().get(f"/clip/{clip.slug}/").content.decode()
    assert "Full video" not in html
