"""The channel page /<slug>/ and the embeddable player /embed/<slug>/."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from channels_app import services as channel_services
from streams import services as stream_services
from streams.models import Stream
from streams.views import render_markdown
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _channel(slug: str = "pixel_pilot", **fields):
    owner: Any = fields.pop("owner", None) or UserFactory()
    return channel_services.channel_create(owner=owner, slug=slug, **fields)


def _go_live(key: str) -> Stream:
    return stream_services.ingest_publish(
        call=stream_services.IngestCall(node="test", client_id="1", key=key)
    )


def _status(html: str) -> dict:
    match = re.search(r'<script id="stream-status" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no stream status on the page"
    return json.loads(match.group(1))


def test_channel_page_offline_shows_the_offline_state_and_panels(client):
    channel, _ = _channel(title="Speedruns", description="I run **fast**.")
    channel_services.panel_create(channel=channel, title="Schedule", body="- Mondays\n- Fridays")
    response = client.get("/pixel_pilot/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<video id="player"' in body
    assert "is offline" in body
    assert "<li>Mondays</li>" in body
    assert "<strong>fast</strong>" in body
    assert _status(body)["status"] == "offline"
    assert 'data-ws-path="/ws/chat/pixel_pilot/"' in body
    assert "data-chat" in body  # the chat panel sits beside the offline player


def test_channel_page_live_carries_the_playlist_for_the_player(client, settings):
    settings.HLS_URL = "/hls/"
    _, key = _channel(title="Any% practice", tags=["speedrun"])
    _go_live(key)
    response = client.get("/Pixel_Pilot/")  # slugs match whatever the case
    body = response.content.decode()
    status = _status(body)
    assert response.status_code == 200
    assert status["status"] == "live"
    assert status["hls_url"] == "/hls/pixel_pilot/index.m3u8"
    assert key not in body
    assert "Any% practice" in body
    assert 'class="tag">speedrun<' in body
    assert re.search(r"<video id=\"player\" muted autoplay playsinline", body)


def test_channel_page_last_live_time(client):
    _, key = _channel()
    stream = _go_live(key)
    stream_services.stream_end(stream=stream, reason="ended_by_creator")
    status = _status(client.get("/pixel_pilot/").content.decode())
    assert status["status"] == "offline"
    assert status["last_live_at"]


def test_unknown_channel_is_404(client):
    assert client.get("/nobody_here/").status_code == 404
    assert client.get("/embed/nobody_here/").status_code == 404


def test_suspended_channel_shows_a_notice_and_no_player(client):
    channel, _ = _channel()
    channel_services.channel_suspend(channel=channel, reason="rules")
    for path in ("/pixel_pilot/", "/embed/pixel_pilot/"):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 200
        assert "suspended" in body
        assert "<video" not in body
        assert "stream-status" not in body


def test_embed_may_be_framed_and_has_no_site_header(client):
    _channel()
    response = client.get("/embed/pixel_pilot/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert '<video id="player"' in body
    assert "site-header" not in body
    assert "Watch on AeThex Live" in body
    assert client.get("/pixel_pilot/").headers["X-Frame-Options"] == "DENY"  # only the embed is exempt


def test_pages_are_get_only(client):
    _channel()
    assert client.post("/pixel_pilot/").status_code in (403, 405)
    assert Client().post("/embed/pixel_pilot/").status_code == 405


def test_manager_sees_a_dashboard_link(client):
    owner = UserFactory()
    _channel(owner=owner)
    assert b"/dashboard/stream/?channel=pixel_pilot" not in client.get("/pixel_pilot/").content
    client.force_login(owner)
    assert b"/dashboard/stream/?channel=pixel_pilot" in client.get("/pixel_pilot/").content


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("<script>alert(1)</script>hi", "<script", "hi"),
        ("[x](javascript:alert(1))", "javascript:", "x"),
        ('<img src=x onerror="alert(1)">', "<img", ""),
        (
            "<a href='https://a.example' onclick='x()'>a</a>",
            "onclick",
            'rel="noopener noreferrer nofollow ugc"',
        ),
        ("**bold** and [link](https://example.com)", "<script", '<a href="https://example.com"'),
    ],
)
def test_panel_markdown_is_sanitised(text, absent, present):
    html = str(render_markdown(text))
    assert absent not in html
    assert present in html


@pytest.mark.parametrize("panels", [0, 12])
def test_channel_page_query_budget_is_fixed(client, django_assert_max_num_queries, panels):
    channel, key = _channel()
    for number in range(panels):
        channel_services.panel_create(channel=channel, title=f"Panel {number}", body="Some *text*")
    _go_live(key)
    with django_assert_max_num_queries(4):
        assert client.get("/pixel_pilot/").status_code == 200


@pytest.mark.parametrize("panels", [0, 12])
def test_channel_page_query_budget_when_offline_and_signed_in(client, django_assert_max_num_queries, panels):
    owner = UserFactory()
    channel, _ = _channel(owner=owner)
    for number in range(panels):
        channel_services.panel_create(channel=channel, title=f"Panel {number}")
    client.force_login(owner)
    client.get("/pixel_pilot/")  # the first request records the browser session
    # 7 for the signed-in shell, 4 for the page, 1 the follow button, 1 the Following rail
    with django_assert_max_num_queries(13):
        assert client.get("/pixel_pilot/").status_code == 200
