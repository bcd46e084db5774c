"""Anonymous home and directory pages are the same for everyone and cacheable (aethex/pagecache.py)."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from aethex.pagecache import PAGE_MAX_AGE, nginx_page_cache
from tests.factories import StreamCategoryFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/directory/",
    "/directory/categories/",
    "/directory/category/music/",
    "/directory/tag/speedrun/",
]


@pytest.fixture(autouse=True)
def _category(db):
    StreamCategoryFactory.create(slug="music")


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_page_is_public_sets_no_cookie_and_carries_no_token(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert response.status_code == 200
    assert response["Cache-Control"] == f"public, max-age={PAGE_MAX_AGE}"
    assert not response.cookies  # no csrftoken, no sessionid, no messages: nothing per visitor
    assert "X-CSRFToken" not in response.content.decode()
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_page_is_private_and_keeps_the_htmx_token(client, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "X-CSRFToken" in response.content.decode() and f"@{user.username}" in response.content.decode()


def test_an_anonymous_visitor_with_a_session_or_messages_gets_a_private_page(client):
    client.cookies["messages"] = "anything"
    assert "private" in client.get("/directory/")["Cache-Control"]
    del client.cookies["messages"]
    client.cookies["sessionid"] = "no-such-session"
    assert "private" in client.get("/")["Cache-Control"]


def test_a_missing_category_is_not_public(client):
    response = client.get("/directory/category/nothing-here/")
    assert response.status_code == 404 and "public" not in response.get("Cache-Control", "")


# (header, whether the front door resolves it): each resolved one must be what Django picks; the
# others keep their raw value in the key, which is correct whatever Django makes of them.
ACCEPT_LANGUAGES = [
    ("", True),
    ("fr", True),
    ("FR-ca", True),
    ("fr-CA,fr;q=0.9,en;q=0.8", True),
    ("de-CH;q=1.0, en;q=0.5", True),
    ("pt-PT,pt;q=0.9", True),
    ("pt-BR", True),
    ("es-419,es;q=0.9", True),
    ("en-US,en;q=0.9,*;q=0.5", True),
    ("en;q=0.5,fr", False),  # the first range has a lower q: Django picks fr
    ("fr;q=0.9", False),
    ("ja,fr;q=0.9", False),
    ("*", False),
    ("fr,", False),
    ("fr garbage", False),  # malformed: Django ignores it and shows the default language
    ("fr, !!", False),
    (" fr", False),
    ("fr-" + "a" * 600, False),  # longer than Django parses
    ("fr," + ",".join(["en"] * 200), False),
    ("zh-Hant-TW,fr", False),
    ("french", False),
]


@pytest.mark.parametrize(("header", "resolves"), ACCEPT_LANGUAGES, ids=range(len(ACCEPT_LANGUAGES)))
def test_the_front_door_maps_accept_language_to_the_language_django_picks(header, resolves):
    config = nginx_page_cache()
    resolved = config["default_language"] if header == "" else None
    for pattern, code in config["accept_languages"]:
        assert pattern.startswith("~*")  # nginx: case-insensitive, as Django lowercases the header
        if resolved is None and re.search(pattern[2:], header, re.IGNORECASE):
            resolved = code
    assert (resolved is not None) == resolves
    if resolved is not None:
        request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=header)
        assert resolved == translation.get_language_from_request(request)
