"""The front door's micro-cache for GET /api/v1/streams/ (streams/nginx/*.conf.template), in real nginx."""

from __future__ import annotations

import pytest

from tests.streams.directory_helpers import live

pytestmark = [pytest.mark.media]


def test_nginx_answers_repeated_directory_api_calls_from_its_cache_but_never_errors(media):
    live("cached_at_the_door", viewers=3)
    status, body, headers = media.get("/api/v1/streams/")
    assert status == 200 and b"cached_at_the_door" in body and headers["X-Cache-Status"] == "MISS"
    status, again, headers = media.get("/api/v1/streams/")
    assert status == 200 and again == body and headers["X-Cache-Status"] == "HIT"
    assert media.get("/api/v1/streams/?sort=new")[2]["X-Cache-Status"] == "MISS"  # the query is in the key
    for _ in range(2):
        status, _body, headers = media.get("/api/v1/streams/?sort=loudest")
        assert status == 400 and headers["X-Cache-Status"] != "HIT"
