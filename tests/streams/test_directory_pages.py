from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app import services as channel_services
from streams import directory
from streams.models import StreamStatus
from tests.factories import LiveStreamFactory, StreamCategoryFactory, UserFactory
from tests.streams.directory_helpers import live

pytestmark = pytest.mark.django_db


def _order(page: str, slugs: list[str]) -> list[str]:
    found = sorted(slugs, key=lambda slug: page.index(f'href="/{slug}/"'))
    return found


def test_directory_lists_live_streams_by_viewers_and_not_ended_ones(client):
    live("small", viewers=3)
    live("big", viewers=300, title="Big speedrun")
    live("middle", viewers=30)
    live("gone", viewers=999, status=StreamStatus.ENDED)
    page = client.get("/directory/").content.decode()
    assert _order(page, ["small", "big", "middle"]) == ["big", "middle", "small"]
    assert "Big speedrun" in page and "300 viewers" in page
    assert 'href="/gone/"' not in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("viewers", ["b", "a", "c"]),
        ("new", ["c", "b", "a"]),
        ("trending", ["a", "c", "b"]),
    ],
)
def test_directory_sort_orders(client, sort, expected):
    now = timezone.now()
    live("aaa", viewers=20, trending_score=9.0, started_at=now - timedelta(hours=3))
    live("bbb", viewers=50, trending_score=1.0, started_at=now - timedelta(hours=2))
    live("ccc", viewers=10, trending_score=5.0, started_at=now - timedelta(hours=1))
    page = client.get(f"/directory/?sort={sort}").content.decode()
    assert _order(page, ["aaa", "bbb", "ccc"]) == [letter * 3 for letter in expected]


def test_featured_sort_shows_only_featured_channels_by_rank_then_viewers(client):
    live("plain", viewers=1000)
    live("second", viewers=5, featured_rank=2)
    live("first", viewers=1, featured_rank=1)
    live("tied", viewers=50, featured_rank=2)
    page = client.get("/directory/?sort=featured").content.decode()
    assert _order(page, ["first", "second", "tied"]) == ["first", "tied", "second"]
    assert 'href="/plain/"' not in page


def test_language_filter_and_unknown_values_are_ignored_leniently(client):
    live("english", language="en")
    live("spanish", language="es")
    page = client.get("/directory/?language=es").content.decode()
    assert 'href="/spanish/"' in page and 'href="/english/"' not in page
    page = client.get("/directory/?language=klingon&sort=bogus").content.decode()
    assert 'href="/spanish/"' in page and 'href="/english/"' in page


def test_directory_paginates_24_a_page(client):
    for index in range(30):
        live(f"page{index:02d}", viewers=100 - index)
    first = client.get("/directory/").content.decode()
    second = client.get("/directory/?page=2").content.decode()
    assert first.count('class="live-card"') == 24 and second.count('class="live-card"') == 6
    assert 'href="/page00/"' in first and 'href="/page29/"' in second
    assert "page=2" in first and "Page 2 of 2" in second
    assert client.get("/directory/?page=999").status_code == 200  # past the end: the last page
    assert client.get("/directory/?page=abc").status_code == 200


def test_category_tiles_show_live_viewer_totals(client):
    games = StreamCategoryFactory(name="Retro games", slug="retro")
    StreamCategoryFactory(name="Cooking", slug="cooking")
    live("one", viewers=7, category=games)
    live("two", viewers=5, category=games)
    page = client.get("/directory/").content.decode()
    assert "Retro games" in page and "12 viewers" in page
    assert page.index("Retro games") < page.index("Cooking")  # most watched first
    listing = client.get("/directory/categories/").content.decode()
    assert "Retro games" in listing and "Nobody live" in listing


def test_category_page_shows_its_live_streams_only(client):
    music = StreamCategoryFactory(name="Music", slug="music")
    live("singer", viewers=4, category=music)
    live("gamer", viewers=400)
    page = client.get("/directory/category/music/").content.decode()
    assert "Music" in page and 'href="/singer/"' in page and 'href="/gamer/"' not in page
    assert "4 viewers" in page


