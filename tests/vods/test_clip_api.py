"""/api/v1/clips/: create from VOD and live (bounds, permissions, rate limit), read, edit, delete,
likes and the listing's filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from channels_app.models import ChannelRole, Role
from tests.factories import LiveStreamFactory, StreamChannelFactory
from tests.vods.clip_factories import ClipFactory, make_vod, unverified_user, verified_user
from vods.clips import services
from vods.clips.tasks import render_clip
from vods.models import Clip, ClipLike, ClipStatus, Visibility, VODStatus

URL = "/api/v1/clips/"


@pytest.fixture(autouse=True)
def queued(monkeypatch) -> list[int]:
    sent: list[int] = []
    monkeypatch.setattr(render_clip, "delay", sent.append)
    return sent


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def vod(db):
    return make_vod(seconds=120, files=False)


@pytest.fixture
def clipper(db):
    return verified_user()


def post_vod(client: APIClient, vod, start: float, end: float, **extra):
    return client.post(
        URL, {"vod": vod.pk, "start": start, "end": end, "title": "Nice", **extra}, format="json"
    )


def test_create_from_a_vod_queues_a_render_and_answers_the_clip(
    clipper, vod, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_vod(client_for(clipper), vod, 10, 40)
    assert response.status_code == 201, response.json()
    body = response.json()
    clip = Clip.objects.get(slug=body["slug"])
    assert (clip.start, clip.duration, clip.vod, clip.stream, clip.creator) == (
        10,
        30,
        vod,
        vod.stream,
        clipper,
    )
    assert body["status"] == "pending" and body["origin"] == "vod" and body["url"] == f"/clip/{clip.slug}/"
    assert body["video_url"] is None
    assert queued == [clip.pk]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(10, 14.9, "end"), (10, 70.1, "end"), (100, 121, "end"), (30, 20, "end"), (-1, 10, "start")],
)
def test_create_from_a_vod_refuses_bad_bounds(clipper, vod, start, end, field):
    response = post_vod(client_for(clipper), vod, start, end)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Clip.objects.exists()


def test_create_accepts_exactly_5_and_60_seconds(clipper, vod):
    assert post_vod(client_for(clipper), vod, 0, 5).status_code == 201
    assert post_vod(client_for(clipper), vod, 60, 120).status_code == 201


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"visibility": Visibility.PRIVATE}, 403, "permission_denied"),
        ({"visibility": Visibility.SUBSCRIBERS}, 403, "permission_denied"),
        ({"status": VODStatus.PROCESSING}, 409, "not_ready"),
        ({"status": VODStatus.FAILED}, 409, "not_ready"),
    ],
)
def test_create_refuses_a_vod_that_is_not_public_and_ready(clipper, fields, status, code):
    vod = make_vod(seconds=60, files=False, **fields)
    response = post_vod(client_for(clipper), vod, 0, 10)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not Clip.objects.exists()


def test_create_refuses_a_deleted_vod(clipper, vod):
    pk = vod.pk
    vod.delete()
    response = client_for(clipper).post(URL, {"vod": pk, "start": 0, "end": 10}, format="json")
    assert response.status_code == 404


def test_create_needs_a_signed_in_user(vod):
    response = post_vod(client_for(), vod, 0, 10)
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] in ("not_authenticated", "permission_denied")


def test_create_needs_a_verified_email(vod):
    response = post_vod(client_for(unverified_user()), vod, 0, 10)
    assert response.status_code == 403 and response.json()["error"]["code"] == "verify_email"


def test_create_is_rate_limited_per_user(clipper, vod, django_capture_on_commit_callbacks):
    client = client_for(clipper)
    for n in range(services.RATE_LIMIT):
        with django_capture_on_commit_callbacks(execute=True):
            assert post_vod(client, vod, n, n + 10).status_code == 201
    response = post_vod(client, vod, 0, 10)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled" and response["Retry-After"]
    # Another user is not limited by the first one's clips.
    assert post_vod(client_for(verified_user()), vod, 0, 10).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"vod": 1},
        {"vod": 1, "start": 0},
        {"channel": "nova", "vod": 1, "start": 0, "end": 9},
        {"vod": "x"},
    ],
)
def test_create_refuses_malformed_bodies(clipper, body):
    response = client_for(clipper).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_live_clip_refuses_an_offline_channel(clipper):
    channel = StreamChannelFactory()
    response = client_for(clipper).post(URL, {"channel": channel.slug, "seconds": 30}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_live"


def test_live_clip_refuses_bad_lengths_and_unknown_channels(clipper):
    stream = LiveStreamFactory()
    client = client_for(clipper)
    for seconds in (4.9, 60.1):
        response = client.post(URL, {"channel": stream.channel.slug, "seconds": seconds}, format="json")
        assert response.status_code == 400 and "seconds" in response.json()["error"]["fields"]
    assert client.post(URL, {"channel": "nobody_here", "seconds": 30}, format="json").status_code == 404


def test_live_clip_refuses_until_the_recording_has_five_seconds(clipper):
    stream = LiveStreamFactory()  # nginx-rtmp has written no recording for it
    response = client_for(clipper).post(URL, {"channel": stream.channel.slug}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "too_early"


def test_detail_answers_a_clip_and_404_for_an_unknown_one(db):
    clip = ClipFactory()
    body = client_for().get(f"{URL}{clip.slug}/").json()
    assert body["slug"] == clip.slug and body["video_url"].endswith("clip.mp4")
    assert client_for().get(f"{URL}nope/").status_code == 404


def test_only_the_creator_and_editors_retitle_and_only_editors_feature(db):
    clip = ClipFactory()
    url = f"{URL}{clip.slug}/"
    assert client_for(clip.creator).patch(url, {"title": "Mine"}, format="json").status_code == 200
    assert client_for(clip.creator).patch(url, {"featured": True}, format="json").status_code == 403
    assert client_for(verified_user()).patch(url, {"title": "Theirs"}, format="json").status_code == 403
    assert client_for().patch(url, {"title": "Anon"}, format="json").status_code in (401, 403)
    editor = verified_user()
    ChannelRole.objects.create(channel=clip.channel, user=editor, role=Role.EDITOR)
    response = client_for(editor).patch(url, {"featured": True, "title": "Best"}, format="json")
    assert response.status_code == 200 and response.json()["featured"] is True
    assert client_for(editor).patch(url, {"title": ""}, format="json").status_code == 400
    clip.refresh_from_db()
    assert (clip.title, clip.featured) == ("Best", True)


@pytest.mark.parametrize("who", ["creator", "owner", "editor", "moderator"])
def test_delete_by_those_allowed_removes_the_row(db, who):
    clip = ClipFactory()
    user = {"creator": clip.creator, "owner": clip.channel.owner_user}.get(who) or verified_user()
    if who in ("editor", "moderator"):
        ChannelRole.objects.create(
            channel=clip.channel, user=user, role=Role.EDITOR if who == "editor" else Role.MODERATOR
        )
    assert client_for(user).delete(f"{URL}{clip.slug}/").status_code == 204
    assert not Clip.objects.filter(pk=clip.pk).exists()


def test_delete_by_others_is_refused(db):
    clip = ClipFactory()
    assert client_for(verified_user()).delete(f"{URL}{clip.slug}/").status_code == 403
    assert client_for().delete(f"{URL}{clip.slug}/").status_code in (401, 403)
    assert Clip.objects.filter(pk=clip.pk).exists()


def test_likes_are_idempotent_and_counted(db):
    clip = ClipFactory()
    url = f"{URL}{clip.slug}/like"
    fan, other = verified_user(), verified_user()
    assert client_for(fan).post(url).json() == {"liked": True, "likes_count": 1}
    assert client_for(fan).post(url).json() == {"liked": True, "likes_count": 1}
    assert client_for(other).post(url).json()["likes_count"] == 2
    assert client_for(fan).delete(url).json() == {"liked": False, "likes_count": 1}
    assert client_for(fan).delete(url).json() == {"liked": False, "likes_count": 1}
    assert ClipLike.objects.filter(clip=clip).count() == 1
    assert client_for().post(url).status_code in (401, 403)
    assert client_for(fan).post(f"{URL}nope/like").status_code == 404


def test_a_clip_still_rendering_cannot_be_liked(db):
    clip = ClipFactory(status=ClipStatus.RENDERING)
    response = client_for(verified_user()).post(f"{URL}{clip.slug}/like")
    assert response.status_code == 409


def test_list_filters_by_channel_and_period_and_sorts(db):
    channel = StreamChannelFactory()
    old = ClipFactory(channel=channel, likes_count=50, created_at=timezone.now() - timedelta(days=3))
    new = ClipFactory(channel=channel, likes_count=1)
    ClipFactory(status=ClipStatus.FAILED)
    other = ClipFactory(views=5)
    client = client_for()
    slugs = [c["slug"] for c in client.get(URL, {"period": "all"}).json()["results"]]
    assert slugs == [old.slug, new.slug, other.slug]
    assert [c["slug"] for c in client.get(URL, {"period": "day"}).json()["results"]] == [new.slug, other.slug]
    assert [
        c["slug"] for c in client.get(URL, {"channel": channel.slug, "sort": "new"}).json()["results"]
    ] == [
        new.slug,
        old.slug,
    ]
    assert client.get(URL, {"period": "year"}).status_code == 400
    assert client.get(URL, {"channel": "nobody_here"}).status_code == 404


def test_list_stays_within_a_query_budget(db, django_assert_max_num_queries):
    for _ in range(15):
        ClipFactory()
    with django_assert_max_num_queries(3):
        response = client_for().get(URL, {"period": "week"})
    assert response.json()["count"] == 15
