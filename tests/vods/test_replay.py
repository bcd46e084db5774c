"""Chat replay: GET /api/v1/vods/{id}/chat?start=&end= returns the stream's visible messages in the window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import MessageState
from tests.factories import ChatMessageFactory, StreamSessionFactory
from tests.vods.factories import ViewerFactory, VODFactory
from vods import selectors
from vods.models import Visibility

pytestmark = pytest.mark.django_db


def _say(vod, offset: float, text: str, **fields):
    return ChatMessageFactory(
        channel=vod.channel,
        stream=vod.stream,
        user=fields.pop("user", None) or ViewerFactory(),
        text=text,
        fragments=[{"type": "text", "text": text}],
        sent_at=vod.stream.started_at + timedelta(seconds=offset),
        **fields,
    )


def _texts(response) -> list[str]:
    return [m["text"] for m in response.json()["messages"]]


def test_replay_returns_exactly_the_window_in_order_with_offsets(api_client):
    vod = VODFactory()
    for offset, text in [(9.999, "before"), (10, "at start"), (12.5, "inside"), (11, "earlier inside"),
                         (19.999, "last inside"), (20, "at end")]:  # fmt: skip
        _say(vod, offset, text)

    response = api_client.get(f"/api/v1/vods/{vod.pk}/chat?start=10&end=20")

    assert response.status_code == 200
    assert _texts(response) == ["at start", "earlier inside", "inside", "last inside"]
    messages = response.json()["messages"]
    assert [m["offset"] for m in messages] == [10.0, 11.0, 12.5, 19.999]
    first = messages[0]
    assert set(first) >= {"id", "user", "text", "fragments", "badges", "sent_at", "offset"}
    assert first["user"]["username"].startswith("vodviewer") and response.json()["truncated"] is False


def test_replay_excludes_deleted_held_and_denied_messages(api_client):
    vod = VODFactory()
    _say(vod, 1, "shown")
    _say(vod, 2, "deleted", deleted_at=timezone.now())
    _say(vod, 3, "held", state=MessageState.HELD)
    _say(vod, 4, "denied", state=MessageState.DENIED)

    assert _texts(api_client.get(f"/api/v1/vods/{vod.pk}/chat?start=0&end=60")) == ["shown"]


def test_replay_excludes_other_streams_of_the_same_channel(api_client):
    vod = VODFactory()
    later = StreamSessionFactory(channel=vod.channel, started_at=vod.stream.started_at + timedelta(minutes=5))
    _say(vod, 5, "this stream")
    ChatMessageFactory(channel=vod.channel, stream=later, user=ViewerFactory(), text="next stream",
                       sent_at=vod.stream.started_at + timedelta(seconds=6))  # fmt: skip
    ChatMessageFactory(channel=vod.channel, stream=None, user=ViewerFactory(), text="offline chat",
                       sent_at=vod.stream.started_at + timedelta(seconds=7))  # fmt: skip

    assert _texts(api_client.get(f"/api/v1/vods/{vod.pk}/chat?start=0&end=60")) == ["this stream"]


@pytest.mark.parametrize(
    "query",
    ["", "start=0", "end=10", "start=-1&end=10", "start=10&end=10", "start=20&end=10", "start=0&end=300.5",
     "start=abc&end=10", "start=nan&end=10", "start=0&end=inf"],
)  # fmt: skip
def test_replay_rejects_bad_or_too_wide_windows_with_400(api_client, query):
    vod = VODFactory()
    response = api_client.get(f"/api/v1/vods/{vod.pk}/chat?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_replay_accepts_the_widest_window():
    vod = VODFactory()
    _say(vod, 299, "edge")
    assert [m.text for m in selectors.replay_window(vod=vod, start=0, end=300).messages] == ["edge"]


def test_replay_of_a_private_vod_is_404_for_others_and_200_for_the_owner(api_client):
    vod = VODFactory(visibility=Visibility.PRIVATE)
    _say(vod, 1, "secret")
    assert api_client.get(f"/api/v1/vods/{vod.pk}/chat?start=0&end=10").status_code == 404
    api_client.force_login(vod.channel.owner_user)
    assert _texts(api_client.get(f"/api/v1/vods/{vod.pk}/chat?start=0&end=10")) == ["secret"]


def test_replay_of_a_missing_vod_is_404(api_client):
    response = api_client.get("/api/v1/vods/424242/chat?start=0&end=10")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_replay_caps_a_very_busy_window_and_says_so(monkeypatch):
    monkeypatch.setattr(selectors, "REPLAY_MAX_MESSAGES", 3)
    vod = VODFactory()
    author = ViewerFactory()
    for n in range(5):
        _say(vod, n, f"m{n}", user=author)
    window = selectors.replay_window(vod=vod, start=0, end=10)
    assert [m.text for m in window.messages] == ["m0", "m1", "m2"] and window.truncated


def test_replay_query_count_does_not_grow_with_messages(api_client, django_assert_max_num_queries):
    vod = VODFactory()
    for n in range(30):
        _say(vod, n, f"m{n}")
    with django_assert_max_num_queries(3):
        response = api_client.get(f"/api/v1/vods/{vod.pk}/chat?start=0&end=60")
    assert len(response.json()["messages"]) == 30
