from __future__ import annotations

import pytest

from tests.streams.helpers import hook, make_channel

pytestmark = pytest.mark.django_db


def test_home_shows_live_streams_as_cards_and_not_ended_ones(client, django_assert_max_num_queries):
    for index, slug in enumerate(("alpha", "bravo", "charlie")):
        _, key = make_channel(slug, title=f"{slug} plays")
        hook("publish", key=key, clientid=str(index))
    _, key = make_channel("delta", title="delta is done")
    hook("publish", key=key, clientid="9")
    hook("publish_done", key=key, clientid="9")
    with django_assert_max_num_queries(6):  # the same whatever the number of live streams
        page = client.get("/").content.decode()
    for slug in ("alpha", "bravo", "charlie"):
        assert f'href="/{slug}/"' in page and f"{slug} plays" in page
    assert "delta is done" not in page
    assert "Nobody is live right now" not in page


def test_home_without_live_streams_says_what_to_do(client):
    page = client.get("/").content.decode()
    assert "Nobody is live right now" in page
    assert "Sign up to go live" in page
