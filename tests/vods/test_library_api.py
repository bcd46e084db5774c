"""GET /api/v1/vods/, GET /api/v1/vods/{id}/ and PUT /api/v1/vods/{id}/progress."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts import services as account_services
from channels_app.models import ChannelRole, Role
from tests.factories import StreamChannelFactory
from tests.vods.factories import ViewerFactory, VODFactory
from vods.models import Visibility, VODStatus, WatchProgress

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def _signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_list_shows_only_ready_public_vods_to_anonymous_viewers(api_client):
    channel = StreamChannelFactory()
    public = VODFactory(channel=channel)
    VODFactory(channel=channel, visibility=Visibility.PRIVATE)
    VODFactory(channel=channel, visibility=Visibility.SUBSCRIBERS)
    VODFactory(channel=channel, status=VODStatus.PROCESSING)
    VODFactory(channel=channel, status=VODStatus.FAILED)

    response = api_client.get(f"/api/v1/vods/?channel={channel.slug}")

    assert response.status_code == 200
    assert _ids(response) == [public.pk] and response.json()["count"] == 1
    item = response.json()["results"][0]
    assert item["channel"] == {"slug": channel.slug, "name": channel.name}
    assert item["url"] == f"/videos/{public.pk}/" and item["duration"] == 8.0


def test_list_shows_the_team_its_private_and_subscriber_vods_newest_first():
    channel = StreamChannelFactory()
    old = VODFactory(channel=channel)
    private = VODFactory(channel=channel, visibility=Visibility.PRIVATE)
    subs = VODFactory(channel=channel, visibility=Visibility.SUBSCRIBERS)
    editor = ViewerFactory()
    ChannelRole.objects.create(channel=channel, user=editor, role=Role.EDITOR)

    for user in (channel.owner_user, editor):
        listed = _ids(_signed_in(user).get(f"/api/v1/vods/?channel={channel.slug}"))
        assert listed == [subs.pk, private.pk, old.pk]
    assert _ids(_signed_in(ViewerFactory()).get(f"/api/v1/vods/?channel={channel.slug}")) == [old.pk]


def test_list_without_a_channel_mixes_channels_but_never_others_private_vods():
    mine, theirs = VODFactory(visibility=Visibility.PRIVATE), VODFactory(visibility=Visibility.PRIVATE)
    public = VODFactory()
    ids = _ids(_signed_in(mine.channel.owner_user).get("/api/v1/vods/"))
    assert set(ids) == {mine.pk, public.pk} and theirs.pk not in ids


def test_list_pages_and_rejects_bad_filters(api_client):
    channel = StreamChannelFactory()
    for _ in range(3):
        VODFactory(channel=channel)
    page = api_client.get(f"/api/v1/vods/?channel={channel.slug}&page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert api_client.get("/api/v1/vods/?channel=nobody_here").status_code == 404
    bad = api_client.get("/api/v1/vods/?channel=not%20a%20slug")
    assert bad.status_code == 400 and "channel" in bad.json()["error"]["fields"]
    assert api_client.get(f"/api/v1/vods/?channel={channel.slug}&page=99").status_code == 404


def test_list_query_count_does_not_grow_with_vods(api_client, django_assert_max_num_queries):
    channel = StreamChannelFactory()
    for _ in range(12):
        VODFactory(channel=channel)
    with django_assert_max_num_queries(4):
        response = api_client.get(f"/api/v1/vods/?channel={channel.slug}")
    assert len(response.json()["results"]) == 12
    owner = _signed_in(channel.owner_user)
    owner.get("/api/v1/vods/?channel=nobody_here")  # the first request records the session (allauth)
    # 3 of ours + 1 for the channel's subscriber check (monetization answers it, once per listed channel);
    # the rest is the session and allauth's user-session tracking, the same on every request.
    with django_assert_max_num_queries(11):
        assert len(owner.get(f"/api/v1/vods/?channel={channel.slug}").json()["results"]) == 12


def test_detail_has_playlist_poster_strip_and_my_progress():
    vod = VODFactory(poster="x", strip="", strip_interval=0)
    vod.poster = f"{vod.storage_prefix}/poster.jpg"
    vod.strip, vod.strip_interval, vod.strip_columns = f"{vod.storage_prefix}/strip.jpg", 2.0, 5
    vod.strip_tile_width, vod.strip_tile_height = 160, 90
    vod.save()
    viewer = ViewerFactory()
    WatchProgress.objects.create(user=viewer, vod=vod, position=4.5)

    data = _signed_in(viewer).get(f"/api/v1/vods/{vod.pk}/").json()

    assert data["playlist_url"] == f"/videos/{vod.pk}/media/index.m3u8"
    assert data["poster_url"] == f"/videos/{vod.pk}/media/poster.jpg"
    assert data["strip"] == {"url": f"/videos/{vod.pk}/media/strip.jpg", "interval": 2.0, "columns": 5,
                             "tile_width": 160, "tile_height": 90}  # fmt: skip
    assert data["progress"] == 4.5 and data["duration"] == 8.0
    assert APIClient().get(f"/api/v1/vods/{vod.pk}/").json()["progress"] is None


def test_detail_of_private_vod_is_404_for_others_and_missing_is_404(api_client):
    vod = VODFactory(visibility=Visibility.PRIVATE)
    assert api_client.get(f"/api/v1/vods/{vod.pk}/").status_code == 404
    assert _signed_in(ViewerFactory()).get(f"/api/v1/vods/{vod.pk}/").status_code == 404
    assert _signed_in(vod.channel.owner_user).get(f"/api/v1/vods/{vod.pk}/").status_code == 200
    assert api_client.get("/api/v1/vods/999999/").json()["error"]["code"] == "not_found"


# --- Progress ---------------------------------------------------------------------------------


def test_progress_is_saved_updated_and_resumed():
    vod, viewer = VODFactory(duration=120.0), ViewerFactory()
    client = _signed_in(viewer)

    assert client.put(f"/api/v1/vods/{vod.pk}/progress", {"position": 42.25}).json() == {"position": 42.25}
    assert client.put(f"/api/v1/vods/{vod.pk}/progress", {"position": 61}).status_code == 200

    assert WatchProgress.objects.get(user=viewer, vod=vod).position == 61.0
    assert WatchProgress.objects.filter(user=viewer).count() == 1
    assert client.get(f"/api/v1/vods/{vod.pk}/").json()["progress"] == 61.0


def test_progress_is_clamped_to_the_duration():
    vod, viewer = VODFactory(duration=120.0), ViewerFactory()
    response = _signed_in(viewer).put(f"/api/v1/vods/{vod.pk}/progress", {"position": 500})
    assert response.status_code == 200 and response.json() == {"position": 120.0}


@pytest.mark.parametrize(
    "body", [{"position": -1}, {"position": "NaN"}, {"position": "abc"}, {}, {"position": "inf"}]
)
def test_progress_rejects_bad_positions_with_400(body):
    vod, viewer = VODFactory(), ViewerFactory()
    response = _signed_in(viewer).put(f"/api/v1/vods/{vod.pk}/progress", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    assert not WatchProgress.objects.exists()


def test_progress_needs_a_signed_in_viewer(api_client):
    vod = VODFactory()
    response = api_client.put(f"/api/v1/vods/{vod.pk}/progress", {"position": 3})
    assert response.status_code in (401, 403) and not WatchProgress.objects.exists()


def test_progress_on_someone_elses_private_vod_is_404():
    vod = VODFactory(visibility=Visibility.PRIVATE)
    response = _signed_in(ViewerFactory()).put(f"/api/v1/vods/{vod.pk}/progress", {"position": 3})
    assert response.status_code == 404 and not WatchProgress.objects.exists()


def test_progress_by_beacon_post_with_form_data_and_csrf_token():
    vod, viewer = VODFactory(), ViewerFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(viewer)
    refused = client.post(f"/api/v1/vods/{vod.pk}/progress", {"position": "7"}, format="multipart")
    assert refused.status_code == 403
    client.get(f"/videos/{vod.pk}/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/v1/vods/{vod.pk}/progress", {"position": "7", "csrfmiddlewaretoken": token}, format="multipart"
    )
    assert response.status_code == 200 and WatchProgress.objects.get(user=viewer).position == 7.0


def test_progress_with_an_api_token_needs_the_profile_write_scope():
    vod, viewer = VODFactory(), ViewerFactory()
    _token, raw = account_services.api_token_create(user=viewer, name="bot", scopes=["profile:read"])
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.put(f"/api/v1/vods/{vod.pk}/progress", {"position": 3}).status_code == 403
