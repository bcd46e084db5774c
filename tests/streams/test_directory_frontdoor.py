"""The front door's micro-caches (streams/nginx/*.conf.template), in real nginx: GET /api/v1/streams/
and the anonymous home and directory pages."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory
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


def _get(media, path: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(media.base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_nginx_serves_anonymous_pages_from_its_cache_and_signed_in_visitors_from_django(media):
    live("door_page", viewers=3)
    for path in ("/directory/", "/"):
        status, body, headers = _get(media, path)
        assert status == 200 and "door_page" in body and headers["X-Cache-Status"] == "MISS"
        assert headers["Cache-Control"] == "public, max-age=5" and "Set-Cookie" not in headers
        status, again, headers = _get(media, path)
        assert status == 200 and again == body and headers["X-Cache-Status"] == "HIT"

    user = UserFactory.create(username="door_member")
    for _ in range(2):
        status, body, headers = _get(media, "/directory/", Cookie=_session_cookie(user))
        assert status == 200 and "@door_member" in body and "private" in headers["Cache-Control"]
        assert headers["X-Cache-Status"] == "BYPASS"
    # The signed-in page was not stored: anonymous visitors still get the anonymous one.
    status, body, headers = _get(media, "/directory/")
    assert headers["X-Cache-Status"] == "HIT" and "@door_member" not in body

    # A pending message (a "signed out" toast) is shown by Django, not hidden by the cache.
    assert _get(media, "/directory/", Cookie="messages=x")[2]["X-Cache-Status"] == "BYPASS"


def test_nginx_keys_anonymous_pages_by_the_language_django_picks(media):
    status, french, headers = _get(media, "/directory/", **{"Accept-Language": "fr"})
    assert status == 200 and '<html lang="fr"' in french and headers["X-Cache-Status"] == "MISS"
    # Another header resolving to French shares the entry; German does not.
    status, body, headers = _get(media, "/directory/", **{"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.8"})
    assert headers["X-Cache-Status"] == "HIT" and body == french
    status, german, headers = _get(media, "/directory/", **{"Accept-Language": "de-DE,de;q=0.9"})
    assert headers["X-Cache-Status"] == "MISS" and '<html lang="de"' in german
    # The language cookie beats the header in Django, so it is in the key too.
    cookie = f"{settings.LANGUAGE_COOKIE_NAME}=de"
    _status, body, headers = _get(media, "/directory/", Cookie=cookie, **{"Accept-Language": "fr"})
    assert headers["X-Cache-Status"] == "MISS" and '<html lang="de"' in body
    # No header: the default language, shared with en-US.
    assert '<html lang="en"' in _get(media, "/directory/")[1]
    assert _get(media, "/directory/", **{"Accept-Language": "en-US,en;q=0.9"})[2]["X-Cache-Status"] == "HIT"


def test_nginx_leaves_channel_pages_and_errors_alone(media):
    live("door_channel", viewers=1)
    for path, expected in (("/door_channel/", 200), ("/directory/category/no-such-category/", 404)):
        for _ in range(2):
            status, _body, headers = _get(media, path)
            assert status == expected and headers.get("X-Cache-Status") != "HIT", path
    assert "X-Cache-Status" not in _get(media, "/door_channel/")[2]  # not in the cached location at all
