"""Likes and views under concurrency (real PostgreSQL connections, one per thread): the counters
are F() updates and the like row is unique, so racing requests never lose or double a count."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.vods.clip_factories import ClipFactory, verified_user
from vods.clips import services
from vods.models import Clip, ClipLike

pytestmark = pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers")


def _race(calls: list) -> list:
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_racing_likes_count_once_per_user(transactional_db):
    clip = ClipFactory()
    fans = [verified_user() for _ in range(6)]
    # Every fan twice, all at once: six likes, no more.
    results = _race([lambda fan=fan: services.clip_like(user=fan, clip=clip) for fan in fans * 2])
    assert sum(results) == 6
    assert Clip.objects.get(pk=clip.pk).likes_count == 6 == ClipLike.objects.filter(clip=clip).count()
    _race([lambda fan=fan: services.clip_unlike(user=fan, clip=clip) for fan in fans[:3] * 2])
    assert Clip.objects.get(pk=clip.pk).likes_count == 3


def test_racing_views_of_one_viewer_count_once(transactional_db):
    clip = ClipFactory()
    results = _race([lambda: services.clip_record_view(clip=clip, viewer="ip203.0.113.9")] * 8)
    assert sum(results) == 1 and Clip.objects.get(pk=clip.pk).views == 1
