from __future__ import annotations

import pytest
from django.db import connection

from streams import directory
from tests.factories import StreamCategoryFactory, StreamChannelFactory, UserFactory
from tests.streams.directory_helpers import live

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram typo matching needs PostgreSQL's pg_trgm"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the icontains fallback runs on SQLite"
)


def _stream_slugs(results: directory.SearchResults) -> list[str]:
    return [stream.channel.slug for stream in results.streams]


@postgres_only
def test_search_finds_a_stream_by_a_misspelled_title_on_postgres():
    live("runner", title="Minecraft speedrun world record attempts")
    live("cook", title="Sunday pasta cooking")
    assert _stream_slugs(directory.search(query="minecarft speedrn")) == ["runner"]


@postgres_only
def test_search_ranks_a_title_match_above_a_weaker_one_on_postgres():
    live("exact", title="Chess openings explained", viewers=1)
    live("partial", title="Talking about chess", viewers=500)
    live("other", title="Cooking", viewers=1000)
    slugs = _stream_slugs(directory.search(query="chess openings"))
    assert slugs[0] == "exact" and "other" not in slugs


@postgres_only
def test_search_finds_channels_and_categories_with_typos_on_postgres():
    StreamChannelFactory(slug="pixelqueen", display_name="Pixel Queen")
    StreamCategoryFactory(name="Hearthstone", slug="hearthstone")
    results = directory.search(query="pixelquen")
    assert [channel.slug for channel in results.channels] == ["pixelqueen"]
    assert [category.slug for category in directory.search(query="hearthston").categories] == ["hearthstone"]


@postgres_only
def test_the_trigram_migration_created_its_indexes_on_postgres():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"streams_stream_title_trgm", "channels_channel_slug_trgm", "channels_category_name_trgm"} <= names


@sqlite_only
def test_search_falls_back_to_substring_matching_on_sqlite():
    live("runner", title="Minecraft speedrun")
    live("cook", title="Pasta")
    assert _stream_slugs(directory.search(query="speedrun")) == ["runner"]
    assert _stream_slugs(directory.search(query="speedrn")) == []  # no typo tolerance without pg_trgm


def test_search_matches_title_channel_name_and_category():
    music = StreamCategoryFactory(name="Synthwave", slug="synthwave")
    live("by_title", title="Neon synthwave mix")
    live("by_category", title="Evening set", category=music)
    live("synthwave_kid", title="Chatting")
    live("unrelated", title="Gardening")
    assert sorted(_stream_slugs(directory.search(query="synthwave"))) == [
        "by_category",
        "by_title",
        "synthwave_kid",
    ]


def test_search_lists_channels_live_or_not_and_marks_live_ones():
    live("nova_live")
    StreamChannelFactory(slug="nova_off")
    channels = directory.search(query="nova").channels
    assert {channel.slug: channel.is_live for channel in channels} == {"nova_live": True, "nova_off": False}


def test_search_page_shows_streams_channels_categories_and_people(client):
    StreamCategoryFactory(name="Orbit games", slug="orbit")
    live("orbiter", title="Orbit racing", viewers=3)
    UserFactory(username="orbitfan")
    page = client.get("/search/?q=orbit").content.decode()
    for heading in ("Live now", "Channels", "Categories", "People"):
        assert f'<p class="result-heading">{heading}</p>' in page
    assert 'class="live-card"' in page and "Orbit games" in page and "@orbitfan" in page


def test_search_dropdown_is_compact_and_links_to_the_full_page(client):
    live("orbiter", title="Orbit racing")
    page = client.get(
        "/search/?q=orbit", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-dropdown"
    ).content.decode()
    assert 'class="live-card"' not in page and "Orbit racing" in page and "See all results" in page
    assert "<html" not in page


def test_search_with_no_match_says_what_to_do(client):
    page = client.get("/search/?q=zzzzzz").content.decode()
    assert "no person, channel, category or live stream" in page and 'href="/directory/"' in page
    assert "Type a word above" in client.get("/search/").content.decode()


def test_streams_api_searches_with_q(api_client):
    live("runner", title="Minecraft speedrun")
    live("cook", title="Pasta")
    response = api_client.get("/api/v1/streams/?q=speedrun")
    assert [item["channel"]["slug"] for item in response.json()["results"]] == ["runner"]