def test_unknown_or_inactive_category_is_404(client):
    StreamCategoryFactory(slug="hidden", is_active=False)
    assert client.get("/directory/category/nope/").status_code == 404
    assert client.get("/directory/category/hidden/").status_code == 404


def test_tag_page_matches_tags_case_insensitively(client):
    live("tagged", tags=["Speedrun", "chill"])
    live("untagged", tags=["cozy"])
    page = client.get("/directory/tag/speedrun/").content.decode()
    assert 'href="/tagged/"' in page and 'href="/untagged/"' not in page
    assert client.get("/directory/tag/bad%25tag/").status_code == 404


def test_cards_link_category_and_tags(client):
    music = StreamCategoryFactory(name="Music", slug="music")
    live("linked", category=music, tags=["lofi"])
    page = client.get("/directory/").content.decode()
    assert 'href="/directory/category/music/"' in page and 'href="/directory/tag/lofi/"' in page


def test_empty_directory_says_what_to_do(client):
    page = client.get("/directory/").content.decode()
    assert "Nobody is live here right now" in page and "Sign up to go live" in page
    assert "staff add them in the admin" in page
    featured = client.get("/directory/?sort=featured").content.decode()
    assert "Staff have not featured a live channel yet" in featured


def test_recommended_shows_live_channels_in_followed_categories_excluding_followed(client):
    viewer = UserFactory()
    games, cooking = StreamCategoryFactory(slug="games"), StreamCategoryFactory(slug="cooking")
    followed = live("followed", category=games, viewers=10)
    live("sibling", category=games, viewers=5)
    live("elsewhere", category=cooking, viewers=500)
    channel_services.follow_create(user=viewer, channel=followed.channel)
    client.force_login(viewer)
    page = client.get("/directory/").content.decode()
    recommended = page[page.index("Recommended for you") : page.index('id="live-title"')]
    assert 'href="/sibling/"' in recommended
    assert 'href="/followed/"' not in recommended and 'href="/elsewhere/"' not in recommended


def test_recommended_includes_categories_followed_channels_streamed_in_lately():
    viewer = UserFactory()
    chess = StreamCategoryFactory(slug="chess")
    followed = live("offline_fav", category=None)
    followed.status = StreamStatus.ENDED
    followed.category = chess
    followed.save()
    live("chess_live", category=chess)
    channel_services.follow_create(user=viewer, channel=followed.channel)
    assert [s.channel.slug for s in directory.recommended_for(user=viewer)] == ["chess_live"]


def test_anonymous_viewer_gets_no_recommendations(client):
    live("someone")
    assert "Recommended for you" not in client.get("/directory/").content.decode()


def test_suspended_channels_are_not_listed(client):
    stream = live("banned", viewers=99)
    stream.channel.suspended_at = timezone.now()
    stream.channel.save()
    assert 'href="/banned/"' not in client.get("/directory/").content.decode()


def test_home_shows_featured_top_live_and_categories(client):
    games = StreamCategoryFactory(name="Strategy", slug="strategy")
    live("featured_one", featured_rank=1, category=games, viewers=3)
    live("popular", viewers=500)
    page = client.get("/").content.decode()
    assert "Featured" in page and 'href="/featured_one/"' in page
    assert 'href="/popular/"' in page and "Strategy" in page
    assert page.index('href="/popular/"') < page.index("Newest members")


def test_sample_viewers_stores_the_count_the_directory_sorts_on(client):
    from streams import tasks

    stream = LiveStreamFactory(viewer_count=0)
    tasks.sample_viewers()  # nobody watching: 0, sample stored
    stream.refresh_from_db()
    assert stream.viewer_count == 0 and stream.viewer_samples.count() == 1


def test_record_viewers_moves_sample_count_and_peak_together():
    from streams import services

    stream = LiveStreamFactory(peak_viewers=10)
    services.stream_record_viewers(stream=stream, viewers=25)
    services.stream_record_viewers(stream=stream, viewers=4)
    stream.refresh_from_db()
    assert (stream.viewer_count, stream.peak_viewers) == (4, 25)
    assert list(stream.viewer_samples.values_list("viewers", flat=True)) == [25, 4]
