from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from streams.models import StreamStatus
from tests.factories import StreamCategoryFactory
from tests.streams.directory_helpers import live

pytestmark = pytest.mark.django_db


def _slugs(response) -> list[str]:
    return [item["channel"]["slug"] for item in response.json()["results"]]


def test_streams_api_lists_live_streams_with_card_fields(api_client):
    music = StreamCategoryFactory(name="Music", slug="music")
    live(
        "singer",
        viewers=12,
        category=music,
        tags=["lofi"],
        language="fr",
        title="Late night lofi",
        featured_rank=3,
    )
    live("ended", status=StreamStatus.ENDED)
    response = api_client.get("/api/v1/streams/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None
    item = body["results"][0]
    assert item["title"] == "Late night lofi" and item["status"] == "live"
    assert item["channel"] == {"slug": "singer", "name": "Singer", "avatar_url": None, "featured_rank": 3}
    assert item["category"] == {"slug": "music", "name": "Music"}
    assert item["tags"] == ["lofi"] and item["language"] == "fr" and item["viewer_count"] == 12
    assert item["url"] == "/singer/" and item["hls_url"].endswith("/singer/index.m3u8")
    assert item["thumbnail_url"] is None and item["started_at"]


def test_streams_api_live_false_lists_ended_streams(api_client):
    live("now_live")
    live("was_live", status=StreamStatus.ENDED)
    response = api_client.get("/api/v1/streams/?live=false")
    assert _slugs(response) == ["was_live"] and response.json()["results"][0]["hls_url"] is None
    assert _slugs(api_client.get("/api/v1/streams/?live=&category=&q=&sort=&tag=&language=")) == ["now_live"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("viewers", ["bbb", "aaa", "ccc"]),
        ("new", ["ccc", "bbb", "aaa"]),
        ("trending", ["aaa", "ccc", "bbb"]),
        ("featured", ["ccc", "aaa"]),
    ],
)
def test_streams_api_sorts(api_client, sort, expected):
    now = timezone.now()
    live("aaa", viewers=20, trending_score=9.0, started_at=now - timedelta(hours=3), featured_rank=2)
    live("bbb", viewers=50, trending_score=1.0, started_at=now - timedelta(hours=2))
    live("ccc", viewers=10, trending_score=5.0, started_at=now - timedelta(hours=1), featured_rank=1)
    assert _slugs(api_client.get(f"/api/v1/streams/?sort={sort}")) == expected


def test_streams_api_filters_by_category_tag_and_language(api_client):
    games = StreamCategoryFactory(slug="games")
    live("gamer_en", category=games, tags=["FPS"], language="en")
    live("gamer_de", category=games, tags=["chill"], language="de")
    live("cook", tags=["fps"])
    assert _slugs(api_client.get("/api/v1/streams/?category=games&sort=new")) == ["gamer_de", "gamer_en"]
    assert sorted(_slugs(api_client.get("/api/v1/streams/?tag=fps"))) == ["cook", "gamer_en"]
    assert _slugs(api_client.get("/api/v1/streams/?language=de")) == ["gamer_de"]
    assert _slugs(api_client.get("/api/v1/streams/?category=nothing")) == []


def test_streams_api_paginates(api_client):
    for index in range(5):
        live(f"pg{index}", viewers=index)
    first = api_client.get("/api/v1/streams/?page_size=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and "page=2" in first["next"]
    last = api_client.get("/api/v1/streams/?page_size=2&page=3").json()
    assert [item["channel"]["slug"] for item in last["results"]] == ["pg0"]


def test_streams_api_page_past_the_end_is_404_in_the_error_shape(api_client):
    live("only")
    response = api_client.get("/api/v1/streams/?page=7")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=loudest", "sort"),
        ("live=maybe", "live"),
        ("language=xx", "language"),
        ("category=not%20a%20slug", "category"),
        ("tag=%25%25", "tag"),
        ("q=" + "x" * 101, "q"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=1000", "page_size"),
    ],
)
def test_streams_api_rejects_bad_params_with_400(api_client, query, field):
    response = api_client.get(f"/api/v1/streams/?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]


def test_streams_api_is_cached_briefly(api_client, django_assert_num_queries):
    live("cached", viewers=1)
    assert _slugs(api_client.get("/api/v1/streams/")) == ["cached"]
    live("newcomer", viewers=100)
    with django_assert_num_queries(0):
        assert _slugs(api_client.get("/api/v1/streams/")) == ["cached"]  # the same params: from the cache
    assert _slugs(api_client.get("/api/v1/streams/?sort=viewers&live=true")) == ["cached"]  # same key
    assert _slugs(api_client.get("/api/v1/streams/?sort=new")) == ["newcomer", "cached"]


def test_streams_api_is_in_the_schema(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/streams/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"live", "category", "q", "sort", "tag", "language", "page", "page_size"} <= names
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response_schema["$ref"].endswith("PaginatedDirectoryStreamList")


def test_streams_api_throttles_searches_but_not_cached_listings(api_client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    monkeypatch.setattr(UserRateThrottle, "rate", "2/min", raising=False)
    assert {api_client.get("/api/v1/streams/").status_code for _ in range(4)} == {200}
    statuses = [api_client.get(f"/api/v1/streams/?q=word{i}").status_code for i in range(4)]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429
