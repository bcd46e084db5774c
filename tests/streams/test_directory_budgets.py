"""Query budgets: the directory's pages and API run a fixed number of queries at 5 and at 50 streams."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels_app import services as channel_services
from tests.factories import UserFactory
from tests.streams.directory_helpers import many_live

pytestmark = pytest.mark.django_db

PAGES = [
    ("/directory/", 4),  # streams COUNT + page, category tiles, (recommended when signed in)
    ("/directory/?sort=trending&language=en", 4),
    ("/directory/categories/", 3),
    ("/directory/category/{category}/", 4),
    ("/directory/tag/fps/", 4),
    ("/api/v1/streams/", 3),
    ("/api/v1/streams/?sort=featured&tag=chill", 3),
    ("/", 4),  # top live, featured, categories, newest members
    ("/search/?q=bulk", 5),  # streams, channels, categories, people
]


@pytest.mark.parametrize("streams", [5, 50])
@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_anonymous_pages_and_api_keep_their_query_budget(
    client, django_assert_max_num_queries, streams, url, budget
):
    live = many_live(streams)
    url = url.format(category=live[0].category.slug if live[0].category else "")
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert b"bulk0" in response.content or b"category-tile" in response.content


@pytest.mark.parametrize("streams", [5, 50])
def test_signed_in_directory_keeps_its_query_budget(client, django_assert_max_num_queries, streams):
    live = many_live(streams)
    viewer = UserFactory()
    channel_services.follow_create(user=viewer, channel=live[0].channel)
    client.force_login(viewer)
    client.get("/healthz")  # the first signed-in request records the user's session (allauth usersessions)
    cache.clear()
    # 7 are the signed-in machinery (session, user, allauth's usersessions tracking), 1 the bell's
    # unread count (cached, but the cache was just cleared), 4 the directory.
    with django_assert_max_num_queries(12):
        page = client.get("/directory/").content.decode()
    assert "Recommended for you" in page


def test_query_count_does_not_grow_with_the_number_of_streams(client):
    """The budgets above are ceilings; this pins that 50 streams cost exactly what 5 do."""
    counts = []
    for prefix, batch in (("bulk", 5), ("more", 45)):
        many_live(batch, prefix=prefix)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            for url in ("/directory/", "/api/v1/streams/", "/", "/search/?q=bulk", "/directory/tag/fps/"):
                client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_cached_directory_page_costs_no_query(client, django_assert_num_queries):
    many_live(5)
    client.get("/directory/")
    with django_assert_num_queries(0):
        client.get("/directory/")
