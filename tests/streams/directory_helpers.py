"""Shared set-up for the directory tests: live streams with known figures, in bulk."""

from __future__ import annotations

from typing import Any

from channels_app.models import Category
from streams.models import Stream
from tests.factories import LiveStreamFactory, StreamCategoryFactory, StreamChannelFactory


def live(
    slug: str,
    *,
    viewers: int = 0,
    category: Category | None = None,
    featured_rank: int | None = None,
    **fields: Any,
) -> Stream:
    channel = StreamChannelFactory(slug=slug, featured_rank=featured_rank, category=category)
    return LiveStreamFactory(channel=channel, viewer_count=viewers, category=category, **fields)


def many_live(count: int) -> list[Stream]:
    """`count` live streams across three categories, with tags and thumbnails-less cards."""
    categories = [StreamCategoryFactory() for _ in range(3)]
    return [
        live(
            f"bulk{index:04d}",
            viewers=index,
            category=categories[index % 3],
            tags=["fps", "chill"],
            featured_rank=index if index % 5 == 0 else None,
            trending_score=float(index % 7),
        )
        for index in range(count)
    ]
