"""Clip pages: the clip (OG/oEmbed tags, states, views counted once), embed, oEmbed, trending,
a channel's clips, the dashboard manager and the trim editor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from channels_app.models import ChannelRole, Role
from tests.factories import StreamChannelFactory
from tests.vods.clip_factories import ClipFactory, make_vod, unverified_user, verified_user
from vods.clips.tasks import render_clip
from vods.models import Clip, ClipStatus, Visibility


@pytest.fixture(autouse=True)
def queued(monkeypatch) -> list[int]:
    sent: list[int] = []
    monkeypatch.setattr(render_clip, "delay", sent.append)
    return sent


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_clip_page_has_the_player_share_box_and_sharing_tags(db):
    clip = ClipFactory(title="Huge play")
    html = Client().get(f"/clip/{clip.slug}/").content.decode()
    assert "<video" in html and "Huge play" in html
    assert 'property="og:video" content="http://testserver/media/' in html
    assert 'property="og:image"' in html and 'name="twitter:card" content="player"' in html
    assert 'type="application/json+oembed"' in html and "/oembed?url=http" in html
    assert f"http://testserver/embed/clip/{clip.slug}/" in html  # the embed code


def test_clip_page_counts_a_viewer_once(db):
    clip = ClipFactory()
    client = signed_in(verified_user())
    for _ in range(3):
        client.get(f"/clip/{clip.slug}/")
    Client().get(f"/clip/{clip.slug}/")  # anonymous, by address
    Client().get(f"/clip/{clip.slug}/")
    clip.refresh_from_db()
    assert clip.views == 2


def test_clip_page_shows_rendering_and_failed_states(db):
    rendering = ClipFactory(status=ClipStatus.RENDERING)
    html = Client().get(f"/clip/{rendering.slug}/").content.decode()
    assert "data-rendering" in html and "og:video" not in html and "<video" not in html
    failed = ClipFactory(status=ClipStatus.FAILED, failure_reason="The video's files are missing.")
    html = Client().get(f"/clip/{failed.slug}/").content.decode()
    assert "could not be made" in html and "files are missing" in html


def test_unknown_clips_and_clips_of_suspended_channels_are_404(db):
    assert Client().get("/clip/nope/").status_code == 404
    clip = ClipFactory(channel=StreamChannelFactory(suspended_at=timezone.now()))
    assert Client().get(f"/clip/{clip.slug}/").status_code == 404


def test_embed_may_be_framed_by_other_sites(db):
    clip = ClipFactory()
    response = Client().get(f"/embed/clip/{clip.slug}/")
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert Client().get(f"/clip/{clip.slug}/")["X-Frame-Options"] == "DENY"


def test_oembed_answers_a_video_with_an_iframe(db):
    clip = ClipFactory(title="Huge play")
    body = Client().get("/oembed", {"url": f"http://testserver/clip/{clip.slug}/", "format": "json"}).json()
    assert body["version"] == "1.0" and body["type"] == "video" and body["title"] == "Huge play"
    assert body["html"].startswith(f'<iframe src="http://testserver/embed/clip/{clip.slug}/"')
    assert (body["width"], body["height"]) == (640, 360)
    assert body["thumbnail_url"].endswith("poster.jpg") and body["author_name"] == clip.channel.name
    small = Client().get("/oembed", {"url": f"http://testserver/clip/{clip.slug}/", "maxwidth": 320}).json()
    assert (small["width"], small["height"]) == (320, 180)


def test_oembed_html_escapes_the_title(db):
    clip = ClipFactory(title='"><script>alert(1)</script>')
    body = Client().get("/oembed", {"url": f"http://testserver/clip/{clip.slug}/"}).json()
    assert "<script>" not in body["html"] and "&quot;&gt;&lt;script&gt;" in body["html"]
    assert body["title"] == clip.title  # plain text in JSON: consumers escape it themselves


def test_oembed_refuses_unknown_urls_xml_and_missing_urls(db):
    client = Client()
    assert client.get("/oembed", {"url": "http://testserver/clip/nope/"}).status_code == 404
    assert client.get("/oembed", {"url": "http://testserver/directory/"}).status_code == 404
    clip = ClipFactory()
    assert (
        client.get("/oembed", {"url": f"http://testserver/clip/{clip.slug}/", "format": "xml"}).status_code
        == 501
    )
    response = client.get("/oembed")
    assert response.status_code == 400 and response.json()["error"]["fields"]["url"]


def test_trending_ranks_by_likes_and_views_within_the_period(db):
    now = timezone.now()
    old_hit = ClipFactory(title="Old hit", likes_count=100, created_at=now - timedelta(days=3))
    liked = ClipFactory(title="Liked today", likes_count=3)
    viewed = ClipFactory(title="Viewed today", views=20)
    ancient = ClipFactory(title="Ancient", likes_count=500, created_at=now - timedelta(days=30))
    ClipFactory(title="Broken", status=ClipStatus.FAILED, likes_count=999)

    def order(period: str) -> list[str]:
        page = Client().get("/clips/", {"period": period}).context["page"]
        return [clip.title for clip in page.object_list]

    assert order("day") == [liked.title, viewed.title]  # 3 likes x 10 > 20 views
    assert order("week") == [old_hit.title, liked.title, viewed.title]
    assert order("all") == [ancient.title, old_hit.title, liked.title, viewed.title]
    assert Client().get("/clips/", {"period": "bogus"}).status_code == 200


def test_trending_page_stays_within_a_query_budget_and_paginates(db, django_assert_max_num_queries):
    for _ in range(30):
        ClipFactory()
    with django_assert_max_num_queries(6):
        response = Client().get("/clips/", {"period": "all"})
    assert len(response.context["page"].object_list) == 24 and 'rel="next"' in response.content.decode()


def test_trending_page_empty_state(db):
    assert "No clips in this period yet" in Client().get("/clips/").content.decode()


def test_channel_clips_put_featured_first(db):
    channel = StreamChannelFactory()
    ClipFactory(channel=channel, title="Plain")
    ClipFactory(channel=channel, title="Star", featured=True, created_at=timezone.now() - timedelta(days=9))
    response = Client().get(f"/{channel.slug}/clips/")
    assert [c.title for c in response.context["page"].object_list] == ["Star", "Plain"]
    assert Client().get("/nobody_here/clips/").status_code == 404


def test_manager_lists_features_and_deletes_after_confirmation(db):
    channel = StreamChannelFactory()
    clip = ClipFactory(channel=channel, title="Keep or not")
    ClipFactory(channel=channel, status=ClipStatus.FAILED, failure_reason="boom")
    owner = signed_in(channel.owner_user)
    html = owner.get(f"/dashboard/clips/?channel={channel.slug}").content.decode()
    assert "Keep or not" in html and "boom" in html
    owner.post(f"/dashboard/clips/{clip.slug}/feature/?channel={channel.slug}")
    clip.refresh_from_db()
    assert clip.featured
    confirm = owner.get(f"/dashboard/clips/{clip.slug}/delete/?channel={channel.slug}")
    assert "Delete this clip?" in confirm.content.decode() and Clip.objects.filter(pk=clip.pk).exists()
    owner.post(f"/dashboard/clips/{clip.slug}/delete/?channel={channel.slug}")
    assert not Clip.objects.filter(pk=clip.pk).exists()


def test_manager_is_for_owners_and_editors_only(db):
    channel = StreamChannelFactory()
    clip = ClipFactory(channel=channel)
    stranger = signed_in(verified_user())
    assert stranger.get(f"/dashboard/clips/?channel={channel.slug}").status_code == 404
    assert stranger.post(f"/dashboard/clips/{clip.slug}/delete/?channel={channel.slug}").status_code == 404
    assert Clip.objects.filter(pk=clip.pk).exists()
    assert Client().get("/dashboard/clips/").status_code == 302
    editor = verified_user()
    ChannelRole.objects.create(channel=channel, user=editor, role=Role.EDITOR)
    assert signed_in(editor).get(f"/dashboard/clips/?channel={channel.slug}").status_code == 200
    # A clip of another channel cannot be reached through this channel's manager.
    other = ClipFactory()
    assert (
        signed_in(channel.owner_user)
        .post(f"/dashboard/clips/{other.slug}/feature/?channel={channel.slug}")
        .status_code
        == 404
    )


def test_manager_empty_state(db):
    channel = StreamChannelFactory()
    html = signed_in(channel.owner_user).get(f"/dashboard/clips/?channel={channel.slug}").content.decode()
    assert "No clips yet" in html


def test_trim_editor_for_public_ready_vods(db):
    vod = make_vod(seconds=90, files=False)
    html = signed_in(verified_user()).get(f"/videos/{vod.pk}/clip/").content.decode()
    assert "data-trim" in html and 'data-min="5.000000"' in html and 'data-max="60.000000"' in html
    # The preview plays through the access-checked media view: /media/vods/ is never served.
    assert f"/videos/{vod.pk}/media/index.m3u8" in html and "/media/vods/" not in html
    assert (
        "Verify your e-mail" in signed_in(unverified_user()).get(f"/videos/{vod.pk}/clip/").content.decode()
    )
    assert Client().get(f"/videos/{vod.pk}/clip/").status_code == 302
    private = make_vod(seconds=90, files=False, visibility=Visibility.PRIVATE)
    assert signed_in(verified_user()).get(f"/videos/{private.pk}/clip/").status_code == 404
    assert signed_in(verified_user()).get("/videos/999999/clip/").status_code == 404


def test_live_channel_page_offers_the_clip_button_to_signed_in_viewers(db):
    from tests.factories import LiveStreamFactory

    stream = LiveStreamFactory()
    assert "data-clip-live" in signed_in(verified_user()).get(f"/{stream.channel.slug}/").content.decode()
    assert "data-clip-live" not in Client().get(f"/{stream.channel.slug}/").content.decode()
